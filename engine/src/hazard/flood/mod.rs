//! 洪水 — the flood model: the local inertial shallow-water scheme of LISFLOOD-FP on the
//! terrain raster, with rain on the grid and river inflow hydrographs.
//!
//! Scheme (Bates, Horritt & Fewtrell 2010, "A simple inertial formulation of the shallow
//! water equations for efficient two-dimensional flood inundation modelling", J. Hydrology
//! 387, 33-45, eq. 11; with the θ-weighting of de Almeida, Bates, Freer & Souvignet 2012,
//! Water Resour. Res. 48, W05528, eq. 8). Unit discharges `q` (m²/s) live on cell faces:
//!
//! ```text
//! q_f(t+Δt) = [θ q_f + (1−θ)/2 (q_f−1 + q_f+1) − g h_f Δt ∂η/∂x]
//!             / [1 + g Δt n² |q_f| / h_f^(7/3)]
//! h_f = max(η_i, η_j) − max(z_i, z_j)          (flow depth across the face)
//! h_i(t+Δt) = h_i + Δt (Σ q_in − Σ q_out) / Δx + rain·Δt + inflow·Δt/Δx²
//! Δt = α Δx / sqrt(g h_max)                     (Bates et al. 2010 eq. 12, α ≈ 0.7)
//! ```
//!
//! θ = 1 gives the original Bates et al. (2010) scheme; de Almeida et al. recommend
//! θ = 0.7-0.9 to damp checkerboard oscillations in deep, low-friction flow, and the
//! default is 0.8: with θ = 1 the two thalweg cells of a deep valley outlet slosh
//! against each other (1.9 m and 6.9 m where normal depth is 4.4 m), which is wrong
//! and, through the Courant condition, costs a sixth more steps. The friction term is
//! semi-implicit, so friction never reverses a flow.
//!
//! Wet/dry fronts: a face carries no flow while `h_f` is below `wet_threshold_m`. To keep
//! depths non-negative *and* conserve mass exactly (clamping negative depths to zero, as
//! many codes do, creates water), the outflows of a cell in one step are scaled down
//! together when they would take more than the water it holds. Every cubic metre is
//! accounted for in [`MassBalance`]: stored = initial + rain + inflow − outflow.
//!
//! Boundaries: the raster edge is closed by default; `open_boundary` lets water leave
//! through the edge faces, except at inflow cells, as LISFLOOD-FP's free boundary does:
//! the same momentum update, with the water-surface slope across the edge face taken as
//! the bed slope towards the edge (at least `min_outflow_slope`) and the edge cell's
//! depth as the flow depth. Where the bed rises towards the edge (a valley's upstream
//! end, the banks beside an inflow) the face is closed: water leaves downhill only. Its steady state is Manning's normal-depth flow (tested
//! against a uniform channel); unlike an edge discharge set to normal depth every step,
//! it does not answer each step's depth at once, which had the two outlet cells of a
//! valley thalweg trading depth back and forth over hours. Without friction water
//! leaves at critical depth. No-data cells are walls.
//!
//! Layout: this module is the model (its settings, state, hydrographs, mass balance,
//! the FD2321 hazard rating and the [`HazardField`] the simulation samples); the step
//! itself, the fused vectorised kernel, is in `kernel`; [`Valley`] is the built-in
//! terrain of `drill calc flood`, the `flood` bench and the `flood_cpu` example.

use crate::hazard::HazardField;
use crate::hazard::pages::PageGrid;
use crate::hazard::raster::{Raster, check_elevations};
use crate::model::{FloodSpec, Point, Scenario, Timeline};
use kernel::{EdgeFaces, Scratch, WALL_M, WetBox, quantize_bed};

mod kernel;
mod valley;

pub use valley::Valley;

/// Gravitational acceleration, m/s².
pub const G: f64 = 9.81;

