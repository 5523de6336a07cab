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
//! θ ≈ 0.7 to damp checkerboard oscillations in low-friction flow. The friction term is
//! semi-implicit, so friction never reverses a flow.
//!
//! Wet/dry fronts: a face carries no flow while `h_f` is below `wet_threshold_m`. To keep
//! depths non-negative *and* conserve mass exactly (clamping negative depths to zero, as
//! many codes do, creates water), the outflows of a cell in one step are scaled down
//! together when they would take more than the water it holds. Every cubic metre is
//! accounted for in [`MassBalance`]: stored = initial + rain + inflow − outflow.
//!
//! Boundaries: the raster edge is closed by default; `open_boundary` lets water leave
//! through edge faces at normal depth (Manning, bed slope towards the edge, at least
//! `min_outflow_slope`), except at inflow cells. No-data cells are walls.

use crate::hazard::HazardField;
use crate::hazard::raster::Raster;
use crate::model::{FloodSpec, Point, Scenario, Timeline};

/// Gravitational acceleration, m/s².
pub const G: f64 = 9.81;

/// Numerical and hazard settings of the flood model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloodConfig {
    /// Manning's roughness n, s/m^(1/3).
    pub manning_n: f64,
    /// Courant coefficient α of the adaptive time step (Bates et al. 2010: 0.7).
    pub alpha: f64,
    /// de Almeida et al. (2012) θ; 1.0 is the Bates et al. (2010) scheme.
    pub theta: f64,
    /// Flow depth below which a face carries no flow, metres.
    pub wet_threshold_m: f64,
    /// Largest time step, seconds (used while the grid is dry or very shallow).
    pub max_dt_s: f64,
    /// Whether water may leave through the raster edge.
    pub open_boundary: bool,
    /// Smallest bed slope used for normal-depth outflow at an open edge.
    pub min_outflow_slope: f64,
    /// Debris factor added to the hazard rating where depth exceeds 0.25 m.
    pub debris_factor: f64,
}

impl Default for FloodConfig {
    fn default() -> Self {
        FloodConfig {
            manning_n: 0.035,
            alpha: 0.7,
            theta: 1.0,
            wet_threshold_m: 1e-3,
            max_dt_s: 10.0,
            open_boundary: false,
            min_outflow_slope: 1e-3,
            debris_factor: 0.5,
        }
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
    /// Water depth per cell, metres.
    depth: Vec<f64>,
    /// Unit discharge on vertical faces, (cols + 1) × rows, m²/s, positive eastwards.
    qx: Vec<f64>,
    /// Unit discharge on horizontal faces, cols × (rows + 1), m²/s, positive southwards.
    qy: Vec<f64>,
    /// Outflow scale per cell for the positivity limiter (scratch).
    limit: Vec<f64>,
    rain_mm_h: Timeline<f64>,
    inflows: Vec<InflowCell>,
    closed_edge: Vec<bool>,
    t_s: f64,
    steps: u64,
    balance: MassBalance,
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
        terrain: Raster,
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
        let mut depth = initial_depth.unwrap_or_else(|| vec![0.0; n]);
        if depth.len() != n {
            return Err(format!(
                "initial depth has {} cells, terrain {n}",
                depth.len()
            ));
        }
        for (h, z) in depth.iter_mut().zip(&terrain.elevation_m) {
            if z.is_nan() || !h.is_finite() || *h < 0.0 {
                *h = 0.0;
            }
        }
        let area = terrain.cell_m * terrain.cell_m;
        let initial_m3 = depth.iter().sum::<f64>() * area;
        let (cols, rows) = (terrain.cols, terrain.rows);
        Ok(FloodModel {
            config,
            qx: vec![0.0; (cols + 1) * rows],
            qy: vec![0.0; cols * (rows + 1)],
            limit: vec![1.0; n],
            closed_edge: vec![false; n],
            terrain,
            depth,
            rain_mm_h: Vec::new(),
            inflows: Vec::new(),
            t_s: 0.0,
            steps: 0,
            balance: MassBalance {
                initial_m3,
                ..MassBalance::default()
            },
        })
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
            let first = *river
                .points
                .first()
                .ok_or_else(|| format!("river {} has no points", river.name))?;
            model
                .add_inflow(first, inflow.discharge_m3_s.clone())
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
        self.inflows.push(InflowCell {
            cell,
            discharge_m3_s,
        });
        Ok(())
    }

    pub fn terrain(&self) -> &Raster {
        &self.terrain
    }
    pub fn depths(&self) -> &[f64] {
        &self.depth
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
        self.depth.iter().sum::<f64>() * self.terrain.cell_m * self.terrain.cell_m
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
        let qx = 0.5 * (self.qx[row * (cols + 1) + col] + self.qx[row * (cols + 1) + col + 1]);
        let qy = 0.5 * (self.qy[row * cols + col] + self.qy[(row + 1) * cols + col]);
        (qx / h, qy / h)
    }

