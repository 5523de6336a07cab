//! 地理参考 — georeferencing: how longitude/latitude (WGS 84 / CGCS2000, which agree to
//! well under a metre in China) become the map's local metres (`x` east, `y` south of
//! the map's `origin`), and back; the offset datums of Chinese web maps (GCJ-02,
//! BD-09, [`china`]); and the coordinate systems GIS files come in ([`Crs`]: longitude/
//! latitude, UTM, CGCS2000 Gauss–Krüger zones, Web Mercator). Pure functions: the
//! validator converts a scenario's lon/lat points with [`LocalFrame`], and `drill
//! import` and the GeoTIFF reader ([`dem`]) use the same frame, so a point lands in the
//! same place whichever way it came in.

pub mod china;
pub mod dem;
pub mod tmerc;

use crate::model::{Georef, Point};
use tmerc::{GRS80, TransverseMercator, WGS84};

/// 坐标系 — the datum of longitude/latitude a scenario or a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Datum {
    /// WGS 84 or CGCS2000 (GPS, Tianditu 天地图, OpenStreetMap, survey data).
    #[default]
    Wgs84,
    /// GCJ-02 (火星坐标): Gaode 高德, Tencent 腾讯.
    Gcj02,
    /// BD-09: Baidu 百度.
    Bd09,
}

impl Datum {
    /// Reads `wgs84`, `cgcs2000`, `gcj02`, `bd09` (any case, with or without `-`).
    pub fn parse(s: &str) -> Option<Datum> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "wgs84" | "cgcs2000" | "epsg4326" | "epsg4490" => Some(Datum::Wgs84),
            "gcj02" | "gcj" => Some(Datum::Gcj02),
            "bd09" | "bd09ll" | "baidu" => Some(Datum::Bd09),
            _ => None,
        }
    }

    /// The point in WGS 84, degrees (longitude, latitude).
    pub fn to_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Datum::Wgs84 => (lon, lat),
            Datum::Gcj02 => china::gcj02_to_wgs84(lon, lat),
            Datum::Bd09 => {
                let (l, p) = china::bd09_to_gcj02(lon, lat);
                china::gcj02_to_wgs84(l, p)
            }
        }
    }
}

/// Whether a longitude/latitude pair can be a map origin: a real place, away from the
/// poles where a local transverse Mercator plane still works but nobody drills.
pub fn plausible_lonlat(lon: f64, lat: f64) -> bool {
    lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-85.0..=85.0).contains(&lat)
}

/// The map's local plane: a transverse Mercator with its central meridian through the
/// origin and scale 1, shifted so that the origin is (0, 0), `y` pointing south. Over a
/// county (±50 km) its scale error stays under 3·10⁻⁵ (3 cm per km), and grid north is
/// true north along the origin's meridian.
#[derive(Debug, Clone, Copy)]
pub struct LocalFrame {
    tm: TransverseMercator,
    north0: f64,
}

impl LocalFrame {
    pub fn new(origin: Georef) -> LocalFrame {
        let tm = TransverseMercator::new(GRS80, origin.lon, 1.0, 0.0, 0.0);
        let (_, north0) = tm.forward(origin.lon, origin.lat);
        LocalFrame { tm, north0 }
    }

    /// WGS 84 (longitude, latitude) in degrees → map point in metres.
    pub fn to_map(&self, lon: f64, lat: f64) -> Point {
        let (e, n) = self.tm.forward(lon, lat);
        Point {
            x: e,
            y: self.north0 - n,
        }
    }

    /// Map point → WGS 84 (longitude, latitude) in degrees.
    pub fn to_lonlat(&self, p: Point) -> (f64, f64) {
        self.tm.inverse(p.x, self.north0 - p.y)
    }
}

/// A coordinate reference system a GIS file's coordinates are in.
#[derive(Debug, Clone, Copy)]
pub enum Crs {
    /// Longitude/latitude in degrees (EPSG:4326 WGS 84, EPSG:4490 CGCS2000).
    Geographic,
    /// Easting/northing of a transverse Mercator (UTM, Gauss–Krüger).
    TransverseMercator(TransverseMercator),
    /// EPSG:3857, the spherical Mercator of web tiles.
    WebMercator,
}

