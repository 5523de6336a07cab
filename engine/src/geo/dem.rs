//! 数字高程模型 — a GeoTIFF DEM (SRTM, ASTER GDEM, a county survey's) read from bytes
//! with the pure-Rust `tiff` crate and resampled onto the map: `terrain "dem.tif"` in a
//! map that has an `origin`. Elevations may be float32/float64 or 8/16/32-bit integers;
//! the georeference comes from the GeoTIFF tags (ModelPixelScale + ModelTiepoint, or
//! ModelTransformation without rotation) and the GeoKeys (geographic lon/lat or a
//! projected system [`Crs::from_epsg`] knows, or a user-defined transverse Mercator).
//! No-data is GDAL's nodata tag, and −32768 in 16-bit integer files (SRTM voids).
//! The result is a [`Raster`] of the map's cell size whose north-west corner is the
//! map origin, as for an ESRI ASCII heightmap, covering as far east and south as the
//! DEM reaches; its cells are sampled bilinearly at their centres, a void's weight
//! shared among the valid pixels of the four.

use super::{Crs, LocalFrame};
use crate::hazard::raster::{Raster, check_elevations};
use crate::model::{Georef, Point};
use std::io::Cursor;
use tiff::decoder::{Decoder, DecodingResult};
use tiff::tags::Tag;

/// A decoded GeoTIFF: elevations (stored units, `NaN` for no data) and where the
/// north-west corner of pixel (0, 0) lies in its coordinate system.
#[derive(Debug, Clone)]
pub struct GeoTiff {
    pub cols: usize,
    pub rows: usize,
    pub values: Vec<f64>,
    pub crs: Crs,
    /// Model coordinates of the north-west corner of pixel (0, 0).
    pub x0: f64,
    pub y0: f64,
    /// Pixel size in model units, east and south (both positive for a north-up image).
    pub dx: f64,
    pub dy: f64,
}

// GeoKey ids (GeoTIFF 1.1, OGC 19-008r4).
const GT_MODEL_TYPE: u16 = 1024;
const GT_RASTER_TYPE: u16 = 1025;
const GEOGRAPHIC_TYPE: u16 = 2048;
const PROJECTED_CS_TYPE: u16 = 3072;
const PROJ_COORD_TRANS: u16 = 3075;
const PROJ_NAT_ORIGIN_LONG: u16 = 3080;
const PROJ_NAT_ORIGIN_LAT: u16 = 3081;
const PROJ_FALSE_EASTING: u16 = 3082;
const PROJ_FALSE_NORTHING: u16 = 3083;
const PROJ_SCALE_AT_NAT_ORIGIN: u16 = 3092;
const USER_DEFINED: u32 = 32767;

/// The GeoKeys of a GeoKeyDirectory: short values, and doubles from GeoDoubleParams.
struct GeoKeys {
    shorts: Vec<(u16, u32)>,
    doubles: Vec<(u16, f64)>,
}

impl GeoKeys {
    fn read(dir: &[u16], doubles: &[f64]) -> Result<GeoKeys, String> {
        if dir.len() < 4 {
            return Err("its GeoKeyDirectory is truncated".into());
        }
        let n = usize::from(dir[3]);
        let mut keys = GeoKeys {
            shorts: Vec::new(),
            doubles: Vec::new(),
        };
        for k in 0..n {
            let Some(e) = dir.get(4 + 4 * k..8 + 4 * k) else {
                return Err("its GeoKeyDirectory is truncated".into());
            };
            match e[1] {
                0 => keys.shorts.push((e[0], u32::from(e[3]))),
                34736 => {
                    if let Some(v) = doubles.get(usize::from(e[3])) {
                        keys.doubles.push((e[0], *v));
                    }
                }
                _ => {} // ASCII citations: names only
            }
        }
        Ok(keys)
    }
    fn short(&self, id: u16) -> Option<u32> {
        self.shorts.iter().find(|(k, _)| *k == id).map(|(_, v)| *v)
    }
    fn double(&self, id: u16) -> Option<f64> {
        self.doubles.iter().find(|(k, _)| *k == id).map(|(_, v)| *v)
    }

