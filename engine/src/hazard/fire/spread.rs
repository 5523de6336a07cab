//! 火蔓延 — fire growth over a raster by minimum travel time.
//!
//! Each cell has a fuel model, a slope and an aspect (from the elevation raster). Fire
//! moves between cell centres over a 16-neighbour stencil; crossing from cell `u` to a
//! neighbour `v` takes half the surface distance at `u`'s rate of spread toward `v` plus
//! half at `v`'s, where a cell's rate toward an azimuth is the Rothermel head rate spread
//! over the Anderson (1983) ellipse as BehavePlus does it (from the ignition point). The
//! earliest arrival over all paths is found by Dijkstra's algorithm — the discrete form of
//! Huygens' principle used by minimum-travel-time fire models — so the result is
//! deterministic (ties broken by cell index).
//!
//! Stencil moves alone would bend every path onto the 16 directions and burn a polygon
//! inscribed in the ellipse (19 % short at length-to-breadth 2.2). So each cell also
//! keeps the cell its fire came from in a straight line: where the cells passed burn
//! alike and no obstacle is near, a neighbour's arrival is that ray's start plus the
//! straight-line travel time, in any direction — the shortest path of uniform
//! conditions, as a vector distance transform keeps the nearest point rather than a
//! path length. Where conditions change (fuel, slope, wind segment) the ray restarts
//! from the cell reached, which is Huygens' principle again.
//!
//! The wind is piecewise constant in time: a cell spreads with the wind blowing when the
//! fire reaches it. Fire lines (隔离带) built by teams make cells non-burnable from the
//! time they are finished; cells the fire reached earlier stay burnt.
//!
//! Orientation follows the scenario language: `x` grows east, `y` grows south (down the
//! trainer's sketch); row 0 of the grid is the northernmost row.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::fuel::FuelCatalog;
use super::rothermel::{Fuelbed, SpreadConditions, WindLimit, wind_adjustment_factor};
use crate::hazard::HazardField;
use crate::hazard::raster::Raster;
use crate::model::{FireSpec, Hazard, LinkKind, Point, Scenario, Wind};

/// Slope (rise over run) and aspect (downslope azimuth, degrees from north) of a cell
/// by central differences, one-sided at the edges. The fire model keeps this stencil
/// rather than the raster's Horn (1981) gradient so that moving it onto the shared
/// [`Raster`] changed none of its results (at the raster edge, Horn's repeated edge
/// cell would also halve the slope).
fn slope_aspect(grid: &Raster, index: usize) -> (f64, f64) {
    let (c, r) = (index % grid.cols, index / grid.cols);
    let z = |c: usize, r: usize| grid.elevation_m[r * grid.cols + c];
    let (cw, ce) = (c.saturating_sub(1), (c + 1).min(grid.cols - 1));
    let (rn, rs) = (r.saturating_sub(1), (r + 1).min(grid.rows - 1));
    let mut dz_east = if ce > cw {
        (z(ce, r) - z(cw, r)) / ((ce - cw) as f64 * grid.cell_m)
    } else {
        0.0
    };
    let mut dz_north = if rs > rn {
        (z(c, rn) - z(c, rs)) / ((rs - rn) as f64 * grid.cell_m)
    } else {
        0.0
    };
    if !dz_east.is_finite() {
        dz_east = 0.0;
    }
    if !dz_north.is_finite() {
        dz_north = 0.0;
    }
    let slope = dz_east.hypot(dz_north);
    let upslope = dz_east.atan2(dz_north).to_degrees();
    (slope, (upslope + 180.0).rem_euclid(360.0))
}

/// How the 6.1 m (20 ft) wind becomes the midflame wind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WindAdjustment {
    /// Albini & Baughman (1979) unsheltered factor from each fuel model's bed depth (no
    /// canopy data in the scenario; under a closed canopy this overestimates the wind).
    Unsheltered,
    /// One factor for every cell.
    Factor(f64),
}

/// Choices of the fire model that are not in the scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FireSettings {
    pub wind_adjustment: WindAdjustment,
    pub wind_limit: WindLimit,
    /// A point is dangerous once the fire is due there within this many seconds (under the
    /// scenario's wind timeline); 15 min by default, the time a household needs to leave.
    pub danger_margin_s: f64,
}

impl Default for FireSettings {
    fn default() -> Self {
        FireSettings {
            wind_adjustment: WindAdjustment::Unsheltered,
            wind_limit: WindLimit::default(),
            danger_margin_s: 900.0,
        }
    }
}

/// The 16-neighbour stencil, with the cells a move passes through (checked for barriers
/// so a fire cannot jump a one-cell-wide road or fire line).
const STENCIL: [(i32, i32); 16] = [
    (1, 0),
    (-1, 0),
    (0, 1),
    (0, -1),
    (1, 1),
    (1, -1),
    (-1, 1),
    (-1, -1),
    (1, 2),
    (1, -2),
    (-1, 2),
    (-1, -2),
    (2, 1),
    (2, -1),
    (-2, 1),
    (-2, -1),
];