impl Crs {
    /// The systems met in Chinese county data, by EPSG code: 4326/4490 (lon/lat),
    /// 32601–32660 and 32701–32760 (UTM north/south), 4491–4501 (CGCS2000 6° Gauss–Krüger
    /// zones 13–23, zone number in the easting), 4502–4512 (the same by central
    /// meridian 75°E–135°E), 4513–4533 (3° zones 25–45, zone in the easting), 4534–4554
    /// (3° by central meridian), 3857/900913 (Web Mercator). `None` for anything else,
    /// notably Beijing 1954 and Xian 1980, whose datums differ from WGS 84 by up to
    /// 100 m and need a transformation this engine does not guess.
    pub fn from_epsg(code: u32) -> Option<Crs> {
        let gk = |lon0: f64, false_e: f64| {
            Crs::TransverseMercator(TransverseMercator::new(GRS80, lon0, 1.0, false_e, 0.0))
        };
        Some(match code {
            4326 | 4490 | 4283 | 4258 | 4269 => Crs::Geographic,
            32601..=32660 => Crs::TransverseMercator(TransverseMercator::utm(code - 32600, true)),
            32701..=32760 => Crs::TransverseMercator(TransverseMercator::utm(code - 32700, false)),
            4491..=4501 => {
                let zone = f64::from(code - 4491 + 13);
                gk(zone * 6.0 - 3.0, zone * 1e6 + 500_000.0)
            }
            4502..=4512 => gk(75.0 + f64::from(code - 4502) * 6.0, 500_000.0),
            4513..=4533 => {
                let zone = f64::from(code - 4513 + 25);
                gk(zone * 3.0, zone * 1e6 + 500_000.0)
            }
            4534..=4554 => gk(75.0 + f64::from(code - 4534) * 3.0, 500_000.0),
            3857 | 900_913 | 3785 | 102_100 => Crs::WebMercator,
            _ => return None,
        })
    }

    /// A transverse Mercator given by its parameters (a GeoTIFF's user-defined
    /// projection or a `.prj`'s): latitude of origin folded into the false northing.
    pub fn transverse_mercator(lon0: f64, lat0: f64, k0: f64, false_e: f64, false_n: f64) -> Crs {
        let probe = TransverseMercator::new(GRS80, lon0, k0, 0.0, 0.0);
        let (_, n0) = probe.forward(lon0, lat0);
        Crs::TransverseMercator(TransverseMercator::new(
            GRS80,
            lon0,
            k0,
            false_e,
            false_n - n0,
        ))
    }

    /// Reads an ESRI `.prj` (WKT 1): geographic, Transverse Mercator / Gauss–Krüger
    /// with its parameters, or Web Mercator. `Err` says what was found instead.
    pub fn from_wkt(wkt: &str) -> Result<Crs, String> {
        let upper = wkt.to_ascii_uppercase();
        if upper.contains("BEIJING") || upper.contains("XIAN") || upper.contains("XI'AN") {
            return Err("Beijing 1954 and Xian 1980 coordinates differ from WGS 84/CGCS2000 by up to 100 m; reproject the data to CGCS2000 or WGS 84 first".into());
        }
        if !upper.contains("PROJCS") {
            return if upper.contains("GEOGCS") {
                Ok(Crs::Geographic)
            } else {
                Err("the .prj holds no coordinate system".into())
            };
        }
        if upper.contains("MERCATOR_AUXILIARY_SPHERE")
            || upper.contains("PSEUDO-MERCATOR")
            || upper.contains("PSEUDO_MERCATOR")
        {
            return Ok(Crs::WebMercator);
        }
        if !(upper.contains("TRANSVERSE_MERCATOR") || upper.contains("GAUSS_KRUGER")) {
            return Err("only Transverse Mercator (UTM, Gauss–Krüger) and Web Mercator projections are read".into());
        }
        let param = |name: &str| -> Option<f64> {
            let i = upper.find(&format!("PARAMETER[\"{name}\""))?;
            let rest = &wkt[i..];
            let comma = rest.find(',')?;
            let end = rest[comma + 1..].find(']')?;
            rest[comma + 1..comma + 1 + end].trim().parse().ok()
        };
        let lon0 = param("CENTRAL_MERIDIAN")
            .or_else(|| param("LONGITUDE_OF_CENTER"))
            .unwrap_or(0.0);
        let lat0 = param("LATITUDE_OF_ORIGIN").unwrap_or(0.0);
        let k0 = param("SCALE_FACTOR").unwrap_or(1.0);
        let fe = param("FALSE_EASTING").unwrap_or(0.0);
        let fn_ = param("FALSE_NORTHING").unwrap_or(0.0);
        Ok(Crs::transverse_mercator(lon0, lat0, k0, fe, fn_))
    }

