//! The map's words: place, zone and river labels laid out without overlaps
//! ([`crate::ui::label_layout`]), the markers on the map's edge for places far outside
//! the village ([`crate::ui::map_extent`]), the legend column beside the map, and the
//! record of what a frame drew where ([`MapLayout`], which the screenshot tests read
//! through `--layout-json`).

use crate::ui::label_layout::{LabelBoard, LabelRequest, Placement, layout_labels};
use crate::ui::map_extent::{Extent, FarPlace, distance_text, edge_markers};
use crate::ui::map_view::{MapStyle, MapTransform, place_marker, zone_color};
use drill_engine::model::{PlaceKind, Point, Scenario};
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Pos2, Rect, Shape, Stroke, Vec2};
use std::cell::RefCell;
use std::sync::Arc;

/// The labels of one frame: the board they were laid out on and what was drawn.
#[derive(Debug, Default)]
pub struct DrawnLabels {
    pub board: LabelBoard,
    /// Each drawn label's text and rectangle, in screen points.
    pub drawn: Vec<(String, Rect)>,
    /// The labels' shapes, painted last so people, teams and bars never hide them.
    pub shapes: Vec<Shape>,
}

impl DrawnLabels {
    /// Records a placed label: a light backing (readable over pies and zone fills on a
    /// projector) and its text.
    pub fn draw(&mut self, text: String, rect: Rect, galley: Arc<Galley>, color: Color32) {
        self.shapes.push(Shape::rect_filled(
            rect.expand(1.0),
            3.0,
            Color32::from_white_alpha(150),
        ));
        self.shapes.push(Shape::galley(rect.min, galley, color));
        self.drawn.push((text, rect));
    }
}

/// What one frame of the map drew where, in screen points.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLayout {
    /// The map's drawing area (the pane less the legend column).
    pub view: Rect,
    pub legend: Option<Rect>,
    /// The village's bounding box on screen (see `map_extent`), when there is one.
    pub village: Option<Rect>,
    pub labels: Vec<(String, Rect)>,
    /// The basemap's north-west, north-east, south-east and south-west corners on
    /// screen, when one was drawn.
    pub basemap: Option<[Pos2; 4]>,
    /// The map's transform (the map point at the view's centre, screen points per
    /// metre) and the screen's pixels per point, so a test can find a map point's pixel.
    pub center: [f64; 2],
    pub scale: f64,
    pub pixels_per_point: f32,
}

impl MapLayout {
    /// Where the last drawn map keeps its layout in egui's memory.
    pub const ID: &'static str = "drill_map_layout";

    pub fn to_json(&self) -> serde_json::Value {
        let r = |r: &Rect| serde_json::json!([r.min.x, r.min.y, r.max.x, r.max.y]);
        serde_json::json!({
            "view": r(&self.view),
            "legend": self.legend.as_ref().map(r),
            "village": self.village.as_ref().map(r),
            "labels": self.labels.iter().map(|(t, rect)| serde_json::json!({
                "text": t,
                "rect": r(rect),
            })).collect::<Vec<_>>(),
            "basemap": self.basemap.map(|c| c.map(|p| [p.x, p.y])),
            "center": self.center,
            "scale": self.scale,
            "pixels_per_point": self.pixels_per_point,
        })
    }
}

/// A line of the legend column.
#[derive(Debug, Clone, PartialEq)]
pub enum LegendEntry {
    /// A round swatch (people by state).
    Dot(Color32, String),
    /// A square swatch (hazard classes).
    Square(Color32, String),
    /// A gap between groups.
    Gap,
}

fn legend_font(label_size: f32) -> FontId {
    FontId::proportional(label_size * 0.8)
}

/// Where the legend goes: its rectangle, the map's view beside it, each entry's
/// top-left corner (`None` for a gap) and the scale bar's start.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendLayout {
    pub rect: Rect,
    pub view: Rect,
    pub items: Vec<Option<Pos2>>,
    pub scale_at: Pos2,
}

/// Room the scale bar takes beside the legend's entries.
const SCALE_W: f32 = 150.0;
const LEGEND_PAD: f32 = 10.0;