/// Whether a stencil move `step` goes on along a ray running `along` (from the ray's
/// start to the move's end): within 30° of it. Some stencil direction lies within 13.3°
/// of any ray, so a straight ray always continues; a chain of moves turning more than
/// that away from its ray (round the end of a fire line, into its shadow) restarts it.
/// Turning at most 30° from the ray's direction, a chain is a spiral that must move
/// outward 1.7 times as far as it turns round the start, so it cannot wrap round an
/// obstacle near the start.
#[inline]
fn continues_ray(step: (i32, i32), along: (i32, i32)) -> bool {
    let dot = f64::from(step.0 * along.0 + step.1 * along.1);
    let (s2, a2) = (
        f64::from(step.0 * step.0 + step.1 * step.1),
        f64::from(along.0 * along.0 + along.1 * along.1),
    );
    // cos 30° = √3/2: dot ≥ √(3/4 · |step|² |along|²), both sides non-negative.
    dot > 0.0 && dot * dot >= 0.75 * s2 * a2
}

fn passed_cells(dx: i32, dy: i32) -> [(i32, i32); 2] {
    match (dx.abs(), dy.abs()) {
        (1, 1) => [(dx, 0), (0, dy)],
        (1, 2) => [(0, dy / 2), (dx, dy / 2)],
        (2, 1) => [(dx / 2, 0), (dx / 2, dy)],
        _ => [(0, 0), (0, 0)],
    }
}

/// Head-fire parameters of a cell under one wind segment.
#[derive(Debug, Clone, Copy, Default)]
struct CellFire {
    segment: u32,
    head_m_s: f64,
    eccentricity: f64,
    /// Unit vector of the head direction, (east, north).
    head_dir: (f64, f64),
    /// 1 / (head · (1 − e)): the travel time per metre is this times (1 − e cos θ).
    slowness: f64,
}

impl CellFire {
    /// Seconds to cover `distance` (surface) metres toward the horizontal direction
    /// (`east`, `north`) of length `run`: the Anderson (1983) ellipse from its rear focus,
    /// R(θ) = head (1 − e) / (1 − e cos θ), as a slowness so no angle is taken.
    #[inline]
    fn travel_s(&self, distance: f64, (east, north): (f64, f64), run: f64) -> f64 {
        let cos = (east * self.head_dir.0 + north * self.head_dir.1) / run;
        distance * (1.0 - self.eccentricity * cos) * self.slowness
    }

    /// Whether a ray lit under `self` may run on through a cell burning as `other`: the
    /// same ellipse within 1 % in head rate, 0.005 in eccentricity and 1° in direction.
    fn carries_ray_through(&self, other: &CellFire) -> bool {
        (self.head_m_s - other.head_m_s).abs() <= 0.01 * self.head_m_s
            && (self.eccentricity - other.eccentricity).abs() <= 0.005
            && (self.eccentricity < 1e-3
                || (self.head_dir.0 * other.head_dir.0 + self.head_dir.1 * other.head_dir.1)
                    >= 1f64.to_radians().cos())
    }
}

/// The spreading fire on a raster: arrival times per cell, advanced on demand.
#[derive(Debug, Clone)]
pub struct FireField {
    grid: Raster,
    /// Fuel bed index per cell (`beds`), `u16::MAX` outside the domain.
    fuel: Vec<u16>,
    beds: Vec<Fuelbed>,
    waf: Vec<f64>,
    slope: Vec<f64>,
    aspect: Vec<f64>,
    /// Time from which a cell is a barrier (road, river, fire line); +∞ when never.
    barrier_from_s: Vec<f64>,
    /// Ignitions as (time, cell), the seeds of every replay.
    ignitions: Vec<(f64, usize)>,
    wind: Vec<(f64, Wind)>,
    settings: FireSettings,
    arrival_s: Vec<f64>,
    /// The cell each cell's fire came from in a straight line (itself at an ignition):
    /// its arrival is the ray's start time plus the ray's travel time (see `run_to`).
    ray_from: Vec<u32>,
    /// Cells within the stencil's reach of a cell that stops fire (outside the domain,
    /// non-burnable, or a barrier at any time): rays restart there, so none runs past
    /// the end of a fire line into the shadow behind it.
    near_obstacle: Vec<bool>,
    done: Vec<bool>,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
    cache: Vec<CellFire>,
    now_s: f64,
    /// Arrival times are final up to here.
    horizon_s: f64,
}

impl FireField {
    /// A fire over `grid` with one fuel model everywhere (tests, benches, `drill calc`).
    pub fn uniform(
        grid: Raster,
        bed: Fuelbed,
        wind: Vec<(f64, Wind)>,
        ignitions: Vec<(f64, Point)>,
        settings: FireSettings,
    ) -> Result<FireField, String> {
        let n = grid.len();
        FireField::build(grid, vec![0; n], vec![bed], wind, ignitions, settings)
    }

