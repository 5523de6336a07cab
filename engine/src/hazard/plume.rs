//! 危化品泄漏 — the chemical release model: a Gaussian plume for continuous releases and
//! a Gaussian puff for instantaneous ones, both with total reflection at the ground.
//!
//! ```text
//! plume  C(x,y,z) = Q / (2π u σy σz) · exp(−y²/2σy²) · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]
//! puff   C(x,y,z,t) = M / ((2π)^{3/2} σx σy σz) · exp(−(x−ut)²/2σx²) · exp(−y²/2σy²) · [same z terms]
//! ```
//!
//! (Turner 1970, *Workbook of Atmospheric Dispersion Estimates*, eq. 3.1; Crowl & Louvar,
//! *Chemical Process Safety*, 3rd ed., eqs. 5-49 and 5-58.) Dispersion coefficients σy, σz
//! are the Briggs (1973) formulas for Pasquill-Gifford classes A-F as tabulated by
//! Griffiths (1994) and Crowl & Louvar (tables 5-2, 5-3): the **open-country (rural)**
//! set by default, the **urban** set (from the St. Louis data) when the scenario says
//! `terrain urban`. They are fitted for 100 m < x < 10 km; nearer and farther they are
//! extrapolated. For puffs σx = σy, the usual assumption (Crowl & Louvar §5-3).
//!
//! Wind shifts: the weather timeline is piecewise constant. A continuous plume is
//! treated as quasi-steady within each segment: after a shift the plume points the new
//! way and reaches only as far as the new wind has carried material since the shift
//! (material released before the shift is not tracked, which underestimates far-field
//! concentrations just after a shift). A puff is advected segment by segment, its
//! spread growing with the distance travelled.
//!
//! Limits, said plainly: a Gaussian model is passive, neutrally buoyant dispersion. It is
//! weakest exactly for the releases most common in chemical parks — **chlorine and
//! pressurised or refrigerated ammonia form dense clouds** that slump, hug the ground,
//! flow downhill and spread upwind; near the source a dense-gas model (e.g. DEGADIS, or
//! ALOHA's heavy-gas module) gives quite different, usually longer and wider, hazard
//! zones. Wind speeds below 1 m/s are raised to 1 m/s (ALOHA's lower limit too), where
//! the Gaussian model stops being meaningful.
//!
//! Threat zones compare ground-level concentrations with the 60-minute AEGLs, the
//! default of ALOHA (Jones et al. 2013, NOAA Technical Memorandum NOS OR&R 43).

use serde::Deserialize;

use crate::hazard::HazardField;
use crate::hazard::raster::downwind_unit;
use crate::model::{ChemicalSpec, PlumeWeather, Point, Release, Stability, Timeline};

/// Molar volume of an ideal gas at 25 °C and 1 atm, litres per mole: the basis of the
/// AEGL tables' ppm ↔ mg/m³ conversions.
pub const MOLAR_VOLUME_25C_L: f64 = 24.45;

/// Lowest transport wind speed the Gaussian model accepts, m/s.
pub const MIN_WIND_M_S: f64 = 1.0;

/// Nearest downwind distance at which the Briggs σ are evaluated, metres; closer
/// receptors use this distance (avoids the singular source point).
pub const MIN_DISTANCE_M: f64 = 10.0;

/// Which Briggs (1973) dispersion-coefficient set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoefficientSet {
    /// Open country (乡村).
    BriggsRural,
    /// Urban (城区), from the St. Louis dispersion experiments.
    BriggsUrban,
}

impl CoefficientSet {
    pub fn label(self) -> &'static str {
        match self {
            CoefficientSet::BriggsRural => "Briggs (1973) open-country (rural)",
            CoefficientSet::BriggsUrban => "Briggs (1973) urban",
        }
    }
}

