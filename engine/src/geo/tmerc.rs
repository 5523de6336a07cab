//! 横轴墨卡托投影 — the transverse Mercator projection on an ellipsoid, by Krüger's
//! series to fourth order in the third flattening n (Karney 2011, "Transverse Mercator
//! with an accuracy of a few nanometers", J. Geodesy 85, eqs. 35–36; the n⁴ truncation
//! is good to well under a millimetre within 1,000 km of the central meridian, which
//! covers every Gauss–Krüger and UTM zone). It serves three purposes: the local plane of
//! a georeferenced map (central meridian through the map's origin, scale 1), and the
//! inverse of the projected systems a GeoTIFF DEM or a Shapefile may come in
//! (UTM, CGCS2000 Gauss–Krüger 3° and 6° zones).

/// An ellipsoid: semi-major axis (m) and flattening.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ellipsoid {
    pub a: f64,
    pub f: f64,
}

/// WGS 84 (EPSG:7030).
pub const WGS84: Ellipsoid = Ellipsoid {
    a: 6_378_137.0,
    f: 1.0 / 298.257_223_563,
};
/// GRS 1980 (EPSG:7019), the ellipsoid of CGCS2000 (whose own flattening,
/// 1/298.257222101, differs from GRS 80's in the twelfth digit).
pub const GRS80: Ellipsoid = Ellipsoid {
    a: 6_378_137.0,
    f: 1.0 / 298.257_222_101,
};

/// One transverse Mercator projection: ellipsoid, central meridian, scale on it, false
/// easting and northing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransverseMercator {
    lon0: f64,
    k0: f64,
    false_e: f64,
    false_n: f64,
    /// Rectifying radius times k0.
    ka: f64,
    e: f64,
    alpha: [f64; 4],
    beta: [f64; 4],
}