    /// Builds the fire of a scenario's `hazard fire` block on `grid`.
    pub fn from_scenario(
        scenario: &Scenario,
        grid: Raster,
        catalog: &FuelCatalog,
        settings: FireSettings,
    ) -> Result<FireField, String> {
        let spec: &FireSpec = scenario
            .hazards
            .iter()
            .find_map(|h| {
                if let Hazard::Fire(f) = h {
                    Some(f)
                } else {
                    None
                }
            })
            .ok_or("the scenario has no `hazard fire` block")?;
        // One fuel bed per model named; cells outside every zone and without a default
        // fuel are non-burnable.
        let mut names: Vec<String> = Vec::new();
        let mut beds = Vec::new();
        let mut bed_of = |name: &str| -> Result<u16, String> {
            let model = catalog.get(name)?;
            if let Some(i) = names.iter().position(|n| n == &model.code) {
                return Ok(i as u16);
            }
            names.push(model.code.clone());
            beds.push(Fuelbed::new(model, &spec.moisture));
            Ok((beds.len() - 1) as u16)
        };
        let default_bed = match &spec.default_fuel {
            Some(name) => bed_of(name)?,
            None => bed_of("NB9")?,
        };
        let mut zone_beds = Vec::new();
        for (zone, name) in &spec.fuel_zones {
            let z = scenario
                .map
                .zones
                .get(zone.0 as usize)
                .ok_or("fuel zone index out of range")?;
            zone_beds.push((z, bed_of(name)?));
        }
        let mut fuel = vec![default_bed; grid.len()];
        for (i, f) in fuel.iter_mut().enumerate() {
            let centre = grid.center(i % grid.cols, i / grid.cols);
            // Later zones override earlier ones, as the trainer wrote them.
            if let Some((_, b)) = zone_beds.iter().rev().find(|(z, _)| z.contains(centre)) {
                *f = *b;
            }
        }
        let ignitions = spec.ignitions.iter().map(|i| (i.time_s, i.at)).collect();
        let mut field = FireField::build(grid, fuel, beds, spec.wind.clone(), ignitions, settings)?;
        // Roads and rivers stop a surface fire; footpaths do not.
        for link in &scenario.map.links {
            if link.kind != LinkKind::Road {
                continue;
            }
            let (Some(a), Some(b)) = (
                scenario.map.places.get(link.from.0 as usize),
                scenario.map.places.get(link.to.0 as usize),
            ) else {
                continue;
            };
            let mut line = vec![a.pos];
            line.extend(link.via.iter().copied());
            line.push(b.pos);
            field.mark_barrier(&line, link.width_m, f64::NEG_INFINITY);
        }
        for river in &scenario.map.rivers {
            field.mark_barrier(&river.points, river.width_m, f64::NEG_INFINITY);
        }
        field.replay();
        Ok(field)
    }

    fn build(
        grid: Raster,
        fuel: Vec<u16>,
        beds: Vec<Fuelbed>,
        mut wind: Vec<(f64, Wind)>,
        ignitions: Vec<(f64, Point)>,
        settings: FireSettings,
    ) -> Result<FireField, String> {
        if grid.is_empty() {
            return Err("the fire grid is empty".to_string());
        }
        if beds.len() >= u16::MAX as usize {
            return Err("too many fuel models".to_string());
        }
        if wind.iter().any(|(t, w)| {
            !t.is_finite()
                || !w.speed_m_s.is_finite()
                || w.speed_m_s < 0.0
                || !w.from_deg.is_finite()
        }) {
            return Err("wind timeline has a negative or non-finite value".to_string());
        }
        wind.sort_by(|a, b| a.0.total_cmp(&b.0));
        if wind.is_empty() {
            wind.push((0.0, Wind::default()));
        }
        let waf = beds
            .iter()
            .map(|b| match settings.wind_adjustment {
                WindAdjustment::Unsheltered => wind_adjustment_factor(b.depth_ft, 0.0, 0.0, 0.0),
                WindAdjustment::Factor(f) => f.clamp(0.0, 1.0),
            })
            .collect();
        let n = grid.len();
        let mut fuel = fuel;
        let mut slope = vec![0.0; n];
        let mut aspect = vec![0.0; n];
        for i in 0..n {
            if !grid.elevation_m[i].is_finite() {
                fuel[i] = u16::MAX;
            }
            let (s, a) = slope_aspect(&grid, i);
            slope[i] = s;
            aspect[i] = a;
        }
        let mut cells = Vec::new();
        for (t, p) in ignitions {
            let cell = grid
                .index_of(p)
                .ok_or_else(|| format!("ignition ({}, {}) is outside the fire grid", p.x, p.y))?;
            cells.push((t.max(0.0), cell));
        }
        let mut field = FireField {
            fuel,
            beds,
            waf,
            slope,
            aspect,
            barrier_from_s: vec![f64::INFINITY; n],
            ignitions: cells,
            wind,
            settings,
            arrival_s: Vec::new(),
            ray_from: Vec::new(),
            near_obstacle: Vec::new(),
            done: Vec::new(),
            heap: BinaryHeap::new(),
            cache: Vec::new(),
            now_s: 0.0,
            horizon_s: 0.0,
            grid,
        };
        field.replay();
        Ok(field)
    }

    pub fn grid(&self) -> &Raster {
        &self.grid
    }

    /// Fire arrival time per cell (row-major, seconds; +∞ where the fire has not arrived
    /// within the computed horizon).
    pub fn arrival_times_s(&self) -> &[f64] {
        &self.arrival_s
    }

