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

/// The include loader for `lang::check`: reads the (already resolved) path as
/// UTF-8 text. Paths are `/`-separated as the language writes them.
/// Its errors leave the path out: the diagnostic already names the include as written,
/// and an absolute path would differ from machine to machine.
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
/// [`crate::hazard::raster`] stays pure.
pub fn load_terrain(
    terrain: &crate::model::Terrain,
    scenario_dir: &Path,
) -> Result<crate::hazard::raster::Raster, String> {
    use crate::model::TerrainSource;
    let text = match &terrain.source {
        TerrainSource::Grid { .. } => None,
        TerrainSource::File { path, .. } => Some(read_text(&scenario_dir.join(path))?),
    };
    crate::hazard::raster::Raster::from_terrain(terrain, text.as_deref())
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
        };
        assert!(
            load_terrain(&missing, &dir)
                .unwrap_err()
                .contains("cannot read")
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
