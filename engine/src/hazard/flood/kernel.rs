//! The flood model's step (the numerical kernel): one explicit step of the local
//! inertial scheme (see [`super`]), fused into a single pass down the rows of the wet
//! box so each grid is streamed through memory once per step, with the momentum update
//! and the positivity limits running in single precision eight lanes wide and the
//! continuity sums and mass balance in double. Here too: the row buffers, the wet box,
//! the open-edge outflow, the 2⁻¹⁶ m bed quanta, and the branch-free helpers (Newton
//! and refined cube roots) the vector loops are built from. The plain double-precision
//! step in the tests is the reference the kernel must follow to f32 rounding.

use super::{FloodModel, G, integrate};

/// Row-sized working buffers of one step.
#[derive(Debug, Clone)]
pub(super) struct Scratch {
    /// Positivity limits of the last two cell rows.
    limit: [Vec<f32>; 2],
    ones: Vec<f32>,
    /// The face terms of the row of faces being updated.
    terms: FaceTerms,
    /// The west or east edge's cells, gathered (see [`FloodModel::edge_outflows`]).
    edge: EdgeWork,
}

impl Scratch {
    /// The buffers of a step on a `cols` × `rows` raster.
    pub(super) fn new(cols: usize, rows: usize) -> Scratch {
        Scratch {
            limit: [vec![1.0; cols], vec![1.0; cols]],
            ones: vec![1.0; cols],
            edge: EdgeWork {
                depth: vec![0.0; rows],
                q: vec![0.0; rows],
            },
            terms: FaceTerms {
                slope: vec![0.0; cols],
                flow_depth: vec![0.0; cols],
            },
        }
    }
}

/// An edge column's depths and last discharges, in rows.
#[derive(Debug, Clone)]
struct EdgeWork {
    depth: Vec<f64>,
    q: Vec<f32>,
}

/// Per-face terms of a row of faces being updated (see [`face_terms`]).
#[derive(Debug, Clone)]
struct FaceTerms {
    /// Water-surface difference `η_b − η_a`, m.
    slope: Vec<f32>,
    /// Flow depth h_f, m.
    flow_depth: Vec<f32>,
}

/// A value per face on the raster edge: this step's discharges (m²/s, positive east or
/// south) or the faces' outflow slopes.
#[derive(Debug, Clone)]
pub(super) struct EdgeFaces {
    west: Vec<f64>,
    east: Vec<f64>,
    north: Vec<f64>,
    south: Vec<f64>,
}

impl EdgeFaces {
    /// Zero on every edge face of a `cols` × `rows` raster.
    pub(super) fn zeros(cols: usize, rows: usize) -> EdgeFaces {
        EdgeFaces {
            west: vec![0.0; rows],
            east: vec![0.0; rows],
            north: vec![0.0; cols],
            south: vec![0.0; cols],
        }
    }
}

/// Elevation the kernels give no-data cells: so high that the flow depth
/// `max(η_i, η_j) − max(z_i, z_j)` across any face touching one is exactly zero, which
/// closes the face without a branch (a NaN would poison the arithmetic instead).
pub(super) const WALL_M: f64 = 1e30;

/// The rectangle of cells that may hold water plus a dry margin of one cell, as
/// inclusive column and row ranges. Water crosses at most one face per step (a face
/// flows only with water on one side of it), so faces outside the box carry no flow
/// and are skipped. The box only grows: every face once computed keeps being computed,
/// so no stale discharge is left behind where water recedes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct WetBox {
    c0: usize,
    c1: usize,
    r0: usize,
    r1: usize,
}

impl WetBox {
    fn full(cols: usize, rows: usize) -> WetBox {
        WetBox {
            c0: 0,
            c1: cols - 1,
            r0: 0,
            r1: rows - 1,
        }
    }

    /// The box grown to hold cell `(col, row)` and its neighbours.
    pub(super) fn with(
        this: Option<WetBox>,
        col: usize,
        row: usize,
        cols: usize,
        rows: usize,
    ) -> WetBox {
        let cell = WetBox {
            c0: col.saturating_sub(1),
            c1: (col + 1).min(cols - 1),
            r0: row.saturating_sub(1),
            r1: (row + 1).min(rows - 1),
        };
        match this {
            None => cell,
            Some(b) => WetBox {
                c0: b.c0.min(cell.c0),
                c1: b.c1.max(cell.c1),
                r0: b.r0.min(cell.r0),
                r1: b.r1.max(cell.r1),
            },
        }
    }
}

/// Per-step constants of the face momentum update, in the single precision it runs in.
struct FaceConstants {
    theta: f32,
    /// (1 − θ) / 2
    half_one_minus_theta: f32,
    /// g Δt / Δx
    gravity: f32,
    /// g Δt n²
    friction: f32,
    wet_threshold_m: f32,
}

/// `x` where positive, else 0 (a branch-free `max(x, 0)` for the vector units).
#[inline(always)]
fn positive(x: f64) -> f64 {
    if x > 0.0 { x } else { 0.0 }
}

/// [`positive`] in single precision.
#[inline(always)]
fn positive32(x: f32) -> f32 {
    if x > 0.0 { x } else { 0.0 }
}

/// `x` where negative, else 0: `min(x, 0)`, one instruction where `−max(−x, 0)` takes
/// three.
#[inline(always)]
fn negative32(x: f32) -> f32 {
    if x < 0.0 { x } else { 0.0 }
}

/// Bed elevations are held to multiples of this, 2⁻¹⁶ m (15 µm, far below any
/// elevation model's precision; see [`quantize_bed`]).
const BED_QUANTUM_M: f64 = 1.0 / 65_536.0;

/// `z` rounded to a multiple of [`BED_QUANTUM_M`]. Two neighbouring cells' bed step is
/// then a multiple of it too, so single precision holds it exactly up to 256 m (2²⁴
/// quanta): the water-surface difference `(h_b − h_a) + (z_b − z_a)` (see
/// [`surface_differences`]) then needs no elevation grid and is exactly 0 over a lake
/// at rest on a bed above the datum (within double rounding below it). Every quantum
/// is exact in double precision up to 2³⁷ m, far beyond the ±12 km the model takes
/// ([`crate::hazard::raster::MAX_ELEVATION_M`]); NaN (no data) stays NaN.
pub(super) fn quantize_bed(z: f64) -> f64 {
    (z / BED_QUANTUM_M).round() * BED_QUANTUM_M
}

