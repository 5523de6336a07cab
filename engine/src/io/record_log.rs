//! 评估记录 — an append-only file of one JSON record a line: the evaluators' (评估组)
//! observations and the participants' self-assessments (参演人员自评) that `drill
//! serve` collects beside the action log. Each record is written and synced
//! (`fsync`) before [`RecordLogFile::append`] returns; a last line cut off by a killed
//! process was never acknowledged, so opening the file drops it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An append-only file of one record a line, every line on disk once appended.
pub struct RecordLogFile {
    file: fs::File,
    path: PathBuf,
}

impl RecordLogFile {
    /// Opens `path` for appending, creating it (and its folder) when missing. Returns
    /// the file and the complete lines it holds; an unfinished last line is cut off.
    pub fn open(path: &Path) -> Result<(RecordLogFile, Vec<String>), String> {
        let shown = path.display();
        let mut lines = Vec::new();
        if path.exists() {
            let text = super::read_text(path)?;
            let complete = text.rfind('\n').map_or(0, |i| i + 1);
            if complete < text.len() {
                let f = fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| format!("cannot write {shown}: {e}"))?;
                f.set_len(complete as u64)
                    .and_then(|()| f.sync_all())
                    .map_err(|e| format!("cannot write {shown}: {e}"))?;
            }
            lines = text[..complete]
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect();
        } else {
            super::ensure_dir(super::write::parent_of(path))?;
        }
        let file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("cannot write {shown}: {e}"))?;
        super::sync_dir(super::write::parent_of(path));
        Ok((
            RecordLogFile {
                file,
                path: path.to_path_buf(),
            },
            lines,
        ))
    }

    /// Appends `line` (one line, no line break in it) and syncs it to the disk.
    pub fn append(&mut self, line: &str) -> Result<(), String> {
        debug_assert!(!line.contains('\n'));
        self.file
            .write_all(format!("{line}\n").as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unfinished_last_line_is_dropped_and_appends_follow_the_rest() {
        let dir = std::env::temp_dir().join(format!("drill-record-log-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = dir.join("x.jsonl");
        let (mut f, lines) = RecordLogFile::open(&path).unwrap();
        assert!(lines.is_empty());
        f.append("{\"a\":1}").unwrap();
        drop(f);
        fs::write(&path, "{\"a\":1}\n{\"b\":").unwrap();
        let (mut f, lines) = RecordLogFile::open(&path).unwrap();
        assert_eq!(lines, vec!["{\"a\":1}"]);
        f.append("{\"c\":3}").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "{\"a\":1}\n{\"c\":3}\n");
        let _ = fs::remove_dir_all(&dir);
    }
}
