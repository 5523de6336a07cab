//! 导入 — `drill import`: a village's map from the GIS data a county office has
//! (OpenStreetMap extracts, ESRI Shapefiles, GeoJSON) turned into a scenario skeleton
//! that `drill check` passes as it stands. Pure: every reader takes bytes that
//! `io::gis` read ([`geojson`], [`shp`], [`osm`]) and gives [`Feature`]s in WGS 84
//! longitude/latitude with their attributes as tags; [`classify`] sorts them into
//! buildings, shelters, roads, rivers and named hamlets by OpenStreetMap's tags (the
//! same keys in a Shapefile's or GeoJSON's attributes, plus common Chinese column
//! names); [`scenario`] groups the buildings into hamlets (户 → 村民小组), builds the
//! road network between places and writes the text.

pub mod geojson;
pub mod osm;
pub mod scenario;
pub mod shp;
pub mod synthetic;

use std::collections::BTreeMap;

/// A longitude/latitude pair, WGS 84 degrees.
pub type LonLat = (f64, f64);

/// One geographic feature of an input file.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub geom: Geom,
    /// Attributes, OpenStreetMap-style `key=value` (a Shapefile's columns, a GeoJSON's
    /// properties), values as text.
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Geom {
    Point(LonLat),
    Line(Vec<LonLat>),
    /// The outer ring (holes do not matter for a footprint's centre and area).
    Polygon(Vec<LonLat>),
}

impl Geom {
    /// A point that stands for the feature: the point itself, a polygon's area
    /// centroid (its vertex mean when degenerate), a line's middle vertex.
    pub fn centre(&self) -> Option<LonLat> {
        match self {
            Geom::Point(p) => Some(*p),
            Geom::Line(pts) => pts.get(pts.len() / 2).copied(),
            Geom::Polygon(ring) => {
                let first = *ring.first()?;
                let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
                for w in ring.windows(2) {
                    let (x0, y0) = (w[0].0 - first.0, w[0].1 - first.1);
                    let (x1, y1) = (w[1].0 - first.0, w[1].1 - first.1);
                    let cross = x0 * y1 - x1 * y0;
                    a += cross;
                    cx += (x0 + x1) * cross;
                    cy += (y0 + y1) * cross;
                }
                if a.abs() < 1e-18 {
                    let n = ring.len() as f64;
                    let (sx, sy) = ring.iter().fold((0.0, 0.0), |s, p| (s.0 + p.0, s.1 + p.1));
                    return Some((sx / n, sy / n));
                }
                Some((first.0 + cx / (3.0 * a), first.1 + cy / (3.0 * a)))
            }
        }
    }

    /// Every vertex, for the extent of the data.
    pub fn points(&self) -> &[LonLat] {
        match self {
            Geom::Point(p) => std::slice::from_ref(p),
            Geom::Line(v) | Geom::Polygon(v) => v,
        }
    }
}

/// What a feature is for the drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A dwelling: one household (户).
    House,
    /// A building nobody lives in (school aside): sheds, shops, temples.
    OtherBuilding,
    /// 避灾安置点: an assembly point, a school, a building named 避灾/安置/避难.
    Shelter,
    Road,
    Path,
    Bridge,
    River,
    /// 自然村/村民小组: a named place (`place=hamlet|village|isolated_dwelling`).
    Hamlet,
    Ignored,
}

/// The first non-empty value among these keys.
pub fn tag<'a>(tags: &'a BTreeMap<String, String>, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .filter_map(|k| tags.get(*k))
        .map(|v| v.trim())
        .find(|v| !v.is_empty())
}

/// The feature's name: `name:zh`, `name`, or a Chinese column (名称, 名字, 地名).
pub fn name(tags: &BTreeMap<String, String>) -> Option<&str> {
    tag(
        tags,
        &[
            "name:zh", "name", "NAME", "Name", "名称", "名字", "地名", "MC",
        ],
    )
}