/// The cells on either side of a row of faces: `a` west or north, `b` east or south.
struct FaceCells<'a> {
    /// The depths, for the water-surface difference.
    depth: (&'a [f64], &'a [f64]),
    /// The depths rounded to single precision, for the flow depth.
    depth32: (&'a [f32], &'a [f32]),
    /// `z_b − z_a` of each face: exact in single precision (see [`quantize_bed`]).
    bed_step: &'a [f32],
}

/// The flow depth `max(η_a, η_b) − max(z_a, z_b)` of a face, taken as `max(h_a −
/// max(Δz, 0), h_b − max(−Δz, 0))` with `Δz = z_b − z_a`: the same quantity from depths
/// alone, which single precision holds to a few micrometres (the surface itself is
/// hundreds of metres above sea level).
#[inline(always)]
fn flow_depth(h_a: f32, h_b: f32, dz: f32) -> f32 {
    let (from_a, from_b) = (h_a - positive32(dz), h_b + negative32(dz));
    if from_a > from_b { from_a } else { from_b }
}

/// The depth whose h^(−7/3) the friction term takes: dry faces' is taken at 1 mm, so no
/// overflow reaches the arithmetic; [`momentum`] discards their result.
#[inline(always)]
fn friction_depth(hf: f32) -> f32 {
    if hf > 1e-3 { hf } else { 1e-3 }
}

/// The water-surface difference `η_b − η_a = (h_b − h_a) + (z_b − z_a)` of a row of
/// faces, in a loop of its own: it runs four lanes wide in double precision, and the
/// loops after it eight wide in single (in one loop, the compiler would run all of it
/// four wide).
///
/// It is taken in double precision and then rounded: the surface is hundreds of metres
/// above sea level and its slope a few centimetres per cell, so a single-precision η
/// would lose the slope, and a lake at rest would not stay at rest. From the depths and
/// the bed step (exact in single precision, see [`quantize_bed`]) rather than from
/// η = z + h, it needs no elevation grid, which spares the step 8 bytes of memory
/// traffic per cell; over a lake at rest, `h_b − h_a` is exactly `−(z_b − z_a)` and the
/// difference exactly 0.
#[inline(always)]
fn surface_differences(cells: &FaceCells, slope: &mut [f32]) {
    let n = slope.len();
    let (h_a, h_b) = (&cells.depth.0[..n], &cells.depth.1[..n]);
    let dz = &cells.bed_step[..n];
    for i in 0..n {
        slope[i] = ((h_b[i] - h_a[i]) + f64::from(dz[i])) as f32;
    }
}

/// The flow depth `h_f` and `h_f^(−1/3)` of a row of faces from scratch (see
/// [`face_row_averaged`] for when), in a loop of its own apart from the momentum
/// update: the cube root is a long chain of dependent multiplications ending in the
/// update's division, and shorter loop bodies let the processor overlap many faces'
/// chains. Each face's h_f^(−1/3) is kept in `inv_cbrt` for the next step.
#[inline(always)]
fn face_terms(cells: &FaceCells, terms: &mut FaceTerms, inv_cbrt: &mut [f32], n: usize) {
    let (h_a, h_b, dz) = (
        &cells.depth32.0[..n],
        &cells.depth32.1[..n],
        &cells.bed_step[..n],
    );
    let (hf, inv_cbrt) = (&mut terms.flow_depth[..n], &mut inv_cbrt[..n]);
    for i in 0..n {
        hf[i] = flow_depth(h_a[i], h_b[i], dz[i]);
        inv_cbrt[i] = inv_cbrt_f32(friction_depth(hf[i]));
    }
}

/// x^(−1/3) for x > 0 in single precision, without a division or a libm call: an
/// exponent-thirding guess on the bits (error under 4 %), then three Newton steps
/// y ← (4/3) y − (x/3) y⁴ (4 % → 5e-3 → 7e-5 → 1e-8, below f32 rounding). libm's
/// correctly rounded `cbrt` once took two thirds of the run time.
///
/// The guess divides the bits by three in single precision, which the vector units do
/// in three instructions to integer division's nine; the bits lost to rounding (under
/// 2⁻¹⁷ of the guess) are nothing beside its 4 % error.
#[inline(always)]
fn inv_cbrt_f32(x: f32) -> f32 {
    let neg_third_x = x * (-1.0 / 3.0);
    // For any x, the bits read as i32 lie in ±2³¹, so the value converted back is
    // between 1,420,016,268 − 715,827,883 and 1,420,016,268 + 715,827,883: finite and
    // inside i32, as `to_int_unchecked` requires.
    let third_bits = (x.to_bits() as i32 as f32) * (1.0 / 3.0);
    // SAFETY: see above; the operand is finite and within i32's range.
    let guess = unsafe { (1_420_016_268.0f32 - third_bits).to_int_unchecked::<i32>() };
    let mut y = f32::from_bits(guess as u32);
    for _ in 0..3 {
        let y2 = y * y;
        y = neg_third_x.mul_add(y2 * y2, y * (4.0 / 3.0));
    }
    y
}

/// Largest |e| = |1 − x y³| at which [`refine_inv_cbrt`] is as exact as
/// [`inv_cbrt_f32`]: its series' first dropped term, (35/243) e⁴, is 9e-9 there.
const REFINE_TOLERANCE: f32 = 1.0 / 64.0;

/// x^(−1/3) from `y`, last step's value on the same face, and e = 1 − x y³: with it,
/// x^(−1/3) = y (1 − e)^(−1/3) = y (1 + e/3 + 2e²/9 + 14e³/81 + …). Where the flow
/// depth changed by under half a per cent in the step (|e| < [`REFINE_TOLERANCE`]), the
/// three terms give x^(−1/3) to single-precision rounding in five operations instead of
/// the guess and three Newton steps, on nearly every face of a flood past its first
/// minutes.
#[inline(always)]
fn refine_inv_cbrt(x: f32, y: f32) -> (f32, f32) {
    let e = (-x).mul_add(y * y * y, 1.0);
    let series = e.mul_add(e.mul_add(14.0 / 81.0, 2.0 / 9.0), 1.0 / 3.0);
    (y.mul_add(e * series, y), e)
}

