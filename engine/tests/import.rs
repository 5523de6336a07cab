//! `drill import` end to end (issue 21): a small village written in the test itself as
//! GeoJSON, as an ESRI Shapefile with GBK attributes (written with the `shapefile`
//! crate), as an OpenStreetMap XML extract, and a GeoTIFF DEM (written with the `tiff`
//! crate); each is imported and the result must pass `drill check` as it stands.
//!
//! Positions are held to published projected coordinates, within 1 m:
//! - PROJ's tmerc test (`+proj=tmerc +ellps=GRS80`, builtins.gie): (2°E, 1°N) →
//!   (222650.797, 110642.229) m. With the map origin at (0°, 0°) the local plane is
//!   exactly that projection, so a hamlet at (2°E, 1°N) must land at
//!   (222650.797, −110642.229) (y points south).
//! - PROJ's UTM example (`cct +proj=utm +zone=32 +ellps=GRS80`): 12°E 55°N ↔
//!   691875.63214 E, 6098907.82501 N. A Shapefile in UTM 32N with a home there, and
//!   the map origin at (12°, 55°), must put that hamlet at (0, 0).

use drill_engine::geo::{Crs, LocalFrame};
use drill_engine::lang::{self, SourceMap};
use drill_engine::model::{Georef, Point, Scenario};
use std::path::Path;
use std::process::Command;

mod common;

fn drill() -> Command {
    Command::new(env!("CARGO_BIN_EXE_drill"))
}

/// Runs `drill import ARGS`, then `drill check` on the output; returns the scenario.
fn import_and_check(dir: &Path, args: &[&str]) -> Scenario {
    let out = dir.join("village.drill");
    let o = drill()
        .arg("import")
        .args(args)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "import failed: {stderr}");
    let check = drill().arg("check").arg(&out).output().unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        check.status.success(),
        "drill check failed on the import:\n{}\n{}\n{text}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    // Also `drill fmt --check`: the import is written in canonical form.
    let fmt = drill().args(["fmt", "--check"]).arg(&out).output().unwrap();
    assert!(
        fmt.status.success(),
        "{}",
        String::from_utf8_lossy(&fmt.stdout)
    );
    let mut sources = SourceMap::new();
    let main = sources.add("village.drill", text);
    let result = lang::check(&mut sources, main, &drill_engine::io::Includes);
    result.scenario.expect("a scenario")
}

fn place<'a>(s: &'a Scenario, name: &str) -> &'a drill_engine::model::Place {
    s.map
        .places
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no place {name}: {:?}",
                s.map.places.iter().map(|p| &p.name).collect::<Vec<_>>()
            )
        })
}

fn near(p: Point, x: f64, y: f64, tol: f64) -> bool {
    (p.x - x).abs() <= tol && (p.y - y).abs() <= tol
}

/// A square footprint of `half` degrees around (lon, lat): its centroid is the point.
fn square(lon: f64, lat: f64, half: f64) -> Vec<(f64, f64)> {
    vec![
        (lon - half, lat - half),
        (lon + half, lat - half),
        (lon + half, lat + half),
        (lon - half, lat + half),
        (lon - half, lat - half),
    ]
}

/// The test village around (2°E, 1°N), in lon/lat: two hamlets of homes, a school, an
/// assembly point, a road with a bridge, a path and a stream.
struct Village {
    /// (lon, lat, hamlet tag) of each home.
    homes: Vec<(f64, f64, Option<&'static str>)>,
}

fn village() -> Village {
    let mut homes = vec![(2.0, 1.0, None)]; // the anchor: a hamlet of one home at (2°E, 1°N)
    // 上村: nine homes tagged addr:hamlet, around 2.005°E 1.004°N.
    for i in 0..9 {
        homes.push((
            2.005 + 0.0002 * f64::from(i % 3),
            1.004 + 0.0002 * f64::from(i / 3),
            Some("上村"),
        ));
    }
    // Untagged homes near a place=hamlet node 下村: clustered by distance.
    for i in 0..6 {
        homes.push((2.008 + 0.0003 * f64::from(i), 0.998, None));
    }
    Village { homes }
}

fn geojson_feature(geometry: geojson::GeometryValue, props: &[(&str, &str)]) -> geojson::Feature {
    let mut p = geojson::JsonObject::new();
    for (k, v) in props {
        p.insert(k.to_string(), serde_json::Value::String(v.to_string()));
    }
    geojson::Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::new(geometry)),
        id: None,
        properties: Some(p),
        foreign_members: None,
    }
}