/// Numerical and hazard settings of the flood model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloodConfig {
    /// Manning's roughness n, s/m^(1/3).
    pub manning_n: f64,
    /// Courant coefficient α of the adaptive time step (Bates et al. 2010: 0.7). On a
    /// 2-D grid the step never exceeds the θ scheme's own limit √(θ/2) (see
    /// [`stable_courant`]).
    pub alpha: f64,
    /// de Almeida et al. (2012) θ; 1.0 is the Bates et al. (2010) scheme. Default 0.9,
    /// inside their recommended 0.7-0.9, which damps oscillations θ = 1 lets grow while
    /// keeping the 2-D stability limit √(θ/2) = 0.67 near the usual α = 0.7.
    pub theta: f64,
    /// Flow depth below which a face carries no flow, metres.
    pub wet_threshold_m: f64,
    /// Largest time step, seconds (used while the grid is dry or very shallow).
    pub max_dt_s: f64,
    /// Whether water may leave through the raster edge.
    pub open_boundary: bool,
    /// Smallest bed slope driving the outflow through an open edge.
    pub min_outflow_slope: f64,
    /// Debris factor added to the hazard rating where depth exceeds 0.25 m.
    pub debris_factor: f64,
}

impl Default for FloodConfig {
    fn default() -> Self {
        FloodConfig {
            manning_n: 0.035,
            alpha: 0.7,
            theta: 0.9,
            wet_threshold_m: 1e-3,
            max_dt_s: 10.0,
            open_boundary: false,
            min_outflow_slope: 1e-3,
            debris_factor: 0.5,
        }
    }
}

/// The largest Courant number c Δt / Δx at which the θ-weighted local inertial scheme
/// (de Almeida et al. 2012) is stable, from a von Neumann analysis of the linearised,
/// frictionless scheme on the staggered grid: a Fourier mode's amplification λ solves
/// λ² − (1 + a − r²S) λ + a = 0 with r the Courant number, a = θ + (1 − θ) cos kΔx the
/// θ-weighting's factor and S = Σ 4 sin²(kΔx/2) over the grid's directions; |λ| ≤ 1
/// needs r²S ≤ 2(1 + a). The worst mode alternates cell by cell (a = 2θ − 1): S = 8 in
/// 2-D gives r ≤ √(θ/2), S = 4 in 1-D gives r ≤ √θ. de Almeida et al. analysed the 1-D
/// scheme, where the usual α = 0.7 is safe for any θ ≥ 0.5; in 2-D, θ = 0.8 allows only
/// 0.632, and α = 0.7 there lets that checkerboard mode grow until the positivity
/// limiter holds it: a pond that never settles (engine/tests/flood_reference.rs,
/// `a_two_dimensional_pond_settles_at_its_sill_level`).
pub fn stable_courant(theta: f64, two_dimensional: bool) -> f64 {
    if two_dimensional {
        (theta / 2.0).sqrt()
    } else {
        theta.sqrt()
    }
}

/// Flood hazard rating HR = d (v + 0.5) + DF of Defra/Environment Agency R&D report
/// FD2321/TR2 "Flood Risks to People, Phase 2" (2006), with the debris factor DF applied
/// above 0.25 m.
pub fn hazard_rating(depth_m: f64, speed_m_s: f64, debris_factor: f64) -> f64 {
    let df = if depth_m > 0.25 { debris_factor } else { 0.0 };
    depth_m * (speed_m_s + 0.5) + df
}

/// FD2321/TR2's lowest danger class, "danger for some" (children, the elderly and the
/// infirm — the people a village evacuation is about). With DF = 0.5, still water
/// reaches it at 0.5 m, just above the 0.45 m at which cars float (DOMAIN.md).
pub const DANGER_FOR_SOME_HR: f64 = 0.75;

/// Volumes in and out of the model since it started, cubic metres.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MassBalance {
    pub initial_m3: f64,
    pub rain_m3: f64,
    pub inflow_m3: f64,
    pub outflow_m3: f64,
}

impl MassBalance {
    /// The volume the grid should hold if no water was created or lost.
    pub fn expected_m3(&self) -> f64 {
        self.initial_m3 + self.rain_m3 + self.inflow_m3 - self.outflow_m3
    }
}

/// A river inflow: a discharge hydrograph entering one cell.
#[derive(Debug, Clone, PartialEq)]
pub struct InflowCell {
    pub cell: usize,
    pub discharge_m3_s: Timeline<f64>,
}

