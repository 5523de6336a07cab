//! The simulation drawn over the scenario map, straight from an engine `Snapshot`:
//! people by state (grouped into pies on a screen grid so 50,000 people cost a few
//! hundred shapes), teams and boats, closed and dangerous roads, shelter occupancy
//! bars and the zones that have turned dangerous.

use crate::ui::i18n::Lang;
use crate::ui::label_layout::Placement;
use crate::ui::map_labels::LegendEntry;
use crate::ui::map_view::{MapCanvas, zone_color};
use drill_engine::model::{Point, ResourceKind, Scenario};
use drill_engine::sim::snapshot::{Snapshot, TeamState};
use drill_engine::sim::world::HhState;
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, Vec2};
use std::collections::BTreeMap;

/// People-state categories drawn on the map, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// 被困 — trapped, waiting for rescue.
    Trapped,
    /// 待援/受阻 — waiting for help or stranded.
    Stuck,
    /// 转移中 — on the road or about to leave.
    Moving,
    /// 就地避险 — sheltering in place (told to stay indoors).
    InPlace,
    /// 在家 — at home.
    Home,
    /// 已安置 — in a shelter.
    Sheltered,
}

/// How many categories there are.
pub const N: usize = 6;

pub const CATEGORIES: [Category; N] = [
    Category::Trapped,
    Category::Stuck,
    Category::Moving,
    Category::InPlace,
    Category::Home,
    Category::Sheltered,
];

impl Category {
    pub fn of(state: HhState) -> Category {
        match state {
            HhState::Trapped => Category::Trapped,
            HhState::WaitingHelp | HhState::Stranded | HhState::AtShelterDoor => Category::Stuck,
            HhState::Decided | HhState::AtNode | HhState::Walking | HhState::Aboard => {
                Category::Moving
            }
            HhState::ShelteringInPlace => Category::InPlace,
            HhState::Home => Category::Home,
            HhState::Sheltered => Category::Sheltered,
        }
    }

    pub fn color(self) -> Color32 {
        match self {
            Category::Trapped => Color32::from_rgb(0xd5, 0x00, 0x00),
            Category::Stuck => Color32::from_rgb(0x8e, 0x24, 0xaa),
            Category::Moving => Color32::from_rgb(0x15, 0x65, 0xc0),
            Category::InPlace => Color32::from_rgb(0x00, 0x89, 0x7b),
            Category::Home => Color32::from_rgb(0x4a, 0x4a, 0x4a),
            Category::Sheltered => Color32::from_rgb(0x1b, 0x8a, 0x2e),
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Category::Trapped => ("被困", "trapped"),
            Category::Stuck => ("待援/受阻", "waiting/stranded"),
            Category::Moving => ("转移中", "moving"),
            Category::InPlace => ("就地避险", "sheltering in place"),
            Category::Home => ("在家", "at home"),
            Category::Sheltered => ("已安置", "sheltered"),
        };
        if lang == Lang::Zh { zh } else { en }
    }

    fn index(self) -> usize {
        CATEGORIES.iter().position(|c| *c == self).unwrap_or(0)
    }
}

/// People per category in the whole snapshot.
pub fn people_by_category(snap: &Snapshot) -> [u32; N] {
    let mut out = [0; N];
    for h in &snap.households {
        out[Category::of(h.state).index()] += h.people;
    }
    out
}

/// Households grouped by screen cell: `(cell, people per category)`, in cell order.
pub fn bin_people(
    snap: &Snapshot,
    to_screen: impl Fn(Point) -> Pos2,
    cell_px: f32,
) -> Vec<(Pos2, [u32; N])> {
    // Per screen cell: sum of positions, households, people by category.
    type Bin = ([f32; 2], u32, [u32; N]);
    let mut bins: BTreeMap<(i32, i32), Bin> = BTreeMap::new();
    for h in &snap.households {
        let p = to_screen(h.pos);
        if !(p.x.is_finite() && p.y.is_finite()) {
            continue;
        }
        let key = (
            (p.x / cell_px).floor() as i32,
            (p.y / cell_px).floor() as i32,
        );
        let e = bins.entry(key).or_insert(([0.0; 2], 0, [0; N]));
        // Centre of the bin's households, so a lone walker sits on its road.
        e.0[0] += p.x;
        e.0[1] += p.y;
        e.1 += 1;
        e.2[Category::of(h.state).index()] += h.people;
    }
    bins.into_values()
        .map(|(sum, n, counts)| (Pos2::new(sum[0] / n as f32, sum[1] / n as f32), counts))
        .collect()
}

