//! Writing files so that a crash leaves the old text or the new one, never half:
//! a temporary sibling (`.NAME.tmp-PID`), flushed to the disk, renamed over the
//! target. A symlink is followed, so the file it names is replaced and the link
//! stays; a pipe or a device (`--events /dev/full`) is written directly, since a
//! rename would replace the node itself, and its write errors are reported.
//! Temporary files left by a killed process are removed by the next write of the
//! same target.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// How many symlinks a path may go through (Linux's own limit).
const MAX_SYMLINKS: usize = 40;

/// The path a write to `path` ends up at: `path` itself, or the file its symlinks
/// name in the end (which need not exist yet).
pub(crate) fn resolve_symlinks(path: &Path) -> Result<PathBuf, String> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_SYMLINKS {
        match fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&current)
                    .map_err(|e| format!("cannot read the link {}: {e}", current.display()))?;
                current = parent_of(&current).join(to);
            }
            _ => return Ok(current),
        }
    }
    Err(format!(
        "{}: too many levels of symbolic links",
        path.display()
    ))
}

/// The folder a path's file lives in (`.` for a bare file name).
pub(crate) fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes a file atomically: write a temporary sibling, flush it to disk, rename it
/// over the target. A crash leaves either the old file or the new one, never half.
/// Through a symlink the linked file is replaced; a pipe or device is written in
/// place (see the module's note). A replaced file keeps its permissions.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), String> {
    let shown = path.display();
    let target = resolve_symlinks(path)?;
    let existing = fs::metadata(&target).ok();
    if let Some(m) = &existing {
        if m.is_dir() {
            return Err(format!("cannot write {shown}: it is a folder"));
        }
        if !m.is_file() {
            return write_in_place(&target, contents)
                .map_err(|e| format!("cannot write {shown}: {e}"));
        }
    }
    let name = target
        .file_name()
        .ok_or_else(|| format!("{shown} is not a file path"))?
        .to_string_lossy()
        .into_owned();
    let dir = parent_of(&target);
    // `--events out/x/ev.json` before `out/x` exists: the folders are made, as
    // `--report out/x` makes its own.
    if existing.is_none() && !dir.exists() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    remove_stale_temporaries(dir, &name);
    let tmp = dir.join(temp_name(&name, std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(contents)?;
        if let Some(m) = &existing {
            file.set_permissions(m.permissions())?;
        }
        file.sync_all()?;
        fs::rename(&tmp, &target)
    })();
    match result {
        Ok(()) => {
            sync_dir(&target);
            Ok(())
        }
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(format!("cannot write {shown}: {e}"))
        }
    }
}

/// A pipe, a device or a socket: opened for writing and written; flushed to the
/// disk when that means anything (it does not for a pipe).
fn write_in_place(target: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).open(target)?;
    file.write_all(contents)?;
    file.flush()
}

/// `.NAME.tmp-PID`, the temporary file of a write of NAME by process PID.
fn temp_name(name: &str, pid: u32) -> String {
    format!(".{name}.tmp-{pid}")
}

/// Removes `.NAME.tmp-PID` files in `dir` whose process is gone (a write killed
/// between creating its temporary file and the rename). Best effort: a file that
/// cannot be listed or removed is left, and a process that cannot be looked up is
/// taken as alive unless its file is older than any write takes.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid, &entry.path()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` may still be writing `temp`: on Linux, whether it exists;
/// elsewhere, whether the file changed in the last ten minutes.
fn process_alive(pid: u32, temp: &Path) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    fs::metadata(temp)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age.as_secs() < 600)
}

