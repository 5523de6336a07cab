//! A scenario written in longitude/latitude (`origin` + `coordinates lonlat`, 经纬度)
//! checks clean, its points land where they belong in map metres, and `drill fmt`
//! keeps them as written. The expected metres come from the lengths of a degree on
//! the WGS 84 ellipsoid at the origin's latitude, independent of the engine's
//! transverse Mercator; within 20 m of the origin the two agree far below 1 m.

use drill_engine::lang;

const TEXT: &str = r#"scenario "经纬度坐标的小村" {
  id       lonlat-village
  hazard   flood
  start    2026-06-18 20:00
  duration 2h
  seed     7
}

map {
  origin      (119.53, 30.24)      // 村委会 / the village office
  coordinates lonlat
  place   村委会   at (119.53, 30.24) kind office
  place   下村     at (119.531, 30.2395) households 10 people 30
  shelter 小学     at (119.5295, 30.2408) capacity 100
  road    下村 -> 村委会 width 4m
  path    村委会 -> 小学 width 2m
  zone    低洼区 level red hazard flood polygon (119.5305, 30.2392) (119.5315, 30.2392) (119.5315, 30.2398) (119.5305, 30.2398)
}

roles {
  村应急管理员 level village post 村委会
}

plan "处置卡" {
  task T1 "发布预警" { when warning red who 村应急管理员 do warn zone 低洼区 how [phone] within 30min }
}

injects {
  1 at 20:10 "红色预警" expect T1 effect warning red
}
"#;

/// Metres per degree of longitude and of latitude on WGS 84 at latitude `lat`
/// (the ellipsoid's radii of curvature: N cos φ π/180 and M π/180).
fn metres_per_degree(lat: f64) -> (f64, f64) {
    let (a, e2) = (6_378_137.0_f64, 0.006_694_379_990_14_f64);
    let phi = lat.to_radians();
    let w = (1.0 - e2 * phi.sin().powi(2)).sqrt();
    let n = a / w;
    let m = a * (1.0 - e2) / w.powi(3);
    (
        n * phi.cos() * std::f64::consts::PI / 180.0,
        m * std::f64::consts::PI / 180.0,
    )
}

#[test]
fn a_lonlat_scenario_checks_clean_and_lands_within_a_metre() {
    let (sources, r) = lang::check_text("lonlat.drill", TEXT);
    let s = r
        .scenario
        .unwrap_or_else(|| panic!("{}", lang::render(&r.diagnostics, &sources)));
    assert!(
        r.diagnostics.is_empty(),
        "{}",
        lang::render(&r.diagnostics, &sources)
    );
    let at = |name: &str| s.map.places.iter().find(|p| p.name == name).unwrap().pos;
    let office = at("村委会");
    assert!(
        office.x.abs() < 0.01 && office.y.abs() < 0.01,
        "origin at {office:?}"
    );
    let (per_lon, per_lat) = metres_per_degree(30.24);
    // 下村: 0.001° east (≈ 96.2 m) and 0.0005° south (≈ 55.4 m); y points south on the map.
    let village = at("下村");
    let (east, south) = (0.001 * per_lon, 0.0005 * per_lat);
    assert!(
        (village.x - east).abs() < 1.0,
        "x {} against {east}",
        village.x
    );
    assert!(
        (village.y - south).abs() < 1.0,
        "y {} against {south}",
        village.y
    );
    // 小学: 0.0005° west, 0.0008° north.
    let school = at("小学");
    let (west, north) = (0.0005 * per_lon, 0.0008 * per_lat);
    assert!(
        (school.x + west).abs() < 1.0,
        "x {} against {}",
        school.x,
        -west
    );
    assert!(
        (school.y + north).abs() < 1.0,
        "y {} against {}",
        school.y,
        -north
    );
    // The formatter keeps the degrees as written.
    let formatted = lang::format(TEXT).expect("formats");
    assert!(formatted.contains("(119.531, 30.2395)"), "{formatted}");
    assert_eq!(lang::format(&formatted).unwrap(), formatted, "idempotent");
}

/// A basemap placed by corners in degrees (`basemap "x.png" from (lon, lat) to (lon,
/// lat)` under `coordinates lonlat`): its four corners land in map metres where the
/// degree lengths put them, within 1 m (the image itself is read only by `io`).
#[test]
fn basemap_corners_in_degrees_land_within_a_metre() {
    use drill_engine::model::BasemapPlacement;
    let text = TEXT.replace(
        "  coordinates lonlat\n",
        "  coordinates lonlat\n  basemap \"maps/air.png\" from (119.529, 30.241) to (119.532, 30.239)\n",
    );
    let (sources, r) = lang::check_text("lonlat.drill", &text);
    let s = r
        .scenario
        .unwrap_or_else(|| panic!("{}", lang::render(&r.diagnostics, &sources)));
    let basemap = s.map.basemap.as_ref().expect("the basemap is read");
    let BasemapPlacement::Corners(corners) = basemap.placement else {
        panic!("placed by corners: {:?}", basemap.placement)
    };
    let (per_lon, per_lat) = metres_per_degree(30.24);
    // North-west, north-east, south-east, south-west; y points south on the map.
    let expected = [
        (-0.001 * per_lon, -0.001 * per_lat),
        (0.002 * per_lon, -0.001 * per_lat),
        (0.002 * per_lon, 0.001 * per_lat),
        (-0.001 * per_lon, 0.001 * per_lat),
    ];
    for (got, (x, y)) in corners.iter().zip(expected) {
        assert!(
            (got.x - x).abs() < 1.0 && (got.y - y).abs() < 1.0,
            "{got:?} against ({x}, {y})"
        );
    }
}
