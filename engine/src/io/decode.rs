//! Reading a scenario's bytes as text, whatever editor saved them (文件编码): UTF-8
//! with or without a byte-order mark, UTF-16 with a byte-order mark (Notepad's
//! "Unicode"), or GB18030/GBK (Notepad's "ANSI" on Chinese Windows).
//!
//! The rule, in this order:
//! 1. a UTF-16 byte-order mark (`FF FE` little-endian, `FE FF` big-endian) means UTF-16;
//! 2. bytes that are valid UTF-8 (a UTF-8 byte-order mark is kept: the language reads
//!    it as a space) are UTF-8;
//! 3. otherwise the bytes are GB18030 when they decode as GB18030 without an error and
//!    the places where UTF-8 decoding fails number at least two and more than the
//!    valid non-ASCII UTF-8 characters (a GBK text fails UTF-8 at nearly every Chinese
//!    character; a UTF-8 text with a stray byte fails once among many good ones);
//! 4. anything else is UTF-8 with stray bytes, each read as U+FFFD, which the checker
//!    reports as an error at its line and column (E0109).
//!
//! Pure (bytes in, text out) but kept in `io` with the reading, so that everything
//! past `io` sees only text.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

/// A file's text and the encoding it was read in, when that is not UTF-8.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// `Some("GB18030")`, `Some("UTF-16LE")`, `Some("UTF-16BE")`; `None` for UTF-8.
    pub encoding: Option<&'static str>,
}

/// Decodes a file's bytes by the rule at the top of this file.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    for (bom, encoding, name) in [
        (&[0xFF, 0xFE], UTF_16LE, "UTF-16LE"),
        (&[0xFE, 0xFF], UTF_16BE, "UTF-16BE"),
    ] {
        if bytes.starts_with(bom) {
            let (text, _) = encoding.decode_without_bom_handling(&bytes[2..]);
            return Decoded {
                text: text.into_owned(),
                encoding: Some(name),
            };
        }
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => {
            return Decoded {
                text,
                encoding: None,
            };
        }
        Err(e) => e.into_bytes(),
    };
    let (failures, good) = utf8_census(&bytes);
    if failures >= 2 && failures > good {
        let (text, had_errors) = GB18030.decode_without_bom_handling(&bytes);
        if !had_errors {
            return Decoded {
                text: text.into_owned(),
                encoding: Some("GB18030"),
            };
        }
    }
    Decoded {
        text: String::from_utf8_lossy(&bytes).into_owned(),
        encoding: None,
    }
}

/// How many places UTF-8 decoding fails at, and how many valid non-ASCII UTF-8
/// characters there are.
fn utf8_census(mut bytes: &[u8]) -> (usize, usize) {
    let (mut failures, mut good) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => return (failures, good + s.chars().filter(|c| !c.is_ascii()).count()),
            Err(e) => {
                let valid = &bytes[..e.valid_up_to()];
                // (valid UTF-8 by the error's own word)
                good += valid.iter().filter(|&&b| b >= 0xC0).count();
                failures += 1;
                match e.error_len() {
                    Some(n) => bytes = &bytes[e.valid_up_to() + n..],
                    None => return (failures, good),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "scenario \"竹源村山洪\" {\n  地点 下村 位于 (300, 420)\n}\n";

    #[test]
    fn gbk_and_utf16_are_read_and_named() {
        let (gbk, _, _) = GB18030.encode(TEXT);
        assert_eq!(
            decode(gbk.into_owned()),
            Decoded {
                text: TEXT.into(),
                encoding: Some("GB18030")
            }
        );
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in TEXT.encode_utf16() {
            le.extend(unit.to_le_bytes());
            be.extend(unit.to_be_bytes());
        }
        assert_eq!(decode(le).encoding, Some("UTF-16LE"));
        assert_eq!(decode(be).text, TEXT);
    }

    #[test]
    fn utf8_with_or_without_a_mark_is_utf8() {
        assert_eq!(decode(TEXT.into()).encoding, None);
        let marked = format!("\u{FEFF}{TEXT}");
        assert_eq!(
            decode(marked.clone().into_bytes()),
            Decoded {
                text: marked,
                encoding: None
            }
        );
    }

    #[test]
    fn a_stray_byte_in_utf8_is_kept_as_a_replacement_character() {
        let mut bytes = TEXT.as_bytes().to_vec();
        let at = TEXT.find("下村").unwrap();
        bytes.insert(at, 0xB5);
        let decoded = decode(bytes);
        assert_eq!(decoded.encoding, None);
        assert_eq!(decoded.text.find('\u{FFFD}'), Some(at));
        // Two stray bytes among many good characters are still UTF-8.
        let mut two = TEXT.as_bytes().to_vec();
        two.insert(0, 0xFF);
        two.push(0xFE);
        assert_eq!(decode(two).encoding, None);
    }
}