/// The flood model's state.
#[derive(Debug, Clone)]
pub struct FloodModel {
    pub config: FloodConfig,
    terrain: Raster,
    /// Water depth per cell, metres, and one element to spare past the last cell
    /// (always 0; see [`FloodModel::step_kernels`]).
    depth: PageGrid<f64>,
    /// `depth` rounded to single precision, for the momentum update and the limits.
    depth32: PageGrid<f32>,
    /// Unit discharge on vertical faces, (cols + 1) × rows, m²/s, positive eastwards.
    /// Single precision (see [`FloodModel::step_kernels`]): both cells of a face add
    /// and take the same stored value, so mass is conserved whatever its rounding.
    qx: PageGrid<f32>,
    /// Unit discharge on horizontal faces, cols × (rows + 1), m²/s, positive southwards.
    qy: PageGrid<f32>,
    /// The discharges being computed in a step, from `qx` and `qy`; swapped with them
    /// at its end, so the θ-weighting reads the old values without copying them.
    qx_next: PageGrid<f32>,
    qy_next: PageGrid<f32>,
    /// Each face's h_f^(−1/3) of the last step it was computed in (0 before that), in
    /// the layouts of `qx` and `qy`: the start of the next step's (see
    /// [`kernel::face_row_averaged`]).
    inv_cbrt_x: PageGrid<f32>,
    inv_cbrt_y: PageGrid<f32>,
    /// Bed step across each x face, `z_east − z_west`, m (same layout as `qx`).
    bed_step_x: PageGrid<f32>,
    /// Bed step across each y face, `z_south − z_north`, m (same layout as `qy`).
    bed_step_y: PageGrid<f32>,
    valid_cells: usize,
    /// No-data cells (walls), in index order, and where each row's start in that list.
    walls: Vec<usize>,
    walls_by_row: Vec<usize>,
    /// Row buffers of the step.
    scratch: Scratch,
    /// This step's edge-face discharges.
    edges: EdgeFaces,
    /// Each edge face's outflow slope, 0 where it is closed (see
    /// [`FloodModel::edge_outflows`]).
    edge_slopes: EdgeFaces,
    /// Cells that may hold water; `None` while the grid is dry.
    wet: Option<WetBox>,
    /// Deepest water on the grid, metres: sets the next Courant step.
    h_max: f64,
    rain_mm_h: Timeline<f64>,
    inflows: Vec<InflowCell>,
    closed_edge: Vec<bool>,
    t_s: f64,
    steps: u64,
    balance: MassBalance,
}

/// Where a river first enters the terrain: its first point on a cell with data, walking
/// down the polyline in steps of half a cell (a river drawn from beyond the DEM's edge
/// enters where it crosses it).
fn river_entry(terrain: &Raster, points: &[Point]) -> Option<Point> {
    let on_terrain = |p: Point| {
        terrain
            .index_of(p)
            .is_some_and(|i| !terrain.elevation_m[i].is_nan())
    };
    if let Some(&p) = points.first().filter(|&&p| on_terrain(p)) {
        return Some(p);
    }
    let step = terrain.cell_m / 2.0;
    points.windows(2).find_map(|w| {
        let (a, b) = (w[0], w[1]);
        let n = (a.distance(b) / step).ceil().max(1.0) as usize;
        (1..=n).find_map(|k| {
            let t = k as f64 / n as f64;
            let p = Point {
                x: a.x + (b.x - a.x) * t,
                y: a.y + (b.y - a.y) * t,
            };
            on_terrain(p).then_some(p)
        })
    })
}

/// Piecewise-linear value of a timeline at `t`, held constant before the first and
/// after the last point; 0 for an empty timeline.
pub fn interpolate(timeline: &Timeline<f64>, t: f64) -> f64 {
    match timeline.iter().position(|&(ti, _)| ti > t) {
        None => timeline.last().map_or(0.0, |p| p.1),
        Some(0) => timeline[0].1,
        Some(i) => {
            let ((t0, v0), (t1, v1)) = (timeline[i - 1], timeline[i]);
            v0 + (v1 - v0) * (t - t0) / (t1 - t0)
        }
    }
}

/// Integral of a timeline over `[a, b]`, exact for piecewise-linear series.
pub fn integrate(timeline: &Timeline<f64>, a: f64, b: f64) -> f64 {
    let mut knots = vec![a];
    knots.extend(timeline.iter().map(|p| p.0).filter(|&t| t > a && t < b));
    knots.push(b);
    knots
        .windows(2)
        .map(|w| 0.5 * (interpolate(timeline, w[0]) + interpolate(timeline, w[1])) * (w[1] - w[0]))
        .sum()
}