/// Briggs (1973) σy and σz (metres) at downwind distance `x_m`.
pub fn briggs_sigmas(set: CoefficientSet, class: Stability, x_m: f64) -> (f64, f64) {
    use Stability::*;
    let x = x_m.max(MIN_DISTANCE_M);
    match set {
        CoefficientSet::BriggsRural => {
            let sy_a = match class {
                A => 0.22,
                B => 0.16,
                C => 0.11,
                D => 0.08,
                E => 0.06,
                F => 0.04,
            };
            let sy = sy_a * x / (1.0 + 0.0001 * x).sqrt();
            let sz = match class {
                A => 0.20 * x,
                B => 0.12 * x,
                C => 0.08 * x / (1.0 + 0.0002 * x).sqrt(),
                D => 0.06 * x / (1.0 + 0.0015 * x).sqrt(),
                E => 0.03 * x / (1.0 + 0.0003 * x),
                F => 0.016 * x / (1.0 + 0.0003 * x),
            };
            (sy, sz)
        }
        CoefficientSet::BriggsUrban => {
            let sy_a = match class {
                A | B => 0.32,
                C => 0.22,
                D => 0.16,
                E | F => 0.11,
            };
            let sy = sy_a * x / (1.0 + 0.0004 * x).sqrt();
            let sz = match class {
                A | B => 0.24 * x * (1.0 + 0.001 * x).sqrt(),
                C => 0.20 * x,
                D => 0.14 * x / (1.0 + 0.0003 * x).sqrt(),
                E | F => 0.08 * x / (1.0 + 0.0015 * x).sqrt(),
            };
            (sy, sz)
        }
    }
}

/// Vertical term with ground reflection: exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²).
fn reflected(z: f64, h: f64, sz: f64) -> f64 {
    let k = -0.5 / (sz * sz);
    (k * (z - h) * (z - h)).exp() + (k * (z + h) * (z + h)).exp()
}

/// Steady plume concentration (g/m³) for emission `q_g_s` (g/s), wind `u` (m/s),
/// dispersion `sy`, `sz` (m), crosswind offset `y`, receptor height `z`, release height `h`.
pub fn plume_concentration(q_g_s: f64, u: f64, sy: f64, sz: f64, y: f64, z: f64, h: f64) -> f64 {
    q_g_s / (2.0 * std::f64::consts::PI * u * sy * sz)
        * (-0.5 * y * y / (sy * sy)).exp()
        * reflected(z, h, sz)
}

/// Puff concentration (g/m³) for mass `m_g` (g) at offsets `dx` (along wind from the
/// puff centre), `y` (crosswind) and height `z`, release height `h`.
#[allow(clippy::too_many_arguments)] // the variables of the published formula, in its order
pub fn puff_concentration(
    m_g: f64,
    sx: f64,
    sy: f64,
    sz: f64,
    dx: f64,
    y: f64,
    z: f64,
    h: f64,
) -> f64 {
    let norm = (2.0 * std::f64::consts::PI).powf(1.5) * sx * sy * sz;
    m_g / norm * (-0.5 * dx * dx / (sx * sx) - 0.5 * y * y / (sy * sy)).exp() * reflected(z, h, sz)
}

/// mg/m³ → ppm at 25 °C, 1 atm.
pub fn mg_m3_to_ppm(mg_m3: f64, molecular_weight_g_mol: f64) -> f64 {
    mg_m3 * MOLAR_VOLUME_25C_L / molecular_weight_g_mol
}

/// ppm → mg/m³ at 25 °C, 1 atm.
pub fn ppm_to_mg_m3(ppm: f64, molecular_weight_g_mol: f64) -> f64 {
    ppm * molecular_weight_g_mol / MOLAR_VOLUME_25C_L
}

/// AEGL exposure durations, minutes, in the order of [`Substance::aegl1`] etc.
pub const AEGL_DURATIONS_MIN: [f64; 5] = [10.0, 30.0, 60.0, 240.0, 480.0];
/// Index of the 60-minute value.
pub const AEGL_60_MIN: usize = 2;

/// A substance from `assets/data/substances.ron`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Substance {
    pub key: String,
    pub name: String,
    pub name_zh: String,
    pub cas: String,
    pub molecular_weight_g_mol: f64,
    pub dense_gas: bool,
    /// AEGL-1/2/3, ppm, for 10 min, 30 min, 60 min, 4 h, 8 h; `None` = not recommended.
    pub aegl1: Vec<Option<f64>>,
    pub aegl2: Vec<Option<f64>>,
    pub aegl3: Vec<Option<f64>>,
}