/// y⁷, in three levels of multiplication: x^(−7/3) from y = x^(−1/3).
#[inline(always)]
fn pow7(y: f32) -> f32 {
    let y2 = y * y;
    (y2 * y2) * (y2 * y)
}

/// x^(−7/3) for x > 0 in single precision: within 2e-6 relative (checked against
/// `powf` in the tests).
#[inline(always)]
fn inv_pow_7_3_f32(x: f32) -> f32 {
    pow7(inv_cbrt_f32(x))
}

/// The inertial momentum update (Bates et al. 2010 eq. 11) of one face from its old
/// discharge `q`, its θ-weighted old discharge, its water-surface difference, flow
/// depth and `y` = h_f^(−1/3). Dry faces (h_f at or below the wet threshold) carry
/// nothing.
///
/// The friction term's h_f^(−7/3) is y/h_f², so numerator and denominator are both
/// taken times h_f²: `q' = push h_f² / (h_f² + g Δt n² |q| y)`. That leaves one
/// fused multiply-add between y and the division, where y⁷ took three multiplications
/// more, and it is nearer the exact value (y's rounding enters once, not seven times).
#[inline(always)]
fn momentum(k: &FaceConstants, (q, q_weighted): (f32, f32), slope: f32, hf: f32, y: f32) -> f32 {
    let x = friction_depth(hf);
    let x2 = x * x;
    let friction = (k.friction * q.abs()).mul_add(y, x2);
    // Dry faces' numerator is set to 0 before the division, not their quotient after
    // it: the same bits (friction > 0), one operation off the end of the chain.
    let push = (-k.gravity * hf).mul_add(slope, q_weighted);
    (if hf > k.wet_threshold_m {
        push * x2
    } else {
        0.0
    }) / friction
}

/// The θ-weighted (de Almeida et al. 2012) momentum update of a row of faces;
/// `q_before`, `q_old`, `q_after` are the last step's discharges of the face before, the
/// face itself and the face after. θ = 1 gives the Bates et al. (2010) scheme exactly:
/// the neighbours' weight is then 0. `inv_cbrt` holds each face's h_f^(−1/3) of the
/// last step (0 where none was taken yet) and gets this step's.
///
/// The row is first updated in one loop that refines last step's h_f^(−1/3) (see
/// [`refine_inv_cbrt`]): a short chain per face, so one loop body holds it all. Only
/// if some face's depth changed too much for that is the row done again from scratch,
/// with [`face_terms`]; the first pass's results are then all overwritten. In the
/// bench, 97 % of rows take the first pass alone.
#[inline(always)]
fn face_row_averaged(
    k: &FaceConstants,
    cells: FaceCells,
    (q_before, q_old, q_after): (&[f32], &[f32], &[f32]),
    q_new: &mut [f32],
    inv_cbrt: &mut [f32],
    terms: &mut FaceTerms,
) {
    let n = q_new.len();
    let (q_before, q_old, q_after) = (&q_before[..n], &q_old[..n], &q_after[..n]);
    let weighted = |i: usize| {
        k.theta.mul_add(
            q_old[i],
            k.half_one_minus_theta * (q_before[i] + q_after[i]),
        )
    };
    surface_differences(&cells, &mut terms.slope[..n]);
    {
        let (h_a, h_b, dz) = (
            &cells.depth32.0[..n],
            &cells.depth32.1[..n],
            &cells.bed_step[..n],
        );
        let (slope, inv_cbrt) = (&terms.slope[..n], &mut inv_cbrt[..n]);
        // The largest |e| of the row, compared as bits (a non-negative float's bits
        // order as its value does, and a NaN's lie above every number's): an integer
        // maximum, which the vector units take in one instruction.
        let mut worst_e = 0u32;
        for i in 0..n {
            let hf = flow_depth(h_a[i], h_b[i], dz[i]);
            let (y, e) = refine_inv_cbrt(friction_depth(hf), inv_cbrt[i]);
            worst_e = worst_e.max(e.abs().to_bits());
            inv_cbrt[i] = y;
            q_new[i] = momentum(k, (q_old[i], weighted(i)), slope[i], hf, y);
        }
        if worst_e < REFINE_TOLERANCE.to_bits() {
            return;
        }
    }
    face_terms(&cells, terms, inv_cbrt, n);
    let (slope, hf, y) = (&terms.slope[..n], &terms.flow_depth[..n], &inv_cbrt[..n]);
    for i in 0..n {
        q_new[i] = momentum(k, (q_old[i], weighted(i)), slope[i], hf[i], y[i]);
    }
}

/// Per-step constants of the edge outflow (see [`FloodModel::edge_outflows`]).
struct EdgeConstants {
    threshold: f64,
    manning_n: f64,
    dt: f64,
}

/// The signed outflow (`sign` −1 on the west and north edges) of a row of edge faces
/// from their cells' depths, their last discharges and their outflow slopes, branch
/// free so the row runs in the vector units: closed faces (slope 0) and dry cells carry
/// nothing.
#[inline(always)]
fn edge_outflow_row(
    k: &EdgeConstants,
    (depth, q_old): (&[f64], &[f32]),
    slope: &[f64],
    sign: f64,
    out: &mut [f64],
) {
    let len = out.len();
    let (depth, q_old, slope) = (&depth[..len], &q_old[..len], &slope[..len]);
    let (n, dt) = (k.manning_n, k.dt);
    for i in 0..len {
        let (h, slope) = (depth[i], slope[i]);
        let value = if n > 0.0 {
            let q = f64::from(q_old[i].abs());
            let inv7 = f64::from(inv_pow_7_3_f32(friction_depth(h as f32)));
            (q + G * h * dt * slope) / (1.0 + G * dt * n * n * q * inv7)
        } else {
            G.sqrt() * h * h.sqrt()
        };
        out[i] = if slope == 0.0 || h <= k.threshold {
            0.0
        } else {
            sign * value
        };
    }
}