impl FloodModel {
    /// A model on `terrain` with initial depths (metres per cell, or dry when `None`).
    pub fn new(
        mut terrain: Raster,
        config: FloodConfig,
        initial_depth: Option<Vec<f64>>,
    ) -> Result<FloodModel, String> {
        if !(config.manning_n.is_finite() && config.manning_n >= 0.0) {
            return Err(format!(
                "Manning's n must be zero or positive (got {})",
                config.manning_n
            ));
        }
        if !(config.alpha > 0.0 && config.alpha <= 1.0 && (0.0..=1.0).contains(&config.theta)) {
            return Err("flood scheme needs 0 < alpha <= 1 and 0 <= theta <= 1".into());
        }
        let n = terrain.len();
        // The bound keeps every bed a whole number of 2⁻¹⁶ m quanta in double precision
        // (see `quantize_bed`). A scenario's terrain was held to it when it was checked
        // and read; a raster built otherwise (its elevations are public) is held here.
        check_elevations(terrain.cols, &terrain.elevation_m).map_err(|e| {
            format!("terrain {e}: check the heightmap's units and its NODATA value")
        })?;
        let mut depth = initial_depth.unwrap_or_else(|| vec![0.0; n]);
        if depth.len() != n {
            return Err(format!(
                "initial depth has {} cells, terrain {n}",
                depth.len()
            ));
        }
        for (h, z) in depth.iter_mut().zip(&mut terrain.elevation_m) {
            if z.is_nan() || !h.is_finite() || *h < 0.0 {
                *h = 0.0;
            }
            // The initial water surface is kept where the bed moves.
            let bed = quantize_bed(*z);
            if *h > 0.0 {
                *h = ((*z + *h) - bed).max(0.0);
            }
            *z = bed;
        }
        let area = terrain.cell_m * terrain.cell_m;
        let initial_m3 = depth.iter().sum::<f64>() * area;
        let (cols, rows) = (terrain.cols, terrain.rows);
        let mut wet = None;
        for (i, _) in depth.iter().enumerate().filter(|(_, h)| **h > 0.0) {
            wet = Some(WetBox::with(wet, i % cols, i / cols, cols, rows));
        }
        let bed: Vec<f64> = terrain
            .elevation_m
            .iter()
            .map(|&z| if z.is_nan() { WALL_M } else { z })
            .collect();
        let walls: Vec<usize> = (0..n).filter(|&i| bed[i] == WALL_M).collect();
        let walls_by_row: Vec<usize> = (0..=rows)
            .map(|r| walls.partition_point(|&i| i < r * cols))
            .collect();
        // Interior faces only; the edge faces' entries stay 0 and are never read.
        let mut bed_step_x = vec![0.0f32; (cols + 1) * rows];
        for r in 0..rows {
            for c in 1..cols {
                bed_step_x[r * (cols + 1) + c] = (bed[r * cols + c] - bed[r * cols + c - 1]) as f32;
            }
        }
        let mut bed_step_y = vec![0.0f32; cols * (rows + 1)];
        for r in 1..rows {
            for c in 0..cols {
                bed_step_y[r * cols + c] = (bed[r * cols + c] - bed[(r - 1) * cols + c]) as f32;
            }
        }
        let mut model = FloodModel {
            config,
            qx: PageGrid::filled(0.0, (cols + 1) * rows + 1),
            qy: PageGrid::filled(0.0, cols * (rows + 1)),
            qx_next: PageGrid::filled(0.0, (cols + 1) * rows + 1),
            qy_next: PageGrid::filled(0.0, cols * (rows + 1)),
            inv_cbrt_x: PageGrid::filled(0.0, (cols + 1) * rows + 1),
            inv_cbrt_y: PageGrid::filled(0.0, cols * (rows + 1)),
            closed_edge: vec![false; n],
            valid_cells: terrain.elevation_m.iter().filter(|z| !z.is_nan()).count(),
            walls,
            walls_by_row,
            depth32: PageGrid::from_slice(
                &depth
                    .iter()
                    .map(|&h| h as f32)
                    .chain([0.0])
                    .collect::<Vec<_>>(),
            ),
            bed_step_x: PageGrid::from_slice(&bed_step_x),
            bed_step_y: PageGrid::from_slice(&bed_step_y),
            scratch: Scratch::new(cols, rows),
            edges: EdgeFaces::zeros(cols, rows),
            edge_slopes: EdgeFaces::zeros(cols, rows),
            wet,
            h_max: depth.iter().copied().fold(0.0, f64::max),
            terrain,
            // One element to spare, as `depth32`'s.
            depth: PageGrid::from_slice(&depth.iter().copied().chain([0.0]).collect::<Vec<_>>()),
            rain_mm_h: Vec::new(),
            inflows: Vec::new(),
            t_s: 0.0,
            steps: 0,
            balance: MassBalance {
                initial_m3,
                ..MassBalance::default()
            },
        };
        model.set_edge_slopes();
        Ok(model)
    }