impl Substance {
    /// The AEGL of `level` (1-3) for duration index `duration` (see [`AEGL_DURATIONS_MIN`]).
    pub fn aegl(&self, level: u8, duration: usize) -> Option<f64> {
        match level {
            1 => self.aegl1.get(duration).copied().flatten(),
            2 => self.aegl2.get(duration).copied().flatten(),
            3 => self.aegl3.get(duration).copied().flatten(),
            _ => None,
        }
    }
}

/// The substance table shipped with the engine (embedded at build time).
pub const SUBSTANCES_RON: &str = include_str!("../../../assets/data/substances.ron");

/// Parses a substance table in RON.
pub fn parse_substances(text: &str) -> Result<Vec<Substance>, String> {
    let list: Vec<Substance> = ron::from_str(text).map_err(|e| format!("substance table: {e}"))?;
    for s in &list {
        if s.molecular_weight_g_mol.is_nan() || s.molecular_weight_g_mol <= 0.0 {
            return Err(format!(
                "substance {}: molecular weight must be positive",
                s.key
            ));
        }
        if [&s.aegl1, &s.aegl2, &s.aegl3]
            .iter()
            .any(|a| a.len() != AEGL_DURATIONS_MIN.len())
        {
            return Err(format!(
                "substance {}: each AEGL row needs 5 values (10 min, 30 min, 60 min, 4 h, 8 h)",
                s.key
            ));
        }
    }
    Ok(list)
}

/// Looks a substance up by key (or Chinese name) in the shipped table, suggesting the
/// nearest key when it is misspelt.
pub fn find_substance(key: &str) -> Result<Substance, String> {
    let list = parse_substances(SUBSTANCES_RON)?;
    if let Some(s) = list
        .iter()
        .find(|s| s.key == key || s.name_zh == key || s.name.eq_ignore_ascii_case(key))
    {
        return Ok(s.clone());
    }
    let keys: Vec<&str> = list.iter().map(|s| s.key.as_str()).collect();
    let nearest = keys
        .iter()
        .map(|k| (strsim::jaro_winkler(k, key), *k))
        .fold(
            (0.0, ""),
            |best, cand| if cand.0 > best.0 { cand } else { best },
        );
    let hint = if nearest.0 > 0.8 {
        format!(" — did you mean {}?", nearest.1)
    } else {
        String::new()
    };
    Err(format!(
        "unknown substance {key}{hint} (known: {})",
        keys.join(", ")
    ))
}

/// Farthest distance the threat-zone scan looks, metres; a zone reaching it is cut off
/// there (a Gaussian plume means little that far out anyway).
pub const THREAT_SCAN_LIMIT_M: f64 = 100_000.0;

/// One AEGL threat zone: where ground-level concentration exceeds the level.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreatZone {
    /// 1, 2 or 3.
    pub level: u8,
    pub threshold_ppm: f64,
    /// Farthest downwind distance above the level, metres (0 when never reached).
    pub max_downwind_m: f64,
    /// Widest crosswind extent of the zone, metres.
    pub max_width_m: f64,
    /// Footprint area, m².
    pub area_m2: f64,
}

/// Ground-level concentration on the axis of a release at downwind distance x, g/m³.
pub type CenterlineFn<'a> = dyn Fn(f64) -> (f64, f64) + 'a;

