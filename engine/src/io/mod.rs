//! The only module that reads and writes files. Everything else in the engine is a
//! pure function of its inputs, so it can be tested without touching the disk.
//! Reading is here; `write` holds the atomic writes, `action_log` the live drill's
//! action log, `record_log` the evaluators' records, `decode` the encodings a scenario
//! may be saved in, `gis` the files `drill import` reads, `basemap` what lays a
//! basemap image on the map.

mod action_log;
mod basemap;
mod decode;
mod gis;
mod record_log;
mod write;

pub use action_log::ActionLogFile;
pub use basemap::{PlacedBasemap, WorldFile, load_basemap};
pub use decode::{Decoded, decode};
pub use gis::read_import_input;
pub use record_log::RecordLogFile;
use write::sync_dir;
pub use write::write_atomic;

use crate::limits::{MAX_HEIGHTMAP_BYTES, MAX_TEXT_BYTES};
use std::fs;
use std::io::Read;
use std::path::Path;

/// The bytes of a file, refused past `limit` (a text read from `/dev/zero` or a
/// multi-gigabyte file by mistake is stopped there, not read into memory whole).
fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let file = fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB, more than any scenario or log holds / 文件过大",
            limit >> 20
        )));
    }
    Ok(bytes)
}

/// Reads a text file, refusing anything that is not UTF-8 with a message a trainer
/// can act on, and anything over [`MAX_TEXT_BYTES`].
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_limited(path, MAX_TEXT_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text (invalid byte at offset {}); save it as UTF-8 / 请将文件另存为 UTF-8 编码",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Reads a scenario (or action log) as its author's editor saved it: UTF-8, UTF-16
/// with a byte-order mark or GB18030/GBK (see `decode.rs` for the rule), refusing
/// anything over [`MAX_TEXT_BYTES`]. A stray byte that is not UTF-8 is read as
/// U+FFFD, which the checker reports where it stands (E0109).
pub fn read_decoded(path: &Path) -> Result<Decoded, String> {
    let bytes = read_limited(path, MAX_TEXT_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(decode(bytes))
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

/// Creates a folder (and its parents) if it does not exist yet.
pub fn ensure_dir(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// The include loader for `lang::check`: reads the (already resolved) path as a
/// scenario text, in any encoding [`read_decoded`] knows (an included file's encoding
/// is not reported; its stray bytes are, as E0109). Paths are `/`-separated as the
/// language writes them. Its errors leave the path out: the diagnostic already names
/// the file as written, and an absolute path would differ from machine to machine.
pub fn include_loader(path: &str) -> Result<String, String> {
    let bytes = read_limited(Path::new(path), MAX_TEXT_BYTES).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file / 文件不存在".to_string(),
        _ => e.to_string(),
    })?;
    Ok(decode(bytes).text)
}

/// A heightmap file's UTF-8 text, refused past `limit`.
/// Whether a heightmap path names a GeoTIFF (`.tif`, `.tiff`, any case).
pub fn is_geotiff_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".tif") || lower.ends_with(".tiff")
}

/// Reads a binary file whole (a GeoTIFF, a Shapefile, an OSM extract), refusing one
/// over `limit` bytes; a missing file is said in both languages.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    read_limited(path, limit).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file / 文件不存在".to_string(),
        _ => e.to_string(),
    })
}

fn read_source(path: &str, limit: u64) -> Result<String, String> {
    let bytes = read_limited(Path::new(path), limit).map_err(|e| match e.kind() {
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

/// The include loader of the command line: [`include_loader`], with files told
/// apart by their canonical paths, so that `./a.drill`, `../x/a.drill` or a symlink
/// naming the including file is seen as the cycle it is (E0151).
pub struct Includes;

impl crate::lang::IncludeLoader for Includes {
    fn load(&self, path: &str) -> Result<String, String> {
        include_loader(path)
    }
    fn identity(&self, path: &str) -> String {
        canonical(Path::new(path)).map_or_else(
            || crate::lang::normalise_path(path),
            |p| p.to_string_lossy().into_owned(),
        )
    }
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
    if let TerrainSource::File { path, vertical_m } = &terrain.source
        && is_geotiff_path(path)
    {
        let origin = terrain.georef.ok_or_else(|| {
            format!("{path}: a GeoTIFF is laid on the map by its coordinates, so the map needs `origin (longitude, latitude)`")
        })?;
        let bytes = read_bytes(&scenario_dir.join(path), MAX_HEIGHTMAP_BYTES)
            .map_err(|e| format!("{path}: {e}"))?;
        return crate::geo::dem::read_geotiff(&bytes)
            .and_then(|tif| tif.to_map(origin, terrain.cell_m, *vertical_m))
            .map_err(|e| format!("{path}: {e}"));
    }
    let text = match &terrain.source {
        TerrainSource::Grid { .. } => None,
        TerrainSource::File { path, .. } => Some(
            read_source(
                &scenario_dir.join(path).to_string_lossy(),
                MAX_HEIGHTMAP_BYTES,
            )
            .map_err(|e| format!("{path}: {e}"))?,
        ),
    };
    crate::hazard::raster::Raster::from_terrain(terrain, text.as_deref())
}

/// The terrain the hazard models of the scenario in `scenario_file` run on: its
/// heightmap file or inline grid read by [`load_terrain`], or `None` when the map has
/// no terrain. `drill run`, `drill batch` and `drill exercise` all read it here, so they
/// give [`crate::sim::setup::build_run`] the same raster.
pub fn scenario_terrain(
    scenario: &crate::model::Scenario,
    scenario_file: &Path,
) -> Result<Option<crate::hazard::raster::Raster>, String> {
    let Some(terrain) = &scenario.map.terrain else {
        return Ok(None);
    };
    let dir = scenario_file.parent().unwrap_or(Path::new("."));
    load_terrain(terrain, dir)
        .map(Some)
        .map_err(|e| format!("terrain: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19, item 7: `include "/dev/zero"` read 13 GB in a minute.
    #[cfg(unix)]
    #[test]
    fn an_endless_file_is_refused_at_the_size_limit() {
        let err = include_loader("/dev/zero").unwrap_err();
        assert!(err.contains("larger than 64 MiB"), "{err}");
        let err = read_text(Path::new("/dev/zero")).unwrap_err();
        assert!(
            err.contains("/dev/zero") && err.contains("larger than"),
            "{err}"
        );
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
            georef: None,
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
            georef: None,
        };
        assert_eq!(
            load_terrain(&missing, &dir).unwrap_err(),
            "maps/none.asc: no such file / 文件不存在"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