/// Buildings that are not homes (OpenStreetMap `building=*` values).
const NOT_HOMES: &[&str] = &[
    "shed",
    "garage",
    "garages",
    "barn",
    "cowshed",
    "sty",
    "stable",
    "greenhouse",
    "roof",
    "hut",
    "commercial",
    "retail",
    "industrial",
    "warehouse",
    "office",
    "church",
    "temple",
    "shrine",
    "public",
    "civic",
    "government",
    "hospital",
    "toilets",
    "service",
    "transformer_tower",
    "water_tower",
    "bridge",
    "ruins",
    "construction",
    "kiosk",
    "storage_tank",
    "silo",
    "parking",
    "pavilion",
    "gatehouse",
    "chapel",
    "mosque",
];

/// Road classes that are paths (小路), not roads a vehicle takes.
const PATHS: &[&str] = &[
    "path",
    "footway",
    "steps",
    "pedestrian",
    "bridleway",
    "cycleway",
    "track",
];

/// Sorts a feature by its tags (and geometry: a building is a polygon, a road a line).
pub fn classify(f: &Feature) -> Class {
    let t = &f.tags;
    let get = |k: &str| t.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let named_shelter = name(t).is_some_and(|n| {
        ["避灾", "安置", "避难", "应急避险"]
            .iter()
            .any(|w| n.contains(w))
    });
    let shelter_tag = get("emergency") == Some("assembly_point")
        || matches!(
            get("amenity"),
            Some("school" | "shelter" | "community_centre")
        )
        || get("social_facility") == Some("shelter")
        || matches!(get("building"), Some("school"))
        || matches!(
            get("type").or(get("类型")).or(get("TYPE")),
            Some("shelter" | "避灾点" | "安置点" | "避难场所")
        );
    match &f.geom {
        Geom::Line(_) => {
            if let Some(w) = get("waterway") {
                return if matches!(w, "river" | "stream" | "canal" | "ditch" | "drain") {
                    Class::River
                } else {
                    Class::Ignored
                };
            }
            if let Some(h) = get("highway").or(get("fclass")) {
                if get("bridge").is_some_and(|b| b != "no") {
                    return Class::Bridge;
                }
                return if PATHS.contains(&h) {
                    Class::Path
                } else {
                    Class::Road
                };
            }
            match get("type").or(get("类型")).or(get("TYPE")) {
                Some("river" | "河流" | "溪" | "河") => Class::River,
                Some("road" | "道路" | "公路") => Class::Road,
                Some("path" | "小路" | "步道") => Class::Path,
                Some("bridge" | "桥" | "桥梁") => Class::Bridge,
                _ => Class::Ignored,
            }
        }
        Geom::Polygon(_) => {
            if named_shelter || shelter_tag {
                return Class::Shelter;
            }
            match get("building").or(get("建筑")) {
                Some("no") | None => match get("type").or(get("类型")).or(get("TYPE")) {
                    Some("house" | "building" | "房屋" | "民房" | "住宅" | "建筑") => {
                        Class::House
                    }
                    _ => Class::Ignored,
                },
                Some(b) if NOT_HOMES.contains(&b) => Class::OtherBuilding,
                Some(_) => Class::House,
            }
        }
        Geom::Point(_) => {
            if named_shelter || shelter_tag {
                Class::Shelter
            } else if matches!(
                get("place"),
                Some("hamlet" | "village" | "isolated_dwelling" | "neighbourhood")
            ) && name(t).is_some()
            {
                Class::Hamlet
            } else if get("building").is_some_and(|b| b != "no" && !NOT_HOMES.contains(&b)) {
                Class::House
            } else {
                Class::Ignored
            }
        }
    }
}

/// The format of an input file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    GeoJson,
    Shapefile,
    OsmXml,
    OsmPbf,
}