    /// When the fire reaches `p` (if it does within the horizon computed so far).
    pub fn arrival_s(&self, p: Point) -> Option<f64> {
        let cell = self.grid.index_of(p)?;
        let t = self.arrival_s[cell];
        (t <= self.horizon_s).then_some(t)
    }

    /// 隔离带 — a fire line along `points`, non-burnable from `time_s` on. Cells the fire
    /// reached before then stay burnt; the spread after `time_s` is recomputed.
    pub fn add_fire_line(&mut self, points: &[Point], time_s: f64) {
        // A hand line is about one tool-width wide; on the raster it takes whole cells.
        self.mark_barrier(points, 1.0, time_s);
        self.replay();
    }

    /// 起火 — a new ignition at `at` at `time_s` (an inject's fire); the spread is
    /// recomputed from every ignition, so arrivals before `time_s` are unchanged.
    pub fn ignite(&mut self, at: Point, time_s: f64) -> Result<(), String> {
        let cell = self
            .grid
            .index_of(at)
            .ok_or_else(|| format!("ignition ({}, {}) is outside the fire grid", at.x, at.y))?;
        self.ignitions.push((time_s, cell));
        self.replay();
        Ok(())
    }

    fn mark_barrier(&mut self, points: &[Point], width_m: f64, from_s: f64) {
        // Every cell whose centre is within half a cell (or half the width) of the line,
        // which makes the band 8-connected; the stencil's passed-cell check does the rest.
        let reach = (width_m / 2.0).max(self.grid.cell_m / 2.0);
        let g = &self.grid;
        let mut marks = Vec::new();
        for seg in points.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            let c0 = ((a.x.min(b.x) - reach - g.origin.x) / g.cell_m)
                .floor()
                .max(0.0) as usize;
            let c1 = (((a.x.max(b.x) + reach - g.origin.x) / g.cell_m)
                .ceil()
                .max(0.0) as usize)
                .min(g.cols);
            let r0 = ((a.y.min(b.y) - reach - g.origin.y) / g.cell_m)
                .floor()
                .max(0.0) as usize;
            let r1 = (((a.y.max(b.y) + reach - g.origin.y) / g.cell_m)
                .ceil()
                .max(0.0) as usize)
                .min(g.rows);
            for r in r0..r1 {
                for c in c0..c1 {
                    let i = r * g.cols + c;
                    if distance_to_segment(g.center(i % g.cols, i / g.cols), a, b) <= reach {
                        marks.push(i);
                    }
                }
            }
        }
        if points.len() == 1
            && let Some(i) = g.index_of(points[0])
        {
            marks.push(i);
        }
        for i in marks {
            self.barrier_from_s[i] = self.barrier_from_s[i].min(from_s);
        }
    }

    /// Restarts the spread from the ignitions and recomputes it up to the horizon. Used
    /// when barriers change; deterministic, so arrivals before the change are unchanged.
    fn replay(&mut self) {
        let n = self.grid.len();
        self.arrival_s = vec![f64::INFINITY; n];
        self.ray_from = (0..n as u32).collect();
        self.mark_near_obstacles();
        self.done = vec![false; n];
        self.cache = vec![
            CellFire {
                segment: u32::MAX,
                ..Default::default()
            };
            n
        ];
        self.heap.clear();
        for &(t, cell) in &self.ignitions {
            if t < self.arrival_s[cell] && self.burnable_at(cell, t) {
                self.arrival_s[cell] = t;
                self.heap.push(Reverse((t.to_bits(), cell as u32)));
            }
        }
        let horizon = self.horizon_s;
        self.horizon_s = f64::NEG_INFINITY;
        self.run_to(horizon);
    }

    fn burnable_at(&self, cell: usize, t: f64) -> bool {
        let f = self.fuel[cell];
        f != u16::MAX && self.beds[f as usize].burns() && self.barrier_from_s[cell] > t
    }

    /// Fills `near_obstacle`: every cell within two cells (the stencil's reach) of one
    /// that is outside the domain, cannot burn, or is a barrier at some time.
    fn mark_near_obstacles(&mut self) {
        let (cols, rows) = (self.grid.cols as i32, self.grid.rows as i32);
        let n = self.grid.len();
        let mut near = vec![false; n];
        for i in 0..n {
            let f = self.fuel[i];
            let stops = f == u16::MAX
                || !self.beds[f as usize].burns()
                || self.barrier_from_s[i] < f64::INFINITY;
            if !stops {
                continue;
            }
            let (c, r) = ((i % self.grid.cols) as i32, (i / self.grid.cols) as i32);
            for vr in (r - 2).max(0)..=(r + 2).min(rows - 1) {
                for vc in (c - 2).max(0)..=(c + 2).min(cols - 1) {
                    near[(vr * cols + vc) as usize] = true;
                }
            }
        }
        self.near_obstacle = near;
    }

    fn passable_at(&self, cell: usize, t: f64) -> bool {
        self.fuel[cell] != u16::MAX
            && self.beds[self.fuel[cell] as usize].depth_ft > 0.0
            && self.barrier_from_s[cell] > t
    }

    fn segment_at(&self, t: f64) -> usize {
        self.wind
            .partition_point(|(ts, _)| *ts <= t)
            .saturating_sub(1)
    }

    fn cell_fire(&mut self, cell: usize, segment: usize) -> CellFire {
        let cached = self.cache[cell];
        if cached.segment == segment as u32 {
            return cached;
        }
        let bed_index = self.fuel[cell] as usize;
        let bed = &self.beds[bed_index];
        let wind = self.wind[segment].1;
        let conditions = SpreadConditions {
            midflame_wind_m_s: wind.speed_m_s * self.waf[bed_index],
            wind_from_deg: wind.from_deg,
            slope_rise_run: self.slope[cell],
            aspect_deg: self.aspect[cell],
            wind_limit: self.settings.wind_limit,
        };
        let head = bed.head(&conditions);
        let lb = super::rothermel::length_to_breadth(head.effective_wind_ft_min / 88.0);
        let head_m_s = head.ros_ft_min / super::rothermel::FT_MIN_PER_M_S;
        let eccentricity = super::rothermel::eccentricity(lb);
        let azimuth = head.azimuth_deg.to_radians();
        let fire = CellFire {
            segment: segment as u32,
            head_m_s,
            eccentricity,
            head_dir: (azimuth.sin(), azimuth.cos()),
            slowness: 1.0 / (head_m_s * (1.0 - eccentricity)),
        };
        self.cache[cell] = fire;
        fire
    }

    /// Pops cells in arrival order until every arrival up to `t_s` is final.
    fn run_to(&mut self, t_s: f64) {
        let cols = self.grid.cols as i32;
        let rows = self.grid.rows as i32;
        let cell_m = self.grid.cell_m;
        while let Some(&Reverse((bits, cell))) = self.heap.peek() {
            let t = f64::from_bits(bits);
            if t > t_s {
                break;
            }
            self.heap.pop();
            let u = cell as usize;
            if self.done[u] || t > self.arrival_s[u] {
                continue;
            }
            if !self.burnable_at(u, t) {
                self.arrival_s[u] = f64::INFINITY;
                continue;
            }
            self.done[u] = true;
            let segment = self.segment_at(t);
            let fu = self.cell_fire(u, segment);
            if fu.head_m_s <= 0.0 {
                continue;
            }
            let (uc, ur) = ((u % self.grid.cols) as i32, (u / self.grid.cols) as i32);
            let zu = self.grid.elevation_m[u];
            // The ray u's fire came by, if it may run on from u: lit under this wind
            // segment, away from obstacles, and through cells burning alike.
            let a = self.ray_from[u] as usize;
            let ray = if a != u && !self.near_obstacle[u] {
                let ta = self.arrival_s[a];
                let fa = self.cell_fire(a, segment);
                (self.segment_at(ta) == segment && fa.carries_ray_through(&fu)).then_some((
                    ta,
                    fa,
                    (a % self.grid.cols) as i32,
                    (a / self.grid.cols) as i32,
                ))
            } else {
                None
            };
            for (dx, dy) in STENCIL {
                let (vc, vr) = (uc + dx, ur + dy);
                if vc < 0 || vr < 0 || vc >= cols || vr >= rows {
                    continue;
                }
                let v = (vr * cols + vc) as usize;
                if self.done[v] || !self.burnable_at(v, t) {
                    continue;
                }
                if (dx.abs() + dy.abs() > 1)
                    && passed_cells(dx, dy)
                        .iter()
                        .any(|(px, py)| !self.passable_at(((ur + py) * cols + uc + px) as usize, t))
                {
                    continue;
                }
                let fv = self.cell_fire(v, segment);
                if fv.head_m_s <= 0.0 {
                    continue;
                }
                // One stencil move: half the way at u's rate toward v, half at v's.
                let (east, north) = (f64::from(dx) * cell_m, -f64::from(dy) * cell_m);
                let run = (east * east + north * north).sqrt();
                let rise = self.grid.elevation_m[v] - zu;
                let distance = (run * run + rise * rise).sqrt();
                let mut arrival = t
                    + 0.5 * fu.travel_s(distance, (east, north), run)
                    + 0.5 * fv.travel_s(distance, (east, north), run);
                let mut from = u as u32;
                // Minimum travel time over stencil moves alone makes a polygon of the
                // ellipse (its vertices the stencil directions): 19 % short of the area
                // at L/B 2.2. Where conditions are alike, the straight ray from where the
                // fire came is the true shortest path, in any direction.
                if let Some((ta, fa, ac, ar)) = ray
                    && fa.carries_ray_through(&fv)
                    && continues_ray((dx, dy), (vc - ac, vr - ar))
                {
                    let east = f64::from(vc - ac) * cell_m;
                    let north = -f64::from(vr - ar) * cell_m;
                    let run = (east * east + north * north).sqrt();
                    let rise = self.grid.elevation_m[v] - self.grid.elevation_m[a];
                    let distance = (run * run + rise * rise).sqrt();
                    let straight = ta + fa.travel_s(distance, (east, north), run);
                    if straight < arrival {
                        arrival = straight;
                        from = a as u32;
                    }
                }
                if arrival < self.arrival_s[v] && self.barrier_from_s[v] > arrival {
                    self.arrival_s[v] = arrival;
                    self.ray_from[v] = from;
                    self.heap.push(Reverse((arrival.to_bits(), v as u32)));
                }
            }
        }
        self.horizon_s = self.horizon_s.max(t_s);
    }

    fn arrival_at(&self, p: Point) -> f64 {
        self.grid.index_of(p).map_or(f64::INFINITY, |c| {
            if self.done[c] {
                self.arrival_s[c]
            } else {
                f64::INFINITY
            }
        })
    }

    /// The current drill time, seconds.
    pub fn now_s(&self) -> f64 {
        self.now_s
    }

    /// Number of cells burnt or burning now.
    pub fn burnt_cells(&self) -> usize {
        self.arrival_s
            .iter()
            .zip(&self.done)
            .filter(|(t, d)| **d && **t <= self.now_s)
            .count()
    }
}