/// Makes a new or renamed file's directory entry durable too (best effort: not every
/// platform lets a directory be opened for syncing).
pub(crate) fn sync_dir(path: &Path) {
    if let Ok(d) = fs::File::open(parent_of(path)) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("drill-io-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn atomic_write_replaces_contents_and_leaves_no_temp_file() {
        let dir = temp("plain");
        let path = dir.join("out.txt");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, "新内容".as_bytes()).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "新内容");
        assert_eq!(names(&dir), ["out.txt"]);
        assert!(write_atomic(&dir, b"x").unwrap_err().contains("folder"));
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Issue 20, item 7: `--events out/x/ev.json` failed while `out/x` did not exist.
    #[test]
    fn a_write_into_folders_not_made_yet_makes_them() {
        let dir = temp("folders");
        let path = dir.join("out/x/ev.json");
        write_atomic(&path, b"[]").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "[]");
        assert_eq!(names(&dir.join("out/x")), ["ev.json"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Issue 19, item 9: `drill fmt link.drill` replaced the link by a file.
    #[cfg(unix)]
    #[test]
    fn a_write_through_a_symlink_replaces_the_linked_file_and_keeps_the_link() {
        let dir = temp("symlink");
        fs::create_dir_all(dir.join("real")).unwrap();
        fs::write(dir.join("real/a.drill"), "old").unwrap();
        std::os::unix::fs::symlink("real/a.drill", dir.join("link.drill")).unwrap();
        std::os::unix::fs::symlink("link.drill", dir.join("link2.drill")).unwrap();
        write_atomic(&dir.join("link2.drill"), b"new").unwrap();
        assert!(
            fs::symlink_metadata(dir.join("link.drill"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(dir.join("real/a.drill")).unwrap(), "new");
        assert_eq!(names(&dir.join("real")), ["a.drill"]);
        // A dangling link: the file it names is created.
        std::os::unix::fs::symlink("real/b.drill", dir.join("new.drill")).unwrap();
        write_atomic(&dir.join("new.drill"), b"b").unwrap();
        assert_eq!(fs::read_to_string(dir.join("real/b.drill")).unwrap(), "b");
        std::os::unix::fs::symlink("loop", dir.join("loop")).unwrap();
        assert!(
            write_atomic(&dir.join("loop"), b"x")
                .unwrap_err()
                .contains("symbolic")
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Issue 19, item 9: `--events ev.fifo` replaced the pipe by a file.
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_written_not_replaced() {
        let dir = temp("fifo");
        let fifo = dir.join("ev.fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("mkfifo is not available: skipped");
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        write_atomic(&fifo, b"events").unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(reader.join().unwrap(), b"events");
        assert_eq!(names(&dir), ["ev.fifo"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Issue 19, item 9: `--events /dev/full` exited 0 (and, as root, replaced the
    /// device node by a file).
    #[cfg(target_os = "linux")]
    #[test]
    fn a_device_is_written_in_place_and_its_errors_reported() {
        use std::os::unix::fs::FileTypeExt;
        let full = Path::new("/dev/full");
        if !fs::metadata(full).is_ok_and(|m| m.file_type().is_char_device()) {
            return;
        }
        let err = write_atomic(full, b"events").unwrap_err();
        assert!(err.contains("/dev/full"), "{err}");
        assert!(fs::metadata(full).unwrap().file_type().is_char_device());
        write_atomic(Path::new("/dev/null"), b"events").unwrap();
    }

    /// Issue 19, item 10: `kill -9` mid-write left `.NAME.tmp-PID` files for good.
    #[test]
    fn temporaries_of_dead_processes_are_removed_by_the_next_write() {
        let dir = temp("stale");
        let path = dir.join("report.html");
        // No process has a PID this high (Linux caps them at 2^22).
        let dead = dir.join(temp_name("report.html", 4_000_000_001));
        fs::write(&dead, "half a report").unwrap();
        let other = dir.join(temp_name("other.html", 4_000_000_001));
        fs::write(&other, "another file's").unwrap();
        write_atomic(&path, b"report").unwrap();
        let expected: Vec<String> = if Path::new("/proc/self").exists() {
            vec![".other.html.tmp-4000000001".into(), "report.html".into()]
        } else {
            vec![
                ".other.html.tmp-4000000001".into(),
                ".report.html.tmp-4000000001".into(),
                "report.html".into(),
            ]
        };
        assert_eq!(names(&dir), expected);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp("perm");
        let path = dir.join("log.drill");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
