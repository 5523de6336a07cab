//! 灾情图层 — the physical hazards as plain, drawable rasters: water depth, the fire's
//! burning and burnt ground, the plume's concentration against its AEGLs. Sampled on a
//! coarse grid from the same `HazardField`s the simulation steps (never a second model),
//! only when a caller asks, and cached per drill time by [`super::Simulation`].

use crate::hazard::HazardField;
use crate::model::{Hazard, Point, Scenario};
use serde::{Deserialize, Serialize};

/// What a layer's values mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HazardLayerKind {
    /// 水深 — water depth, metres (0 where dry).
    WaterDepth,
    /// 火场 — seconds since the fire front reached the cell; negative where it has not.
    Fire,
    /// 毒气羽流 — outdoor concentration of the released substance, ppm.
    Plume,
}

/// One hazard on a regular grid over the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HazardLayer {
    pub kind: HazardLayerKind,
    /// Drill time the values are for, seconds.
    pub t_s: f64,
    /// Map point of the corner of cell (0, 0) (smallest x and y).
    pub origin: Point,
    /// Side of a (square) cell, metres.
    pub cell_m: f64,
    pub width: usize,
    pub height: usize,
    /// Row-major, `width * height`, row 0 at the smallest y; each cell sampled at its
    /// centre.
    pub values: Vec<f32>,
    /// Class bounds, ascending, in the values' unit: for water the depth classes, for
    /// fire the age of the front below which a cell counts as still burning, for the
    /// plume the 60-minute AEGL-1, -2 and -3 (those the substance has).
    pub thresholds: Vec<f32>,
}

impl HazardLayer {
    /// The value of the cell at `(col, row)`.
    pub fn value(&self, col: usize, row: usize) -> f32 {
        self.values[row * self.width + col]
    }

    /// The map point at the centre of cell `(col, row)`.
    pub fn center(&self, col: usize, row: usize) -> Point {
        Point {
            x: self.origin.x + (col as f64 + 0.5) * self.cell_m,
            y: self.origin.y + (row as f64 + 0.5) * self.cell_m,
        }
    }

    /// Which class a value falls in: 0 below the first threshold (nothing to draw),
    /// `i` at or above the `i`-th (1-based). For fire: 0 not reached, 1 burning, 2 burnt.
    pub fn class_of(&self, value: f32) -> usize {
        match self.kind {
            HazardLayerKind::Fire => {
                if value < 0.0 {
                    0
                } else if self.thresholds.first().is_some_and(|&t| value < t) {
                    1
                } else {
                    2
                }
            }
            _ => self.thresholds.iter().take_while(|&&t| value >= t).count(),
        }
    }
}

/// Depth classes drawn for water, metres: wet ground, above the knee (wading gets hard,
/// the flood model's danger band starts near here for moving water), above the waist,
/// over head height. Drawing classes only; the danger test stays the flood model's own.
pub const WATER_DEPTH_CLASSES_M: [f32; 4] = [0.05, 0.5, 1.0, 2.0];

/// A cell counts as burning for this long after the front reached it, then as burnt.
/// The spread model keeps arrival times only (no burn-out), so this is a drawing
/// convention: the last half hour of spread is the active front.
pub const FIRE_FRONT_AGE_S: f32 = 1800.0;

/// The plume's three class bounds from the substance's 60-minute AEGL-1/2/3: a level
/// the substance lacks takes the next defined one's value (its class stays empty), and
/// `f32::MAX` where no higher level is defined either.
pub fn aegl_thresholds(aegl_ppm: [Option<f64>; 3]) -> Vec<f32> {
    let mut out = vec![f32::MAX; 3];
    let mut next = f32::MAX;
    for i in (0..3).rev() {
        if let Some(l) = aegl_ppm[i] {
            next = l as f32;
        }
        out[i] = next;
    }
    out
}