/// Threat zones from a centreline function returning (concentration g/m³, σy m) at x.
fn threat_zones(substance: &Substance, centerline: &CenterlineFn) -> Vec<ThreatZone> {
    // Log-spaced scan from 1 m to 100 km, 2000 points: fine enough for metre-level
    // distances where it matters and cheap.
    let n = 2000;
    let xs: Vec<f64> = (0..=n)
        .map(|i| THREAT_SCAN_LIMIT_M.powf(i as f64 / n as f64))
        .collect();
    let samples: Vec<(f64, f64, f64)> = xs
        .iter()
        .map(|&x| {
            let (c, sy) = centerline(x);
            (
                x,
                mg_m3_to_ppm(c * 1000.0, substance.molecular_weight_g_mol),
                sy,
            )
        })
        .collect();
    (1..=3u8)
        .filter_map(|level| substance.aegl(level, AEGL_60_MIN).map(|l| (level, l)))
        .map(|(level, threshold)| {
            let mut zone = ThreatZone {
                level,
                threshold_ppm: threshold,
                max_downwind_m: 0.0,
                max_width_m: 0.0,
                area_m2: 0.0,
            };
            let mut prev: Option<(f64, f64)> = None;
            for (k, &(x, ppm, sy)) in samples.iter().enumerate() {
                let half = if ppm > threshold {
                    sy * (2.0 * (ppm / threshold).ln()).sqrt()
                } else {
                    0.0
                };
                if ppm > threshold {
                    // Refine the far edge by bisection with the next sample.
                    let x_edge = match samples.get(k + 1) {
                        Some(&(x1, p1, _)) if p1 <= threshold => {
                            let (mut lo, mut hi) = (x, x1);
                            for _ in 0..50 {
                                let mid = 0.5 * (lo + hi);
                                let p = mg_m3_to_ppm(
                                    centerline(mid).0 * 1000.0,
                                    substance.molecular_weight_g_mol,
                                );
                                if p > threshold { lo = mid } else { hi = mid }
                            }
                            lo
                        }
                        _ => x,
                    };
                    zone.max_downwind_m = zone.max_downwind_m.max(x_edge);
                    zone.max_width_m = zone.max_width_m.max(2.0 * half);
                }
                if let Some((x0, w0)) = prev {
                    zone.area_m2 += 0.5 * (w0 + 2.0 * half) * (x - x0);
                }
                prev = Some((x, 2.0 * half));
            }
            zone
        })
        .collect()
}

/// AEGL threat zones of a steady continuous release of `q_kg_s` at height `h_m`.
pub fn plume_threat_zones(
    substance: &Substance,
    q_kg_s: f64,
    wind_m_s: f64,
    class: Stability,
    set: CoefficientSet,
    h_m: f64,
) -> Vec<ThreatZone> {
    let u = wind_m_s.max(MIN_WIND_M_S);
    threat_zones(substance, &|x| {
        let (sy, sz) = briggs_sigmas(set, class, x);
        (
            plume_concentration(q_kg_s * 1000.0, u, sy, sz, 0.0, 0.0, h_m),
            sy,
        )
    })
}

/// AEGL threat zones of a puff of `m_kg`: the peak ground concentration as the puff
/// centre passes each distance (σx = σy). A puff passes in minutes, so comparing its
/// peak with the 60-minute AEGL is conservative.
pub fn puff_threat_zones(
    substance: &Substance,
    m_kg: f64,
    class: Stability,
    set: CoefficientSet,
    h_m: f64,
) -> Vec<ThreatZone> {
    threat_zones(substance, &|x| {
        let (sy, sz) = briggs_sigmas(set, class, x);
        (
            puff_concentration(m_kg * 1000.0, sy, sy, sz, 0.0, 0.0, 0.0, h_m),
            sy,
        )
    })
}

/// One-box indoor concentration after `dt_s` with outdoor concentration `c_out`
/// constant over the step and `ach` air changes per hour: dC/dt = λ (C_out − C_in),
/// λ = ACH/3600, integrated exactly. This is ALOHA's shelter-in-place model (Jones et al.
/// 2013, §"Indoor air concentration"; Wilson 1987), without its building-type tables.
pub fn indoor_step(c_in: f64, c_out: f64, ach: f64, dt_s: f64) -> f64 {
    let decay = (-ach / 3600.0 * dt_s).exp();
    c_out + (c_in - c_out) * decay
}

/// Accumulated exposure of one person: dose ∫C dt and peak.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Exposure {
    /// ∫ C dt, ppm·min.
    pub dose_ppm_min: f64,
    pub peak_ppm: f64,
    pub minutes: f64,
}

impl Exposure {
    /// Adds `dt_s` seconds at concentration `c_ppm`.
    pub fn add(&mut self, c_ppm: f64, dt_s: f64) {
        self.dose_ppm_min += c_ppm * dt_s / 60.0;
        self.minutes += dt_s / 60.0;
        self.peak_ppm = self.peak_ppm.max(c_ppm);
    }

    /// Time-weighted mean concentration, ppm.
    pub fn mean_ppm(&self) -> f64 {
        if self.minutes > 0.0 {
            self.dose_ppm_min / self.minutes
        } else {
            0.0
        }
    }
}