/// Lays the legend out beside the map in `pane`: a column on the left when the pane is
/// wide, a strip along the bottom when it is tall (the village is usually wider than
/// tall, so a tall pane has room to spare below it, none at the sides). `None`
/// without entries.
pub fn layout_legend(
    painter: &egui::Painter,
    entries: &[LegendEntry],
    label_size: f32,
    pane: Rect,
) -> Option<LegendLayout> {
    let font = legend_font(label_size);
    let f = font.size;
    let line_h = f * 1.3;
    let widths: Vec<Option<f32>> = entries
        .iter()
        .map(|e| match e {
            LegendEntry::Dot(_, t) | LegendEntry::Square(_, t) => Some(
                painter
                    .layout_no_wrap(t.clone(), font.clone(), Color32::BLACK)
                    .size()
                    .x
                    + f * 1.3,
            ),
            LegendEntry::Gap => None,
        })
        .collect();
    let widest = widths.iter().flatten().copied().fold(0.0, f32::max);
    if widest <= 0.0 {
        return None;
    }
    if pane.width() > pane.height() * 1.2 {
        let w = (widest + 2.0 * LEGEND_PAD + 4.0).max(SCALE_W);
        let rect = Rect::from_min_max(pane.min, Pos2::new(pane.left() + w, pane.bottom()));
        let mut y = rect.top() + LEGEND_PAD;
        let items = widths
            .iter()
            .map(|w| match w {
                Some(_) => {
                    let at = Pos2::new(rect.left() + LEGEND_PAD, y);
                    y += line_h;
                    Some(at)
                }
                None => {
                    y += f * 0.8;
                    None
                }
            })
            .collect();
        return Some(LegendLayout {
            rect,
            view: Rect::from_min_max(Pos2::new(rect.right(), pane.top()), pane.max),
            items,
            scale_at: rect.left_bottom() + Vec2::new(12.0, -14.0),
        });
    }
    // A strip: entries flow in rows, the scale bar at the right end of the first row.
    let left = pane.left() + LEGEND_PAD;
    let right = pane.right() - LEGEND_PAD - SCALE_W;
    let (mut x, mut row) = (left, 0usize);
    let mut placed = Vec::with_capacity(widths.len());
    for w in &widths {
        match w {
            Some(w) => {
                if x + w > right && x > left {
                    x = left;
                    row += 1;
                }
                placed.push(Some((x, row)));
                x += w + f * 1.2;
            }
            None => {
                x += f * 1.5;
                placed.push(None);
            }
        }
    }
    let h = (row + 1) as f32 * line_h + 2.0 * LEGEND_PAD;
    let rect = Rect::from_min_max(
        Pos2::new(pane.left(), pane.bottom() - h.max(44.0)),
        pane.max,
    );
    let items = placed
        .into_iter()
        .map(|p| p.map(|(x, r)| Pos2::new(x, rect.top() + LEGEND_PAD + r as f32 * line_h)))
        .collect();
    Some(LegendLayout {
        rect,
        view: Rect::from_min_max(pane.min, Pos2::new(pane.right(), rect.top())),
        items,
        scale_at: Pos2::new(
            pane.right() - SCALE_W + 12.0,
            rect.top() + LEGEND_PAD + 22.0,
        ),
    })
}

/// The legend: a white panel beside the map with the entries where `layout` put them.
pub fn draw_legend(
    painter: &egui::Painter,
    layout: &LegendLayout,
    entries: &[LegendEntry],
    label_size: f32,
) {
    let font = legend_font(label_size);
    let f = font.size;
    let col = layout.rect;
    painter.rect_filled(col, 0.0, Color32::WHITE);
    let edge = if col.top() > layout.view.top() {
        [col.left_top(), col.right_top()]
    } else {
        [col.right_top(), col.right_bottom()]
    };
    painter.line_segment(edge, Stroke::new(1.0, Color32::from_gray(180)));
    for (e, at) in entries.iter().zip(&layout.items) {
        let Some(Pos2 { x, y }) = *at else { continue };
        let text = match e {
            LegendEntry::Gap => continue,
            LegendEntry::Dot(c, t) => {
                painter.circle_filled(Pos2::new(x + f * 0.5, y + f * 0.6), f * 0.45, *c);
                t
            }
            LegendEntry::Square(c, t) => {
                painter.rect_filled(
                    Rect::from_min_size(Pos2::new(x, y + f * 0.15), Vec2::splat(f * 0.9)),
                    1.0,
                    *c,
                );
                t
            }
        };
        painter.text(
            Pos2::new(x + f * 1.3, y),
            egui::Align2::LEFT_TOP,
            text,
            font.clone(),
            Color32::BLACK,
        );
    }
}