    fn crs(&self) -> Result<Crs, String> {
        match self.short(GT_MODEL_TYPE) {
            Some(2) => match self.short(GEOGRAPHIC_TYPE) {
                None | Some(USER_DEFINED) => Ok(Crs::Geographic),
                Some(code) => match Crs::from_epsg(code) {
                    Some(c @ Crs::Geographic) => Ok(c),
                    _ => Err(format!("its geographic system EPSG:{code} is not WGS 84 or CGCS2000; reproject the DEM to EPSG:4326 or EPSG:4490")),
                },
            },
            Some(1) => match self.short(PROJECTED_CS_TYPE) {
                Some(USER_DEFINED) | None => {
                    if self.short(PROJ_COORD_TRANS) != Some(1) {
                        return Err("its user-defined projection is not a transverse Mercator; reproject the DEM to UTM, CGCS2000 Gauss–Krüger or lon/lat".into());
                    }
                    Ok(Crs::transverse_mercator(
                        self.double(PROJ_NAT_ORIGIN_LONG).unwrap_or(0.0),
                        self.double(PROJ_NAT_ORIGIN_LAT).unwrap_or(0.0),
                        self.double(PROJ_SCALE_AT_NAT_ORIGIN).unwrap_or(1.0),
                        self.double(PROJ_FALSE_EASTING).unwrap_or(0.0),
                        self.double(PROJ_FALSE_NORTHING).unwrap_or(0.0),
                    ))
                }
                Some(code) => Crs::from_epsg(code).ok_or_else(|| format!("its projection EPSG:{code} is not one this engine reads (UTM, CGCS2000 Gauss–Krüger EPSG:4491–4554, Web Mercator); reproject the DEM")),
            },
            Some(3) => Err("it is in geocentric coordinates; reproject the DEM to lon/lat or UTM".into()),
            _ => Err("it has no GeoKeys (GTModelTypeGeoKey): it is a plain TIFF, not a GeoTIFF; export the DEM as GeoTIFF".into()),
        }
    }
}

fn tiff_err(e: tiff::TiffError) -> String {
    format!("not a readable TIFF ({e})")
}