#[test]
fn geojson_village_imports_and_checks() {
    let dir = common::temp_dir("import-geojson");
    let v = village();
    let mut features = Vec::new();
    for (lon, lat, hamlet) in &v.homes {
        let ring: Vec<Vec<f64>> = square(*lon, *lat, 0.00004)
            .into_iter()
            .map(|(a, b)| vec![a, b])
            .collect();
        let mut props = vec![("building", "house")];
        if let Some(h) = hamlet {
            props.push(("addr:hamlet", h));
        }
        features.push(geojson_feature(
            geojson::GeometryValue::new_polygon(vec![ring]),
            &props,
        ));
    }
    let ring: Vec<Vec<f64>> = square(2.003, 1.002, 0.0002)
        .into_iter()
        .map(|(a, b)| vec![a, b])
        .collect();
    features.push(geojson_feature(
        geojson::GeometryValue::new_polygon(vec![ring]),
        &[
            ("building", "school"),
            ("name", "竹源小学"),
            ("capacity", "300"),
        ],
    ));
    features.push(geojson_feature(
        geojson::GeometryValue::new_point(vec![2.009, 0.999]),
        &[("place", "hamlet"), ("name", "下村")],
    ));
    features.push(geojson_feature(
        geojson::GeometryValue::new_line_string(vec![
            vec![1.999, 1.001],
            vec![2.004, 1.001],
            vec![2.006, 1.0],
        ]),
        &[
            ("highway", "unclassified"),
            ("name", "村道"),
            ("width", "5"),
        ],
    ));
    features.push(geojson_feature(
        geojson::GeometryValue::new_line_string(vec![vec![2.006, 1.0], vec![2.007, 0.999]]),
        &[("highway", "unclassified"), ("bridge", "yes")],
    ));
    features.push(geojson_feature(
        geojson::GeometryValue::new_line_string(vec![vec![2.004, 1.001], vec![2.005, 1.004]]),
        &[("highway", "footway")],
    ));
    features.push(geojson_feature(
        geojson::GeometryValue::new_line_string(vec![
            vec![2.0, 0.9995],
            vec![2.006, 0.9995],
            vec![2.012, 0.9992],
        ]),
        &[("waterway", "stream"), ("name", "竹源溪")],
    ));
    let fc = geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    };
    let path = dir.join("village.geojson");
    std::fs::write(&path, geojson::GeoJson::from(fc).to_string()).unwrap();

    let s = import_and_check(&dir, &[path.to_str().unwrap(), "--origin", "0,0"]);
    // PROJ's published tmerc point, within 1 m.
    let anchor = s
        .map
        .places
        .iter()
        .find(|p| p.households == 1)
        .expect("the anchor hamlet");
    assert!(
        near(anchor.pos, 222_650.797, -110_642.229, 1.0),
        "{:?}",
        anchor.pos
    );
    assert_eq!(s.map.georef, Some(Georef { lon: 0.0, lat: 0.0 }));
    let upper = place(&s, "上村");
    assert_eq!(upper.households, 9);
    assert_eq!(upper.people, (9.0f64 * 2.62).round() as u32);
    let lower = place(&s, "下村");
    assert_eq!(lower.households, 6);
    let school = place(&s, "竹源小学");
    assert_eq!(school.shelter.as_ref().map(|sh| sh.capacity), Some(300));
    assert_eq!(s.map.rivers.len(), 1);
    assert_eq!(s.map.rivers[0].name, "竹源溪");
    assert!(
        s.map
            .links
            .iter()
            .any(|l| l.kind == drill_engine::model::LinkKind::Bridge)
    );
    assert!(
        s.map
            .links
            .iter()
            .any(|l| l.kind == drill_engine::model::LinkKind::Path)
    );
}