    /// The model for a scenario's `hazard flood` block on its terrain raster. River
    /// inflows enter at the cell of the river's first point; water leaves through the
    /// raster edge (a river valley is open downstream).
    pub fn from_scenario(
        scenario: &Scenario,
        spec: &FloodSpec,
        terrain: Raster,
    ) -> Result<FloodModel, String> {
        let config = FloodConfig {
            manning_n: if spec.manning_n > 0.0 {
                spec.manning_n
            } else {
                FloodConfig::default().manning_n
            },
            open_boundary: true,
            ..FloodConfig::default()
        };
        let mut model = FloodModel::new(terrain, config, None)?;
        model.set_rain(spec.rain_mm_h.clone());
        for inflow in &spec.inflows {
            let river = scenario
                .map
                .rivers
                .get(inflow.river.0 as usize)
                .ok_or_else(|| {
                    format!(
                        "inflow names river #{} which does not exist",
                        inflow.river.0
                    )
                })?;
            let entry = river_entry(&model.terrain, &river.points).ok_or_else(|| {
                format!(
                    "river {}: no part of it lies on the terrain, so its inflow has nowhere to enter",
                    river.name
                )
            })?;
            model
                .add_inflow(entry, inflow.discharge_m3_s.clone())
                .map_err(|e| format!("river {}: {e}", river.name))?;
        }
        Ok(model)
    }

    /// Rain intensity timeline, mm/h, applied to every cell.
    pub fn set_rain(&mut self, rain_mm_h: Timeline<f64>) {
        self.rain_mm_h = rain_mm_h;
    }

    /// Adds a discharge hydrograph (m³/s) entering the cell at `at`. The cell's edge
    /// faces stay closed so the inflow does not leave straight through the boundary.
    pub fn add_inflow(&mut self, at: Point, discharge_m3_s: Timeline<f64>) -> Result<(), String> {
        let cell = self
            .terrain
            .index_of(at)
            .ok_or_else(|| format!("inflow point ({}, {}) is outside the terrain", at.x, at.y))?;
        if self.terrain.elevation_m[cell].is_nan() {
            return Err(format!(
                "inflow point ({}, {}) is on a no-data cell",
                at.x, at.y
            ));
        }
        self.closed_edge[cell] = true;
        self.set_edge_slopes();
        let cols = self.terrain.cols;
        self.wet = Some(WetBox::with(
            self.wet,
            cell % cols,
            cell / cols,
            cols,
            self.terrain.rows,
        ));
        self.inflows.push(InflowCell {
            cell,
            discharge_m3_s,
        });
        Ok(())
    }

    /// 来水 / 泄洪 — the inflow where the river along `river` enters the terrain
    /// becomes `m3_s` from `t_s` on, reached linearly over `ramp_s` and then held: the
    /// hydrograph after `t_s` is replaced (an inject's inflow, a reservoir release
    /// starting, rising or stopping). A river without an inflow yet gets one, dry
    /// before `t_s`.
    pub fn set_river_inflow(
        &mut self,
        river: &[Point],
        m3_s: f64,
        ramp_s: f64,
        t_s: f64,
    ) -> Result<(), String> {
        let entry = river_entry(&self.terrain, river).ok_or(
            "no part of the river lies on the terrain, so its inflow has nowhere to enter",
        )?;
        let cell = self
            .terrain
            .index_of(entry)
            .ok_or("the river's entry is outside the terrain")?;
        let ramp_s = ramp_s.max(0.0);
        match self.inflows.iter_mut().find(|i| i.cell == cell) {
            Some(inflow) => {
                let before = interpolate(&inflow.discharge_m3_s, t_s);
                let tl = &mut inflow.discharge_m3_s;
                tl.retain(|p| p.0 < t_s);
                tl.push((t_s, before));
                tl.push((t_s + ramp_s, m3_s));
                Ok(())
            }
            None => self.add_inflow(entry, vec![(t_s, 0.0), (t_s + ramp_s, m3_s)]),
        }
    }