/// Decodes a GeoTIFF DEM from its bytes: the first image, one band.
pub fn read_geotiff(bytes: &[u8]) -> Result<GeoTiff, String> {
    let mut dec = Decoder::new(Cursor::new(bytes)).map_err(tiff_err)?;
    let (w, h) = dec.dimensions().map_err(tiff_err)?;
    let (cols, rows) = (w as usize, h as usize);
    if cols < 2 || rows < 2 {
        return Err(format!(
            "it is {cols}×{rows} pixels; a DEM needs at least 2×2"
        ));
    }
    if cols.saturating_mul(rows) > 4 * crate::limits::MAX_TERRAIN_CELLS {
        return Err(format!(
            "it is {cols}×{rows} pixels, more than this engine reads; clip it to the area of the drill"
        ));
    }
    let dir = dec
        .find_tag_unsigned_vec::<u16>(Tag::GeoKeyDirectoryTag)
        .map_err(tiff_err)?
        .ok_or("it has no GeoKeys: it is a plain TIFF, not a GeoTIFF; export the DEM as GeoTIFF")?;
    let doubles = match dec.find_tag(Tag::GeoDoubleParamsTag).map_err(tiff_err)? {
        Some(v) => v.into_f64_vec().map_err(tiff_err)?,
        None => Vec::new(),
    };
    let keys = GeoKeys::read(&dir, &doubles)?;
    let crs = keys.crs()?;
    let scale = match dec.find_tag(Tag::ModelPixelScaleTag).map_err(tiff_err)? {
        Some(v) => Some(v.into_f64_vec().map_err(tiff_err)?),
        None => None,
    };
    let tie = match dec.find_tag(Tag::ModelTiepointTag).map_err(tiff_err)? {
        Some(v) => Some(v.into_f64_vec().map_err(tiff_err)?),
        None => None,
    };
    let (mut x0, mut y0, dx, dy) = match (scale, tie) {
        (Some(s), Some(t)) if s.len() >= 2 && t.len() >= 6 => {
            // Tie point (i, j) ↔ (x, y): the corner of pixel (0, 0) is that minus i, j pixels.
            (t[3] - t[0] * s[0], t[4] + t[1] * s[1], s[0], s[1])
        }
        _ => match dec
            .find_tag(Tag::ModelTransformationTag)
            .map_err(tiff_err)?
        {
            Some(v) => {
                let m = v.into_f64_vec().map_err(tiff_err)?;
                if m.len() < 8 || m[1] != 0.0 || m[4] != 0.0 {
                    return Err(
                        "its ModelTransformation is rotated or sheared; warp it north-up first"
                            .into(),
                    );
                }
                (m[3], m[7], m[0], -m[5])
            }
            None => {
                return Err(
                    "it has no ModelTiepoint/ModelPixelScale: its position is unknown".into(),
                );
            }
        },
    };
    if !(dx.is_finite() && dy.is_finite() && dx > 0.0 && dy > 0.0) {
        return Err(format!("its pixel size ({dx}, {dy}) is not positive"));
    }
    if keys.short(GT_RASTER_TYPE) == Some(2) {
        // PixelIsPoint: the tie point is the pixel's centre.
        x0 -= dx / 2.0;
        y0 += dy / 2.0;
    }
    let nodata: Option<f64> = match dec.find_tag(Tag::GdalNodata).map_err(tiff_err)? {
        Some(v) => v
            .into_string()
            .ok()
            .and_then(|s| s.trim_matches(char::from(0)).trim().parse().ok()),
        None => None,
    };
    let image = dec.read_image().map_err(tiff_err)?;
    let mut int16 = false;
    let values: Vec<f64> = match image {
        DecodingResult::F32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::F64(v) => v,
        DecodingResult::I16(v) => {
            int16 = true;
            v.into_iter().map(f64::from).collect()
        }
        DecodingResult::U16(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U8(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I8(v) => v.into_iter().map(f64::from).collect(),
        _ => return Err("its samples are neither integers nor float32/float64".into()),
    };
    if values.len() != cols * rows {
        return Err(format!(
            "it has {} values for {cols}×{rows} pixels: more than one band? export the elevation band alone",
            values.len()
        ));
    }
    let values = values
        .into_iter()
        .map(|z| {
            let void =
                nodata.is_some_and(|nd| z == nd) || (int16 && z == -32768.0) || !z.is_finite();
            if void { f64::NAN } else { z }
        })
        .collect();
    Ok(GeoTiff {
        cols,
        rows,
        values,
        crs,
        x0,
        y0,
        dx,
        dy,
    })
}

impl GeoTiff {
    /// The stored value at fractional pixel position (`c`, `r`), pixel centres at
    /// integer + 0.5: bilinear over the four around it, the valid ones reweighted
    /// where some are no-data; `NaN` off the image or with none valid.
    fn sample(&self, c: f64, r: f64) -> f64 {
        let (fc, fr) = (c - 0.5, r - 0.5);
        if fc < -0.5 || fr < -0.5 || fc > self.cols as f64 - 0.5 || fr > self.rows as f64 - 0.5 {
            return f64::NAN;
        }
        let c0 = fc.floor().clamp(0.0, (self.cols - 2) as f64) as usize;
        let r0 = fr.floor().clamp(0.0, (self.rows - 2) as f64) as usize;
        let tx = (fc - c0 as f64).clamp(0.0, 1.0);
        let ty = (fr - r0 as f64).clamp(0.0, 1.0);
        let (mut sum, mut wsum) = (0.0, 0.0);
        let (mut any, mut count) = (0.0, 0.0);
        for (dr, dc, w) in [
            (0, 0, (1.0 - tx) * (1.0 - ty)),
            (0, 1, tx * (1.0 - ty)),
            (1, 0, (1.0 - tx) * ty),
            (1, 1, tx * ty),
        ] {
            let z = self.values[(r0 + dr) * self.cols + c0 + dc];
            if !z.is_nan() {
                any += z;
                count += 1.0;
                if w > 0.0 {
                    sum += z * w;
                    wsum += w;
                }
            }
        }
        // Where the pixels that carry weight are all voids, the mean of the valid
        // ones of the four (a void at the DEM's edge or corner).
        if wsum > 0.0 {
            sum / wsum
        } else if count > 0.0 {
            any / count
        } else {
            f64::NAN
        }
    }

    /// Lays the DEM on the map of `origin`: a raster of `cell_m` cells from the map
    /// origin east and south as far as the DEM reaches, elevations × `vertical_m`.
    pub fn to_map(&self, origin: Georef, cell_m: f64, vertical_m: f64) -> Result<Raster, String> {
        let frame = LocalFrame::new(origin);
        // The DEM's footprint on the map: its edges, sampled every few pixels.
        let (mut max_x, mut max_y) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        let mut edge = |i: f64, j: f64| {
            let (lon, lat) = self
                .crs
                .to_lonlat(self.x0 + i * self.dx, self.y0 - j * self.dy);
            let p = frame.to_map(lon, lat);
            max_x = max_x.max(p.x);
            max_y = max_y.max(p.y);
        };
        let (w, h) = (self.cols as f64, self.rows as f64);
        for k in 0..=16 {
            let t = f64::from(k) / 16.0;
            edge(t * w, 0.0);
            edge(t * w, h);
            edge(0.0, t * h);
            edge(w, t * h);
        }
        if !(max_x > cell_m && max_y > cell_m) {
            return Err("the DEM lies wholly west or north of the map's origin; the terrain covers the map from its origin east and south, so put `origin` at the north-west corner of the area".into());
        }
        let cols = (max_x / cell_m).floor() as usize;
        let rows = (max_y / cell_m).floor() as usize;
        if cols.saturating_mul(rows) > crate::limits::MAX_TERRAIN_CELLS {
            return Err(format!(
                "laid on the map at {cell_m} m cells it would be {cols}×{rows} cells, more than {}; clip the DEM to the drill's area or use a larger map `cell`",
                crate::limits::MAX_TERRAIN_CELLS
            ));
        }
        let mut elevation_m = Vec::with_capacity(cols * rows);
        for r in 0..rows {
            for c in 0..cols {
                let p = Point {
                    x: (c as f64 + 0.5) * cell_m,
                    y: (r as f64 + 0.5) * cell_m,
                };
                let (lon, lat) = frame.to_lonlat(p);
                let (x, y) = self.crs.from_lonlat(lon, lat);
                let z = self.sample((x - self.x0) / self.dx, (self.y0 - y) / self.dy);
                elevation_m.push(z * vertical_m);
            }
        }
        if elevation_m.iter().all(|z| z.is_nan()) {
            return Err("no cell of the DEM east and south of the map's origin has data".into());
        }
        check_elevations(cols, &elevation_m)?;
        Ok(Raster {
            cols,
            rows,
            cell_m,
            origin: Point::default(),
            elevation_m,
        })
    }
}

/// Whether these bytes are a TIFF (little- or big-endian, classic or BigTIFF).
pub fn is_tiff(bytes: &[u8]) -> bool {
    bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
        || bytes.starts_with(b"II+\0")
        || bytes.starts_with(b"MM\0+")
}