    /// WGS 84 (longitude, latitude) in degrees → a coordinate pair of this system.
    pub fn from_lonlat(&self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Crs::Geographic => (lon, lat),
            Crs::TransverseMercator(tm) => tm.forward(lon, lat),
            Crs::WebMercator => {
                let r = WGS84.a;
                let phi = lat.to_radians();
                (
                    r * lon.to_radians(),
                    r * (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln(),
                )
            }
        }
    }

    /// A coordinate pair of this system → WGS 84 (longitude, latitude) in degrees.
    pub fn to_lonlat(&self, x: f64, y: f64) -> (f64, f64) {
        match self {
            Crs::Geographic => (x, y),
            Crs::TransverseMercator(tm) => tm.inverse(x, y),
            Crs::WebMercator => {
                let r = WGS84.a;
                let lon = (x / r).to_degrees();
                let lat = (2.0 * (y / r).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
                (lon, lat)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The local frame puts the origin at (0, 0), east at +x and north at −y, with
    /// distances as on the ground: 0.01° of latitude from 30°N is 1108.525 m (the
    /// meridian arc on GRS 80, ∫ a(1−e²)/(1−e² sin²φ)^1.5 dφ integrated numerically;
    /// ±1 cm). 0.01° east along the parallel lies north of the x axis by the parallel's
    /// curvature on the plane, ν sin φ cos φ Δλ² / 2 = 4.2 cm.
    #[test]
    fn local_frame_axes_and_scale() {
        let f = LocalFrame::new(Georef {
            lon: 119.5,
            lat: 30.0,
        });
        let o = f.to_map(119.5, 30.0);
        assert!(o.x.abs() < 1e-9 && o.y.abs() < 1e-9);
        let north = f.to_map(119.5, 30.01);
        assert!(north.x.abs() < 1e-6);
        assert!((north.y + 1108.525).abs() < 0.01, "{north:?}");
        let east = f.to_map(119.51, 30.0);
        assert!(
            east.x > 960.0 && east.x < 966.0 && (east.y + 0.042).abs() < 0.002,
            "{east:?}"
        );
        let (lon, lat) = f.to_lonlat(Point {
            x: 1234.5,
            y: -678.9,
        });
        let back = f.to_map(lon, lat);
        assert!((back.x - 1234.5).abs() < 1e-6 && (back.y + 678.9).abs() < 1e-6);
    }

    /// EPSG:32650 is UTM 50N; EPSG:4549 is CGCS2000 3° Gauss–Krüger CM 120°E; EPSG:4528
    /// is the same zone (40) with its number in the easting.
    #[test]
    fn epsg_codes_of_chinese_data() {
        let Some(Crs::TransverseMercator(utm)) = Crs::from_epsg(32650) else {
            panic!()
        };
        let (e, _) = utm.forward(117.0, 30.0);
        assert!((e - 500_000.0).abs() < 1e-6);
        let Some(cm) = Crs::from_epsg(4549) else {
            panic!()
        };
        let Some(zone) = Crs::from_epsg(4528) else {
            panic!()
        };
        let a = cm.to_lonlat(500_000.0, 3_320_000.0);
        let b = zone.to_lonlat(40_500_000.0, 3_320_000.0);
        assert!(
            (a.0 - 120.0).abs() < 1e-9 && (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9,
            "{a:?} {b:?}"
        );
        assert!(Crs::from_epsg(2436).is_none()); // Beijing 1954 GK
    }

    #[test]
    fn wkt_transverse_mercator_is_read() {
        let wkt = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        let crs = Crs::from_wkt(wkt).unwrap();
        let (lon, _) = crs.to_lonlat(500_000.0, 3_300_000.0);
        assert!((lon - 120.0).abs() < 1e-9);
        assert!(matches!(
            Crs::from_wkt(r#"GEOGCS["GCS_WGS_1984"]"#),
            Ok(Crs::Geographic)
        ));
        assert!(Crs::from_wkt(r#"PROJCS["Beijing_1954_GK_Zone_20"]"#).is_err());
    }

    #[test]
    fn web_mercator_inverse() {
        // 20037508.342789 m is 180° (PROJ's own EPSG:3857 test).
        let (lon, lat) = Crs::WebMercator.to_lonlat(20_037_508.342_789, 0.0);
        assert!((lon - 180.0).abs() < 1e-6 && lat.abs() < 1e-9);
    }
}