impl Format {
    pub fn of_path(path: &str) -> Option<Format> {
        let p = path.to_ascii_lowercase();
        if p.ends_with(".osm.pbf") || p.ends_with(".pbf") {
            Some(Format::OsmPbf)
        } else if p.ends_with(".osm") || p.ends_with(".osm.xml") {
            Some(Format::OsmXml)
        } else if p.ends_with(".geojson") || p.ends_with(".json") {
            Some(Format::GeoJson)
        } else if p.ends_with(".shp") {
            Some(Format::Shapefile)
        } else {
            None
        }
    }
}

/// The pieces of a Shapefile, as `io::gis` read them beside the `.shp`.
#[derive(Debug, Clone, Default)]
pub struct ShapefileBytes {
    pub shp: Vec<u8>,
    pub dbf: Option<Vec<u8>>,
    /// The `.cpg`: the code page of the `.dbf`'s text (`GBK`, `UTF-8`, `936`).
    pub cpg: Option<String>,
    /// The `.prj`: its coordinate system (WKT).
    pub prj: Option<String>,
}

/// Reads one input: its features, in WGS 84 after `datum` (for lon/lat inputs that
/// came from a Chinese web map).
pub fn read_input(
    format: Format,
    bytes: &[u8],
    shapefile: Option<&ShapefileBytes>,
    datum: crate::geo::Datum,
) -> Result<Vec<Feature>, String> {
    let mut features = match format {
        Format::GeoJson => geojson::read(bytes)?,
        Format::OsmXml => osm::read_xml(bytes)?,
        Format::OsmPbf => osm::read_pbf(bytes)?,
        Format::Shapefile => shp::read(shapefile.ok_or("the Shapefile's parts were not read")?)?,
    };
    if datum != crate::geo::Datum::Wgs84 {
        for f in &mut features {
            let pts: &mut Vec<LonLat> = match &mut f.geom {
                Geom::Point(p) => {
                    *p = datum.to_wgs84(p.0, p.1);
                    continue;
                }
                Geom::Line(v) | Geom::Polygon(v) => v,
            };
            for p in pts.iter_mut() {
                *p = datum.to_wgs84(p.0, p.1);
            }
        }
    }
    Ok(features)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(geom: Geom, kv: &[(&str, &str)]) -> Feature {
        Feature {
            geom,
            tags: kv
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn classes_from_tags() {
        let sq = Geom::Polygon(vec![
            (0.0, 0.0),
            (1.0, 0.0),
            (1.0, 1.0),
            (0.0, 1.0),
            (0.0, 0.0),
        ]);
        let line = Geom::Line(vec![(0.0, 0.0), (1.0, 1.0)]);
        assert_eq!(
            classify(&f(sq.clone(), &[("building", "house")])),
            Class::House
        );
        assert_eq!(
            classify(&f(sq.clone(), &[("building", "shed")])),
            Class::OtherBuilding
        );
        assert_eq!(
            classify(&f(
                sq.clone(),
                &[("building", "yes"), ("name", "竹源村避灾安置点")]
            )),
            Class::Shelter
        );
        assert_eq!(
            classify(&f(
                sq.clone(),
                &[("amenity", "school"), ("building", "yes")]
            )),
            Class::Shelter
        );
        assert_eq!(
            classify(&f(line.clone(), &[("highway", "track")])),
            Class::Path
        );
        assert_eq!(
            classify(&f(
                line.clone(),
                &[("highway", "tertiary"), ("bridge", "yes")]
            )),
            Class::Bridge
        );
        assert_eq!(
            classify(&f(line.clone(), &[("waterway", "stream")])),
            Class::River
        );
        assert_eq!(
            classify(&f(
                Geom::Point((0.0, 0.0)),
                &[("emergency", "assembly_point")]
            )),
            Class::Shelter
        );
        assert_eq!(
            classify(&f(
                Geom::Point((0.0, 0.0)),
                &[("place", "hamlet"), ("name", "上村")]
            )),
            Class::Hamlet
        );
        let c = sq.centre().unwrap();
        assert!((c.0 - 0.5).abs() < 1e-12 && (c.1 - 0.5).abs() < 1e-12);
    }
}