/// The map rectangle a layer covers: everything the scenario puts on the map (places,
/// road geometry, zones, rivers, ignitions, chemical sources), with a 10 % margin.
pub fn layer_extent(scenario: &Scenario) -> Option<(Point, Point)> {
    let map = &scenario.map;
    let points = map
        .places
        .iter()
        .map(|p| p.pos)
        .chain(map.links.iter().flat_map(|l| l.via.iter().copied()))
        .chain(map.zones.iter().flat_map(|z| z.polygon.iter().copied()))
        .chain(map.rivers.iter().flat_map(|r| r.points.iter().copied()))
        .chain(scenario.hazards.iter().flat_map(|h| match h {
            Hazard::Fire(spec) => spec.ignitions.iter().map(|i| i.at).collect::<Vec<_>>(),
            Hazard::Chemical(spec) => vec![spec.source],
            Hazard::Flood(_) => Vec::new(),
        }));
    let (mut lo, mut hi) = (
        Point {
            x: f64::MAX,
            y: f64::MAX,
        },
        Point {
            x: f64::MIN,
            y: f64::MIN,
        },
    );
    let mut any = false;
    for p in points.filter(|p| p.x.is_finite() && p.y.is_finite()) {
        any = true;
        lo.x = lo.x.min(p.x);
        lo.y = lo.y.min(p.y);
        hi.x = hi.x.max(p.x);
        hi.y = hi.y.max(p.y);
    }
    if !any {
        return None;
    }
    let margin = 0.1 * (hi.x - lo.x).max(hi.y - lo.y).max(100.0);
    Some((
        Point {
            x: lo.x - margin,
            y: lo.y - margin,
        },
        Point {
            x: hi.x + margin,
            y: hi.y + margin,
        },
    ))
}