impl FloodModel {
    /// One explicit step of length `dt`: the AVX2 + FMA build of the kernels where the
    /// CPU has them, the baseline build otherwise. Both run the same IEEE operations, so
    /// they give identical bits: the fused multiply-adds are written out (`mul_add`,
    /// one rounding, in hardware or in libm's `fma` on the baseline build) and Rust
    /// never fuses a multiply and an add on its own.
    pub(super) fn step(&mut self, dt: f64) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            // SAFETY: the CPU supports AVX2 and FMA, checked just above.
            unsafe { self.step_avx2(dt) };
            return;
        }
        self.step_kernels(dt);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn step_avx2(&mut self, dt: f64) {
        self.step_kernels(dt);
    }

    /// The step itself, in one pass down the rows of the wet box so that each array is
    /// streamed through memory once per step. In iteration `j`: the momentum update of
    /// row `j`'s x faces and of the y faces north of row `j`; the positivity limits of
    /// row `j − 1` (its four faces are final by then); the limits applied to row
    /// `j − 1`'s x faces and to the y faces between rows `j − 2` and `j − 1`; the
    /// continuity update of row `j − 2`, whose faces are all final and whose old depth
    /// no later face reads (and its single-precision copy). Each face and cell sees the
    /// values whole-grid passes in that order would give it. Inner loops run over
    /// equal-length row slices: no bounds checks, no branches, no allocation,
    /// vectorised.
    ///
    /// Precision: the momentum update and the limits run in single precision, eight
    /// lanes wide (while the step's grids fit the cache, as a 512 × 512 grid's 11 MiB
    /// do, the kernel is bound by arithmetic; at 1024 × 1024 a cell update costs half as
    /// much again). The water-surface difference is taken in double precision first
    /// (see [`surface_differences`]). Depths, the continuity sums and the mass balance
    /// stay double: each face's stored discharge is taken from one cell and added to
    /// the other exactly, so mass is conserved to double rounding. Manning's n is itself
    /// known to a few per cent; the single-precision rounding of a discharge is 6e-8 of
    /// it.
    #[inline(always)]
    fn step_kernels(&mut self, dt: f64) {
        let (cols, rows) = (self.terrain.cols, self.terrain.rows);
        let stride_x = cols + 1;
        let dx = self.terrain.cell_m;
        let area = dx * dx;
        let cfg = self.config;
        let rain_m = integrate(&self.rain_mm_h, self.t_s, self.t_s + dt) / 1000.0 / 3600.0;
        if rain_m > 0.0 {
            self.wet = Some(WetBox::full(cols, rows));
        }
        let k = FaceConstants {
            theta: cfg.theta as f32,
            half_one_minus_theta: (0.5 * (1.0 - cfg.theta)) as f32,
            gravity: (G * dt / dx) as f32,
            friction: (G * dt * cfg.manning_n * cfg.manning_n) as f32,
            wet_threshold_m: cfg.wet_threshold_m as f32,
        };
        self.edge_outflows(dt);
        let mut deepest = 0u32;
        if let Some(b) = self.wet {
            let FloodModel {
                bed_step_x,
                bed_step_y,
                depth,
                depth32,
                walls,
                walls_by_row,
                qx: qx_old,
                qy: qy_old,
                qx_next: qx,
                qy_next: qy,
                inv_cbrt_x,
                inv_cbrt_y,
                scratch,
                edges,
                ..
            } = self;
            let n = b.c1 - b.c0; // interior x faces per row
            let w = n + 1; // cells per row
            // A limited cell's outflows are scaled to take (1 − 2⁻²⁰) of its water, not
            // all of it: the margin covers the single-precision rounding of the limit
            // and of the limited discharges (under 2⁻²¹ together), so rounding never
            // takes more water than a cell holds and never needs clamping.
            let out_scale = (dt * dx) as f32;
            let held_scale = (area * (1.0 - 1.0 / 1_048_576.0)) as f32;
            let k_continuity = dt / dx;
            let mut limited = [false; 2];
            for j in b.r0..=b.r1 + 2 {
                if j <= b.r1 {
                    let cell = j * cols + b.c0;
                    let face = j * stride_x + b.c0;
                    let depth32_here = &depth32[cell..cell + w];
                    // Momentum, x faces of row j; face (c, r) lies west of cell (c, r).
                    // The row's n interior faces and the one east of the box: w faces,
                    // a whole number of vector blocks on a raster of a multiple of 8
                    // columns, where n = w − 1 left 7 faces to scalar code. The extra
                    // face carries nothing: east of the box, its cells are dry (the box
                    // keeps a dry margin), so its flow depth is 0 whatever its stale
                    // surface value; on the raster's edge it is the edge face, set
                    // just below. (`depth`, `depth32` and `qx` have one element to
                    // spare for the last row's extra face.)
                    let (h_ext, h32_ext) =
                        (&depth[cell..cell + w + 1], &depth32[cell..cell + w + 1]);
                    let cells = FaceCells {
                        depth: (&h_ext[..w], &h_ext[1..w + 1]),
                        depth32: (&h32_ext[..w], &h32_ext[1..w + 1]),
                        bed_step: &bed_step_x[face + 1..face + 1 + w],
                    };
                    face_row_averaged(
                        &k,
                        cells,
                        (
                            &qx_old[face..face + w],
                            &qx_old[face + 1..face + 1 + w],
                            &qx_old[face + 2..face + 2 + w],
                        ),
                        &mut qx[face + 1..face + 1 + w],
                        &mut inv_cbrt_x[face + 1..face + 1 + w],
                        &mut scratch.terms,
                    );
                    qx[j * stride_x] = edges.west[j] as f32;
                    qx[j * stride_x + cols] = edges.east[j] as f32;
                    // Momentum, y faces north of row j; face (c, r) lies north of cell (c, r).
                    if j > b.r0 {
                        let cells = FaceCells {
                            depth: (&depth[cell - cols..cell - cols + w], &depth[cell..cell + w]),
                            depth32: (&depth32[cell - cols..cell - cols + w], depth32_here),
                            bed_step: &bed_step_y[cell..cell + w],
                        };
                        face_row_averaged(
                            &k,
                            cells,
                            (
                                &qy_old[cell - cols..cell - cols + w],
                                &qy_old[cell..cell + w],
                                &qy_old[cell + cols..cell + cols + w],
                            ),
                            &mut qy[cell..cell + w],
                            &mut inv_cbrt_y[cell..cell + w],
                            &mut scratch.terms,
                        );
                    } else if j == 0 {
                        let north = &edges.north[b.c0..=b.c1];
                        for (q, &edge) in qy[b.c0..=b.c1].iter_mut().zip(north) {
                            *q = edge as f32;
                        }
                    }
                    if j == rows - 1 {
                        let south = rows * cols;
                        let edge = &edges.south[b.c0..=b.c1];
                        for (q, &edge) in qy[south + b.c0..=south + b.c1].iter_mut().zip(edge) {
                            *q = edge as f32;
                        }
                    }
                }
                if j > b.r0 && j - 1 <= b.r1 {
                    // Positivity limits of row i = j − 1: scale a cell's outflows so they
                    // take at most the water it holds.
                    let i = j - 1;
                    let (cell, face) = (i * cols + b.c0, i * stride_x + b.c0);
                    let (west, east) = (&qx[face..face + w], &qx[face + 1..face + 1 + w]);
                    let (north, south) = (&qy[cell..cell + w], &qy[cell + cols..cell + cols + w]);
                    let h = &depth32[cell..cell + w];
                    let out_and_held = |c: usize| {
                        // The outflows west, east, north and south, summed in that order:
                        // −min(q, 0) is max(−q, 0) exactly, in one instruction to three.
                        let out = (((positive32(east[c]) - negative32(west[c]))
                            - negative32(north[c]))
                            + positive32(south[c]))
                            * out_scale;
                        (out, h[c] * held_scale)
                    };
                    // A row rarely holds a limited cell (about one row in 10,000 in the
                    // bench), so the divisions wait until one is found.
                    let mut any = false;
                    for c in 0..w {
                        let (out, held) = out_and_held(c);
                        any |= out > held;
                    }
                    limited[i % 2] = any;
                    let limit = &mut scratch.limit[i % 2][..w];
                    if any {
                        for (c, limit) in limit.iter_mut().enumerate() {
                            let (out, held) = out_and_held(c);
                            *limit = if out > held { held / out } else { 1.0 };
                        }
                    }
                    // Row i's x faces; the west and east edge faces have a donor
                    // inside only when water leaves.
                    if any {
                        let q = &mut qx[face + 1..face + 1 + n];
                        let (from_w, from_e) = (&limit[..n], &limit[1..w]);
                        for c in 0..n {
                            q[c] *= if q[c] > 0.0 { from_w[c] } else { from_e[c] };
                        }
                        if b.c0 == 0 {
                            let q = &mut qx[i * stride_x];
                            *q *= if *q > 0.0 { 1.0 } else { limit[0] };
                        }
                        if b.c1 == cols - 1 {
                            let q = &mut qx[i * stride_x + cols];
                            *q *= if *q > 0.0 { limit[n] } else { 1.0 };
                        }
                    }
                }
                if j > b.r0 && j - 1 <= b.r1 + 1 {
                    // The y faces of face row f = j − 1, between rows f − 1 and f.
                    let f = j - 1;
                    let q = &mut qy[f * cols + b.c0..f * cols + b.c0 + w];
                    let one = &scratch.ones[..w];
                    let from_n = if f > b.r0 && limited[(f - 1) % 2] {
                        Some(&scratch.limit[(f - 1) % 2][..w])
                    } else {
                        None
                    };
                    let from_s = if f <= b.r1 && limited[f % 2] {
                        Some(&scratch.limit[f % 2][..w])
                    } else {
                        None
                    };
                    if from_n.is_some() || from_s.is_some() {
                        let (from_n, from_s) = (from_n.unwrap_or(one), from_s.unwrap_or(one));
                        for c in 0..w {
                            q[c] *= if q[c] > 0.0 { from_n[c] } else { from_s[c] };
                        }
                    }
                }
                if j >= b.r0 + 2 {
                    // Continuity of row i = j − 2, summed in double precision, with rain
                    // on every cell; the walls' share is taken back at once (a wall's
                    // faces are closed, so nothing else reaches it), which costs less
                    // than a test on every cell. The deepest cell sets the next Courant
                    // step. Its maximum is kept as the bits of the single-precision
                    // depths (a non-negative float's bits order as its value does), an
                    // integer maximum in the same loop; a row with walls takes it after
                    // they are emptied, in a pass of its own, so their passing share
                    // of rain never counts.
                    let i = j - 2;
                    let (cell, face) = (i * cols + b.c0, i * stride_x + b.c0);
                    let (west, east) = (&qx[face..face + w], &qx[face + 1..face + 1 + w]);
                    let (north, south) = (&qy[cell..cell + w], &qy[cell + cols..cell + cols + w]);
                    let h = &mut depth[cell..cell + w];
                    let h32 = &mut depth32[cell..cell + w];
                    let mut row_deepest = 0u32;
                    for c in 0..w {
                        let dq = f64::from(west[c]) - f64::from(east[c]) + f64::from(north[c])
                            - f64::from(south[c]);
                        h[c] = positive(k_continuity.mul_add(dq, h[c]) + rain_m);
                        h32[c] = h[c] as f32;
                        row_deepest = row_deepest.max(h32[c].to_bits());
                    }
                    let row_walls = &walls[walls_by_row[i]..walls_by_row[i + 1]];
                    if !row_walls.is_empty() {
                        for &wall in row_walls {
                            depth[wall] = 0.0;
                            depth32[wall] = 0.0;
                        }
                        row_deepest = depth32[cell..cell + w]
                            .iter()
                            .fold(0, |m, d| m.max(d.to_bits()));
                    }
                    deepest = deepest.max(row_deepest);
                }
            }
            std::mem::swap(qx_old, qx);
            std::mem::swap(qy_old, qy);
        }

        // Boundary outflow volume this step, from the discharges continuity used.
        let mut out_m3 = 0.0;
        for r in 0..rows {
            out_m3 += (f64::from(self.qx[r * stride_x + cols]) - f64::from(self.qx[r * stride_x]))
                * dt
                * dx;
        }
        for c in 0..cols {
            out_m3 += (f64::from(self.qy[rows * cols + c]) - f64::from(self.qy[c])) * dt * dx;
        }

        let mut h_max = f64::from(f32::from_bits(deepest));
        let mut inflow_m3 = 0.0;
        for inflow in &self.inflows {
            let v = integrate(&inflow.discharge_m3_s, self.t_s, self.t_s + dt).max(0.0);
            self.depth[inflow.cell] += v / area;
            self.depth32[inflow.cell] = self.depth[inflow.cell] as f32;
            h_max = f64::max(h_max, self.depth[inflow.cell]);
            inflow_m3 += v;
        }
        self.h_max = h_max;
        self.grow_wet_box();

        self.balance.rain_m3 += rain_m * area * self.valid_cells as f64;
        self.balance.inflow_m3 += inflow_m3;
        self.balance.outflow_m3 += out_m3;
        self.t_s += dt;
        self.steps += 1;
    }

    /// Discharge through the open raster edge this step, as the signed discharge of
    /// each edge face (positive east or south), from the depths and edge discharges at
    /// the start of the step: the momentum update of the face (Bates et al. 2010 eq. 11)
    /// with the edge cell's depth `h` as flow depth and the face's outflow slope `S` as
    /// the water-surface slope, `q' = (q + g h Δt S) / (1 + g Δt n² q / h^(7/3))`,
    /// whose steady state is Manning's `q = h^(5/3) √S / n`; without friction,
    /// critical-depth `q = √g h^(3/2)`. Closed faces and dry edge cells carry nothing.
    #[inline(always)]
    fn edge_outflows(&mut self, dt: f64) {
        let (cols, rows) = (self.terrain.cols, self.terrain.rows);
        let k = EdgeConstants {
            threshold: self.config.wet_threshold_m,
            manning_n: self.config.manning_n,
            dt,
        };
        let stride_x = cols + 1;
        let (h, qx, qy) = (&self.depth, &self.qx, &self.qy);
        let (slope, e, work) = (&self.edge_slopes, &mut self.edges, &mut self.scratch.edge);
        // The west and east columns are gathered into rows first, so that every side
        // runs as one vectorised loop: the cell of column `col` and the x face `face`
        // of each row.
        let gather = |work: &mut EdgeWork, col: usize, face: usize| {
            for (r, (depth, q)) in work.depth.iter_mut().zip(&mut work.q).enumerate() {
                (*depth, *q) = (h[r * cols + col], qx[r * stride_x + face]);
            }
        };
        gather(work, 0, 0);
        edge_outflow_row(
            &k,
            (&work.depth[..rows], &work.q[..rows]),
            &slope.west,
            -1.0,
            &mut e.west,
        );
        gather(work, cols - 1, cols);
        edge_outflow_row(
            &k,
            (&work.depth[..rows], &work.q[..rows]),
            &slope.east,
            1.0,
            &mut e.east,
        );
        edge_outflow_row(
            &k,
            (&h[..cols], &qy[..cols]),
            &slope.north,
            -1.0,
            &mut e.north,
        );
        let (south_cells, south_faces) = ((rows - 1) * cols, rows * cols);
        edge_outflow_row(
            &k,
            (
                &h[south_cells..south_cells + cols],
                &qy[south_faces..south_faces + cols],
            ),
            &slope.south,
            1.0,
            &mut e.south,
        );
    }

    /// The outflow slope of every edge face (see [`FloodModel::edge_outflows`]): the
    /// bed slope from the next cell inwards down to the edge cell, at least
    /// `min_outflow_slope`; 0 (closed) on a closed edge, at an inflow cell, at a
    /// no-data cell and where the bed rises towards the edge. It depends only on the bed and on which faces are open.
    pub(super) fn set_edge_slopes(&mut self) {
        let (cols, rows) = (self.terrain.cols, self.terrain.rows);
        let dx = self.terrain.cell_m;
        let cfg = self.config;
        let z = &self.terrain.elevation_m;
        let closed = &self.closed_edge;
        let outflow_slope = |i: usize, inner: Option<usize>| -> f64 {
            if !cfg.open_boundary || closed[i] || z[i].is_nan() {
                return 0.0;
            }
            let bed = inner.map_or(0.0, |k| {
                if z[k].is_nan() {
                    0.0
                } else {
                    (z[k] - z[i]) / dx
                }
            });
            // A bed rising towards the edge holds the water in (the upstream end of a
            // valley, the bank beside an inflow): the face is closed rather than given
            // the minimum slope, which drained rivers out of their own source cells.
            if bed < 0.0 {
                0.0
            } else {
                bed.max(cfg.min_outflow_slope)
            }
        };
        let s = &mut self.edge_slopes;
        for r in 0..rows {
            let (west, east) = (r * cols, r * cols + cols - 1);
            s.west[r] = outflow_slope(west, (cols > 1).then_some(west + 1));
            s.east[r] = outflow_slope(east, (cols > 1).then(|| east - 1));
        }
        for c in 0..cols {
            let (north, south) = (c, (rows - 1) * cols + c);
            s.north[c] = outflow_slope(north, (rows > 1).then_some(north + cols));
            s.south[c] = outflow_slope(south, (rows > 1).then(|| south - cols));
        }
    }

    /// Widens the wet box by a cell on each side where water reached its dry margin.
    fn grow_wet_box(&mut self) {
        let Some(mut b) = self.wet else { return };
        let cols = self.terrain.cols;
        let h = &self.depth;
        let wet_row = |r: usize| {
            h[r * cols + b.c0..=r * cols + b.c1]
                .iter()
                .any(|&d| d > 0.0)
        };
        let wet_col = |c: usize| (b.r0..=b.r1).any(|r| h[r * cols + c] > 0.0);
        let grow_n = b.r0 > 0 && wet_row(b.r0);
        let grow_s = b.r1 + 1 < self.terrain.rows && wet_row(b.r1);
        let grow_w = b.c0 > 0 && wet_col(b.c0);
        let grow_e = b.c1 + 1 < cols && wet_col(b.c1);
        b.r0 -= grow_n as usize;
        b.r1 += grow_s as usize;
        b.c0 -= grow_w as usize;
        b.c1 += grow_e as usize;
        self.wet = Some(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazard::flood::{FloodConfig, InflowCell, MassBalance};
    use crate::hazard::raster::Raster;
    use crate::model::{Point, Timeline};

    /// The first, plainly written version of the step (closures per face, NaN checks,
    /// a `cbrt` per face), kept as the reference the optimised kernels must reproduce.
    struct Reference {
        terrain: Raster,
        config: FloodConfig,
        depth: Vec<f64>,
        qx: Vec<f64>,
        qy: Vec<f64>,
        limit: Vec<f64>,
        closed_edge: Vec<bool>,
        rain_mm_h: Timeline<f64>,
        inflows: Vec<InflowCell>,
        t_s: f64,
        steps: u64,
        balance: MassBalance,
    }

    impl Reference {
        fn of(m: &FloodModel) -> Reference {
            Reference {
                terrain: m.terrain.clone(),
                config: m.config,
                depth: m.depths().to_vec(),
                // (Without `qx`'s one element of padding.)
                qx: m.qx[..(m.terrain.cols + 1) * m.terrain.rows]
                    .iter()
                    .map(|&q| f64::from(q))
                    .collect(),
                qy: m.qy.iter().map(|&q| f64::from(q)).collect(),
                limit: vec![1.0; m.terrain.len()],
                closed_edge: m.closed_edge.clone(),
                rain_mm_h: m.rain_mm_h.clone(),
                inflows: m.inflows.clone(),
                t_s: m.t_s,
                steps: m.steps,
                balance: m.balance,
            }
        }

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
            // Outflow through an open edge face of cell i (outward positive): the face's
            // momentum update with the bed slope towards the edge as surface slope.
            let edge = |i: usize, inner: Option<usize>, q_old: f64| -> f64 {
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
                if bed < 0.0 {
                    return 0.0;
                }
                let s = bed.max(cfg.min_outflow_slope);
                if cfg.manning_n > 0.0 {
                    let q = q_old.abs();
                    (q + G * h[i] * dt * s) / (1.0 + G * dt * n2 * q / h[i].powf(7.0 / 3.0))
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
                qx_new[base] = -edge(w, (cols > 1).then_some(w + 1), qx_new[base]);
                qx_new[base + cols] = edge(e, (cols > 1).then(|| e - 1), qx_new[base + cols]);
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
                qy_new[c] = -edge(n, (rows > 1).then_some(n + cols), qy_new[c]);
                qy_new[rows * cols + c] =
                    edge(s, (rows > 1).then(|| s - cols), qy_new[rows * cols + c]);
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
                    let out =
                        ((-west).max(0.0) + east.max(0.0) + (-north).max(0.0) + south.max(0.0))
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
    }

    /// A bumpy valley with no-data holes, an inflow, rain that stops and starts, an
    /// open edge and θ = 0.7: the optimised step (wet box, walls, Newton and refined cube roots,
    /// single-precision vector loops) must give the reference step's depths and
    /// discharges to single-precision rounding, and conserve mass as exactly.
    #[test]
    fn optimised_step_matches_the_reference_step() {
        let (cols, rows) = (37, 23);
        let mut z: Vec<f64> = (0..rows)
            .flat_map(|r| {
                (0..cols).map(move |c| {
                    5.0 - 0.05 * c as f64
                        + 0.2 * (r as f64 - 11.0).abs()
                        + 0.3 * ((c as f64 * 0.9).sin() * (r as f64 * 0.7).cos())
                })
            })
            .collect();
        for i in [5 * cols + 8, 5 * cols + 9, 12 * cols + 20, 22 * cols + 36] {
            z[i] = f64::NAN;
        }
        let terrain = Raster::from_grid(cols, rows, 4.0, z).unwrap();
        for (theta, manning_n) in [(0.7, 0.03), (1.0, 0.05), (1.0, 0.0)] {
            let config = FloodConfig {
                theta,
                manning_n,
                open_boundary: true,
                ..FloodConfig::default()
            };
            let mut m = FloodModel::new(terrain.clone(), config, None).unwrap();
            m.set_rain(vec![
                (0.0, 0.0),
                (200.0, 0.0),
                (200.0, 60.0),
                (400.0, 60.0),
                (400.0, 0.0),
            ]);
            m.add_inflow(Point { x: 2.0, y: 46.0 }, vec![(0.0, 12.0), (600.0, 4.0)])
                .unwrap();
            let mut reference = Reference::of(&m);
            // The kernels' single precision (the discharges, the face arithmetic) puts
            // them 1e-7 relative from the double-precision reference in a step. With
            // friction the scheme damps that, and the two runs stay together: measured
            // at most 7.7e-7 m of depth and 9.1e-8 m²/s of discharge over these 1,200
            // steps (discharges are compared relative to 1 + |q|). Without friction,
            // θ = 1 damps nothing (the checkerboard mode the θ-weighting exists for) and
            // any rounding difference grows, to centimetres by step 1,000, as it would
            // between two compilers in double precision; so there the reference
            // restarts from the kernels' state before every step, and each step must
            // agree to rounding.
            let (tolerance, resync) = if manning_n == 0.0 {
                (1e-6, true)
            } else {
                (2e-6, false)
            };
            for k in 0..1200 {
                let dt = 0.5;
                if resync {
                    reference = Reference::of(&m);
                }
                m.step(dt);
                reference.step(dt);
                let worst = m
                    .depth
                    .iter()
                    .zip(&reference.depth)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max);
                assert!(
                    worst < tolerance,
                    "theta {theta} n {manning_n} step {k}: depths differ by {worst}"
                );
            }
            let q_worst =
                m.qx.iter()
                    .zip(&reference.qx)
                    .chain(m.qy.iter().zip(&reference.qy))
                    .map(|(&a, b)| (f64::from(a) - b).abs() / (1.0 + b.abs()))
                    .fold(0.0, f64::max);
            assert!(
                q_worst < tolerance,
                "discharges differ by {q_worst} relative to 1 + |q|"
            );
            let flooded = m.depth.iter().filter(|&&h| h > 0.01).count();
            assert!(flooded > 50, "the test must flood, {flooded} cells wet");
            if !resync {
                let b = (m.balance, reference.balance);
                assert!((b.0.outflow_m3 - b.1.outflow_m3).abs() < 1e-5 * b.1.outflow_m3.max(1.0));
                assert!((b.0.rain_m3 - b.1.rain_m3).abs() < 1e-9 * b.1.rain_m3);
            }
            assert!(
                m.mass_error_relative() < 1e-12,
                "mass error {:e}",
                m.mass_error_relative()
            );
        }
    }

    /// The wet box skips a dry grid and grows with the water.
    #[test]
    fn wet_box_follows_the_water() {
        let mut m = FloodModel::new(
            Raster::flat(50, 40, 10.0, 0.0),
            FloodConfig::default(),
            None,
        )
        .unwrap();
        assert_eq!(m.wet, None);
        m.add_inflow(Point { x: 255.0, y: 205.0 }, vec![(0.0, 5.0)])
            .unwrap();
        assert_eq!(
            m.wet,
            Some(WetBox {
                c0: 24,
                c1: 26,
                r0: 19,
                r1: 21
            })
        );
        m.run_to(600.0);
        let b = m.wet.unwrap();
        let wet: Vec<usize> = (0..m.depth.len()).filter(|&i| m.depth[i] > 0.0).collect();
        assert!(wet.len() > 9, "water should spread");
        for i in wet {
            let (c, r) = (i % 50, i / 50);
            assert!(
                c > b.c0 && c < b.c1 && r > b.r0 && r < b.r1,
                "wet cell ({c}, {r}) outside {b:?}"
            );
        }
        assert!(
            b.c1 - b.c0 < 49,
            "the box should not cover the whole grid yet: {b:?}"
        );
    }

    #[test]
    fn newton_inverse_seven_thirds_power_is_exact_to_f32_rounding() {
        // From the 1 mm floor of a wet face to 30 m of water.
        for k in 0..2000 {
            let x = 10f64.powf(-3.0 + 4.5 * k as f64 / 2000.0);
            let exact = (x as f32 as f64).powf(-7.0 / 3.0);
            let got = f64::from(inv_pow_7_3_f32(x as f32));
            assert!(
                ((got - exact) / exact).abs() < 2e-6,
                "x {x}: {got} vs {exact}"
            );
        }
    }

    #[test]
    fn refining_last_steps_inverse_cube_root_is_exact_to_f32_rounding() {
        // Last step's depth within the tolerance of this step's, either way, from the
        // 1 mm floor to 30 m; at the tolerance's edge the series' error is largest.
        for k in 0..2000 {
            let x = 10f64.powf(-3.0 + 4.5 * k as f64 / 2000.0) as f32;
            for change in [-1.0, -0.999, -0.5, 0.0, 0.5, 0.999, 1.0] {
                // x_last with 1 − x / x_last = e close to `change` × tolerance.
                let e = f64::from(change * REFINE_TOLERANCE) * 0.999;
                let x_last = f64::from(x) / (1.0 - e);
                let y_last = x_last.powf(-1.0 / 3.0) as f32;
                let (y, e_seen) = refine_inv_cbrt(x, y_last);
                assert!(
                    e_seen.abs() < REFINE_TOLERANCE,
                    "x {x}, e {e}: saw {e_seen}"
                );
                // y itself, which the friction term now uses, to two f32 roundings.
                let exact_y = f64::from(x).powf(-1.0 / 3.0);
                assert!(
                    ((f64::from(y) - exact_y) / exact_y).abs() < 2.0 * f64::from(f32::EPSILON),
                    "x {x}, e {e}: y {y} vs {exact_y}"
                );
                let exact = f64::from(x).powf(-7.0 / 3.0);
                let got = f64::from(pow7(y));
                assert!(
                    ((got - exact) / exact).abs() < 2e-6,
                    "x {x}, e {e}: {got} vs {exact}"
                );
            }
        }
    }

    /// The kernels' row slices (the extra x face east of the box, the padding for the
    /// last row) hold on the smallest rasters too, and mass is conserved there.
    #[test]
    fn tiny_rasters_run_and_conserve_mass() {
        for (cols, rows) in [(1, 1), (1, 4), (4, 1), (2, 3), (9, 2)] {
            let z: Vec<f64> = (0..cols * rows)
                .map(|i| 1.0 + 0.01 * (i % 3) as f64)
                .collect();
            let terrain = Raster::from_grid(cols, rows, 5.0, z).unwrap();
            for open_boundary in [false, true] {
                let config = FloodConfig {
                    open_boundary,
                    ..FloodConfig::default()
                };
                let mut m = FloodModel::new(terrain.clone(), config, None).unwrap();
                m.set_rain(vec![(0.0, 50.0)]);
                m.add_inflow(Point { x: 2.5, y: 2.5 }, vec![(0.0, 0.5)])
                    .unwrap();
                m.run_to(600.0);
                assert!(m.depths().iter().all(|h| h.is_finite() && *h >= 0.0));
                assert!(
                    m.mass_error_relative() < 1e-12,
                    "{cols}x{rows} open {open_boundary}: mass error {}",
                    m.mass_error_relative()
                );
            }
        }
    }

    proptest::proptest! {
        /// A quantized bed's step between neighbours is exact in single precision up to
        /// 256 m, and over water at rest (one surface η) the surface difference taken
        /// from the depths and that step is exactly 0 on a bed above the datum (each
        /// depth η − z is then exact). Below it, a depth larger than η can take a
        /// rounding, so the difference is within double rounding of η.
        #[test]
        fn quantized_bed_steps_are_exact_and_keep_a_lake_at_rest(
            z_a in -500.0f64..9000.0, step in -255.99f64..255.99, above in 0.0f64..50.0,
        ) {
            let (a, b) = (quantize_bed(z_a), quantize_bed(z_a + step));
            proptest::prop_assert!((a - z_a).abs() <= BED_QUANTUM_M / 2.0);
            let dz = (b - a) as f32;
            proptest::prop_assert_eq!(f64::from(dz), b - a);
            let eta = a.max(b) + above;
            let (h_a, h_b) = (eta - a, eta - b);
            let cells = FaceCells {
                depth: (&[h_a], &[h_b]),
                depth32: (&[h_a as f32], &[h_b as f32]),
                bed_step: &[dz],
            };
            let mut slope = [f32::NAN];
            surface_differences(&cells, &mut slope);
            if a >= 0.0 && b >= 0.0 {
                proptest::prop_assert_eq!(slope[0], 0.0);
            } else {
                proptest::prop_assert!(f64::from(slope[0].abs()) <= 2.0 * f64::EPSILON * (eta - a.min(b)));
            }
        }
    }
}
