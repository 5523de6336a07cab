//! 地图编辑工具 — the mouse on the author's map: drag a place or a zone corner to move
//! it, click to add a place or a shelter, click two places for a road, click a place or
//! a road to delete it. This module only turns pointer events into a [`MapIntent`]
//! (by place, zone and link index) and draws the handles; the author mode writes the
//! intent into the text (`session::map_edit`), and the map re-derives from the check.

use crate::ui::map_view::{MapTransform, place_marker, zone_color};
use drill_engine::model::{Point, Scenario};
use egui::{Color32, Pos2, Rect, Stroke, Vec2};

/// The tool the author's map is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EditTool {
    /// Drag places and zone corners; clicks jump to the text.
    #[default]
    Move,
    AddPlace,
    AddShelter,
    /// Click two places to join them with a road.
    AddRoad,
    /// Click a place, a zone corner or a road to delete it.
    Delete,
}

/// What is being dragged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DragTarget {
    Place(usize),
    /// Zone index, corner index.
    ZoneCorner(usize, usize),
}

/// An edit the author made on the map, by index into the checked scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MapIntent {
    MovePlace(usize, Point),
    MoveZoneCorner(usize, usize, Point),
    Add { shelter: bool, at: Point },
    AddRoad(usize, usize),
    DeletePlace(usize),
    DeleteLink(usize),
    DeleteZoneCorner(usize, usize),
}

/// The editing state of a map (author mode only).
#[derive(Debug, Clone, Default)]
pub struct EditState {
    pub tool: EditTool,
    /// The dragged thing and where the pointer has it now.
    pub drag: Option<(DragTarget, Point)>,
    /// The first place clicked with the road tool.
    pub road_from: Option<usize>,
    /// The edit made this frame, for the mode to write into the text.
    pub intent: Option<MapIntent>,
}

/// Pointer distance (screen points) within which a marker, corner or road is hit.
const HIT: f32 = 8.0;

/// The place whose marker is under `pos`, nearest first.
pub fn hit_place(sc: &Scenario, t: &MapTransform, view: Rect, pos: Pos2) -> Option<usize> {
    sc.map
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| (i, t.to_screen(p.pos, view).distance(pos), &p.kind))
        .filter(|&(_, d, kind)| d <= place_marker(kind).1 + HIT)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _, _)| i)
}

/// The zone corner under `pos`.
pub fn hit_corner(
    sc: &Scenario,
    t: &MapTransform,
    view: Rect,
    pos: Pos2,
) -> Option<(usize, usize)> {
    let mut best = None;
    let mut best_d = HIT;
    for (z, zone) in sc.map.zones.iter().enumerate() {
        for (c, p) in zone.polygon.iter().enumerate() {
            let d = t.to_screen(*p, view).distance(pos);
            if d <= best_d {
                best_d = d;
                best = Some((z, c));
            }
        }
    }
    best
}

