//! Crash recovery: the editor writes the unsaved text to a hidden sibling file every
//! few seconds, and offers it back when the same file is opened again.
//!
//! The decisions (where the file lives, when a write is due, whether to offer the
//! recovered text) are pure functions here; the writing itself goes through the
//! engine's atomic `io::write_atomic`, so a crash mid-write never leaves half a file.

use std::path::{Path, PathBuf};

/// How often unsaved text is written to the recovery file, seconds.
pub const DEFAULT_INTERVAL_S: f64 = 3.0;

/// `dir/.name.recovery` next to the scenario; `./.untitled.drill.recovery` for a new
/// document without a path.
pub fn recovery_path(file: Option<&Path>) -> PathBuf {
    match file {
        Some(file) => {
            let dir = file
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = file
                .file_name()
                .map_or_else(|| "untitled.drill".into(), |n| n.to_string_lossy());
            dir.join(format!(".{name}.recovery"))
        }
        None => PathBuf::from(".untitled.drill.recovery"),
    }
}

/// The recovered text worth offering: present and different from what is on disk.
pub fn worth_offering(saved: &str, recovered: Option<String>) -> Option<String> {
    recovered.filter(|r| r != saved)
}

/// Decides when to write the recovery file: at most once per interval, only when the
/// text differs from both the saved file and the last recovery write.
#[derive(Debug, Clone)]
pub struct Autosave {
    pub interval_s: f64,
    last_write_s: f64,
    last_written: Option<String>,
}

impl Autosave {
    pub fn new(interval_s: f64) -> Self {
        Autosave {
            interval_s,
            last_write_s: f64::NEG_INFINITY,
            last_written: None,
        }
    }

    /// Returns true (and remembers the text) when a recovery write is due at `now_s`.
    pub fn due(&mut self, now_s: f64, text: &str, saved: &str) -> bool {
        if now_s - self.last_write_s < self.interval_s {
            return false;
        }
        if text == saved || self.last_written.as_deref() == Some(text) {
            return false;
        }
        self.last_write_s = now_s;
        self.last_written = Some(text.to_owned());
        true
    }

    /// After a save the recovery file is removed; forget what it held.
    pub fn reset(&mut self) {
        self.last_written = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_file_is_a_hidden_sibling() {
        assert_eq!(
            recovery_path(Some(Path::new("scenarios/竹源村.drill"))),
            PathBuf::from("scenarios/.竹源村.drill.recovery")
        );
        assert_eq!(
            recovery_path(Some(Path::new("a.drill"))),
            PathBuf::from("./.a.drill.recovery")
        );
        assert_eq!(
            recovery_path(None),
            PathBuf::from(".untitled.drill.recovery")
        );
    }

    #[test]
    fn only_differing_recovered_text_is_offered() {
        assert_eq!(worth_offering("abc", Some("abc".into())), None);
        assert_eq!(worth_offering("abc", None), None);
        assert_eq!(
            worth_offering("abc", Some("abcd".into())).as_deref(),
            Some("abcd")
        );
    }

    #[test]
    fn autosave_waits_for_the_interval_and_skips_unchanged_text() {
        let mut a = Autosave::new(3.0);
        assert!(!a.due(0.0, "saved", "saved"), "nothing unsaved");
        assert!(a.due(0.5, "edit", "saved"));
        assert!(!a.due(1.0, "edit 2", "saved"), "within the interval");
        assert!(a.due(3.6, "edit 2", "saved"));
        assert!(!a.due(10.0, "edit 2", "saved"), "already written");
        a.reset();
        assert!(
            a.due(20.0, "edit 2", "saved"),
            "written again after a save cleared it"
        );
    }
}
