//! The files `drill import` reads: one input (GeoJSON, OpenStreetMap XML or PBF, or a
//! Shapefile with the `.dbf`, `.cpg` and `.prj` beside its `.shp`, in either case of
//! extension) as bytes, handed to the pure readers of [`crate::import`].

use super::read_bytes;
use crate::geo::Datum;
use crate::import::{self, Feature, Format, ShapefileBytes};
use std::path::{Path, PathBuf};

/// Largest GIS input read: 2 GiB (a province's OpenStreetMap extract is larger; clip
/// it to the county first).
const MAX_GIS_BYTES: u64 = 2 << 30;

/// The sibling of a `.shp` with another extension, lower or upper case, if it exists.
fn sibling(shp: &Path, ext: &str) -> Option<PathBuf> {
    [ext.to_ascii_lowercase(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| shp.with_extension(e))
        .find(|p| p.is_file())
}

/// Reads one import input's features, in WGS 84 after `datum`.
pub fn read_import_input(path: &Path, datum: Datum) -> Result<Vec<Feature>, String> {
    let shown = path.display();
    let format = Format::of_path(&path.to_string_lossy()).ok_or_else(|| {
        format!("{shown}: unknown format; give a .geojson/.json, .shp, .osm or .osm.pbf file")
    })?;
    let bytes = read_bytes(path, MAX_GIS_BYTES).map_err(|e| format!("{shown}: {e}"))?;
    if format != Format::Shapefile {
        return import::read_input(format, &bytes, None, datum)
            .map_err(|e| format!("{shown}: {e}"));
    }
    let text = |ext: &str| -> Result<Option<String>, String> {
        sibling(path, ext)
            .map(|p| read_bytes(&p, 1 << 20).map(|b| String::from_utf8_lossy(&b).into_owned()))
            .transpose()
            .map_err(|e| format!("{shown}: .{ext}: {e}"))
    };
    let parts = ShapefileBytes {
        dbf: sibling(path, "dbf")
            .map(|p| read_bytes(&p, MAX_GIS_BYTES))
            .transpose()
            .map_err(|e| format!("{shown}: .dbf: {e}"))?,
        cpg: text("cpg")?,
        prj: text("prj")?,
        shp: bytes,
    };
    import::read_input(format, &[], Some(&parts), datum).map_err(|e| format!("{shown}: {e}"))
}