#[test]
fn osm_extract_imports_and_checks() {
    let dir = common::temp_dir("import-osm");
    let v = village();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"test\">\n",
    );
    let mut id = 0i64;
    let mut node = |xml: &mut String, lon: f64, lat: f64, tags: &[(&str, &str)]| {
        id += 1;
        if tags.is_empty() {
            xml.push_str(&format!(
                " <node id=\"{id}\" lat=\"{lat:.9}\" lon=\"{lon:.9}\"/>\n"
            ));
        } else {
            xml.push_str(&format!(
                " <node id=\"{id}\" lat=\"{lat:.9}\" lon=\"{lon:.9}\">"
            ));
            for (k, v) in tags {
                xml.push_str(&format!("<tag k=\"{k}\" v=\"{v}\"/>"));
            }
            xml.push_str("</node>\n");
        }
        id
    };
    let mut ways = String::new();
    let mut way_id = 1000;
    let mut way = |ways: &mut String, refs: &[i64], tags: &[(&str, &str)]| {
        way_id += 1;
        ways.push_str(&format!(" <way id=\"{way_id}\">"));
        for r in refs {
            ways.push_str(&format!("<nd ref=\"{r}\"/>"));
        }
        for (k, v) in tags {
            ways.push_str(&format!("<tag k=\"{k}\" v=\"{v}\"/>"));
        }
        ways.push_str("</way>\n");
    };
    for (lon, lat, hamlet) in &v.homes {
        let ring = square(*lon, *lat, 0.00004);
        let refs: Vec<i64> = ring[..4]
            .iter()
            .map(|(a, b)| node(&mut xml, *a, *b, &[]))
            .collect();
        let mut tags = vec![("building", "house")];
        if let Some(h) = hamlet {
            tags.push(("addr:hamlet", h));
        }
        way(
            &mut ways,
            &[refs[0], refs[1], refs[2], refs[3], refs[0]],
            &tags,
        );
    }
    node(
        &mut xml,
        2.003,
        1.002,
        &[
            ("emergency", "assembly_point"),
            ("name", "村委会广场避灾点"),
        ],
    );
    node(
        &mut xml,
        2.009,
        0.999,
        &[("place", "hamlet"), ("name", "下村")],
    );
    // A road sharing its middle node with a bridge: one junction there.
    let a = node(&mut xml, 1.999, 1.001, &[]);
    let b = node(&mut xml, 2.004, 1.001, &[]);
    let c = node(&mut xml, 2.006, 1.0, &[]);
    let d = node(&mut xml, 2.007, 0.999, &[]);
    way(
        &mut ways,
        &[a, b, c],
        &[
            ("highway", "residential"),
            ("name", "竹源路"),
            ("lanes", "1"),
        ],
    );
    way(
        &mut ways,
        &[c, d],
        &[
            ("highway", "residential"),
            ("bridge", "yes"),
            ("width", "4 m"),
        ],
    );
    let r1 = node(&mut xml, 2.0, 0.9995, &[]);
    let r2 = node(&mut xml, 2.012, 0.9992, &[]);
    way(
        &mut ways,
        &[r1, r2],
        &[("waterway", "river"), ("name", "竹源溪"), ("width", "12")],
    );
    xml.push_str(&ways);
    xml.push_str("</osm>\n");
    let path = dir.join("village.osm");
    std::fs::write(&path, xml).unwrap();

    let s = import_and_check(&dir, &[path.to_str().unwrap(), "--origin", "0,0"]);
    let anchor = s
        .map
        .places
        .iter()
        .find(|p| p.households == 1)
        .expect("the anchor hamlet");
    assert!(
        near(anchor.pos, 222_650.797, -110_642.229, 1.0),
        "{:?}",
        anchor.pos
    );
    assert_eq!(place(&s, "上村").households, 9);
    assert_eq!(place(&s, "下村").households, 6);
    let shelter = place(&s, "村委会广场避灾点");
    assert!(shelter.shelter.is_some());
    assert_eq!(s.map.rivers[0].width_m, 12.0);
    let bridge = s
        .map
        .links
        .iter()
        .find(|l| l.kind == drill_engine::model::LinkKind::Bridge)
        .expect("a bridge");
    assert_eq!(bridge.width_m, 4.0);
    // Road widths from `lanes`: one lane of 3.5 m.
    assert!(
        s.map
            .links
            .iter()
            .any(|l| l.kind == drill_engine::model::LinkKind::Road && l.width_m == 3.5)
    );
}

/// PROJ's published UTM 32N point of 12°E 55°N (easting, northing).
fn utm_anchor() -> (f64, f64) {
    (691_875.632_14, 6_098_907.825_01)
}

const UTM32_PRJ: &str = r#"PROJCS["WGS_1984_UTM_Zone_32N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",9.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