/// The state shared by all receptors at one time: wind segment, direction, puff spread.
#[derive(Debug, Clone, Copy)]
struct Frame {
    weather: PlumeWeather,
    seg_start: f64,
    u: f64,
    ex: f64,
    ey: f64,
    puff_sigmas: (f64, f64),
}

/// The chemical release as a hazard field on the scenario map.
#[derive(Debug, Clone)]
pub struct PlumeModel {
    pub substance: Substance,
    pub set: CoefficientSet,
    source: Point,
    release: Release,
    start_s: f64,
    height_m: f64,
    weather: Timeline<PlumeWeather>,
    t_s: f64,
    /// Puff centre and distance travelled (instantaneous releases only).
    puff_centre: Point,
    puff_travel_m: f64,
    /// The steady plume on the last receptor grid sampled (continuous releases).
    grid_cache: Option<SteadyGrid>,
}

/// Receptors farther than this many σ from the plume axis or the puff centre are
/// taken as clean (exp(−32) ≈ 1e−14 of the peak).
pub const CUTOFF_SIGMAS: f64 = 8.0;

/// A receptor grid: north-west corner, columns, rows, spacing.
#[derive(Debug, Clone, Copy, PartialEq)]
struct GridShape {
    origin: Point,
    cols: usize,
    rows: usize,
    cell_m: f64,
}

/// A receptor grid kept between samples (for a map overlay or a benchmark): ground-level
/// ppm at cell centres, row-major, north row first. It remembers which cells it last
/// wrote, so a new sample rewrites only those and the ones the release covers now.
#[derive(Debug, Clone)]
pub struct ReceptorGrid {
    shape: GridShape,
    /// Ground-level concentration per receptor, ppm.
    pub ppm: Vec<f64>,
    spans: Vec<(usize, usize)>,
}

impl ReceptorGrid {
    /// A clean grid of `cols` × `rows` receptors at the centres of `cell_m` cells whose
    /// north-west corner is `origin`.
    pub fn new(origin: Point, cols: usize, rows: usize, cell_m: f64) -> ReceptorGrid {
        ReceptorGrid {
            shape: GridShape {
                origin,
                cols,
                rows,
                cell_m,
            },
            ppm: vec![0.0; cols * rows],
            spans: vec![(0, 0); rows],
        }
    }
}

/// The steady plume of one weather segment on one receptor grid. Weather is piecewise
/// constant, so within a segment a continuous plume's concentration at a receptor is
/// either this steady value or zero (before the front arrives, after the tail leaves):
/// the Gaussian is computed once per segment, and each sample only checks every
/// receptor's downwind distance against the window the material now covers.
#[derive(Debug, Clone)]
struct SteadyGrid {
    shape: GridShape,
    /// Start of the weather segment it was built for.
    segment_start_s: f64,
    /// Downwind distance of each receptor, metres.
    downwind_m: Vec<f64>,
    /// Steady ground-level ppm (0 upwind and beyond the cutoff width).
    steady_ppm: Vec<f64>,
    /// Per row, the columns `[first, end)` where the steady plume is not zero: the plume
    /// is convex (its half-width grows concavely with distance), so one run per row.
    spans: Vec<(usize, usize)>,
}

impl PlumeModel {
    /// The model for a scenario's `hazard chemical` block, looking its substance up in
    /// the shipped table.
    pub fn from_spec(spec: &ChemicalSpec) -> Result<PlumeModel, String> {
        PlumeModel::new(spec, find_substance(&spec.substance)?)
    }

    pub fn new(spec: &ChemicalSpec, substance: Substance) -> Result<PlumeModel, String> {
        if spec.weather.is_empty() {
            return Err("chemical release needs at least one weather entry".into());
        }
        match spec.release {
            Release::Rate { kg_s, duration_s } if !(kg_s >= 0.0 && duration_s >= 0.0) => {
                return Err("release rate and duration must be non-negative".into());
            }
            Release::Mass { kg } if kg.is_nan() || kg < 0.0 => {
                return Err("release mass must be non-negative".into());
            }
            _ => {}
        }
        Ok(PlumeModel {
            substance,
            set: if spec.urban {
                CoefficientSet::BriggsUrban
            } else {
                CoefficientSet::BriggsRural
            },
            source: spec.source,
            release: spec.release,
            start_s: spec.start_s,
            height_m: spec.height_m.max(0.0),
            weather: spec.weather.clone(),
            t_s: 0.0,
            puff_centre: spec.source,
            puff_travel_m: 0.0,
            grid_cache: None,
        })
    }