impl TransverseMercator {
    /// The projection with central meridian `lon0_deg`, scale `k0` and false easting
    /// and northing in metres.
    pub fn new(ell: Ellipsoid, lon0_deg: f64, k0: f64, false_e: f64, false_n: f64) -> Self {
        let n = ell.f / (2.0 - ell.f);
        let (n2, n3, n4) = (n * n, n * n * n, n * n * n * n);
        let a_rect = ell.a / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0);
        TransverseMercator {
            lon0: lon0_deg.to_radians(),
            k0,
            false_e,
            false_n,
            ka: k0 * a_rect,
            e: (ell.f * (2.0 - ell.f)).sqrt(),
            alpha: [
                n / 2.0 - 2.0 * n2 / 3.0 + 5.0 * n3 / 16.0 + 41.0 * n4 / 180.0,
                13.0 * n2 / 48.0 - 3.0 * n3 / 5.0 + 557.0 * n4 / 1440.0,
                61.0 * n3 / 240.0 - 103.0 * n4 / 140.0,
                49561.0 * n4 / 161_280.0,
            ],
            beta: [
                n / 2.0 - 2.0 * n2 / 3.0 + 37.0 * n3 / 96.0 - n4 / 360.0,
                n2 / 48.0 + n3 / 15.0 - 437.0 * n4 / 1440.0,
                17.0 * n3 / 480.0 - 37.0 * n4 / 840.0,
                4397.0 * n4 / 161_280.0,
            ],
        }
    }

    /// UTM zone `zone` (1–60), north or south.
    pub fn utm(zone: u32, north: bool) -> Self {
        let lon0 = f64::from(zone) * 6.0 - 183.0;
        let false_n = if north { 0.0 } else { 10_000_000.0 };
        Self::new(WGS84, lon0, 0.9996, 500_000.0, false_n)
    }

    /// Conformal latitude's tangent-like quantity: sinh of the isometric latitude
    /// difference, as in Karney's τ'.
    fn conformal(&self, phi: f64) -> f64 {
        let s = phi.sin();
        (s.atanh() - self.e * (self.e * s).atanh()).sinh()
    }

    /// (longitude, latitude) in degrees → (easting, northing) in metres.
    pub fn forward(&self, lon_deg: f64, lat_deg: f64) -> (f64, f64) {
        let phi = lat_deg.to_radians();
        let dl = lon_deg.to_radians() - self.lon0;
        let t = self.conformal(phi);
        let xi = t.atan2(dl.cos());
        let eta = (dl.sin() / (1.0 + t * t).sqrt()).atanh();
        let (mut x, mut y) = (eta, xi);
        for (j, a) in self.alpha.iter().enumerate() {
            let k = 2.0 * (j + 1) as f64;
            x += a * (k * xi).cos() * (k * eta).sinh();
            y += a * (k * xi).sin() * (k * eta).cosh();
        }
        (self.false_e + self.ka * x, self.false_n + self.ka * y)
    }

    /// (easting, northing) in metres → (longitude, latitude) in degrees.
    pub fn inverse(&self, e: f64, n: f64) -> (f64, f64) {
        let xi = (n - self.false_n) / self.ka;
        let eta = (e - self.false_e) / self.ka;
        let (mut xp, mut ep) = (xi, eta);
        for (j, b) in self.beta.iter().enumerate() {
            let k = 2.0 * (j + 1) as f64;
            xp -= b * (k * xi).sin() * (k * eta).cosh();
            ep -= b * (k * xi).cos() * (k * eta).sinh();
        }
        let chi = (xp.sin() / ep.cosh()).asin();
        let lon = self.lon0 + ep.sinh().atan2(xp.cos());
        // Latitude from the conformal latitude χ: fixed-point iteration on
        // φ ← φ + (χ − χ(φ)), which contracts by about e² per step.
        let mut phi = chi;
        for _ in 0..20 {
            let chi_phi = self.conformal(phi).atan();
            let d = chi - chi_phi;
            phi += d;
            if d.abs() < 1e-15 {
                break;
            }
        }
        (lon.to_degrees(), phi.to_degrees())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PROJ's own tmerc test (test/gie/builtins.gie and PROJ's former selftest,
    /// `+proj=tmerc +ellps=GRS80`): (2°, 1°) → (222650.79679577847,
    /// 110642.22941192707) m and the three mirror images. Tolerance 1 mm.
    #[test]
    fn proj_tmerc_grs80_reference() {
        let tm = TransverseMercator::new(GRS80, 0.0, 1.0, 0.0, 0.0);
        for (sx, sy) in [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)] {
            let (x, y) = tm.forward(2.0 * sx, sy);
            assert!((x - sx * 222_650.796_795_778_47).abs() < 1e-3, "{x}");
            assert!((y - sy * 110_642.229_411_927_07).abs() < 1e-3, "{y}");
            let (lon, lat) = tm.inverse(x, y);
            assert!((lon - 2.0 * sx).abs() < 1e-9 && (lat - sy).abs() < 1e-9);
        }
    }

    /// PROJ's documented UTM example (gie manual; `cct +proj=utm +zone=32
    /// +ellps=GRS80`): 12°E 55°N → 691875.63214 E, 6098907.82501 N, and 12°E 56°N →
    /// 687071.4391 E, 6210141.3267 N. Tolerance 1 mm.
    #[test]
    fn proj_utm_zone_32_reference() {
        let tm = TransverseMercator::new(GRS80, 9.0, 0.9996, 500_000.0, 0.0);
        let (e, n) = tm.forward(12.0, 55.0);
        assert!((e - 691_875.632_14).abs() < 1e-3, "{e}");
        assert!((n - 6_098_907.825_01).abs() < 1e-3, "{n}");
        let (e, n) = tm.forward(12.0, 56.0);
        assert!((e - 687_071.439_1).abs() < 1e-3, "{e}");
        assert!((n - 6_210_141.326_7).abs() < 1e-3, "{n}");
        let (lon, lat) = tm.inverse(691_875.632_14, 6_098_907.825_01);
        assert!((lon - 12.0).abs() < 1e-8 && (lat - 55.0).abs() < 1e-8);
    }

    /// Forward then inverse returns the point across a 3° Gauss–Krüger zone in China.
    #[test]
    fn round_trip_across_a_gauss_kruger_zone() {
        let tm = TransverseMercator::new(GRS80, 120.0, 1.0, 500_000.0, 0.0);
        for lon in [118.5, 119.3, 120.0, 121.4] {
            for lat in [18.0, 30.25, 45.0, 53.5] {
                let (e, n) = tm.forward(lon, lat);
                let (l2, p2) = tm.inverse(e, n);
                assert!((l2 - lon).abs() < 1e-10 && (p2 - lat).abs() < 1e-10);
            }
        }
    }
}