#[test]
fn shapefile_with_gbk_attributes_imports_and_checks() {
    use shapefile::dbase::{FieldName, FieldValue, Record, TableWriterBuilder};
    let dir = common::temp_dir("import-shp");
    let (e0, n0) = utm_anchor();
    let path = dir.join("房屋.shp");
    {
        let table = TableWriterBuilder::with_encoding(
            shapefile::dbase::encoding::EncodingRs::from(encoding_rs::GBK),
        )
        .add_character_field(FieldName::try_from("NAME").unwrap(), 40)
        .add_character_field(FieldName::try_from("VILLAGE").unwrap(), 40)
        .add_character_field(FieldName::try_from("TYPE").unwrap(), 20)
        .add_numeric_field(FieldName::try_from("CAPACITY").unwrap(), 10, 0);
        let mut w = shapefile::Writer::from_path(&path, table).unwrap();
        let square = |e: f64, n: f64, h: f64| {
            shapefile::Polygon::new(shapefile::PolygonRing::Outer(vec![
                shapefile::Point::new(e - h, n - h),
                shapefile::Point::new(e - h, n + h),
                shapefile::Point::new(e + h, n + h),
                shapefile::Point::new(e + h, n - h),
                shapefile::Point::new(e - h, n - h),
            ]))
        };
        let rec = |name: &str, village: &str, ty: &str, cap: Option<f64>| {
            let mut r = Record::default();
            r.insert("NAME".into(), FieldValue::Character(Some(name.into())));
            r.insert(
                "VILLAGE".into(),
                FieldValue::Character(Some(village.into())),
            );
            r.insert("TYPE".into(), FieldValue::Character(Some(ty.into())));
            r.insert("CAPACITY".into(), FieldValue::Numeric(cap));
            r
        };
        // The anchor home, alone (its own hamlet, 岭头), at the published point.
        w.write_shape_and_record(&square(e0, n0, 4.0), &rec("", "岭头", "房屋", None))
            .unwrap();
        for i in 0..8 {
            let (e, n) = (
                e0 + 400.0 + 20.0 * f64::from(i % 4),
                n0 - 300.0 - 20.0 * f64::from(i / 4),
            );
            w.write_shape_and_record(&square(e, n, 4.0), &rec("", "石门组", "民房", None))
                .unwrap();
        }
        w.write_shape_and_record(
            &square(e0 + 200.0, n0 - 100.0, 15.0),
            &rec("石门村避灾安置点", "", "", Some(180.0)),
        )
        .unwrap();
    }
    std::fs::write(path.with_extension("prj"), UTM32_PRJ).unwrap();
    std::fs::write(path.with_extension("cpg"), "GBK").unwrap();
    // The .dbf really holds GBK bytes: 石门组 in GBK is CA AF C3 C5 D7 E9.
    let dbf = std::fs::read(path.with_extension("dbf")).unwrap();
    assert!(
        dbf.windows(6)
            .any(|w| w == [0xCA, 0xAF, 0xC3, 0xC5, 0xD7, 0xE9])
    );

    let s = import_and_check(&dir, &[path.to_str().unwrap(), "--origin", "12,55"]);
    // PROJ's published UTM point is the origin: the anchor lands at (0, 0).
    let anchor = place(&s, "岭头");
    assert!(near(anchor.pos, 0.0, 0.0, 1.0), "{:?}", anchor.pos);
    let group = place(&s, "石门组");
    assert_eq!(group.households, 8);
    let shelter = place(&s, "石门村避灾安置点");
    assert_eq!(shelter.shelter.as_ref().map(|sh| sh.capacity), Some(180));
    // 200 m east and 100 m south in UTM is about that on the map (UTM's scale 0.9996 and
    // a grid convergence of 2.5° at 3° from the central meridian).
    assert!(
        dist(shelter.pos, Point { x: 0.0, y: 0.0 }) > 220.0
            && dist(shelter.pos, Point { x: 0.0, y: 0.0 }) < 228.0,
        "{:?}",
        shelter.pos
    );
}