    /// The inflow hydrograph entering at the cell of `at`, if any.
    pub fn inflow_at(&self, at: Point) -> Option<&Timeline<f64>> {
        let cell = self.terrain.index_of(at)?;
        self.inflows
            .iter()
            .find(|i| i.cell == cell)
            .map(|i| &i.discharge_m3_s)
    }

    pub fn terrain(&self) -> &Raster {
        &self.terrain
    }
    pub fn depths(&self) -> &[f64] {
        &self.depth[..self.terrain.len()]
    }
    pub fn time_s(&self) -> f64 {
        self.t_s
    }
    pub fn steps(&self) -> u64 {
        self.steps
    }
    pub fn balance(&self) -> MassBalance {
        self.balance
    }

    /// Water volume on the grid now, m³.
    pub fn stored_m3(&self) -> f64 {
        self.depths().iter().sum::<f64>() * self.terrain.cell_m * self.terrain.cell_m
    }

    /// |stored − expected| / max(expected, total volume moved), the mass balance error.
    pub fn mass_error_relative(&self) -> f64 {
        let b = self.balance;
        let scale = (b.initial_m3 + b.rain_m3 + b.inflow_m3 + b.outflow_m3).max(1e-300);
        (self.stored_m3() - b.expected_m3()).abs() / scale
    }

    /// Depth-averaged velocity (east, south) in cell `i`, m/s: the mean of the face
    /// discharges over the cell depth; zero where the cell is dry.
    pub fn velocity(&self, i: usize) -> (f64, f64) {
        let h = self.depth[i];
        if h < self.config.wet_threshold_m {
            return (0.0, 0.0);
        }
        let cols = self.terrain.cols;
        let (col, row) = (i % cols, i / cols);
        let qx = 0.5
            * (f64::from(self.qx[row * (cols + 1) + col])
                + f64::from(self.qx[row * (cols + 1) + col + 1]));
        let qy = 0.5
            * (f64::from(self.qy[row * cols + col]) + f64::from(self.qy[(row + 1) * cols + col]));
        (qx / h, qy / h)
    }

    /// Largest speed on the grid, m/s.
    pub fn max_speed(&self) -> f64 {
        (0..self.terrain.len())
            .map(|i| {
                let (u, v) = self.velocity(i);
                u.hypot(v)
            })
            .fold(0.0, f64::max)
    }

    /// The next stable time step (Bates et al. 2010 eq. 12), with the Courant number
    /// capped at the θ scheme's limit for the grid (see [`stable_courant`]).
    fn stable_dt(&self) -> f64 {
        if self.h_max <= self.config.wet_threshold_m {
            return self.config.max_dt_s;
        }
        let two_dimensional = self.terrain.cols > 1 && self.terrain.rows > 1;
        let courant = self
            .config
            .alpha
            .min(stable_courant(self.config.theta, two_dimensional));
        (courant * self.terrain.cell_m / (G * self.h_max).sqrt()).min(self.config.max_dt_s)
    }

    /// Runs the model forward to `t_s` with adaptive steps.
    pub fn run_to(&mut self, t_s: f64) {
        self.run_to_reporting(t_s, |_| {});
    }

    /// [`FloodModel::run_to`], calling `progress` with the model time after every
    /// step (for a progress bar: the steps are those of `run_to`, unchanged).
    pub fn run_to_reporting(&mut self, t_s: f64, mut progress: impl FnMut(f64)) {
        while self.t_s < t_s - 1e-9 {
            let dt = self.stable_dt().min(t_s - self.t_s);
            self.step(dt);
            progress(self.t_s);
        }
    }

