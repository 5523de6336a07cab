//! 行动记录 — the action log of a live drill (`drill exercise`, the editor's 推演 mode)
//! kept on disk as it grows. One writer for every layout a recorder's file may have:
//! the closing `}` on its own line or at the end of the last action's line, comments
//! or blank lines after it, a final line break or none, the brace itself missing
//! after a complete last line. Each append replaces the file (temporary file, `fsync`,
//! rename) with the same text plus one line before the closing brace, so the file on
//! disk is at every moment a complete `actions` block holding every acknowledged
//! line, and no byte of what the file held before is lost.

use super::{sync_dir, write_atomic};
use crate::lang::{self, SourceMap, keywords, syntax};
use std::fs;
use std::path::{Path, PathBuf};

/// 行动记录 — a recorder's action log on disk: every line appended is on the disk
/// (`fsync`) before [`ActionLogFile::append`] returns, so a crash or a killed process
/// loses nothing that was acknowledged.
pub struct ActionLogFile {
    /// The file written (a symlink's target).
    path: PathBuf,
    /// Everything before the next line: the text up to the closing brace's line,
    /// ending in a line break.
    head: String,
    /// The closing brace and whatever follows it, byte for byte.
    tail: String,
    /// The text the file holds now, to notice another program changing it.
    on_disk: String,
    /// The file's line break (`\r\n` when its first line ends so).
    newline: &'static str,
}

impl ActionLogFile {
    /// Opens `path` for appending, creating it with `header` (`actions ID {`) and a
    /// closing brace when it does not exist. Returns the file and its text as the
    /// next append leaves it, less that line: the file's text, with a closing brace
    /// added after a complete last line when the brace is missing, or with the header
    /// added when the file holds only comments or nothing. The file is not written
    /// until the first append, so a caller that refuses the text (a log for another
    /// scenario, an action that does not check) leaves the file as it was.
    ///
    /// Refused with a message, before anything is written: a path that is not a
    /// regular file (a folder, a pipe, a device), text that is not UTF-8, and text
    /// that is not one `actions` block that a line can be added to (a scenario given
    /// as the log, a line cut off inside a comment or a string).
    pub fn open(path: &Path, header: &str) -> Result<(ActionLogFile, String), String> {
        let target = super::write::resolve_symlinks(path)?;
        let shown = path.display();
        match fs::metadata(&target) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return ActionLogFile::create(path, target, header);
            }
            Err(e) => return Err(format!("cannot read {shown}: {e}")),
            Ok(m) if !m.is_file() => {
                return Err(format!(
                    "{shown} is not a regular file; give the action log a file name / 行动记录应为普通文件"
                ));
            }
            Ok(_) => {}
        }
        // Opening it for writing now tells a read-only log before the drill starts
        // (a rename would replace the file whatever its permissions).
        fs::OpenOptions::new()
            .append(true)
            .open(&target)
            .map_err(|e| format!("cannot write {shown}: {e}"))?;
        let text = super::read_text(path)?;
        let (head, tail) = layout(&text, header, &shown.to_string()).map_err(|why| {
            format!(
                "{why}error: {shown} is not an `actions` log a line can be added to; fix it or give a new file name / 无法续写此行动记录"
            )
        })?;
        let newline = line_break(&text);
        let now = format!("{head}{tail}");
        Ok((
            ActionLogFile {
                path: target,
                head,
                tail,
                on_disk: text,
                newline,
            },
            now,
        ))
    }

    /// A new log: `header`, a line break, the closing brace, written and synced.
    fn create(
        shown: &Path,
        target: PathBuf,
        header: &str,
    ) -> Result<(ActionLogFile, String), String> {
        use std::io::Write;
        let err = |e: std::io::Error| format!("cannot write {}: {e}", shown.display());
        // `create_new`: two drills started on one new log do not both write a header.
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(err)?;
        let (head, tail) = (format!("{header}\n"), "}\n".to_string());
        let text = format!("{head}{tail}");
        file.write_all(text.as_bytes()).map_err(err)?;
        file.sync_all().map_err(err)?;
        sync_dir(&target);
        Ok((
            ActionLogFile {
                path: target,
                head,
                tail,
                on_disk: text.clone(),
                newline: "\n",
            },
            text,
        ))
    }

    /// Appends one line (indented by two spaces) before the closing brace and syncs
    /// it to disk. Refused, with the file untouched: a line holding a line break, and
    /// a file that another program changed since it was opened or last appended to
    /// (its text is kept as that program left it).
    pub fn append(&mut self, line: &str) -> Result<(), String> {
        if line.contains(['\n', '\r']) {
            return Err("an action log line cannot hold a line break / 每次只记录一行".into());
        }
        let shown = self.path.display();
        let now = super::read_text(&self.path)
            .map_err(|e| format!("cannot append to the action log: {e}"))?;
        if now != self.on_disk {
            return Err(format!(
                "cannot append to the action log: {shown} was changed by another program since the drill opened it; start the drill again to resume from it / 行动记录已被其他程序修改"
            ));
        }
        let head = format!("{}  {line}{}", self.head, self.newline);
        let text = format!("{head}{}", self.tail);
        write_atomic(&self.path, text.as_bytes())
            .map_err(|e| format!("cannot append to the action log: {e}"))?;
        self.head = head;
        self.on_disk = text;
        Ok(())
    }
}

