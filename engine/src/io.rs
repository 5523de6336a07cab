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

/// The files in `dir` with the given extension, sorted by name (so callers that pick
/// the first match are deterministic).
pub fn list_files(dir: &Path, extension: &str) -> Result<Vec<std::path::PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == extension))
        .collect();
    files.sort();
    Ok(files)
}

/// The files under `dir` (and its subfolders) with the given extension, sorted.
pub fn list_files_recursive(
    dir: &Path,
    extension: &str,
) -> Result<Vec<std::path::PathBuf>, String> {
    let mut out = list_files(dir, extension)?;
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut dirs: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for sub in dirs {
        out.extend(list_files_recursive(&sub, extension)?);
    }
    Ok(out)
}

/// The canonical absolute form of an existing path (to tell whether two spellings
/// name the same file), or `None` if it does not exist.
pub fn canonical(path: &Path) -> Option<std::path::PathBuf> {
    fs::canonicalize(path).ok()
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

/// Creates a folder (and its parents) if it does not exist yet.
pub fn ensure_dir(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// The include loader for `lang::check` (and the reader of heightmap files): reads the
/// (already resolved) path as UTF-8 text. Paths are `/`-separated as the language
/// writes them. Its errors leave the path out: the diagnostic already names the file
/// as written, and an absolute path would differ from machine to machine.
pub fn include_loader(path: &str) -> Result<String, String> {
    let bytes = fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file / 文件不存在".to_string(),
        _ => e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {}); save it as UTF-8 / 请将文件另存为 UTF-8 编码",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Loads a scenario's terrain as a hazard raster. An inline grid needs no file; a
/// heightmap path is resolved against the scenario's folder and read here, so
/// [`crate::hazard::raster`] stays pure. Errors name the file as the scenario writes
/// it (`maps/dem.asc: no such file`), not the joined path, which differs from machine
/// to machine.
pub fn load_terrain(
    terrain: &crate::model::Terrain,
    scenario_dir: &Path,
) -> Result<crate::hazard::raster::Raster, String> {
    use crate::model::TerrainSource;
    let text = match &terrain.source {
        TerrainSource::Grid { .. } => None,
        TerrainSource::File { path, .. } => Some(
            include_loader(&scenario_dir.join(path).to_string_lossy())
                .map_err(|e| format!("{path}: {e}"))?,
        ),
    };
    crate::hazard::raster::Raster::from_terrain(terrain, text.as_deref())
}

/// 行动记录 — a recorder's action log kept on disk as it grows: every line is written
/// and flushed to the disk (`fsync`) before the call returns, so a crash or a killed
/// process loses nothing that was acknowledged. The file is always a complete
/// `actions ID { ... }` block: each append overwrites the closing brace with the new
/// line and writes the brace again after it.
pub struct ActionLogFile {
    file: fs::File,
    /// Byte offset of the closing `}`: where the next line goes.
    body_end: u64,
}

impl ActionLogFile {
    /// Opens `path` for appending, creating it with `header` (`actions ID {`) when it
    /// does not exist. Returns the file and its text as it now stands on disk. A log
    /// cut short (a power loss mid-line, the brace missing) is repaired: a last
    /// partial line is dropped and the brace written back.
    pub fn open(path: &Path, header: &str) -> Result<(ActionLogFile, String), String> {
        use std::io::{Seek, SeekFrom};
        let err = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        if !path.exists() {
            let mut file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(err)?;
            let text = format!("{header}\n}}\n");
            file.write_all(text.as_bytes()).map_err(err)?;
            file.sync_all().map_err(err)?;
            sync_dir(path);
            let body_end = (header.len() + 1) as u64;
            return Ok((ActionLogFile { file, body_end }, text));
        }
        let text = read_text(path)?;
        let trimmed = text.trim_end();
        let (body_end, repaired) = match trimmed.strip_suffix('}') {
            Some(body) => (body.len(), None),
            None => {
                let end = text.rfind('\n').map_or(0, |i| i + 1);
                (end, Some(format!("{}}}\n", &text[..end])))
            }
        };
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(err)?;
        let text = match repaired {
            Some(fixed) => {
                file.set_len(body_end as u64).map_err(err)?;
                file.seek(SeekFrom::Start(body_end as u64)).map_err(err)?;
                file.write_all(b"}\n").map_err(err)?;
                file.sync_all().map_err(err)?;
                fixed
            }
            None => text,
        };
        Ok((
            ActionLogFile {
                file,
                body_end: body_end as u64,
            },
            text,
        ))
    }

    /// Appends one line (without indentation or line break) and syncs it to disk.
    pub fn append(&mut self, line: &str) -> Result<(), String> {
        use std::io::{Seek, SeekFrom};
        let tail = format!("  {line}\n}}\n");
        let result = (|| {
            self.file.seek(SeekFrom::Start(self.body_end))?;
            self.file.write_all(tail.as_bytes())?;
            let new_body_end = self.body_end + (tail.len() - 2) as u64;
            self.file.set_len(new_body_end + 2)?;
            self.file.sync_data()?;
            self.body_end = new_body_end;
            Ok::<(), std::io::Error>(())
        })();
        result.map_err(|e| format!("cannot append to the action log: {e}"))
    }
}

/// Makes a new file's directory entry durable too (best effort: not every platform
/// lets a directory be opened for syncing).
fn sync_dir(path: &Path) {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
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

    #[test]
    fn terrain_heightmap_is_read_relative_to_the_scenario_and_scaled() {
        use crate::model::{Terrain, TerrainSource};
        let dir = std::env::temp_dir().join(format!("drill-io-test-dem-{}", std::process::id()));
        fs::create_dir_all(dir.join("maps")).unwrap();
        fs::write(
            dir.join("maps/dem.asc"),
            "ncols 2\nnrows 1\ncellsize 10\nNODATA_value -9999\n100 -9999\n",
        )
        .unwrap();
        let terrain = Terrain {
            source: TerrainSource::File {
                path: "maps/dem.asc".into(),
                vertical_m: 0.5,
            },
            cell_m: 10.0,
            span: crate::model::Span::default(),
        };
        let raster = load_terrain(&terrain, &dir).unwrap();
        assert_eq!(raster.elevation_m[0], 50.0);
        assert!(raster.elevation_m[1].is_nan());
        let missing = Terrain {
            source: TerrainSource::File {
                path: "maps/none.asc".into(),
                vertical_m: 1.0,
            },
            cell_m: 10.0,
            span: crate::model::Span::default(),
        };
        assert_eq!(
            load_terrain(&missing, &dir).unwrap_err(),
            "maps/none.asc: no such file / 文件不存在"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn action_log_appends_keep_the_block_closed_and_survive_reopening() {
        let dir = std::env::temp_dir().join(format!("drill-io-test-log-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("drill.actions.drill");
        let _ = fs::remove_file(&path);
        let (mut log, text) = ActionLogFile::open(&path, "actions x {").unwrap();
        assert_eq!(text, "actions x {\n}\n");
        log.append("20:07 a report").unwrap();
        assert_eq!(
            read_text(&path).unwrap(),
            "actions x {\n  20:07 a report\n}\n"
        );
        drop(log);
        let (mut log, text) = ActionLogFile::open(&path, "ignored {").unwrap();
        assert_eq!(text, "actions x {\n  20:07 a report\n}\n");
        log.append("20:08 b report").unwrap();
        assert_eq!(
            read_text(&path).unwrap(),
            "actions x {\n  20:07 a report\n  20:08 b report\n}\n"
        );
        // Cut off mid-line (a power loss): the partial line goes, the brace comes back.
        fs::write(&path, "actions x {\n  20:07 a report\n  20:0").unwrap();
        let (mut log, text) = ActionLogFile::open(&path, "actions x {").unwrap();
        assert_eq!(text, "actions x {\n  20:07 a report\n}\n");
        log.append("20:09 c report").unwrap();
        assert_eq!(
            read_text(&path).unwrap(),
            "actions x {\n  20:07 a report\n  20:09 c report\n}\n"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