/// The text of an edge marker: the leading place, how many more, the distance.
fn edge_text(sc: &Scenario, far: &[FarPlace], members: &[usize]) -> (String, String) {
    let lead = &far[members[0]];
    let name = sc
        .map
        .places
        .get(lead.place)
        .map_or("", |p| p.name.as_str());
    let dist = distance_text(lead.distance_m);
    let short = format!("{name} {dist}");
    if members.len() > 1 {
        (format!("{name} +{} · {dist}", members.len() - 1), short)
    } else {
        (format!("{name} · {dist}"), short)
    }
}

const EDGE_INSET: f32 = 14.0;

/// Fits the village into `view`, leaving room on each side where an edge marker for a
/// far place will sit (so the marker's label never covers the village).
pub fn fit_village(
    painter: &egui::Painter,
    sc: &Scenario,
    extent: &Extent,
    view: Rect,
    label_size: f32,
) -> MapTransform {
    let t0 = MapTransform::fit(extent.village, view);
    let screen: Vec<Pos2> = extent
        .far
        .iter()
        .map(|f| t0.to_screen(sc.map.places[f.place].pos, view))
        .collect();
    let font = FontId::proportional(label_size);
    let inner = view.shrink(EDGE_INSET);
    let (mut l, mut r, mut t, mut b) = (0f32, 0f32, 0f32, 0f32);
    for m in edge_markers(&extent.far, &screen, view, EDGE_INSET, label_size * 3.0) {
        let (text, _) = edge_text(sc, &extent.far, &m.members);
        let size = painter
            .layout_no_wrap(text, font.clone(), Color32::BLACK)
            .size();
        let arrow = label_size * 1.5 + EDGE_INSET;
        if (m.at.x - inner.right()).abs() < 1.0 {
            r = r.max(size.x + arrow);
        } else if (m.at.x - inner.left()).abs() < 1.0 {
            l = l.max(size.x + arrow);
        } else if (m.at.y - inner.top()).abs() < 1.0 {
            t = t.max(size.y + arrow);
        } else {
            b = b.max(size.y + arrow);
        }
    }
    // Never more than a fifth of the view for the markers: a longer box overlaps the
    // village's edge (the layout still keeps it off every label and marker).
    let (l, r) = (l.min(view.width() / 5.0), r.min(view.width() / 5.0));
    let (t, b) = (t.min(view.height() / 5.0), b.min(view.height() / 5.0));
    let room = Rect::from_min_max(view.min + Vec2::new(l, t), view.max - Vec2::new(r, b));
    let fitted = MapTransform::fit(extent.village, room);
    // `fit` centres the village in `room`; the transform is relative to `view`.
    let shift = room.center() - view.center();
    MapTransform {
        center: Point {
            x: fitted.center.x - f64::from(shift.x) / fitted.scale,
            y: fitted.center.y - f64::from(shift.y) / fitted.scale,
        },
        scale: fitted.scale,
    }
}