    /// Weather in force at `t` and the time its segment began.
    fn weather_at(&self, t: f64) -> (PlumeWeather, f64) {
        let mut current = (self.weather[0].1, f64::NEG_INFINITY);
        for &(ti, w) in &self.weather {
            if ti <= t {
                current = (w, ti);
            }
        }
        current
    }

    /// Ground-level concentration at `p` now, g/m³.
    pub fn concentration_g_m3(&self, p: Point) -> f64 {
        self.frame().map_or(0.0, |f| self.concentration_in(&f, p))
    }

    /// What every receptor shares at the current time, computed once per sample.
    fn frame(&self) -> Option<Frame> {
        if self.t_s < self.start_s {
            return None;
        }
        let (weather, seg_start) = self.weather_at(self.t_s);
        let (ex, ey) = downwind_unit(weather.wind.from_deg);
        let puff_sigmas = briggs_sigmas(self.set, weather.stability, self.puff_travel_m);
        Some(Frame {
            weather,
            seg_start,
            u: weather.wind.speed_m_s.max(MIN_WIND_M_S),
            ex,
            ey,
            puff_sigmas,
        })
    }

    fn concentration_in(&self, f: &Frame, p: Point) -> f64 {
        let (ex, ey, u) = (f.ex, f.ey, f.u);
        match self.release {
            Release::Rate { kg_s, duration_s } => {
                let (dx, dy) = (p.x - self.source.x, p.y - self.source.y);
                let x = dx * ex + dy * ey;
                if x <= 0.0 {
                    return 0.0;
                }
                // Material at x left the source at t − x/u; it must have been released
                // during this wind segment and within the release window.
                let emitted = self.t_s - x / u;
                if emitted < self.start_s.max(f.seg_start) || emitted > self.start_s + duration_s {
                    return 0.0;
                }
                self.steady_g_m3(f, kg_s, x, -dx * ey + dy * ex)
            }
            Release::Mass { kg } => {
                let (dx, dy) = (p.x - self.puff_centre.x, p.y - self.puff_centre.y);
                let along = dx * ex + dy * ey;
                let cross = -dx * ey + dy * ex;
                let (sy, sz) = f.puff_sigmas;
                if along.abs() > CUTOFF_SIGMAS * sy || cross.abs() > CUTOFF_SIGMAS * sy {
                    return 0.0;
                }
                puff_concentration(kg * 1000.0, sy, sy, sz, along, cross, 0.0, self.height_m)
            }
        }
    }

    /// Steady plume concentration (g/m³) at downwind distance `x` > 0 and crosswind
    /// offset `y`, zero beyond the cutoff width.
    fn steady_g_m3(&self, f: &Frame, kg_s: f64, x: f64, y: f64) -> f64 {
        let (sy, sz) = briggs_sigmas(self.set, f.weather.stability, x);
        if y.abs() > CUTOFF_SIGMAS * sy {
            return 0.0;
        }
        plume_concentration(kg_s * 1000.0, f.u, sy, sz, y, 0.0, self.height_m)
    }

    /// Fills `out` (row-major, `cols` × `rows`) with ground-level ppm at the centres
    /// of a receptor grid whose north-west corner is `origin`. Gives what
    /// [`HazardField::concentration_ppm`] gives at each centre, but only evaluates the
    /// Gaussian once per weather segment for a continuous release, and only within
    /// the cutoff box around the puff for an instantaneous one. A caller that samples
    /// the same grid again and again should keep a [`ReceptorGrid`] instead, which
    /// also skips rewriting the clean part of the grid.
    pub fn sample_grid_ppm(
        &mut self,
        origin: Point,
        cols: usize,
        rows: usize,
        cell_m: f64,
        out: &mut [f64],
    ) {
        let out = &mut out[..cols * rows];
        out.fill(0.0);
        let shape = GridShape {
            origin,
            cols,
            rows,
            cell_m,
        };
        self.write_receptors(shape, out, &mut vec![(0, 0); rows]);
    }