/// Where lines go in a log's text: `(head, tail)`, the text before the next line
/// (ending in a line break) and the closing brace with what follows it, such that
/// `head + tail` is `text` with at most line breaks, a closing brace or (for a text
/// of comments only) `header` added. `Err` holds the parser's diagnostics, rendered,
/// when no line can be added.
/// The text's line break: `\r\n` when its first line ends so, else `\n`.
fn line_break(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

fn layout(text: &str, header: &str, shown: &str) -> Result<(String, String), String> {
    let nl = line_break(text);
    let separator = |t: &str| {
        if t.is_empty() || t.ends_with('\n') {
            ""
        } else {
            nl
        }
    };
    let (tree, diags) = lang::parse::parse(text, 0);
    // (The parser refuses a blank text as an empty scenario; a blank log is new.)
    let blank = text.trim_start_matches('\u{FEFF}').trim().is_empty();
    let closing = tree.as_ref().map(|t| closing_brace(t, text));
    match closing {
        _ if blank => {}
        Some(Closing::At(brace)) => return Ok(split_at_brace(text, brace, nl)),
        Some(Closing::NoTokens) => {}
        Some(Closing::Other) => return Err(String::new()),
        None => {
            // A log whose last line is complete but whose brace is missing parses
            // once the brace is added after it.
            let head = format!("{text}{}", separator(text));
            let closed = format!("{head}}}{nl}");
            if let (Some(tree), _) = lang::parse::parse(&closed, 0)
                && let Closing::At(brace) = closing_brace(&tree, &closed)
                && brace == head.len()
            {
                return Ok((head, format!("}}{nl}")));
            }
            let mut sources = SourceMap::new();
            sources.add(shown, text);
            return Err(lang::diagnostic::render_with(&diags, &sources, false));
        }
    }
    Ok((
        format!("{text}{}{header}{nl}", separator(text)),
        format!("}}{nl}"),
    ))
}

/// What a parsed log's top level is, for adding a line.
enum Closing {
    /// `actions ID { ... }`: the byte offset of the block's closing brace.
    At(usize),
    /// Only comments and line breaks, or nothing.
    NoTokens,
    /// Something else: a scenario, or an `actions` line without a block.
    Other,
}

fn closing_brace(tree: &syntax::SyntaxFile<'_>, text: &str) -> Closing {
    let Some(first) = syntax::lines(&tree.nodes).into_iter().next() else {
        return Closing::NoTokens;
    };
    let starts_as_log = first
        .first()
        .and_then(|n| n.word())
        .is_some_and(|w| keywords::is(w, "actions"));
    match first.get(2).map(|n| (&n.kind, n.span.end as usize)) {
        Some((syntax::NodeKind::Block(_), end))
            if starts_as_log && end >= 1 && text.as_bytes().get(end - 1) == Some(&b'}') =>
        {
            Closing::At(end - 1)
        }
        _ => Closing::Other,
    }
}

/// Splits at the closing brace: at the start of its line when only spaces precede
/// it there, else right before it, with a line break added to the head.
fn split_at_brace(text: &str, brace: usize, nl: &str) -> (String, String) {
    let line_start = text[..brace].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..brace].trim().is_empty() {
        (
            text[..line_start].to_string(),
            text[line_start..].to_string(),
        )
    } else {
        (format!("{}{nl}", &text[..brace]), text[brace..].to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("drill-io-log-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Opens `before`, appends `20:30 b report`, and returns the file's text.
    fn appended(before: &str) -> Result<String, String> {
        static CASE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = CASE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = temp(&format!("case{n}"));
        let path = dir.join("log.actions.drill");
        fs::write(&path, before).unwrap();
        let result = ActionLogFile::open(&path, "actions x {").and_then(|(mut log, _)| {
            log.append("20:30 b report")?;
            super::super::read_text(&path)
        });
        fs::remove_dir_all(&dir).unwrap();
        result
    }

    #[test]
    fn action_log_appends_keep_the_block_closed_and_survive_reopening() {
        let dir = temp("reopen");
        let path = dir.join("drill.actions.drill");
        let (mut log, text) = ActionLogFile::open(&path, "actions x {").unwrap();
        assert_eq!(text, "actions x {\n}\n");
        log.append("20:07 a report").unwrap();
        assert_eq!(
            super::super::read_text(&path).unwrap(),
            "actions x {\n  20:07 a report\n}\n"
        );
        drop(log);
        let (mut log, text) = ActionLogFile::open(&path, "ignored {").unwrap();
        assert_eq!(text, "actions x {\n  20:07 a report\n}\n");
        log.append("20:08 b report").unwrap();
        assert_eq!(
            super::super::read_text(&path).unwrap(),
            "actions x {\n  20:07 a report\n  20:08 b report\n}\n"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Each `(before, after)`: the log `before`, opened and given `20:30 b report`,
    /// holds `after`.
    fn assert_appends(cases: &[(&str, &str)]) {
        for (before, after) in cases {
            assert_eq!(appended(before).as_deref(), Ok(*after), "{before:?}");
        }
    }

    /// Issue 19, item 2: a brace on the last action's line.
    #[test]
    fn a_brace_on_the_last_actions_line_gets_the_new_line_after_that_line() {
        assert_appends(&[
            (
                "actions x {\n  20:07 a report }\n",
                "actions x {\n  20:07 a report \n  20:30 b report\n}\n",
            ),
            (
                "\u{FEFF}actions x {\n  20:07 a report\n}",
                "\u{FEFF}actions x {\n  20:07 a report\n  20:30 b report\n}",
            ),
            ("actions x {}", "actions x {\n  20:30 b report\n}"),
        ]);
    }

    /// Issue 19, item 3: comments (and no final line break) after the brace stay.
    #[test]
    fn comments_after_the_brace_are_kept_after_it() {
        assert_appends(&[
            (
                "// 记录\nactions x {\n  20:07 a report\n}\n\n// 完 /* end */",
                "// 记录\nactions x {\n  20:07 a report\n  20:30 b report\n}\n\n// 完 /* end */",
            ),
            (
                "actions x {\r\n  20:07 a report\r\n  }  // end\r\n",
                "actions x {\r\n  20:07 a report\r\n  20:30 b report\r\n  }  // end\r\n",
            ),
        ]);
    }

    /// Issue 19, item 4: a complete last action without line break or brace is kept.
    #[test]
    fn a_last_action_without_line_break_or_brace_is_kept() {
        assert_appends(&[
            (
                "actions x {\n  20:07 a report",
                "actions x {\n  20:07 a report\n  20:30 b report\n}\n",
            ),
            (
                "actions x {\n  20:07 a report // 无括号",
                "actions x {\n  20:07 a report // 无括号\n  20:30 b report\n}\n",
            ),
        ]);
    }

    #[test]
    fn an_empty_or_comment_only_file_gets_the_header() {
        assert_appends(&[
            ("", "actions x {\n  20:30 b report\n}\n"),
            (
                "// 竹源村 2026",
                "// 竹源村 2026\nactions x {\n  20:30 b report\n}\n",
            ),
        ]);
    }

    /// What cannot be extended is refused before anything is written.
    #[test]
    fn what_cannot_be_extended_is_refused_and_left_alone() {
        for text in [
            "scenario \"演练\" {\n  id x\n}\n",
            "actions x {\n  20:07 a report /* cut",
            "actions x {\n  20:07 a \"cut",
            "actions x\n",
        ] {
            let dir = temp("refused");
            let path = dir.join("log.actions.drill");
            fs::write(&path, text).unwrap();
            let err = ActionLogFile::open(&path, "actions x {")
                .err()
                .unwrap_or_else(|| panic!("accepted {text:?}"));
            assert!(err.contains("a line can be added to"), "{err}");
            assert_eq!(fs::read_to_string(&path).unwrap(), text);
            fs::remove_dir_all(&dir).unwrap();
        }
        let dir = temp("folder");
        let err = ActionLogFile::open(&dir, "actions x {").err().unwrap();
        assert!(err.contains("not a regular file"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_log_changed_by_another_program_is_not_overwritten() {
        let dir = temp("changed");
        let path = dir.join("log.actions.drill");
        let (mut log, _) = ActionLogFile::open(&path, "actions x {").unwrap();
        fs::write(&path, "actions x {\n  20:07 typed elsewhere\n}\n").unwrap();
        let err = log.append("20:30 b report").unwrap_err();
        assert!(err.contains("changed by another program"), "{err}");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "actions x {\n  20:07 typed elsewhere\n}\n"
        );
        assert!(log.append("20:30 b\nreport").is_err());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_log_stays_a_symlink() {
        let dir = temp("symlink");
        let real = dir.join("real.actions.drill");
        fs::write(&real, "actions x {\n}\n").unwrap();
        let link = dir.join("log.actions.drill");
        std::os::unix::fs::symlink("real.actions.drill", &link).unwrap();
        let (mut log, _) = ActionLogFile::open(&link, "actions x {").unwrap();
        log.append("20:30 b report").unwrap();
        assert_eq!(
            fs::read_link(&link).unwrap(),
            Path::new("real.actions.drill")
        );
        let text = fs::read_to_string(&real).unwrap();
        assert_eq!(text, "actions x {\n  20:30 b report\n}\n");
        fs::remove_dir_all(&dir).unwrap();
    }
}
