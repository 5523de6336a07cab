//! GeoJSON (RFC 7946, as QGIS, geojson.io or an OpenStreetMap export writes it) read
//! with the `geojson` crate: Points, LineStrings and Polygons and their Multi- forms
//! (each part one feature), properties as tags. Coordinates are longitude/latitude,
//! unless the file carries the older `crs` member naming an EPSG code
//! (`urn:ogc:def:crs:EPSG::4549`), which [`Crs::from_epsg`] reads.

use super::{Feature, Geom, LonLat};
use crate::geo::Crs;
use geojson::{GeoJson, GeometryValue};
use std::collections::BTreeMap;

/// The EPSG code of an old-style `crs` member, if any.
fn crs_of(value: &serde_json::Value) -> Result<Crs, String> {
    let Some(name) = value
        .pointer("/crs/properties/name")
        .and_then(|n| n.as_str())
    else {
        return Ok(Crs::Geographic);
    };
    if name.contains("CRS84") {
        return Ok(Crs::Geographic);
    }
    let code: Option<u32> = name
        .rsplit([':', '/'])
        .find(|s| !s.is_empty())
        .and_then(|s| s.parse().ok());
    code.and_then(Crs::from_epsg)
        .ok_or_else(|| format!("its coordinate system `{name}` is not one this engine reads; export it as WGS 84 (EPSG:4326)"))
}

/// Reads a GeoJSON document (a FeatureCollection, a Feature or a bare Geometry).
pub fn read(bytes: &[u8]) -> Result<Vec<Feature>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    let crs = crs_of(&value)?;
    let doc: GeoJson = serde_json::from_value(value).map_err(|e| format!("not GeoJSON: {e}"))?;
    let items: Vec<(Option<geojson::Geometry>, BTreeMap<String, String>)> = match doc {
        GeoJson::FeatureCollection(fc) => fc
            .features
            .into_iter()
            .map(|f| (f.geometry, props(f.properties)))
            .collect(),
        GeoJson::Feature(f) => vec![(f.geometry, props(f.properties))],
        GeoJson::Geometry(g) => vec![(Some(g), BTreeMap::new())],
    };
    let mut out = Vec::new();
    for (geometry, tags) in items {
        let Some(g) = geometry else { continue };
        push_geometry(&g.value, &tags, crs, &mut out)?;
        if out.len() > crate::limits::MAX_IMPORT_FEATURES {
            return Err(format!(
                "more than {} features",
                crate::limits::MAX_IMPORT_FEATURES
            ));
        }
    }
    Ok(out)
}

fn props(p: Option<geojson::JsonObject>) -> BTreeMap<String, String> {
    p.unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| {
            let s = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => return None,
                other => other.to_string(),
            };
            Some((k, s))
        })
        .collect()
}

fn position(p: &geojson::Position, crs: Crs) -> Result<LonLat, String> {
    let s = p.as_slice();
    if s.len() < 2 || !s[0].is_finite() || !s[1].is_finite() {
        return Err("a position with fewer than two numbers".into());
    }
    let (lon, lat) = crs.to_lonlat(s[0], s[1]);
    if !crate::geo::plausible_lonlat(lon, lat) {
        return Err(format!(
            "the position ({}, {}) is no longitude/latitude; is the file projected without a `crs`?",
            s[0], s[1]
        ));
    }
    Ok((lon, lat))
}

fn positions(ps: &[geojson::Position], crs: Crs) -> Result<Vec<LonLat>, String> {
    ps.iter().map(|p| position(p, crs)).collect()
}

fn push_geometry(
    g: &GeometryValue,
    tags: &BTreeMap<String, String>,
    crs: Crs,
    out: &mut Vec<Feature>,
) -> Result<(), String> {
    let mut push = |geom| {
        out.push(Feature {
            geom,
            tags: tags.clone(),
        })
    };
    match g {
        GeometryValue::Point { coordinates } => push(Geom::Point(position(coordinates, crs)?)),
        GeometryValue::MultiPoint { coordinates } => {
            for p in coordinates {
                push(Geom::Point(position(p, crs)?));
            }
        }
        GeometryValue::LineString { coordinates } => push(Geom::Line(positions(coordinates, crs)?)),
        GeometryValue::MultiLineString { coordinates } => {
            for l in coordinates {
                push(Geom::Line(positions(l, crs)?));
            }
        }
        GeometryValue::Polygon { coordinates } => {
            if let Some(outer) = coordinates.first() {
                push(Geom::Polygon(positions(outer, crs)?));
            }
        }
        GeometryValue::MultiPolygon { coordinates } => {
            for poly in coordinates {
                if let Some(outer) = poly.first() {
                    push(Geom::Polygon(positions(outer, crs)?));
                }
            }
        }
        GeometryValue::GeometryCollection { geometries } => {
            for g in geometries {
                push_geometry(&g.value, tags, crs, out)?;
            }
        }
    }
    Ok(())
}