fn dist(a: Point, b: Point) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// Writes a GeoTIFF: `values` row-major, north row first, in UTM 32N (EPSG:32632) with
/// the north-west corner at (`e0`, `n0`) and `px` m pixels, int16.
fn write_utm_geotiff_i16(
    path: &Path,
    cols: u32,
    rows: u32,
    e0: f64,
    n0: f64,
    px: f64,
    values: &[i16],
) {
    use tiff::encoder::{TiffEncoder, colortype};
    use tiff::tags::Tag;
    let file = std::fs::File::create(path).unwrap();
    let mut enc = TiffEncoder::new(std::io::BufWriter::new(file)).unwrap();
    let mut img = enc.new_image::<colortype::GrayI16>(cols, rows).unwrap();
    img.encoder()
        .write_tag(Tag::ModelPixelScaleTag, &[px, px, 0.0][..])
        .unwrap();
    img.encoder()
        .write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, e0, n0, 0.0][..])
        .unwrap();
    // GeoKeyDirectory: version 1.1.0, 3 keys: model type projected, raster is area, EPSG:32632.
    let keys: [u16; 16] = [1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32632];
    img.encoder()
        .write_tag(Tag::GeoKeyDirectoryTag, &keys[..])
        .unwrap();
    img.write_data(values).unwrap();
}

/// Writes a float32 GeoTIFF in lon/lat (EPSG:4326), pixel `px` degrees.
fn write_geographic_geotiff_f32(
    path: &Path,
    cols: u32,
    rows: u32,
    lon0: f64,
    lat0: f64,
    px: f64,
    values: &[f32],
) {
    use tiff::encoder::{TiffEncoder, colortype};
    use tiff::tags::Tag;
    let file = std::fs::File::create(path).unwrap();
    let mut enc = TiffEncoder::new(std::io::BufWriter::new(file)).unwrap();
    let mut img = enc.new_image::<colortype::Gray32Float>(cols, rows).unwrap();
    img.encoder()
        .write_tag(Tag::ModelPixelScaleTag, &[px, px, 0.0][..])
        .unwrap();
    img.encoder()
        .write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, lon0, lat0, 0.0][..])
        .unwrap();
    let keys: [u16; 16] = [1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326];
    img.encoder()
        .write_tag(Tag::GeoKeyDirectoryTag, &keys[..])
        .unwrap();
    img.encoder().write_tag(Tag::GdalNodata, "-9999").unwrap();
    img.write_data(values).unwrap();
}