    /// Updates a receptor grid to the current time.
    pub fn sample_receptors(&mut self, grid: &mut ReceptorGrid) {
        self.write_receptors(grid.shape, &mut grid.ppm, &mut grid.spans);
    }

    /// Writes ground-level ppm into `out`, which is zero outside `spans` (per row, the
    /// columns `[first, end)` that may be non-zero); sets `spans` to what it wrote.
    fn write_receptors(&mut self, shape: GridShape, out: &mut [f64], spans: &mut [(usize, usize)]) {
        let GridShape {
            origin,
            cols,
            rows,
            cell_m,
        } = shape;
        for (r, span) in spans.iter_mut().enumerate() {
            out[r * cols + span.0..r * cols + span.1].fill(0.0);
            *span = (0, 0);
        }
        let Some(frame) = self.frame() else {
            return;
        };
        let to_ppm = 1000.0 * MOLAR_VOLUME_25C_L / self.substance.molecular_weight_g_mol;
        match self.release {
            Release::Rate { kg_s, duration_s } => {
                let fresh = self
                    .grid_cache
                    .as_ref()
                    .is_some_and(|g| g.shape == shape && g.segment_start_s == frame.seg_start);
                if !fresh {
                    self.grid_cache = Some(self.steady_grid(&frame, kg_s, shape, to_ppm));
                }
                let Some(grid) = &self.grid_cache else { return };
                // The release times whose material is on the ground now.
                let (first, last) = (self.start_s.max(frame.seg_start), self.start_s + duration_s);
                for (r, &(c0, c1)) in grid.spans.iter().enumerate() {
                    let row = r * cols;
                    let x = &grid.downwind_m[row + c0..row + c1];
                    let steady = &grid.steady_ppm[row + c0..row + c1];
                    for ((o, &x), &c) in out[row + c0..row + c1].iter_mut().zip(x).zip(steady) {
                        let emitted = self.t_s - x / frame.u;
                        *o = if emitted < first || emitted > last {
                            0.0
                        } else {
                            c
                        };
                    }
                    spans[r] = (c0, c1);
                }
            }
            Release::Mass { .. } => {
                let reach = CUTOFF_SIGMAS * frame.puff_sigmas.0;
                let (p, o) = (self.puff_centre, origin);
                let index = |v: f64, n: usize| ((v / cell_m).floor().max(0.0) as usize).min(n);
                let (c0, c1) = (
                    index(p.x - reach - o.x, cols),
                    index(p.x + reach - o.x + cell_m, cols),
                );
                let (r0, r1) = (
                    index(p.y - reach - o.y, rows),
                    index(p.y + reach - o.y + cell_m, rows),
                );
                for r in r0..r1 {
                    for c in c0..c1 {
                        let centre = Point {
                            x: origin.x + (c as f64 + 0.5) * cell_m,
                            y: origin.y + (r as f64 + 0.5) * cell_m,
                        };
                        out[r * cols + c] = self.concentration_in(&frame, centre) * to_ppm;
                    }
                    spans[r] = (c0, c1);
                }
            }
        }
    }

    /// The steady plume of the current weather segment on a receptor grid.
    fn steady_grid(&self, f: &Frame, kg_s: f64, shape: GridShape, to_ppm: f64) -> SteadyGrid {
        let GridShape {
            origin,
            cols,
            rows,
            cell_m,
        } = shape;
        let mut grid = SteadyGrid {
            shape,
            segment_start_s: f.seg_start,
            downwind_m: vec![0.0; cols * rows],
            steady_ppm: vec![0.0; cols * rows],
            spans: vec![(0, 0); rows],
        };
        for r in 0..rows {
            let dy = origin.y + (r as f64 + 0.5) * cell_m - self.source.y;
            let (mut first, mut end) = (cols, 0);
            for c in 0..cols {
                let dx = origin.x + (c as f64 + 0.5) * cell_m - self.source.x;
                let x = dx * f.ex + dy * f.ey;
                let i = r * cols + c;
                grid.downwind_m[i] = x;
                if x <= 0.0 {
                    continue;
                }
                let ppm = self.steady_g_m3(f, kg_s, x, -dx * f.ey + dy * f.ex) * to_ppm;
                grid.steady_ppm[i] = ppm;
                if ppm > 0.0 {
                    first = first.min(c);
                    end = c + 1;
                }
            }
            grid.spans[r] = if end > first { (first, end) } else { (0, 0) };
        }
        grid
    }