    /// Largest speed on the grid, m/s.
    pub fn max_speed(&self) -> f64 {
        (0..self.depth.len())
            .map(|i| {
                let (u, v) = self.velocity(i);
                u.hypot(v)
            })
            .fold(0.0, f64::max)
    }

    /// The next stable time step (Bates et al. 2010 eq. 12).
    fn stable_dt(&self) -> f64 {
        let h_max = self.depth.iter().copied().fold(0.0, f64::max);
        if h_max <= self.config.wet_threshold_m {
            return self.config.max_dt_s;
        }
        (self.config.alpha * self.terrain.cell_m / (G * h_max).sqrt()).min(self.config.max_dt_s)
    }

    /// Runs the model forward to `t_s` with adaptive steps.
    pub fn run_to(&mut self, t_s: f64) {
        while self.t_s < t_s - 1e-9 {
            let dt = self.stable_dt().min(t_s - self.t_s);
            self.step(dt);
        }
    }

    /// One explicit step of length `dt`.
    fn step(&mut self, dt: f64) {
        let (cols, rows) = (self.terrain.cols, self.terrain.rows);
        let dx = self.terrain.cell_m;
        let area = dx * dx;
        let cfg = self.config;
        let n2 = cfg.manning_n * cfg.manning_n;
        let z = &self.terrain.elevation_m;
        let h = &self.depth;

        // Inertial momentum update of one interior face between cells i and j.
        let face = |q: f64, q_avg: f64, i: usize, j: usize| -> f64 {
            let (zi, zj) = (z[i], z[j]);
            if zi.is_nan() || zj.is_nan() {
                return 0.0;
            }
            let (ei, ej) = (zi + h[i], zj + h[j]);
            let hf = ei.max(ej) - zi.max(zj);
            if hf <= cfg.wet_threshold_m {
                return 0.0;
            }
            let q_weighted = cfg.theta * q + (1.0 - cfg.theta) * q_avg;
            let friction = 1.0 + G * dt * n2 * q.abs() / (hf * hf * hf.cbrt());
            (q_weighted - G * hf * dt * (ej - ei) / dx) / friction
        };
        // Normal-depth outflow through an open edge face of cell i (outward positive).
        let edge = |i: usize, inner: Option<usize>| -> f64 {
            if !cfg.open_boundary
                || self.closed_edge[i]
                || z[i].is_nan()
                || h[i] <= cfg.wet_threshold_m
            {
                return 0.0;
            }
            let bed = inner.map_or(0.0, |k| {
                if z[k].is_nan() {
                    0.0
                } else {
                    (z[k] - z[i]) / dx
                }
            });
            let s = bed.max(cfg.min_outflow_slope);
            if cfg.manning_n > 0.0 {
                h[i].powf(5.0 / 3.0) * s.sqrt() / cfg.manning_n
            } else {
                // Frictionless: critical-depth outflow.
                G.sqrt() * h[i].powf(1.5)
            }
        };

        // Momentum: x faces. Face (c, r) lies west of cell (c, r).
        let stride_x = cols + 1;
        let mut qx_new = std::mem::take(&mut self.qx);
        for r in 0..rows {
            let base = r * stride_x;
            if cfg.theta < 1.0 {
                // θ-weighting reads the old neighbours, so update from a copy of the row.
                let old: Vec<f64> = qx_new[base..base + stride_x].to_vec();
                for c in 1..cols {
                    let avg = 0.5 * (old[c - 1] + old[c + 1]);
                    qx_new[base + c] = face(old[c], avg, r * cols + c - 1, r * cols + c);
                }
            } else {
                for c in 1..cols {
                    let q = qx_new[base + c];
                    qx_new[base + c] = face(q, 0.0, r * cols + c - 1, r * cols + c);
                }
            }
            let w = r * cols;
            let e = r * cols + cols - 1;
            qx_new[base] = -edge(w, (cols > 1).then_some(w + 1));
            qx_new[base + cols] = edge(e, (cols > 1).then(|| e - 1));
        }
        // Momentum: y faces. Face (c, r) lies north of cell (c, r).
        let mut qy_new = std::mem::take(&mut self.qy);
        if cfg.theta < 1.0 {
            let old_rows = qy_new.clone();
            for r in 1..rows {
                for c in 0..cols {
                    let f = r * cols + c;
                    let avg = 0.5 * (old_rows[f - cols] + old_rows[f + cols]);
                    qy_new[f] = face(old_rows[f], avg, (r - 1) * cols + c, r * cols + c);
                }
            }
        } else {
            for r in 1..rows {
                for c in 0..cols {
                    let f = r * cols + c;
                    qy_new[f] = face(qy_new[f], 0.0, (r - 1) * cols + c, r * cols + c);
                }
            }
        }
        for c in 0..cols {
            let n = c;
            let s = (rows - 1) * cols + c;
            qy_new[c] = -edge(n, (rows > 1).then_some(n + cols));
            qy_new[rows * cols + c] = edge(s, (rows > 1).then(|| s - cols));
        }

        // Positivity limiter: scale a cell's outflows so they take at most its water.
        let mut any_limited = false;
        for r in 0..rows {
            for c in 0..cols {
                let i = r * cols + c;
                let west = qx_new[r * stride_x + c];
                let east = qx_new[r * stride_x + c + 1];
                let north = qy_new[r * cols + c];
                let south = qy_new[(r + 1) * cols + c];
                let out = ((-west).max(0.0) + east.max(0.0) + (-north).max(0.0) + south.max(0.0))
                    * dt
                    * dx;
                let held = h[i] * area;
                self.limit[i] = if out > held {
                    any_limited = true;
                    held / out
                } else {
                    1.0
                };
            }
        }
        if any_limited {
            for r in 0..rows {
                for c in 0..=cols {
                    let q = &mut qx_new[r * stride_x + c];
                    let donor = if *q > 0.0 {
                        (c > 0).then(|| r * cols + c - 1)
                    } else {
                        (c < cols).then(|| r * cols + c)
                    };
                    if let Some(d) = donor {
                        *q *= self.limit[d];
                    }
                }
            }
            for r in 0..=rows {
                for c in 0..cols {
                    let q = &mut qy_new[r * cols + c];
                    let donor = if *q > 0.0 {
                        (r > 0).then(|| (r - 1) * cols + c)
                    } else {
                        (r < rows).then(|| r * cols + c)
                    };
                    if let Some(d) = donor {
                        *q *= self.limit[d];
                    }
                }
            }
        }

        // Boundary outflow volume this step.
        let mut out_m3 = 0.0;
        for r in 0..rows {
            out_m3 += (qx_new[r * stride_x + cols] - qx_new[r * stride_x]) * dt * dx;
        }
        for c in 0..cols {
            out_m3 += (qy_new[rows * cols + c] - qy_new[c]) * dt * dx;
        }

        // Continuity, with rain on every valid cell.
        let rain_m = integrate(&self.rain_mm_h, self.t_s, self.t_s + dt) / 1000.0 / 3600.0;
        let mut valid = 0usize;
        let k = dt / dx;
        for r in 0..rows {
            for c in 0..cols {
                let i = r * cols + c;
                if z[i].is_nan() {
                    continue;
                }
                valid += 1;
                let dq = qx_new[r * stride_x + c] - qx_new[r * stride_x + c + 1]
                    + qy_new[r * cols + c]
                    - qy_new[(r + 1) * cols + c];
                self.depth[i] = (self.depth[i] + k * dq + rain_m).max(0.0);
            }
        }
        let mut inflow_m3 = 0.0;
        for inflow in &self.inflows {
            let v = integrate(&inflow.discharge_m3_s, self.t_s, self.t_s + dt).max(0.0);
            self.depth[inflow.cell] += v / area;
            inflow_m3 += v;
        }

        self.qx = qx_new;
        self.qy = qy_new;
        self.balance.rain_m3 += rain_m * area * valid as f64;
        self.balance.inflow_m3 += inflow_m3;
        self.balance.outflow_m3 += out_m3;
        self.t_s += dt;
        self.steps += 1;
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

    #[test]
    fn scenario_inflow_enters_at_the_rivers_first_point() {
        use crate::model::{Inflow, River, RiverIdx};
        let mut scenario = Scenario::default();
        scenario.map.rivers.push(River {
            name: "竹源溪".into(),
            points: vec![Point { x: 5.0, y: 25.0 }, Point { x: 95.0, y: 25.0 }],
            width_m: 8.0,
        });
        let spec = FloodSpec {
            rain_mm_h: vec![(0.0, 0.0)],
            inflows: vec![Inflow {
                river: RiverIdx(0),
                discharge_m3_s: vec![(0.0, 2.0)],
            }],
            manning_n: 0.0,
        };
        let mut m =
            FloodModel::from_scenario(&scenario, &spec, Raster::flat(10, 5, 10.0, 0.0)).unwrap();
        assert_eq!(m.config.manning_n, 0.035, "0 means the default roughness");
        m.advance_to(10.0);
        assert!((m.balance().inflow_m3 - 20.0).abs() < 1e-9);
        assert!(m.depth_at(Point { x: 5.0, y: 25.0 }) > 0.0);
        let bad = FloodSpec {
            inflows: vec![Inflow {
                river: RiverIdx(3),
                discharge_m3_s: vec![],
            }],
            ..spec
        };
        assert!(
            FloodModel::from_scenario(&scenario, &bad, Raster::flat(10, 5, 10.0, 0.0)).is_err()
        );
    }
}