    /// Depth at a map point, metres (0 outside the raster).
    pub fn depth_at(&self, p: Point) -> f64 {
        self.terrain.index_of(p).map_or(0.0, |i| self.depth[i])
    }

    /// Speed at a map point, m/s.
    pub fn speed_at(&self, p: Point) -> f64 {
        self.terrain.index_of(p).map_or(0.0, |i| {
            let (u, v) = self.velocity(i);
            u.hypot(v)
        })
    }
}

impl HazardField for FloodModel {
    fn name(&self) -> &str {
        "flood"
    }

    fn advance_to(&mut self, t_s: f64) {
        self.run_to(t_s);
    }

    fn set_inflow(
        &mut self,
        river: &[Point],
        m3_s: f64,
        ramp_s: f64,
        t_s: f64,
    ) -> Result<(), String> {
        self.set_river_inflow(river, m3_s, ramp_s, t_s)
    }

    fn water_depth_m(&self, p: Point) -> f64 {
        self.depth_at(p)
    }

    fn water_speed_m_s(&self, p: Point) -> f64 {
        self.speed_at(p)
    }

    /// Danger when the FD2321/TR2 hazard rating reaches "danger for some".
    fn dangerous(&self, p: Point) -> bool {
        hazard_rating(
            self.depth_at(p),
            self.speed_at(p),
            self.config.debris_factor,
        ) >= DANGER_FOR_SOME_HR
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An elevation no terrain has (a units or NODATA mistake) is refused with where
    /// it is; no data (NaN) is a wall, not an error.
    #[test]
    fn impossible_elevations_are_refused_with_their_cell() {
        for bad in [3.0e6, -1.0e9, f64::INFINITY] {
            let mut z = vec![10.0; 12];
            z[7] = bad;
            let terrain = Raster::from_grid(4, 3, 10.0, z).unwrap();
            let err = FloodModel::new(terrain, FloodConfig::default(), None).unwrap_err();
            assert!(
                err.contains("row 2, column 4") && err.contains("NODATA"),
                "{err}"
            );
        }
        let mut z = vec![10.0; 12];
        z[7] = f64::NAN;
        let terrain = Raster::from_grid(4, 3, 10.0, z).unwrap();
        assert!(FloodModel::new(terrain, FloodConfig::default(), None).is_ok());
    }
    #[test]
    fn timeline_interpolation_and_integral() {
        let tl = vec![(0.0, 0.0), (10.0, 10.0), (20.0, 0.0)];
        assert_eq!(interpolate(&tl, 5.0), 5.0);
        assert_eq!(interpolate(&tl, 30.0), 0.0);
        assert_eq!(interpolate(&tl, -1.0), 0.0);
        assert!((integrate(&tl, 0.0, 20.0) - 100.0).abs() < 1e-12);
        assert!((integrate(&tl, 5.0, 15.0) - 75.0).abs() < 1e-12);
    }

    #[test]
    fn hazard_rating_reaches_danger_for_some_at_half_a_metre_of_still_water() {
        assert!(hazard_rating(0.49, 0.0, 0.5) < DANGER_FOR_SOME_HR);
        assert!(hazard_rating(0.5, 0.0, 0.5) >= DANGER_FOR_SOME_HR);
        // Shallow but fast water: 0.2 m at 3.5 m/s is dangerous without debris.
        assert!(hazard_rating(0.2, 3.5, 0.5) >= DANGER_FOR_SOME_HR);
    }

    #[test]
    fn water_runs_downhill_and_stays_in_a_closed_box() {
        let z: Vec<f64> = (0..10)
            .flat_map(|_| (0..10).map(|c| 10.0 - c as f64 * 0.1))
            .collect();
        let terrain = Raster::from_grid(10, 10, 5.0, z).unwrap();
        let mut depth = vec![0.0; 100];
        for r in 0..10 {
            depth[r * 10] = 1.0;
        }
        let mut m = FloodModel::new(terrain, FloodConfig::default(), Some(depth)).unwrap();
        m.run_to(600.0);
        let east: f64 = (0..10).map(|r| m.depths()[r * 10 + 9]).sum();
        assert!(
            east > 1.0,
            "water should pool at the low east side, got {east}"
        );
        assert!(m.mass_error_relative() < 1e-12);
        assert!(m.depths().iter().all(|&h| h >= 0.0));
    }

    /// 来水 / 泄洪: an inject's inflow starts a river with none (dry before it), ramps
    /// up over its `over`, and a later one replaces the rest of the hydrograph; the
    /// volume that entered is the hydrograph's integral.
    #[test]
    fn an_injected_inflow_starts_rises_and_stops() {
        let river = [Point { x: 5.0, y: 25.0 }, Point { x: 95.0, y: 25.0 }];
        let mut m =
            FloodModel::new(Raster::flat(10, 5, 10.0, 0.0), FloodConfig::default(), None).unwrap();
        m.advance_to(100.0);
        assert_eq!(m.balance().inflow_m3, 0.0);
        // Starts at 100 s, reaching 2 m³/s at 200 s.
        m.set_river_inflow(&river, 2.0, 100.0, 100.0).unwrap();
        m.advance_to(300.0);
        assert!(
            (m.balance().inflow_m3 - (100.0 + 200.0)).abs() < 1e-6,
            "{:?}",
            m.balance()
        );
        assert!(m.depth_at(river[0]) > 0.0);
        // Stops at once at 300 s: nothing more enters.
        m.set_river_inflow(&river, 0.0, 0.0, 300.0).unwrap();
        m.advance_to(600.0);
        assert!((m.balance().inflow_m3 - 300.0).abs() < 1e-6);
        assert_eq!(
            m.inflow_at(river[0]).unwrap(),
            &vec![(100.0, 0.0), (200.0, 2.0), (300.0, 2.0), (300.0, 0.0)]
        );
        assert!(m.mass_error_relative() < 1e-12);
        let off = [Point { x: -50.0, y: 25.0 }, Point { x: -10.0, y: 25.0 }];
        assert!(m.set_river_inflow(&off, 1.0, 0.0, 600.0).is_err());
    }

    #[test]
    fn scenario_inflow_enters_at_the_rivers_first_point() {
        use crate::model::{Inflow, River, RiverIdx};
        let mut scenario = Scenario::default();
        scenario.map.rivers.push(River {
            name: "竹源溪".into(),
            points: vec![Point { x: 5.0, y: 25.0 }, Point { x: 95.0, y: 25.0 }],
            width_m: 8.0,
            span: crate::model::Span::default(),
        });
        let spec = FloodSpec {
            rain_mm_h: vec![(0.0, 0.0)],
            inflows: vec![Inflow {
                river: RiverIdx(0),
                discharge_m3_s: vec![(0.0, 2.0)],
                span: crate::model::Span::default(),
            }],
            manning_n: 0.0,
        };
        let mut m =
            FloodModel::from_scenario(&scenario, &spec, Raster::flat(10, 5, 10.0, 0.0)).unwrap();
        assert_eq!(m.config.manning_n, 0.035, "0 means the default roughness");
        m.advance_to(10.0);
        assert!((m.balance().inflow_m3 - 20.0).abs() < 1e-9);
        assert!(m.depth_at(Point { x: 5.0, y: 25.0 }) > 0.0);
        // A river drawn from beyond the raster's west edge enters where it crosses it.
        let mut outside = scenario.clone();
        outside.map.rivers[0].points[0] = Point { x: -200.0, y: 25.0 };
        let m = FloodModel::from_scenario(&outside, &spec, Raster::flat(10, 5, 10.0, 0.0)).unwrap();
        assert_eq!(m.inflows[0].cell, m.terrain.index(0, 2));
        let mut away = scenario.clone();
        away.map.rivers[0].points =
            vec![Point { x: -200.0, y: 25.0 }, Point { x: -100.0, y: 25.0 }];
        let err =
            FloodModel::from_scenario(&away, &spec, Raster::flat(10, 5, 10.0, 0.0)).unwrap_err();
        assert!(err.contains("no part of it lies on the terrain"), "{err}");
        let bad = FloodSpec {
            inflows: vec![Inflow {
                river: RiverIdx(3),
                discharge_m3_s: vec![],
                span: crate::model::Span::default(),
            }],
            ..spec
        };
        assert!(
            FloodModel::from_scenario(&scenario, &bad, Raster::flat(10, 5, 10.0, 0.0)).is_err()
        );
    }
}