    pub fn puff_centre(&self) -> Point {
        self.puff_centre
    }
}

impl HazardField for PlumeModel {
    fn name(&self) -> &str {
        "plume"
    }

    fn advance_to(&mut self, t_s: f64) {
        if t_s <= self.t_s {
            return;
        }
        // Advect the puff through each wind segment between the old and new time.
        let from = self.t_s.max(self.start_s);
        if t_s > from {
            let mut breaks: Vec<f64> = self
                .weather
                .iter()
                .map(|w| w.0)
                .filter(|&b| b > from && b < t_s)
                .collect();
            breaks.push(t_s);
            let mut t0 = from;
            for t1 in breaks {
                let (w, _) = self.weather_at(t0);
                let u = w.wind.speed_m_s.max(MIN_WIND_M_S);
                let (ex, ey) = downwind_unit(w.wind.from_deg);
                let d = u * (t1 - t0);
                self.puff_centre.x += ex * d;
                self.puff_centre.y += ey * d;
                self.puff_travel_m += d;
                t0 = t1;
            }
        }
        self.t_s = t_s;
    }

    fn concentration_ppm(&self, p: Point) -> f64 {
        mg_m3_to_ppm(
            self.concentration_g_m3(p) * 1000.0,
            self.substance.molecular_weight_g_mol,
        )
    }

    fn aegl_60_min_ppm(&self) -> [Option<f64>; 3] {
        [1, 2, 3].map(|level| self.substance.aegl(level, AEGL_60_MIN))
    }

    /// Above the 60-minute AEGL-2: irreversible effects or impaired ability to escape.
    fn dangerous(&self, p: Point) -> bool {
        self.substance
            .aegl(2, AEGL_60_MIN)
            .is_some_and(|l| self.concentration_ppm(p) > l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_table_parses_and_matches_domain_thresholds() {
        let cl = find_substance("chlorine").unwrap();
        assert_eq!(
            [cl.aegl(1, 2), cl.aegl(2, 2), cl.aegl(3, 2)],
            [Some(0.5), Some(2.0), Some(20.0)]
        );
        let nh3 = find_substance("氨").unwrap();
        assert_eq!(
            [nh3.aegl(1, 2), nh3.aegl(2, 2), nh3.aegl(3, 2)],
            [Some(30.0), Some(160.0), Some(1100.0)]
        );
        assert!(
            find_substance("chlorin")
                .unwrap_err()
                .contains("did you mean chlorine")
        );
    }

    #[test]
    fn ppm_conversion_round_trips() {
        // Chlorine: 1 ppm = 70.90 / 24.45 = 2.90 mg/m³ (EPA conversion factor 2.9).
        assert!((ppm_to_mg_m3(1.0, 70.90) - 2.90).abs() < 0.005);
        assert!((mg_m3_to_ppm(ppm_to_mg_m3(3.7, 17.03), 17.03) - 3.7).abs() < 1e-12);
    }

    #[test]
    fn indoor_concentration_follows_the_one_box_exponential() {
        // 0.5 ACH for one hour: C_in/C_out = 1 − e^{−0.5}.
        let c = indoor_step(0.0, 10.0, 0.5, 3600.0);
        assert!((c - 10.0 * (1.0 - (-0.5f64).exp())).abs() < 1e-12);
        // Stepping in pieces gives the same answer.
        let mut c2 = 0.0;
        for _ in 0..60 {
            c2 = indoor_step(c2, 10.0, 0.5, 60.0);
        }
        assert!((c2 - c).abs() < 1e-9);
    }

    #[test]
    fn exposure_accumulates_dose() {
        let mut e = Exposure::default();
        e.add(2.0, 1800.0);
        e.add(4.0, 1800.0);
        assert!((e.dose_ppm_min - 180.0).abs() < 1e-12);
        assert!((e.mean_ppm() - 3.0).abs() < 1e-12);
        assert_eq!(e.peak_ppm, 4.0);
    }
}