/// Markers on the view's edge for the far places off screen: an arrow pointing their
/// way and a boxed label with the name and the road distance.
pub fn draw_edge_markers(
    painter: &egui::Painter,
    sc: &Scenario,
    far: &[FarPlace],
    t: &MapTransform,
    view: Rect,
    label_size: f32,
    labels: &RefCell<DrawnLabels>,
) {
    let screen: Vec<Pos2> = far
        .iter()
        .map(|f| t.to_screen(sc.map.places[f.place].pos, view))
        .collect();
    let font = FontId::proportional(label_size);
    let ink = Color32::from_rgb(0x30, 0x30, 0x60);
    let mut l = labels.borrow_mut();
    for m in edge_markers(far, &screen, view, EDGE_INSET, label_size * 3.0) {
        let r = label_size * 0.6;
        let n = Vec2::new(-m.dir.y, m.dir.x);
        let tip = m.at + m.dir * r;
        let pts = vec![tip, m.at - m.dir * r + n * r, m.at - m.dir * r - n * r];
        painter.add(Shape::convex_polygon(
            pts,
            ink,
            Stroke::new(1.5, Color32::WHITE),
        ));
        let arrow = Rect::from_center_size(m.at, Vec2::splat(r * 2.2));
        l.board.obstacles.push(arrow);
        let (full, short) = edge_text(sc, far, &m.members);
        // Narrower forms for a crowded edge: the name over the distance, then the
        // distance alone (the arrow still points the way).
        let dist = distance_text(far[m.members[0]].distance_m);
        let texts = [full.replace(" · ", "\n"), full, short, dist];
        let galleys: Vec<Arc<Galley>> = texts
            .iter()
            .map(|s| painter.layout_no_wrap(s.clone(), font.clone(), ink))
            .collect();
        let req = LabelRequest {
            anchor: m.at,
            placement: Placement::Around { gap: r * 1.4 + 4.0 },
            variants: galleys
                .iter()
                .map(|g| g.size() + Vec2::splat(8.0))
                .collect(),
            priority: 0,
        };
        if let Some(p) = l.board.place(&req) {
            l.shapes.push(Shape::rect_filled(
                p.rect,
                4.0,
                Color32::from_white_alpha(235),
            ));
            l.shapes.push(Shape::rect_stroke(
                p.rect,
                4.0,
                Stroke::new(1.0, ink),
                egui::StrokeKind::Inside,
            ));
            let g = galleys[p.variant].clone();
            l.shapes
                .push(Shape::galley(p.rect.min + Vec2::splat(4.0), g, ink));
            let text = texts[p.variant].clone();
            l.drawn.push((text, p.rect));
        }
    }
}

/// Priority tiers: shelters, then places with people, offices and stations, zones,
/// rivers, junctions. Within a tier, more people first.
fn place_priority(kind: &PlaceKind, people: u32) -> i32 {
    let tier = match kind {
        PlaceKind::Shelter => 9,
        _ if people > 0 => 8,
        PlaceKind::Office | PlaceKind::Station | PlaceKind::Plant => 6,
        PlaceKind::Settlement => 3,
        PlaceKind::Junction => 1,
    };
    tier * 1_000_000 + people.min(999_999) as i32
}

/// More places on screen than this: villages and junctions get no label.
const CROWDED: usize = 300;

/// "竹源小学", cut to its first four characters and "…" for the last resort.
fn shortened(name: &str) -> Option<String> {
    (name.chars().count() > 5).then(|| name.chars().take(4).chain(['…']).collect())
}

/// A label's text variants, each with its galley, and its colour.
type LabelTexts = (Vec<(String, Arc<Galley>)>, Color32);