/// Samples every physical field in `fields` (the scripted zones have no layer: the map
/// draws their polygons) on a grid over `extent`, `resolution` cells along its longer
/// side. Layers with nothing to draw are left out.
pub fn sample_layers(
    fields: &[Box<dyn HazardField>],
    extent: (Point, Point),
    resolution: usize,
    t_s: f64,
) -> Vec<HazardLayer> {
    let (lo, hi) = extent;
    let resolution = resolution.clamp(1, 1024);
    let cell_m = (hi.x - lo.x).max(hi.y - lo.y) / resolution as f64;
    if !(cell_m.is_finite() && cell_m > 0.0) {
        return Vec::new();
    }
    let width = (((hi.x - lo.x) / cell_m).ceil() as usize).clamp(1, resolution);
    let height = (((hi.y - lo.y) / cell_m).ceil() as usize).clamp(1, resolution);
    let mut out = Vec::new();
    for field in fields {
        let (kind, thresholds): (HazardLayerKind, Vec<f32>) = match field.name() {
            "flood" => (HazardLayerKind::WaterDepth, WATER_DEPTH_CLASSES_M.to_vec()),
            "fire" => (HazardLayerKind::Fire, vec![FIRE_FRONT_AGE_S]),
            "plume" => (
                HazardLayerKind::Plume,
                aegl_thresholds(field.aegl_60_min_ppm()),
            ),
            _ => continue,
        };
        let mut layer = HazardLayer {
            kind,
            t_s,
            origin: lo,
            cell_m,
            width,
            height,
            values: Vec::with_capacity(width * height),
            thresholds,
        };
        for row in 0..height {
            for col in 0..width {
                let p = layer.center(col, row);
                let v = match kind {
                    HazardLayerKind::WaterDepth => field.water_depth_m(p),
                    HazardLayerKind::Fire => field
                        .fire_arrival_s(p)
                        .map_or(-1.0, |a| if a <= t_s { (t_s - a).max(0.0) } else { -1.0 }),
                    HazardLayerKind::Plume => field.concentration_ppm(p),
                };
                layer.values.push(v as f32);
            }
        }
        let visible = layer
            .values
            .iter()
            .any(|&v| layer.class_of(v) > 0 || (kind == HazardLayerKind::Plume && v > 0.0));
        if visible {
            out.push(layer);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A field with water deeper towards +x and a fire front that reached x < 500 at
    /// t = 0 and x < 1000 at t = 3000.
    struct Ramp(&'static str);

    impl HazardField for Ramp {
        fn name(&self) -> &str {
            self.0
        }
        fn advance_to(&mut self, _t_s: f64) {}
        fn water_depth_m(&self, p: Point) -> f64 {
            (p.x / 1000.0).max(0.0)
        }
        fn fire_arrival_s(&self, p: Point) -> Option<f64> {
            (p.x < 1000.0).then_some(if p.x < 500.0 { 0.0 } else { 3000.0 })
        }
        fn dangerous(&self, _p: Point) -> bool {
            false
        }
    }

    fn extent() -> (Point, Point) {
        (
            Point { x: 0.0, y: 0.0 },
            Point {
                x: 2000.0,
                y: 1000.0,
            },
        )
    }

    #[test]
    fn water_layer_samples_cell_centres() {
        let fields: Vec<Box<dyn HazardField>> = vec![Box::new(Ramp("flood"))];
        let layers = sample_layers(&fields, extent(), 4, 0.0);
        assert_eq!(layers.len(), 1);
        let l = &layers[0];
        assert_eq!(
            (l.kind, l.width, l.height, l.cell_m),
            (HazardLayerKind::WaterDepth, 4, 2, 500.0)
        );
        // Centres at x = 250, 750, 1250, 1750 m.
        assert_eq!(l.value(0, 1), 0.25);
        assert_eq!(l.value(3, 0), 1.75);
        assert_eq!(l.class_of(l.value(0, 0)), 1);
        assert_eq!(l.class_of(l.value(3, 0)), 3);
        assert_eq!(l.class_of(0.0), 0);
    }

    #[test]
    fn fire_layer_tells_burning_from_burnt() {
        let fields: Vec<Box<dyn HazardField>> = vec![Box::new(Ramp("fire"))];
        let t = 3600.0;
        let l = &sample_layers(&fields, extent(), 4, t)[0];
        assert_eq!(l.kind, HazardLayerKind::Fire);
        // x = 250: reached at 0, an hour ago: burnt. x = 750: reached at 3000: burning.
        // x = 1250: not reached.
        assert_eq!(l.class_of(l.value(0, 0)), 2);
        assert_eq!(l.class_of(l.value(1, 0)), 1);
        assert_eq!(l.class_of(l.value(2, 0)), 0);
        // Before the second arrival, the cell at 750 m is not reached yet.
        let early = &sample_layers(&fields, extent(), 4, 1000.0)[0];
        assert_eq!(early.class_of(early.value(1, 0)), 0);
    }

    #[test]
    fn missing_aegls_take_the_next_level() {
        // Chlorine's 60-min AEGL-1/2/3 (EPA): 0.5, 2, 20 ppm.
        assert_eq!(
            aegl_thresholds([Some(0.5), Some(2.0), Some(20.0)]),
            vec![0.5, 2.0, 20.0]
        );
        assert_eq!(
            aegl_thresholds([None, Some(2.0), Some(20.0)]),
            vec![2.0, 2.0, 20.0]
        );
        assert_eq!(
            aegl_thresholds([Some(1.0), None, None]),
            vec![1.0, f32::MAX, f32::MAX]
        );
        let l = HazardLayer {
            kind: HazardLayerKind::Plume,
            t_s: 0.0,
            origin: Point::default(),
            cell_m: 1.0,
            width: 1,
            height: 1,
            values: vec![0.0],
            thresholds: aegl_thresholds([None, Some(2.0), Some(20.0)]),
        };
        assert_eq!(
            (l.class_of(1.0), l.class_of(5.0), l.class_of(25.0)),
            (0, 2, 3)
        );
    }

    #[test]
    fn scripted_and_empty_fields_draw_nothing() {
        let fields: Vec<Box<dyn HazardField>> = vec![Box::new(Ramp("scripted"))];
        assert!(sample_layers(&fields, extent(), 8, 0.0).is_empty());
        let fire_later: Vec<Box<dyn HazardField>> = vec![Box::new(Ramp("fire"))];
        // At t < 0 nothing has burnt yet.
        assert!(sample_layers(&fire_later, extent(), 8, -10.0).is_empty());
    }
}