fn segment_distance(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let len2 = ab.length_sq();
    let s = if len2 > 0.0 {
        ((p - a).dot(ab) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    p.distance(a + ab * s)
}

/// The road, path or bridge whose line passes under `pos`.
pub fn hit_link(sc: &Scenario, t: &MapTransform, view: Rect, pos: Pos2) -> Option<usize> {
    let places = &sc.map.places;
    sc.map
        .links
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let mut pts = vec![places.get(l.from.index())?.pos];
            pts.extend(&l.via);
            pts.push(places.get(l.to.index())?.pos);
            let screen: Vec<Pos2> = pts.iter().map(|&p| t.to_screen(p, view)).collect();
            let d = screen
                .windows(2)
                .map(|w| segment_distance(pos, w[0], w[1]))
                .fold(f32::INFINITY, f32::min);
            (d <= HIT).then_some((i, d))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// Handles the pointer on the map in edit mode. Returns whether it used the drag (so
/// the map does not pan).
pub fn interact(
    edit: &mut EditState,
    sc: &Scenario,
    response: &egui::Response,
    t: &MapTransform,
    view: Rect,
) -> bool {
    let pointer = response.interact_pointer_pos();
    if response.drag_started() && edit.tool == EditTool::Move {
        let origin = response.ctx.input(|i| i.pointer.press_origin()).or(pointer);
        if let Some(o) = origin {
            let target = hit_place(sc, t, view, o)
                .map(DragTarget::Place)
                .or_else(|| hit_corner(sc, t, view, o).map(|(z, c)| DragTarget::ZoneCorner(z, c)));
            edit.drag = target.map(|d| (d, t.to_map(o, view)));
        }
    }
    if let Some((target, at)) = edit.drag.as_mut() {
        if let Some(p) = pointer {
            *at = t.to_map(p, view);
        }
        if response.drag_stopped() {
            edit.intent = Some(match *target {
                DragTarget::Place(i) => MapIntent::MovePlace(i, *at),
                DragTarget::ZoneCorner(z, c) => MapIntent::MoveZoneCorner(z, c, *at),
            });
            edit.drag = None;
        }
        return true;
    }
    if response.clicked()
        && let Some(p) = pointer
    {
        match edit.tool {
            EditTool::Move => {}
            EditTool::AddPlace | EditTool::AddShelter => {
                edit.intent = Some(MapIntent::Add {
                    shelter: edit.tool == EditTool::AddShelter,
                    at: t.to_map(p, view),
                });
            }
            EditTool::AddRoad => match (edit.road_from, hit_place(sc, t, view, p)) {
                (Some(a), Some(b)) if a != b => {
                    edit.intent = Some(MapIntent::AddRoad(a, b));
                    edit.road_from = None;
                }
                (_, hit) => edit.road_from = hit,
            },
            EditTool::Delete => {
                edit.intent = hit_place(sc, t, view, p)
                    .map(MapIntent::DeletePlace)
                    .or_else(|| {
                        hit_corner(sc, t, view, p).map(|(z, c)| MapIntent::DeleteZoneCorner(z, c))
                    })
                    .or_else(|| hit_link(sc, t, view, p).map(MapIntent::DeleteLink));
            }
        }
    }
    false
}

/// The scenario as the drag shows it (the dragged place or corner at the pointer), or
/// `None` when nothing is dragged.
pub fn preview(edit: Option<&EditState>, sc: &Scenario) -> Option<Scenario> {
    let (target, at) = edit?.drag?;
    let mut sc = sc.clone();
    match target {
        DragTarget::Place(i) => sc.map.places.get_mut(i)?.pos = at,
        DragTarget::ZoneCorner(z, c) => *sc.map.zones.get_mut(z)?.polygon.get_mut(c)? = at,
    }
    Some(sc)
}

/// Zone corner handles, and the first place of a road being drawn.
pub fn draw_handles(
    painter: &egui::Painter,
    edit: &EditState,
    sc: &Scenario,
    to: impl Fn(Point) -> Pos2,
) {
    for z in &sc.map.zones {
        for p in &z.polygon {
            painter.rect(
                Rect::from_center_size(to(*p), Vec2::splat(7.0)),
                1.0,
                Color32::WHITE,
                Stroke::new(1.5, zone_color(z.level)),
                egui::StrokeKind::Middle,
            );
        }
    }
    if let Some(p) = edit.road_from.and_then(|i| sc.map.places.get(i)) {
        painter.circle_stroke(
            to(p.pos),
            14.0,
            Stroke::new(3.0, Color32::from_rgb(0x15, 0x65, 0xc0)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use drill_engine::model::*;

    fn scenario() -> Scenario {
        let mut sc = Scenario::default();
        for (name, x) in [("A", 0.0), ("B", 100.0)] {
            sc.map.places.push(Place {
                name: name.into(),
                pos: Point { x, y: 0.0 },
                ..Default::default()
            });
        }
        sc.map.links.push(Link {
            kind: LinkKind::Road,
            from: PlaceIdx(0),
            to: PlaceIdx(1),
            width_m: 4.0,
            length_m: 100.0,
            via: vec![],
            over: None,
            span: Span::default(),
        });
        sc.map.zones.push(Zone {
            name: "Z".into(),
            level: RiskLevel::Red,
            hazard: HazardKind::Flood,
            polygon: vec![
                Point { x: 0.0, y: 50.0 },
                Point { x: 100.0, y: 50.0 },
                Point { x: 50.0, y: 90.0 },
            ],
            dangerous_from_s: None,
            span: Span::default(),
        });
        sc
    }

    #[test]
    fn hits_places_corners_and_roads_under_the_pointer() {
        let sc = scenario();
        let view = Rect::from_min_size(Pos2::ZERO, Vec2::new(400.0, 400.0));
        // 1 point per metre, map (50, 50) at the view's centre (200, 200).
        let t = MapTransform {
            center: Point { x: 50.0, y: 50.0 },
            scale: 1.0,
        };
        assert_eq!(hit_place(&sc, &t, view, Pos2::new(152.0, 151.0)), Some(0));
        assert_eq!(hit_place(&sc, &t, view, Pos2::new(200.0, 150.0)), None);
        assert_eq!(hit_link(&sc, &t, view, Pos2::new(200.0, 153.0)), Some(0));
        assert_eq!(hit_link(&sc, &t, view, Pos2::new(200.0, 170.0)), None);
        assert_eq!(
            hit_corner(&sc, &t, view, Pos2::new(201.0, 238.0)),
            Some((0, 2))
        );
        let mut edit = EditState {
            drag: Some((DragTarget::ZoneCorner(0, 2), Point { x: 60.0, y: 95.0 })),
            ..Default::default()
        };
        let moved = preview(Some(&edit), &sc).unwrap();
        assert_eq!(moved.map.zones[0].polygon[2], Point { x: 60.0, y: 95.0 });
        edit.drag = None;
        assert!(preview(Some(&edit), &sc).is_none());
    }
}