/// Lays out and draws the place, zone and river labels on `labels`' board.
pub fn draw_map_labels(
    painter: &egui::Painter,
    sc: &Scenario,
    t: &MapTransform,
    view: Rect,
    style: MapStyle,
    font: &FontId,
    labels: &RefCell<DrawnLabels>,
) {
    let to = |p: Point| t.to_screen(p, view);
    // With a county on screen (~1,000 places) only shelters, offices, stations and
    // plants are offered a label at all: the layout is quadratic in the labels.
    let on_screen = sc
        .map
        .places
        .iter()
        .filter(|p| view.contains(to(p.pos)))
        .count();
    let crowded = on_screen > CROWDED;
    let mut notes: Vec<Vec<String>> = vec![Vec::new(); sc.map.places.len()];
    if !style.hide_notes {
        for team in &sc.teams {
            if let Some(n) = notes.get_mut(team.base.index()) {
                n.push(format!("▲{} {}", team.name, team.members));
            }
        }
        for res in &sc.resources {
            if let Some(n) = notes.get_mut(res.at.index()) {
                n.push(format!("■{}×{}", res.name, res.quantity));
            }
        }
    }
    let black = Color32::BLACK;
    let note_color = Color32::from_rgb(0x00, 0x4d, 0x40);
    let note_font = FontId::proportional(font.size * 0.85);
    let mut galleys: Vec<LabelTexts> = Vec::new();
    let mut reqs = Vec::new();
    let mut l = labels.borrow_mut();
    for (i, place) in sc.map.places.iter().enumerate() {
        let p = to(place.pos);
        let minor = matches!(place.kind, PlaceKind::Settlement | PlaceKind::Junction);
        if !view.contains(p) || (crowded && minor) {
            continue;
        }
        let mut main = place.name.clone();
        if place.people > 0 {
            main.push_str(&format!(" ({})", place.people));
        }
        if let Some(s) = &place.shelter {
            main.push_str(&format!(" 容纳{}", s.capacity));
        }
        let mut variants: Vec<String> = Vec::new();
        let mut gs = Vec::new();
        if !notes[i].is_empty() {
            let mut job = LayoutJob::default();
            job.append(&main, 0.0, TextFormat::simple(font.clone(), black));
            for n in &notes[i] {
                job.append(
                    &format!("\n{n}"),
                    0.0,
                    TextFormat::simple(note_font.clone(), note_color),
                );
            }
            let text = job.text.clone();
            gs.push((text.clone(), painter.layout_job(job)));
            variants.push(text);
        }
        for v in [Some(main), Some(place.name.clone()), shortened(&place.name)]
            .into_iter()
            .flatten()
        {
            if !variants.contains(&v) {
                gs.push((
                    v.clone(),
                    painter.layout_no_wrap(v.clone(), font.clone(), black),
                ));
                variants.push(v);
            }
        }
        let (_, radius) = place_marker(&place.kind);
        // A shelter's label looks farther out before it is dropped: where people go
        // is what a room reads off the map first.
        let placement = if place.kind == PlaceKind::Shelter {
            Placement::Wide { gap: radius + 3.0 }
        } else {
            Placement::Around { gap: radius + 3.0 }
        };
        reqs.push(LabelRequest {
            anchor: p,
            placement,
            variants: gs.iter().map(|(_, g)| g.size()).collect(),
            priority: place_priority(&place.kind, place.people),
        });
        galleys.push((gs, black));
    }
    for z in &sc.map.zones {
        if z.polygon.len() < 3 {
            continue;
        }
        let n = z.polygon.len() as f64;
        let c = z
            .polygon
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p.x / n, y + p.y / n));
        let col = zone_color(z.level).gamma_multiply(0.9);
        let g = painter.layout_no_wrap(z.name.clone(), font.clone(), col);
        reqs.push(LabelRequest {
            anchor: to(Point { x: c.0, y: c.1 }),
            placement: Placement::Near { gap: 4.0 },
            variants: vec![g.size()],
            priority: 5 * 1_000_000,
        });
        galleys.push((vec![(z.name.clone(), g)], col));
    }
    let river_ink = Color32::from_rgb(0x1f, 0x5f, 0xa8);
    for river in &sc.map.rivers {
        // Named where it first enters the view.
        let Some(&at) = river.points.iter().find(|&&p| view.contains(to(p))) else {
            continue;
        };
        let g = painter.layout_no_wrap(river.name.clone(), font.clone(), river_ink);
        reqs.push(LabelRequest {
            anchor: to(at),
            placement: Placement::Around { gap: 6.0 },
            variants: vec![g.size()],
            priority: 4 * 1_000_000,
        });
        galleys.push((vec![(river.name.clone(), g)], river_ink));
    }
    let placed = layout_labels(&mut l.board, &reqs);
    for (p, (gs, color)) in placed.iter().zip(galleys) {
        let Some(p) = p else { continue };
        let (text, g) = gs[p.variant].clone();
        l.draw(text, p.rect, g, color);
    }
}

/// Where the live map draws a shelter's occupancy bar and its count
/// (`live_map::draw_run`), for a shelter at `p` with label size `font`.
pub fn shelter_bar_area(p: Pos2, font: f32) -> Rect {
    Rect::from_min_max(
        Pos2::new(p.x - font * 3.0, p.y - font * 1.6 - font * 0.8 * 1.3 - 2.0),
        Pos2::new(p.x + font * 3.0, p.y - font * 1.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shelters_outrank_villages_outrank_offices_and_junctions() {
        let shelter = place_priority(&PlaceKind::Shelter, 0);
        let big = place_priority(&PlaceKind::Settlement, 181);
        let small = place_priority(&PlaceKind::Settlement, 37);
        let office = place_priority(&PlaceKind::Office, 0);
        let junction = place_priority(&PlaceKind::Junction, 0);
        assert!(shelter > big && big > small && small > office && office > junction);
        assert_eq!(shortened("县应急物资储备库").as_deref(), Some("县应急物…"));
        assert_eq!(shortened("下村"), None);
    }
}