#[test]
fn geotiff_dem_in_utm_is_resampled_onto_the_map() {
    let dir = common::temp_dir("import-dem");
    let (e0, n0) = utm_anchor();
    // 60 × 50 pixels of 10 m from 100 m west and north of the anchor; a plane rising
    // 1 m per 10 m east and falling 0.5 m per 10 m north (so the south is higher).
    let (cols, rows, px) = (60u32, 50u32, 10.0);
    let (w, n) = (e0 - 100.0, n0 + 100.0);
    let plane = |e: f64, nn: f64| 200.0 + 0.1 * (e - w) - 0.05 * (nn - n);
    let values: Vec<i16> = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (f64::from(c) + 0.5, f64::from(r) + 0.5)))
        .map(|(c, r)| plane(w + c * px, n - r * px).round() as i16)
        .collect();
    let dem = dir.join("dem.tif");
    write_utm_geotiff_i16(&dem, cols, rows, w, n, px, &values);
    // The GeoJSON village of one shelter and one home at the anchor.
    let crs = Crs::from_epsg(32632).unwrap();
    let (lon, lat) = crs.to_lonlat(e0 + 100.0, n0 - 100.0);
    assert!((crs.to_lonlat(e0, n0).0 - 12.0).abs() < 1e-8);
    let fc = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"building": "house"}, "geometry": {"type": "Point", "coordinates": [12.0, 55.0]}},
        {"type": "Feature", "properties": {"emergency": "assembly_point", "name": "晒谷场"}, "geometry": {"type": "Point", "coordinates": [lon, lat]}}
    ]});
    let village = dir.join("village.geojson");
    std::fs::write(&village, fc.to_string()).unwrap();
    let s = import_and_check(
        &dir,
        &[
            village.to_str().unwrap(),
            "--dem",
            dem.to_str().unwrap(),
            "--origin",
            "12,55",
        ],
    );
    let terrain = s.map.terrain.as_ref().expect("terrain");
    assert_eq!(
        terrain.georef,
        Some(Georef {
            lon: 12.0,
            lat: 55.0
        })
    );
    let raster = drill_engine::io::load_terrain(terrain, &dir).unwrap();
    // Every cell against the plane at its centre's UTM position (the samples were
    // rounded to whole metres, bilinear of a plane is the plane: ±0.5 m).
    let frame = LocalFrame::new(Georef {
        lon: 12.0,
        lat: 55.0,
    });
    let mut checked = 0;
    for r in 0..raster.rows {
        for c in 0..raster.cols {
            let z = raster.elevation_m[r * raster.cols + c];
            let p = Point {
                x: (c as f64 + 0.5) * raster.cell_m,
                y: (r as f64 + 0.5) * raster.cell_m,
            };
            let (lon, lat) = frame.to_lonlat(p);
            let (e, nn) = crs.from_lonlat(lon, lat);
            let inside = e > w + px && e < w + 59.0 * px && nn < n - px && nn > n - 49.0 * px;
            if inside {
                assert!(
                    (z - plane(e, nn)).abs() < 0.6,
                    "cell ({c}, {r}): {z} vs {}",
                    plane(e, nn)
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "{checked}");
    // South is higher: y grows south on the map.
    assert!(raster.elevation_m[20 * raster.cols + 5] > raster.elevation_m[5 * raster.cols + 5]);
}

#[test]
fn geotiff_dem_in_lonlat_float32_with_nodata() {
    let dir = common::temp_dir("import-dem-geo");
    // 0.0002° pixels (about 22 × 13 m) from 119.5°E 30.2°N; elevation rises north.
    let (cols, rows, px) = (40u32, 40u32, 0.0002);
    let mut values: Vec<f32> = (0..rows)
        .flat_map(|r| (0..cols).map(move |_| 500.0 - 10.0 * r as f32))
        .collect();
    values[0] = -9999.0; // a void in the north-west corner pixel
    let dem = dir.join("srtm.tif");
    write_geographic_geotiff_f32(&dem, cols, rows, 119.5, 30.2, px, &values);
    let fc = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"building": "yes"}, "geometry": {"type": "Point", "coordinates": [119.503, 30.197]}},
        {"type": "Feature", "properties": {"amenity": "school", "name": "中心小学"}, "geometry": {"type": "Point", "coordinates": [119.505, 30.196]}}
    ]});
    let village = dir.join("v.geojson");
    std::fs::write(&village, fc.to_string()).unwrap();
    let s = import_and_check(
        &dir,
        &[
            village.to_str().unwrap(),
            "--dem",
            dem.to_str().unwrap(),
            "--origin",
            "119.5,30.2",
        ],
    );
    let raster = drill_engine::io::load_terrain(s.map.terrain.as_ref().unwrap(), &dir).unwrap();
    // ~0.008° east (770 m at 30°N) and 0.008° south (887 m).
    assert!(
        raster.cols * 10 > 760 && raster.cols * 10 <= 771,
        "{}",
        raster.cols
    );
    assert!(
        raster.rows * 10 > 876 && raster.rows * 10 <= 887,
        "{}",
        raster.rows
    );
    assert!(
        raster.elevation_m[0].is_finite(),
        "a void is filled from its valid neighbours"
    );
    let row = |r: usize| raster.elevation_m[r * raster.cols + 10];
    // 10 m per pixel row of 0.0002° (22.18 m): 0.45 m per metre south.
    let slope = (row(10) - row(60)) / 500.0;
    assert!(
        (slope - 10.0 / (0.0002 * 110_900.0)).abs() < 0.01,
        "{slope}"
    );
}

#[test]
fn gcj02_inputs_are_taken_back_to_wgs84() {
    let dir = common::temp_dir("import-gcj");
    // A home at a WGS 84 point written in GCJ-02 (eviltransform's Shanghai pair).
    let fc = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"building": "house"}, "geometry": {"type": "Point", "coordinates": [121.531541859215, 31.17530398364597]}},
        {"type": "Feature", "properties": {"emergency": "assembly_point", "name": "避灾点"}, "geometry": {"type": "Point", "coordinates": [121.5325, 31.1760]}}
    ]});
    let path = dir.join("gaode.geojson");
    std::fs::write(&path, fc.to_string()).unwrap();
    let s = import_and_check(
        &dir,
        &[
            path.to_str().unwrap(),
            "--from",
            "gcj02",
            "--origin",
            "121.5272106,31.1774276",
        ],
    );
    let home = s.map.places.iter().find(|p| p.households == 1).unwrap();
    assert!(near(home.pos, 0.0, 0.0, 1.0), "{:?}", home.pos);
}