fn pie(shapes: &mut Vec<Shape>, center: Pos2, radius: f32, counts: &[u32; N]) {
    let total: u32 = counts.iter().sum();
    if total == 0 {
        return;
    }
    let mut angle = -std::f32::consts::FRAC_PI_2;
    for (i, &n) in counts.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let sweep = std::f32::consts::TAU * n as f32 / total as f32;
        let color = CATEGORIES[i].color();
        if n == total {
            shapes.push(Shape::circle_filled(center, radius, color));
            break;
        }
        let segments = ((sweep / 0.35).ceil() as usize).max(2);
        let mut pts = vec![center];
        for k in 0..=segments {
            let a = angle + sweep * k as f32 / segments as f32;
            pts.push(center + radius * Vec2::new(a.cos(), a.sin()));
        }
        shapes.push(Shape::convex_polygon(pts, color, Stroke::NONE));
        angle += sweep;
    }
    shapes.push(Shape::circle_stroke(
        center,
        radius,
        Stroke::new(1.0, Color32::WHITE),
    ));
}

/// Draws `snap` over the map. `zone_dangerous(z)` says whether zone `z` has turned
/// dangerous by the snapshot's time (from the event log).
pub fn draw_run(
    canvas: &MapCanvas,
    font: f32,
    sc: &Scenario,
    snap: &Snapshot,
    zone_dangerous: &dyn Fn(usize) -> bool,
    lang: Lang,
) {
    let painter = canvas.painter;
    let to = |p: Point| canvas.to_screen(p);
    let small = FontId::proportional(font * 0.8);

    // Dangerous zones: a second fill and a heavy outline.
    for (i, z) in sc.map.zones.iter().enumerate() {
        if z.polygon.len() < 3 || !zone_dangerous(i) {
            continue;
        }
        let col = zone_color(z.level);
        let pts: Vec<Pos2> = z.polygon.iter().map(|&p| to(p)).collect();
        painter.add(Shape::convex_polygon(
            pts.clone(),
            col.gamma_multiply(0.3),
            Stroke::NONE,
        ));
        painter.add(Shape::closed_line(pts.clone(), Stroke::new(5.0, col)));
        let top =
            pts.iter().copied().fold(
                Pos2::new(f32::MAX, f32::MAX),
                |a, p| {
                    if p.y < a.y { p } else { a }
                },
            );
        canvas.label(
            top,
            Placement::Around { gap: 4.0 },
            if lang == Lang::Zh {
                "⚠ 危险"
            } else {
                "⚠ DANGER"
            },
            FontId::proportional(font),
            Color32::from_rgb(0xb0, 0x00, 0x00),
        );
    }

    // Roads: closed ones red with a cross, dangerous ones orange dashes.
    for lv in &snap.links {
        let Some(link) = sc.map.links.get(lv.link.index()) else {
            continue;
        };
        let (Some(a), Some(b)) = (
            sc.map.places.get(link.from.index()),
            sc.map.places.get(link.to.index()),
        ) else {
            continue;
        };
        let mut pts = vec![to(a.pos)];
        pts.extend(link.via.iter().map(|&p| to(p)));
        pts.push(to(b.pos));
        if !lv.open {
            painter.add(Shape::line(
                pts.clone(),
                Stroke::new(6.0, Color32::from_rgb(0xd5, 0x00, 0x00)),
            ));
            let mid =
                pts[pts.len() / 2 - usize::from(pts.len() % 2 == 0)].lerp(pts[pts.len() / 2], 0.5);
            let d = 9.0;
            let s = Stroke::new(4.0, Color32::BLACK);
            painter.line_segment([mid + Vec2::new(-d, -d), mid + Vec2::new(d, d)], s);
            painter.line_segment([mid + Vec2::new(-d, d), mid + Vec2::new(d, -d)], s);
        } else if lv.dangerous {
            painter.add(Shape::dashed_line(
                &pts,
                Stroke::new(5.0, Color32::from_rgb(0xff, 0x6d, 0x00)),
                10.0,
                6.0,
            ));
        }
    }

    // Shelters: occupancy bars.
    for sv in &snap.shelters {
        let Some(place) = sc.map.places.get(sv.place.index()) else {
            continue;
        };
        let p = to(place.pos);
        let size = Vec2::new(font * 3.0, font * 0.55);
        let bar = Rect::from_min_size(p + Vec2::new(-size.x / 2.0, -font * 1.6), size);
        painter.rect_filled(bar, 1.0, Color32::WHITE);
        let frac = if sv.capacity > 0 {
            (sv.occupancy as f32 / sv.capacity as f32).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let fill = if sv.closed {
            Color32::GRAY
        } else if frac >= 0.999 {
            Color32::from_rgb(0xd5, 0x00, 0x00)
        } else {
            Category::Sheltered.color()
        };
        let mut filled = bar;
        filled.set_width(bar.width() * frac);
        painter.rect_filled(filled, 1.0, fill);
        painter.rect_stroke(
            bar,
            1.0,
            Stroke::new(1.5, Color32::BLACK),
            egui::StrokeKind::Outside,
        );
        let state = if sv.closed {
            if lang == Lang::Zh {
                " 关闭"
            } else {
                " closed"
            }
        } else if sv.open {
            ""
        } else if lang == Lang::Zh {
            " 未开放"
        } else {
            " not open"
        };
        painter.text(
            bar.center_top() - Vec2::new(0.0, 2.0),
            Align2::CENTER_BOTTOM,
            format!("{}/{}{state}", sv.occupancy, sv.capacity),
            small.clone(),
            Color32::BLACK,
        );
    }

    // People, grouped on a screen grid.
    let mut shapes = Vec::new();
    for (center, counts) in bin_people(snap, to, (font * 0.9).max(10.0)) {
        let total: u32 = counts.iter().sum();
        let radius = (3.0 + 0.9 * (total as f32).sqrt()).min(font * 1.2);
        pie(&mut shapes, center, radius, &counts);
    }
    painter.extend(shapes);

    // Teams: triangles coloured by state; boats drawn as hulls.
    for tv in &snap.teams {
        let Some(team) = sc.teams.get(tv.team.index()) else {
            continue;
        };
        let boat = team.equipment.iter().any(|u| {
            sc.resources
                .get(u.resource.index())
                .is_some_and(|r| r.kind == ResourceKind::Boat)
        });
        let p = to(tv.pos);
        let color = match tv.state {
            TeamState::Idle => Color32::from_gray(150),
            TeamState::Mobilising => Color32::from_rgb(0xff, 0xc1, 0x07),
            TeamState::Travelling => Color32::from_rgb(0x00, 0xb0, 0xff),
            TeamState::Working => Color32::from_rgb(0x00, 0xc8, 0x53),
        };
        let r = font * 0.6;
        let outline = Stroke::new(2.0, Color32::BLACK);
        let pts = if boat {
            vec![
                p + Vec2::new(-r * 1.3, -r * 0.4),
                p + Vec2::new(r * 1.3, -r * 0.4),
                p + Vec2::new(r * 0.8, r * 0.6),
                p + Vec2::new(-r * 0.8, r * 0.6),
            ]
        } else {
            vec![
                p + Vec2::new(0.0, -r),
                p + Vec2::new(r * 0.9, r * 0.6),
                p + Vec2::new(-r * 0.9, r * 0.6),
            ]
        };
        painter.add(Shape::convex_polygon(pts, color, outline));
        if tv.state != TeamState::Idle {
            canvas.label(
                p,
                Placement::Around { gap: r + 2.0 },
                &team.name,
                small.clone(),
                Color32::BLACK,
            );
        }
    }
}

/// The people's legend: one line per state with its count in `snap`.
pub fn legend_entries(snap: &Snapshot, lang: Lang) -> Vec<LegendEntry> {
    let counts = people_by_category(snap);
    CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, c)| LegendEntry::Dot(c.color(), format!("{} {}", c.name(lang), counts[i])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use drill_engine::model::PlaceIdx;
    use drill_engine::sim::events::{HouseholdId, Totals};
    use drill_engine::sim::snapshot::HouseholdView;

    fn hh(id: u32, x: f64, state: HhState, people: u32) -> HouseholdView {
        HouseholdView {
            id: HouseholdId(id),
            home: PlaceIdx(0),
            pos: Point { x, y: 0.0 },
            state,
            people,
            contacts: 0,
            exposed: false,
        }
    }

    #[test]
    fn households_in_one_cell_share_a_pie_with_counts_by_state() {
        let snap = Snapshot {
            t_s: 0.0,
            households: vec![
                hh(0, 1.0, HhState::Home, 3),
                hh(1, 2.0, HhState::Walking, 2),
                hh(2, 3.0, HhState::Trapped, 4),
                hh(3, 500.0, HhState::Sheltered, 5),
            ],
            teams: vec![],
            links: vec![],
            shelters: vec![],
            totals: Totals::default(),
        };
        let bins = bin_people(&snap, |p| Pos2::new(p.x as f32, p.y as f32), 10.0);
        assert_eq!(bins.len(), 2);
        assert_eq!(bins[0].1, [4, 0, 2, 0, 3, 0]);
        assert_eq!(bins[0].0, Pos2::new(2.0, 0.0), "centre of its households");
        assert_eq!(bins[1].1, [0, 0, 0, 0, 0, 5]);
        assert_eq!(people_by_category(&snap), [4, 0, 2, 0, 3, 5]);
    }
}
