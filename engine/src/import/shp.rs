//! ESRI Shapefile read with the `shapefile` and `dbase` crates from the bytes of its
//! parts: `.shp` geometry, `.dbf` attributes, `.cpg` code page, `.prj` coordinate
//! system. Attributes in Chinese are usually GBK (ArcGIS and QGIS on Chinese Windows
//! write the system code page): the `.cpg` names it (`GBK`, `936`, `UTF-8`); without
//! one, the `.dbf`'s language driver byte 0x4D (code page 936) means GBK, and otherwise
//! text that is not valid UTF-8 is taken as GBK. Coordinates are longitude/latitude
//! unless the `.prj` names a projection ([`Crs::from_wkt`]).

use super::{Feature, Geom, LonLat, ShapefileBytes};
use crate::geo::Crs;
use shapefile::{Shape, ShapeReader};
use std::collections::BTreeMap;
use std::io::Cursor;

/// The `encoding_rs` encoding of a `.dbf`'s text.
fn encoding(parts: &ShapefileBytes, dbf: &[u8]) -> &'static encoding_rs::Encoding {
    if let Some(cpg) = &parts.cpg {
        let label = cpg.trim().trim_start_matches('\u{feff}');
        let label = match label.to_ascii_uppercase().as_str() {
            "936" | "CP936" | "ANSI 936" => "gbk",
            "65001" | "UTF8" => "utf-8",
            "54936" => "gb18030",
            _ => label,
        };
        if let Some(e) = encoding_rs::Encoding::for_label(label.as_bytes()) {
            return e;
        }
    }
    if dbf.get(29) == Some(&0x4D) {
        return encoding_rs::GBK;
    }
    let header_len = dbf
        .get(8..10)
        .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    match dbf.get(header_len..) {
        Some(body) if std::str::from_utf8(body).is_err() => encoding_rs::GBK,
        _ => encoding_rs::UTF_8,
    }
}

fn value_text(v: &shapefile::dbase::FieldValue) -> Option<String> {
    use shapefile::dbase::FieldValue as F;
    Some(match v {
        F::Character(Some(s)) | F::Memo(s) => s.trim().to_string(),
        F::Numeric(Some(n)) => trim_number(*n),
        F::Float(Some(n)) => trim_number(f64::from(*n)),
        F::Double(n) | F::Currency(n) => trim_number(*n),
        F::Integer(i) => i.to_string(),
        F::Logical(Some(b)) => if *b { "yes" } else { "no" }.to_string(),
        _ => return None,
    })
}

/// `3` rather than `3.0`, so that a numeric `capacity` or `lanes` reads as written.
fn trim_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Reads a Shapefile's features.
pub fn read(parts: &ShapefileBytes) -> Result<Vec<Feature>, String> {
    let crs = match &parts.prj {
        Some(wkt) => Crs::from_wkt(wkt).map_err(|e| format!(".prj: {e}"))?,
        None => Crs::Geographic,
    };
    let shapes = ShapeReader::new(Cursor::new(parts.shp.as_slice()))
        .and_then(|r| r.read())
        .map_err(|e| format!("not a readable .shp ({e})"))?;
    let records: Vec<BTreeMap<String, String>> = match &parts.dbf {
        Some(dbf) => {
            let enc = encoding(parts, dbf);
            let mut reader = shapefile::dbase::ReaderBuilder::new()
                .with_encoding(shapefile::dbase::encoding::EncodingRs::from(enc))
                .build(Cursor::new(dbf.as_slice()))
                .map_err(|e| format!("not a readable .dbf ({e})"))?;
            let records = reader
                .read()
                .map_err(|e| format!("not a readable .dbf ({e})"))?;
            records
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .filter_map(|(k, v)| value_text(&v).map(|s| (k, s)))
                        .filter(|(_, s)| !s.is_empty())
                        .collect()
                })
                .collect()
        }
        None => Vec::new(),
    };
    if !records.is_empty() && records.len() != shapes.len() {
        return Err(format!(
            "the .shp has {} shapes but the .dbf {} records",
            shapes.len(),
            records.len()
        ));
    }
    let pt = |x: f64, y: f64| -> Result<LonLat, String> {
        let (lon, lat) = crs.to_lonlat(x, y);
        if crate::geo::plausible_lonlat(lon, lat) {
            Ok((lon, lat))
        } else {
            Err(format!(
                "the point ({x}, {y}) is no longitude/latitude; is the .prj missing?"
            ))
        }
    };
    let mut out = Vec::new();
    for (i, shape) in shapes.into_iter().enumerate() {
        let tags = records.get(i).cloned().unwrap_or_default();
        let mut push = |geom| {
            out.push(Feature {
                geom,
                tags: tags.clone(),
            })
        };
        match shape {
            Shape::Point(p) => push(Geom::Point(pt(p.x, p.y)?)),
            Shape::PointZ(p) => push(Geom::Point(pt(p.x, p.y)?)),
            Shape::PointM(p) => push(Geom::Point(pt(p.x, p.y)?)),
            Shape::Polyline(l) => {
                for part in l.parts() {
                    push(Geom::Line(
                        part.iter()
                            .map(|p| pt(p.x, p.y))
                            .collect::<Result<_, _>>()?,
                    ));
                }
            }
            Shape::PolylineZ(l) => {
                for part in l.parts() {
                    push(Geom::Line(
                        part.iter()
                            .map(|p| pt(p.x, p.y))
                            .collect::<Result<_, _>>()?,
                    ));
                }
            }
            Shape::Polygon(poly) => {
                // Outer rings only (ESRI: clockwise); holes do not move a footprint's centre much.
                for ring in poly.rings() {
                    if let shapefile::PolygonRing::Outer(pts) = ring {
                        push(Geom::Polygon(
                            pts.iter().map(|p| pt(p.x, p.y)).collect::<Result<_, _>>()?,
                        ));
                    }
                }
            }
            Shape::PolygonZ(poly) => {
                for ring in poly.rings() {
                    if let shapefile::PolygonRing::Outer(pts) = ring {
                        push(Geom::Polygon(
                            pts.iter().map(|p| pt(p.x, p.y)).collect::<Result<_, _>>()?,
                        ));
                    }
                }
            }
            Shape::NullShape => {}
            other => {
                return Err(format!(
                    "{} shapes are not read; export points, lines or polygons",
                    other.shapetype()
                ));
            }
        }
        if out.len() > crate::limits::MAX_IMPORT_FEATURES {
            return Err(format!(
                "more than {} features",
                crate::limits::MAX_IMPORT_FEATURES
            ));
        }
    }
    Ok(out)
}
