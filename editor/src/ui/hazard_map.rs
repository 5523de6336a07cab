//! The engine's hazard layers drawn on the map: water depth in blue shades, burning
//! ground red and burnt ground black, the plume by AEGL-1/2/3 — and their legend
//! entries (drawn in the legend column beside the map). The
//! values and their classes come from the engine (`Simulation::hazard_layers`,
//! `HazardLayer::class_of`); nothing here models a hazard.

use crate::ui::i18n::Lang;
use crate::ui::map_labels::LegendEntry;
use crate::ui::map_view::MapCanvas;
use drill_engine::sim::hazard_layer::{HazardLayer, HazardLayerKind};
use egui::{Color32, Rect, Shape};

/// The fill of class `class` (1-based; 0 is not drawn) of a layer of `kind`.
pub fn class_color(kind: HazardLayerKind, class: usize) -> Option<Color32> {
    let rgba = |r, g, b, a| Some(Color32::from_rgba_unmultiplied(r, g, b, a));
    match (kind, class) {
        (_, 0) => None,
        (HazardLayerKind::WaterDepth, 1) => rgba(0x90, 0xca, 0xf9, 170),
        (HazardLayerKind::WaterDepth, 2) => rgba(0x42, 0x8d, 0xf5, 190),
        (HazardLayerKind::WaterDepth, 3) => rgba(0x15, 0x55, 0xc0, 205),
        (HazardLayerKind::WaterDepth, _) => rgba(0x0a, 0x2a, 0x8a, 220),
        (HazardLayerKind::Fire, 1) => rgba(0xe5, 0x20, 0x1a, 240),
        (HazardLayerKind::Fire, _) => rgba(0x1c, 0x1c, 0x1c, 225),
        (HazardLayerKind::Plume, 1) => rgba(0xfd, 0xd8, 0x35, 150),
        (HazardLayerKind::Plume, 2) => rgba(0xfb, 0x8c, 0x00, 170),
        (HazardLayerKind::Plume, _) => rgba(0x9c, 0x1c, 0xb0, 190),
    }
}

/// One rectangle per cell with something to show, in a single mesh per layer.
pub fn draw_layers(canvas: &MapCanvas, layers: &[HazardLayer]) {
    for layer in layers {
        let mut mesh = egui::Mesh::default();
        for row in 0..layer.height {
            for col in 0..layer.width {
                let class = layer.class_of(layer.value(col, row));
                let Some(color) = class_color(layer.kind, class) else {
                    continue;
                };
                let c = layer.center(col, row);
                let h = layer.cell_m / 2.0;
                let p0 = canvas.to_screen(drill_engine::model::Point {
                    x: c.x - h,
                    y: c.y - h,
                });
                let p1 = canvas.to_screen(drill_engine::model::Point {
                    x: c.x + h,
                    y: c.y + h,
                });
                let rect = Rect::from_two_pos(p0, p1);
                if rect.intersects(canvas.view) {
                    mesh.add_colored_rect(rect, color);
                }
            }
        }
        if !mesh.is_empty() {
            canvas.painter.add(Shape::mesh(mesh));
        }
    }
}

/// The legend's lines for `layer`: colour and label.
pub fn legend_lines(layer: &HazardLayer, lang: Lang) -> Vec<(Color32, String)> {
    let zh = lang == Lang::Zh;
    let kind = layer.kind;
    let color = |class| class_color(kind, class).unwrap_or(Color32::TRANSPARENT);
    match kind {
        HazardLayerKind::WaterDepth => layer
            .thresholds
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let label = if zh {
                    format!("水深 ≥ {t} m")
                } else {
                    format!("water ≥ {t} m")
                };
                (color(i + 1), label)
            })
            .collect(),
        HazardLayerKind::Fire => vec![
            (color(1), if zh { "燃烧中" } else { "burning" }.to_owned()),
            (color(2), if zh { "已过火" } else { "burnt" }.to_owned()),
        ],
        HazardLayerKind::Plume => {
            let th = &layer.thresholds;
            (0..th.len())
                // A level the substance lacks repeats the next one (or is f32::MAX at
                // the top): list the level that is defined.
                .filter(|&i| th[i] != f32::MAX && th.get(i + 1) != Some(&th[i]))
                .map(|i| (color(i + 1), format!("AEGL-{} ≥ {} ppm", i + 1, th[i])))
                .collect()
        }
    }
}

/// The legend of the layers on the map, for the legend column beside it.
pub fn legend_entries(layers: &[HazardLayer], lang: Lang) -> Vec<LegendEntry> {
    layers
        .iter()
        .flat_map(|l| legend_lines(l, lang))
        .map(|(c, t)| LegendEntry::Square(c, t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use drill_engine::model::Point;

    fn layer(kind: HazardLayerKind, thresholds: Vec<f32>) -> HazardLayer {
        HazardLayer {
            kind,
            t_s: 0.0,
            origin: Point::default(),
            cell_m: 10.0,
            width: 1,
            height: 1,
            values: vec![0.0],
            thresholds,
        }
    }

    #[test]
    fn deeper_water_is_darker_blue() {
        let lum = |c: Color32| u32::from(c.r()) + u32::from(c.g()) + u32::from(c.b());
        let shades: Vec<Color32> = (1..=4)
            .map(|c| class_color(HazardLayerKind::WaterDepth, c).unwrap())
            .collect();
        for pair in shades.windows(2) {
            assert!(lum(pair[1]) < lum(pair[0]));
            assert!(pair[1].b() > pair[1].r());
        }
        assert_eq!(class_color(HazardLayerKind::WaterDepth, 0), None);
    }

    #[test]
    fn legend_lists_each_class_once() {
        let water = layer(HazardLayerKind::WaterDepth, vec![0.05, 0.5, 1.0, 2.0]);
        assert_eq!(legend_lines(&water, Lang::En).len(), 4);
        assert_eq!(legend_lines(&water, Lang::En)[1].1, "water ≥ 0.5 m");
        // A substance without an AEGL-1: the engine repeats AEGL-2 in its place.
        let plume = layer(HazardLayerKind::Plume, vec![2.0, 2.0, 20.0]);
        let lines = legend_lines(&plume, Lang::En);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].1, "AEGL-3 ≥ 20 ppm");
        let fire = layer(HazardLayerKind::Fire, vec![1800.0]);
        assert_eq!(legend_lines(&fire, Lang::Zh)[1].1, "已过火");
    }
}
