//! The only module that reads and writes files. Everything else in the engine is a
//! pure function of its inputs, so it can be tested without touching the disk.

use std::fs;
use std::io::Write;
use std::path::Path;

/// Reads a text file, refusing anything that is not UTF-8 with a message a trainer
/// can act on.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text (invalid byte at offset {}); save it as UTF-8 / 请将文件另存为 UTF-8 编码",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Writes a file atomically: write a temporary sibling, flush it to disk, rename it
/// over the target. A crash leaves either the old file or the new one, never half.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| format!("{} is not a file path", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

/// The include loader for `lang::check`: reads the (already resolved) path as
/// UTF-8 text. Paths are `/`-separated as the language writes them.
pub fn include_loader(path: &str) -> Result<String, String> {
    read_text(Path::new(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_contents_and_leaves_no_temp_file() {
        let dir = std::env::temp_dir().join(format!("drill-io-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.txt");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, "新内容".as_bytes()).unwrap();
        assert_eq!(read_text(&path).unwrap(), "新内容");
        let leftovers: Vec<_> = fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).collect();
        assert_eq!(leftovers.len(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn non_utf8_file_is_refused_with_offset() {
        let dir = std::env::temp_dir().join(format!("drill-io-test-gbk-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("gbk.drill");
        fs::write(&path, [b'a', 0xD6, 0xD0]).unwrap();
        let err = read_text(&path).unwrap_err();
        assert!(err.contains("offset 1"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