fn distance_to_segment(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    p.distance(Point {
        x: a.x + t * dx,
        y: a.y + t * dy,
    })
}

impl HazardField for FireField {
    fn name(&self) -> &str {
        "fire"
    }

    fn add_fire_line(&mut self, points: &[Point], time_s: f64) {
        FireField::add_fire_line(self, points, time_s);
    }

    fn ignite(&mut self, at: Point, time_s: f64) -> Result<(), String> {
        FireField::ignite(self, at, time_s)
    }

    /// Moves the drill clock to `t_s` and computes arrivals up to `t_s` plus the danger
    /// margin (the wind timeline is known in advance, so the look-ahead is exact unless a
    /// fire line is added later, which replays the spread).
    fn advance_to(&mut self, t_s: f64) {
        self.now_s = self.now_s.max(t_s);
        self.run_to(self.now_s + self.settings.danger_margin_s);
    }

    fn burning(&self, p: Point) -> bool {
        self.arrival_at(p) <= self.now_s
    }

    fn fire_arrival_s(&self, p: Point) -> Option<f64> {
        Some(self.arrival_at(p)).filter(|&a| a <= self.now_s)
    }

    /// Dangerous when the fire has arrived or is due within `danger_margin_s`.
    fn dangerous(&self, p: Point) -> bool {
        self.arrival_at(p) <= self.now_s + self.settings.danger_margin_s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazard::fire::FuelCatalog;
    use crate::model::FuelMoisture;

    fn moisture() -> FuelMoisture {
        FuelMoisture {
            dead_1h: 6.0,
            dead_10h: 7.0,
            dead_100h: 8.0,
            live_herb: 60.0,
            live_woody: 90.0,
        }
    }

    fn field(wind: Wind, settings: FireSettings) -> FireField {
        let bed = Fuelbed::new(FuelCatalog::standard().get("GR2").unwrap(), &moisture());
        let grid = Raster::flat(101, 101, 10.0, 0.0);
        let centre = Point { x: 505.0, y: 505.0 };
        FireField::uniform(grid, bed, vec![(0.0, wind)], vec![(0.0, centre)], settings).unwrap()
    }

    #[test]
    fn calm_flat_fire_grows_as_a_near_circle_at_the_rothermel_rate() {
        let mut f = field(Wind::default(), FireSettings::default());
        f.advance_to(6.0 * 3600.0);
        let bed = Fuelbed::new(FuelCatalog::standard().get("GR2").unwrap(), &moisture());
        let r0 = bed.ros0_ft_min / super::super::rothermel::FT_MIN_PER_M_S;
        // 50 m east and 50 m north: travel time along a stencil direction is exact.
        let east = f.arrival_s(Point { x: 555.0, y: 505.0 }).unwrap();
        let north = f
            .arrival_s(Point { x: 505.0, y: 455.0 })
            .unwrap_or(f64::INFINITY);
        assert!(
            (east - 50.0 / r0).abs() / east < 1e-9,
            "east {east} expected {}",
            50.0 / r0
        );
        assert!((east - north).abs() < 1e-9);
    }

    /// 起火: an ignition added at 1 h (an inject's fire) burns from then on and spreads
    /// at the Rothermel rate from there; the first fire's arrivals near its own origin
    /// are unchanged.
    #[test]
    fn an_injected_ignition_burns_from_its_time() {
        let six_h = 6.0 * 3600.0;
        let far = Point { x: 905.0, y: 905.0 };
        let east_of_far = Point { x: 955.0, y: 905.0 };
        let near_centre = Point { x: 555.0, y: 505.0 };
        let mut one = field(Wind::default(), FireSettings::default());
        one.advance_to(six_h);
        let mut two = field(Wind::default(), FireSettings::default());
        two.advance_to(3600.0);
        assert!(!two.burning(far));
        two.ignite(far, 3600.0).unwrap();
        two.advance_to(3601.0);
        assert!(two.burning(far));
        two.advance_to(six_h);
        assert_eq!(one.arrival_s(near_centre), two.arrival_s(near_centre));
        let bed = Fuelbed::new(FuelCatalog::standard().get("GR2").unwrap(), &moisture());
        let r0 = bed.ros0_ft_min / super::super::rothermel::FT_MIN_PER_M_S;
        let expected = 3600.0 + 50.0 / r0;
        let got = two.arrival_s(east_of_far).unwrap();
        let first_fire = one.arrival_s(east_of_far).unwrap_or(f64::INFINITY);
        assert!(
            (got - expected.min(first_fire)).abs() < 1e-6,
            "{got} vs {expected} (first fire {first_fire})"
        );
        assert!(two.ignite(Point { x: -5.0, y: 5.0 }, 0.0).is_err());
    }

    #[test]
    fn west_wind_pushes_fire_east_faster_than_west() {
        let mut f = field(
            Wind {
                speed_m_s: 5.0,
                from_deg: 270.0,
            },
            FireSettings::default(),
        );
        f.advance_to(7200.0);
        let east = f.arrival_s(Point { x: 705.0, y: 505.0 }).unwrap();
        let west = f
            .arrival_s(Point { x: 305.0, y: 505.0 })
            .unwrap_or(f64::INFINITY);
        assert!(east * 3.0 < west, "east {east} west {west}");
        assert!(f.burning(Point { x: 505.0, y: 505.0 }));
    }

    #[test]
    fn a_fire_line_stops_the_fire_after_it_is_built_but_not_before() {
        let wind = Wind {
            speed_m_s: 5.0,
            from_deg: 270.0,
        };
        let mut open = field(wind, FireSettings::default());
        open.advance_to(20_000.0);
        let target = Point { x: 905.0, y: 505.0 };
        let open_arrival = open.arrival_s(target).unwrap();

        // A north-south line right across the grid, 200 m east of the ignition.
        let line = [
            Point { x: 700.0, y: -10.0 },
            Point {
                x: 700.0,
                y: 1020.0,
            },
        ];
        let mut early = field(wind, FireSettings::default());
        early.add_fire_line(&line, 0.0);
        early.advance_to(20_000.0);
        assert_eq!(early.arrival_s(target), None);
        assert!(!early.dangerous(target));

        let mut late = field(wind, FireSettings::default());
        late.advance_to(open_arrival + 100.0);
        late.add_fire_line(&line, open_arrival + 50.0);
        late.advance_to(20_000.0);
        assert_eq!(late.arrival_s(target), Some(open_arrival));
    }

    /// The straight rays that keep the ellipse's shape must not see through a fire line:
    /// behind a 400 m line 100 m east of a calm ignition, the fire comes round the line's
    /// ends, so a point 100 m behind its middle burns no sooner than the path past an end
    /// takes (2 √(100² + 200²) m = 447 m at r₀; stencil moves may add a few per cent).
    #[test]
    fn rays_do_not_run_through_a_fire_line_into_its_shadow() {
        let mut f = field(Wind::default(), FireSettings::default());
        let line = [Point { x: 605.0, y: 305.0 }, Point { x: 605.0, y: 705.0 }];
        f.add_fire_line(&line, 0.0);
        f.advance_to(400_000.0);
        let bed = Fuelbed::new(FuelCatalog::standard().get("GR2").unwrap(), &moisture());
        let r0 = bed.ros0_ft_min / super::super::rothermel::FT_MIN_PER_M_S;
        let around = 2.0 * (100.0f64.powi(2) + 200.0f64.powi(2)).sqrt() / r0;
        let behind = f.arrival_s(Point { x: 705.0, y: 505.0 }).unwrap();
        assert!(
            behind >= 0.98 * around && behind <= 1.08 * around,
            "behind the line at {behind:.0} s, round its end takes {around:.0} s"
        );
        // In the open, the same distance takes the straight line's time.
        let open = f.arrival_s(Point { x: 305.0, y: 505.0 }).unwrap();
        assert!(
            (open - 200.0 / r0).abs() < 1e-6 * open,
            "open {open} vs {}",
            200.0 / r0
        );
    }

    #[test]
    fn dangerous_runs_ahead_of_burning_by_the_margin() {
        let settings = FireSettings {
            danger_margin_s: 600.0,
            ..Default::default()
        };
        let mut f = field(
            Wind {
                speed_m_s: 5.0,
                from_deg: 270.0,
            },
            settings,
        );
        f.advance_to(0.0);
        let p = Point { x: 535.0, y: 505.0 };
        let t = f.arrival_s(p).unwrap();
        assert!(t > 0.0 && t < 600.0, "{t}");
        assert!(f.dangerous(p) && !f.burning(p));
        f.advance_to(t);
        assert!(f.burning(p));
    }

    fn scenario_with_river_and_rock_zone() -> Scenario {
        use crate::model::{FireSpec, Ignition, RiskLevel, River, Zone};
        let mut s = Scenario::default();
        s.map.cell_m = 10.0;
        // A river running north-south at x = 500 across the whole map.
        s.map.rivers.push(River {
            name: "溪".into(),
            points: vec![
                Point {
                    x: 500.0,
                    y: -200.0,
                },
                Point {
                    x: 500.0,
                    y: 1200.0,
                },
            ],
            width_m: 8.0,
            span: Default::default(),
        });
        // A bare-rock zone north-west of the ignition.
        s.map.zones.push(Zone {
            name: "石山".into(),
            level: RiskLevel::Blue,
            hazard: crate::model::HazardKind::ForestFire,
            polygon: vec![
                Point { x: 100.0, y: 100.0 },
                Point { x: 300.0, y: 100.0 },
                Point { x: 300.0, y: 300.0 },
                Point { x: 100.0, y: 300.0 },
            ],
            dangerous_from_s: None,
            span: Default::default(),
        });
        s.hazards.push(Hazard::Fire(FireSpec {
            ignitions: vec![Ignition {
                at: Point { x: 350.0, y: 500.0 },
                time_s: 600.0,
            }],
            default_fuel: Some("GR2".into()),
            fuel_zones: vec![(crate::model::ZoneIdx(0), "NB9".into())],
            wind: vec![(
                0.0,
                Wind {
                    speed_m_s: 6.0,
                    from_deg: 270.0,
                },
            )],
            moisture: moisture(),
        }));
        s
    }

    #[test]
    fn scenario_fire_respects_fuel_zones_rivers_and_ignition_time() {
        let scenario = scenario_with_river_and_rock_zone();
        let grid = Raster::covering_scenario(&scenario).unwrap();
        let mut f = FireField::from_scenario(
            &scenario,
            grid,
            &FuelCatalog::standard(),
            FireSettings::default(),
        )
        .unwrap();
        f.advance_to(6.0 * 3600.0);
        // Nothing burns before the ignition time; the ignition cell burns from then.
        assert_eq!(f.arrival_s(Point { x: 355.0, y: 505.0 }), Some(600.0));
        // Grass west of the river burns; the rock zone and the far bank never do.
        assert!(f.burning(Point { x: 450.0, y: 500.0 }));
        assert!(f.burning(Point { x: 350.0, y: 900.0 }));
        assert!(!f.burning(Point { x: 200.0, y: 200.0 }));
        assert!(!f.burning(Point { x: 550.0, y: 500.0 }));
        assert!(!f.dangerous(Point { x: 700.0, y: 500.0 }));
    }

    #[test]
    fn scenario_without_fire_block_or_with_unknown_fuel_is_an_error() {
        let mut scenario = scenario_with_river_and_rock_zone();
        let grid = Raster::covering_scenario(&scenario).unwrap();
        if let Hazard::Fire(spec) = &mut scenario.hazards[0] {
            spec.default_fuel = Some("QQ7".into());
        }
        let err = FireField::from_scenario(
            &scenario,
            grid.clone(),
            &FuelCatalog::standard(),
            FireSettings::default(),
        )
        .unwrap_err();
        assert!(err.contains("unknown fuel model 'QQ7'"), "{err}");
        scenario.hazards.clear();
        let err = FireField::from_scenario(
            &scenario,
            grid,
            &FuelCatalog::standard(),
            FireSettings::default(),
        )
        .unwrap_err();
        assert!(err.contains("no `hazard fire`"), "{err}");
    }

    #[test]
    fn same_inputs_give_identical_arrival_times() {
        let run = || {
            let mut f = field(
                Wind {
                    speed_m_s: 4.0,
                    from_deg: 225.0,
                },
                FireSettings::default(),
            );
            f.advance_to(3.0 * 3600.0);
            f.arrival_times_s()
                .iter()
                .map(|t| t.to_bits())
                .collect::<Vec<u64>>()
        };
        assert_eq!(run(), run());
    }

    proptest::proptest! {
        /// Rothermel's spread rate never falls as the wind rises (no wind limit), for any
        /// burnable standard model and any moisture set.
        #[test]
        fn rate_of_spread_grows_with_wind(
            model in 0usize..58,
            d1 in 2.0f64..30.0, herb in 30.0f64..200.0, woody in 30.0f64..200.0,
            wind in 0.0f64..15.0, extra in 0.01f64..5.0, slope in 0.0f64..1.0,
        ) {
            let catalog = FuelCatalog::standard();
            let m = FuelMoisture { dead_1h: d1, dead_10h: d1 + 1.0, dead_100h: d1 + 2.0, live_herb: herb, live_woody: woody };
            let bed = Fuelbed::new(catalog.by_index(model), &m);
            let at = |w: f64| bed.fire(&SpreadConditions {
                midflame_wind_m_s: w, slope_rise_run: slope, wind_limit: WindLimit::None, ..Default::default()
            });
            let (low, high) = (at(wind), at(wind + extra));
            proptest::prop_assert!(high.head_ros_m_s >= low.head_ros_m_s);
            proptest::prop_assert!(low.back_ros_m_s <= low.flank_ros_m_s + 1e-12);
            proptest::prop_assert!(low.flank_ros_m_s <= low.head_ros_m_s + 1e-12);
            proptest::prop_assert!(low.head_ros_m_s.is_finite() && low.fireline_intensity_kw_m.is_finite());
        }
    }

    #[test]
    fn slope_aspect_of_a_north_facing_ramp() {
        // Elevation rises to the south (y grows south): the slope faces north.
        let mut grid = Raster::flat(3, 3, 10.0, 0.0);
        for r in 0..3 {
            for c in 0..3 {
                grid.elevation_m[r * 3 + c] = r as f64 * 5.0;
            }
        }
        let (slope, aspect) = slope_aspect(&grid, 4);
        assert!((slope - 0.5).abs() < 1e-12);
        assert!(
            aspect.abs() < 1e-9 || (aspect - 360.0).abs() < 1e-9,
            "{aspect}"
        );
    }
}