#[test]
fn bad_inputs_are_refused_with_a_message() {
    let dir = common::temp_dir("import-bad");
    let empty = dir.join("empty.geojson");
    std::fs::write(&empty, r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    let o = drill().arg("import").arg(&empty).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no buildings"));
    let junk = dir.join("junk.osm");
    std::fs::write(&junk, "not xml at all <<<").unwrap();
    let o = drill().arg("import").arg(&junk).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let unknown = dir.join("x.kml");
    std::fs::write(&unknown, "").unwrap();
    let o = drill().arg("import").arg(&unknown).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown format"));
    let tif = dir.join("plain.tif");
    std::fs::write(&tif, b"II*\0garbage").unwrap();
    let f = dir.join("v.geojson");
    std::fs::write(&f, r#"{"type":"Feature","properties":{"building":"yes"},"geometry":{"type":"Point","coordinates":[119.5,30.2]}}"#).unwrap();
    let o = drill()
        .arg("import")
        .arg(&f)
        .arg("--dem")
        .arg(&tif)
        .arg("-o")
        .arg(dir.join("o.drill"))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("plain.tif"));
}

/// Protocol-buffer writing, just enough for an OSM PBF file (the `osmpbf` crate reads
/// but does not write): varints, zigzag, length-delimited and packed fields.
mod pb {
    pub fn varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
    pub fn zigzag(v: i64) -> u64 {
        ((v << 1) ^ (v >> 63)) as u64
    }
    pub fn uint(out: &mut Vec<u8>, field: u32, v: u64) {
        varint(out, u64::from(field << 3));
        varint(out, v);
    }
    pub fn bytes(out: &mut Vec<u8>, field: u32, data: &[u8]) {
        varint(out, u64::from(field << 3 | 2));
        varint(out, data.len() as u64);
        out.extend_from_slice(data);
    }
    pub fn packed(out: &mut Vec<u8>, field: u32, vals: &[u64]) {
        let mut b = Vec::new();
        for v in vals {
            varint(&mut b, *v);
        }
        bytes(out, field, &b);
    }
    /// One file block: BlobHeader (type, datasize) and an uncompressed Blob.
    pub fn block(out: &mut Vec<u8>, kind: &str, payload: &[u8]) {
        let mut blob = Vec::new();
        bytes(&mut blob, 1, payload);
        uint(&mut blob, 2, payload.len() as u64);
        let mut header = Vec::new();
        bytes(&mut header, 1, kind.as_bytes());
        uint(&mut header, 3, blob.len() as u64);
        out.extend_from_slice(&(header.len() as u32).to_be_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&blob);
    }
}

/// An OpenStreetMap PBF extract written in the test (OSM PBF format, osmformat.proto):
/// the same anchor home at (2°E, 1°N), a tagged hamlet of homes, an assembly point and
/// a road.
#[test]
fn osm_pbf_extract_imports_and_checks() {
    let dir = common::temp_dir("import-pbf");
    let strings: Vec<&str> = vec![
        "",
        "building",
        "house",
        "addr:hamlet",
        "上村",
        "emergency",
        "assembly_point",
        "name",
        "晒谷场",
        "highway",
        "residential",
    ];
    let s = |strings: &[&str], x: &str| strings.iter().position(|y| *y == x).unwrap() as u64;
    let mut group = Vec::new();
    let mut id = 0i64;
    // Plain nodes (granularity 100 nanodegrees: 1e7 units per degree).
    let mut node = |group: &mut Vec<u8>, lon: f64, lat: f64, tags: &[(u64, u64)]| {
        id += 1;
        let mut n = Vec::new();
        pb::uint(&mut n, 1, pb::zigzag(id));
        if !tags.is_empty() {
            pb::packed(&mut n, 2, &tags.iter().map(|t| t.0).collect::<Vec<_>>());
            pb::packed(&mut n, 3, &tags.iter().map(|t| t.1).collect::<Vec<_>>());
        }
        pb::uint(&mut n, 8, pb::zigzag((lat * 1e7).round() as i64));
        pb::uint(&mut n, 9, pb::zigzag((lon * 1e7).round() as i64));
        pb::bytes(group, 1, &n);
        id
    };
    let (b, house, hamlet, upper) = (
        s(&strings, "building"),
        s(&strings, "house"),
        s(&strings, "addr:hamlet"),
        s(&strings, "上村"),
    );
    type WayRefs = Vec<(Vec<i64>, Vec<(u64, u64)>)>;
    let mut way_refs: WayRefs = Vec::new();
    let mut homes = vec![(2.0, 1.0, false)];
    for i in 0..5 {
        homes.push((2.005 + 0.0002 * f64::from(i), 1.004, true));
    }
    for (lon, lat, tagged) in homes {
        let ring = square(lon, lat, 0.00004);
        let refs: Vec<i64> = ring[..4]
            .iter()
            .map(|(a, c)| node(&mut group, *a, *c, &[]))
            .collect();
        let mut tags = vec![(b, house)];
        if tagged {
            tags.push((hamlet, upper));
        }
        way_refs.push((vec![refs[0], refs[1], refs[2], refs[3], refs[0]], tags));
    }
    let (em, ap, nm, shai) = (
        s(&strings, "emergency"),
        s(&strings, "assembly_point"),
        s(&strings, "name"),
        s(&strings, "晒谷场"),
    );
    node(&mut group, 2.003, 1.002, &[(em, ap), (nm, shai)]);
    let r1 = node(&mut group, 1.999, 1.001, &[]);
    let r2 = node(&mut group, 2.006, 1.001, &[]);
    way_refs.push((
        vec![r1, r2],
        vec![(s(&strings, "highway"), s(&strings, "residential"))],
    ));
    let mut ways_group = Vec::new();
    for (k, (refs, tags)) in way_refs.iter().enumerate() {
        let mut w = Vec::new();
        pb::uint(&mut w, 1, 1000 + k as u64);
        pb::packed(&mut w, 2, &tags.iter().map(|t| t.0).collect::<Vec<_>>());
        pb::packed(&mut w, 3, &tags.iter().map(|t| t.1).collect::<Vec<_>>());
        let mut prev = 0i64;
        let deltas: Vec<u64> = refs
            .iter()
            .map(|r| {
                let d = r - prev;
                prev = *r;
                pb::zigzag(d)
            })
            .collect();
        pb::packed(&mut w, 8, &deltas);
        pb::bytes(&mut ways_group, 3, &w);
    }
    let mut table = Vec::new();
    for st in &strings {
        pb::bytes(&mut table, 1, st.as_bytes());
    }
    let mut block = Vec::new();
    pb::bytes(&mut block, 1, &table);
    pb::bytes(&mut block, 2, &group);
    pb::bytes(&mut block, 2, &ways_group);
    let mut header_block = Vec::new();
    pb::bytes(&mut header_block, 4, b"OsmSchema-V0.6");
    let mut file = Vec::new();
    pb::block(&mut file, "OSMHeader", &header_block);
    pb::block(&mut file, "OSMData", &block);
    let path = dir.join("village.osm.pbf");
    std::fs::write(&path, file).unwrap();

    let sc = import_and_check(&dir, &[path.to_str().unwrap(), "--origin", "0,0"]);
    let anchor = sc
        .map
        .places
        .iter()
        .find(|p| p.households == 1)
        .expect("the anchor hamlet");
    assert!(
        near(anchor.pos, 222_650.797, -110_642.229, 1.0),
        "{:?}",
        anchor.pos
    );
    assert_eq!(place(&sc, "上村").households, 5);
    assert!(place(&sc, "晒谷场").shelter.is_some());
    assert!(
        sc.map
            .links
            .iter()
            .any(|l| l.kind == drill_engine::model::LinkKind::Road && l.width_m == 4.5)
    );
}

/// The 5,000-building township of the bench imports to a scenario that checks clean.
#[test]
fn a_five_thousand_building_township_checks_clean() {
    use drill_engine::geo::Datum;
    use drill_engine::import::{Format, read_input, scenario, synthetic};
    let xml = synthetic::township_osm(5000);
    let features = read_input(Format::OsmXml, xml.as_bytes(), None, Datum::Wgs84).unwrap();
    let (text, summary) = scenario::build(&features, &scenario::Options::default()).unwrap();
    assert_eq!(summary.households, 5000);
    assert_eq!(summary.hamlets, 50);
    assert_eq!(summary.shelters, 5);
    let text = lang::format(&text).unwrap();
    let mut sources = SourceMap::new();
    let main = sources.add("township.drill", text);
    let r = lang::check(&mut sources, main, &|_: &str| {
        Err::<String, String>("no includes".into())
    });
    assert!(
        !r.has_errors(),
        "{}",
        lang::render(&r.diagnostics, &sources)
    );
    assert!(
        r.diagnostics.is_empty(),
        "{}",
        lang::render(&r.diagnostics, &sources)
    );
}
