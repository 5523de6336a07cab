//! 地图编辑工具 — the mouse on the author's map: drag a place, a zone corner, a road's
//! bend or a river's point to move it; drag the small handle halfway along a zone edge,
//! a road or a river to add a point there (as JOSM and QGIS do); click to add a place
//! or a shelter, click two places for a road, click a place, a point or a road to
//! delete it. This module only turns pointer events into a [`MapIntent`] (by place,
//! zone, link and river index) and draws the handles; the author mode writes the
//! intent into the text (`session::map_edit`), and the map re-derives from the check.

use crate::ui::map_view::{MapTransform, place_marker, zone_color};
use drill_engine::model::{Point, Scenario};
use egui::{Color32, Pos2, Rect, Stroke, Vec2};

/// The tool the author's map is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EditTool {
    /// Drag places and points, or a midpoint handle to add a point; clicks jump to
    /// the text.
    #[default]
    Move,
    AddPlace,
    AddShelter,
    /// Click two places to join them with a road.
    AddRoad,
    /// Click a place, a point or a road to delete it.
    Delete,
}

/// A shape whose points are edited, by index into the checked scenario. Its vertices
/// are counted as `session::map_edit::Shape` counts them: a zone's corners, a road's
/// `via` bends (not its ends, which are places), a river's points from `from` to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeIdx {
    Zone(usize),
    Link(usize),
    River(usize),
}

/// What is being dragged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DragTarget {
    Place(usize),
    /// Vertex `1` of shape `0`.
    Vertex(ShapeIdx, usize),
    /// A midpoint handle: dropping it adds the vertex that becomes vertex `1`.
    Insert(ShapeIdx, usize),
}

/// An edit the author made on the map, by index into the checked scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MapIntent {
    MovePlace(usize, Point),
    MoveVertex(ShapeIdx, usize, Point),
    InsertVertex(ShapeIdx, usize, Point),
    Add { shelter: bool, at: Point },
    AddRoad(usize, usize),
    DeletePlace(usize),
    DeleteLink(usize),
    DeleteVertex(ShapeIdx, usize),
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
    /// Where the pointer hovers (screen): the shape under it shows its midpoint handles.
    pub hover: Option<Pos2>,
}

/// Pointer distance (screen points) within which a marker, corner or road is hit.
const HIT: f32 = 8.0;

/// A segment shorter than this on screen (points) has no midpoint handle: it would sit
/// on the vertices' handles.
const MIN_SEGMENT: f32 = 4.0 * HIT;

/// A shape's line on the map: its points (a road's with its two places), whether it
/// closes, and how many points at each end are not its vertices (a road's places).
struct Outline {
    shape: ShapeIdx,
    points: Vec<Point>,
    closed: bool,
    skip: usize,
}

impl Outline {
    /// Vertex `k` and where it lies.
    fn vertices(&self) -> impl Iterator<Item = (usize, Point)> + '_ {
        self.points[self.skip..self.points.len() - self.skip]
            .iter()
            .copied()
            .enumerate()
    }

    /// Each segment's two ends and the vertex index a point added on it takes.
    fn segments(&self) -> impl Iterator<Item = (usize, Point, Point)> + '_ {
        let n = self.points.len();
        let count = if self.closed { n } else { n.saturating_sub(1) };
        (0..count).map(move |s| (s + 1 - self.skip, self.points[s], self.points[(s + 1) % n]))
    }
}

/// Every zone, road and river with its points.
fn outlines(sc: &Scenario) -> Vec<Outline> {
    let mut out = Vec::new();
    for (z, zone) in sc.map.zones.iter().enumerate() {
        if zone.polygon.len() >= 3 {
            out.push(Outline {
                shape: ShapeIdx::Zone(z),
                points: zone.polygon.clone(),
                closed: true,
                skip: 0,
            });
        }
    }
    let places = &sc.map.places;
    for (l, link) in sc.map.links.iter().enumerate() {
        let (Some(a), Some(b)) = (places.get(link.from.index()), places.get(link.to.index()))
        else {
            continue;
        };
        let mut points = vec![a.pos];
        points.extend(&link.via);
        points.push(b.pos);
        out.push(Outline {
            shape: ShapeIdx::Link(l),
            points,
            closed: false,
            skip: 1,
        });
    }
    for (r, river) in sc.map.rivers.iter().enumerate() {
        if river.points.len() >= 2 {
            out.push(Outline {
                shape: ShapeIdx::River(r),
                points: river.points.clone(),
                closed: false,
                skip: 0,
            });
        }
    }
    out
}

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

/// The nearest of `items` (screen position and value) within [`HIT`] of `pos`.
fn nearest<T>(items: impl Iterator<Item = (Pos2, T)>, pos: Pos2) -> Option<T> {
    items
        .map(|(p, v)| (p.distance(pos), v))
        .filter(|(d, _)| *d <= HIT)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, v)| v)
}

/// The vertex (zone corner, road bend, river point) under `pos`.
pub fn hit_vertex(
    sc: &Scenario,
    t: &MapTransform,
    view: Rect,
    pos: Pos2,
) -> Option<(ShapeIdx, usize)> {
    let outlines = outlines(sc);
    nearest(
        outlines.iter().flat_map(|o| {
            o.vertices()
                .map(|(k, p)| (t.to_screen(p, view), (o.shape, k)))
        }),
        pos,
    )
}

/// The midpoint handles: each long enough segment's middle on screen, with the shape
/// and the vertex index a point added there takes.
fn midpoints(outlines: &[Outline], to: impl Fn(Point) -> Pos2) -> Vec<(Pos2, (ShapeIdx, usize))> {
    outlines
        .iter()
        .flat_map(|o| {
            o.segments().filter_map(|(k, a, b)| {
                let (a, b) = (to(a), to(b));
                (a.distance(b) >= MIN_SEGMENT).then(|| (a.lerp(b, 0.5), (o.shape, k)))
            })
        })
        .collect()
}

/// The midpoint handle under `pos`: dragging it adds a vertex to that shape.
pub fn hit_midpoint(
    sc: &Scenario,
    t: &MapTransform,
    view: Rect,
    pos: Pos2,
) -> Option<(ShapeIdx, usize)> {
    nearest(
        midpoints(&outlines(sc), |p| t.to_screen(p, view)).into_iter(),
        pos,
    )
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
    outlines(sc)
        .iter()
        .filter_map(|o| match o.shape {
            ShapeIdx::Link(l) => Some((l, line_distance(o, pos, |p| t.to_screen(p, view)))),
            _ => None,
        })
        .filter(|&(_, d)| d <= HIT)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// How far `pos` is from a shape's line on screen.
fn line_distance(o: &Outline, pos: Pos2, to: impl Fn(Point) -> Pos2) -> f32 {
    o.segments()
        .map(|(_, a, b)| segment_distance(pos, to(a), to(b)))
        .fold(f32::INFINITY, f32::min)
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
    edit.hover = response.hover_pos();
    if response.drag_started() && edit.tool == EditTool::Move {
        let origin = response.ctx.input(|i| i.pointer.press_origin()).or(pointer);
        if let Some(o) = origin {
            let target = hit_place(sc, t, view, o)
                .map(DragTarget::Place)
                .or_else(|| hit_vertex(sc, t, view, o).map(|(s, k)| DragTarget::Vertex(s, k)))
                .or_else(|| hit_midpoint(sc, t, view, o).map(|(s, k)| DragTarget::Insert(s, k)));
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
                DragTarget::Vertex(s, k) => MapIntent::MoveVertex(s, k, *at),
                DragTarget::Insert(s, k) => MapIntent::InsertVertex(s, k, *at),
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
                        hit_vertex(sc, t, view, p).map(|(s, k)| MapIntent::DeleteVertex(s, k))
                    })
                    .or_else(|| hit_link(sc, t, view, p).map(MapIntent::DeleteLink));
            }
        }
    }
    false
}

/// The points of `shape` in `sc`, as its vertices count them.
fn vertices_mut(sc: &mut Scenario, shape: ShapeIdx) -> Option<&mut Vec<Point>> {
    Some(match shape {
        ShapeIdx::Zone(z) => &mut sc.map.zones.get_mut(z)?.polygon,
        ShapeIdx::Link(l) => &mut sc.map.links.get_mut(l)?.via,
        ShapeIdx::River(r) => &mut sc.map.rivers.get_mut(r)?.points,
    })
}

/// The scenario as the drag shows it (the dragged place or point at the pointer, a
/// point being added already in its shape), or `None` when nothing is dragged.
pub fn preview(edit: Option<&EditState>, sc: &Scenario) -> Option<Scenario> {
    let (target, at) = edit?.drag?;
    let mut sc = sc.clone();
    match target {
        DragTarget::Place(i) => sc.map.places.get_mut(i)?.pos = at,
        DragTarget::Vertex(s, k) => *vertices_mut(&mut sc, s)?.get_mut(k)? = at,
        DragTarget::Insert(s, k) => {
            let pts = vertices_mut(&mut sc, s)?;
            pts.insert(k.min(pts.len()), at);
        }
    }
    Some(sc)
}

/// The handles: zone corners (squares), road bends and river points (dots), the
/// midpoint handles of the shape under the pointer (with the move tool), and the
/// first place of a road being drawn.
pub fn draw_handles(
    painter: &egui::Painter,
    edit: &EditState,
    sc: &Scenario,
    to: impl Fn(Point) -> Pos2,
) {
    let outlines = outlines(sc);
    let river_ink = Color32::from_rgb(0x1f, 0x5f, 0xa8);
    for o in &outlines {
        for (_, p) in o.vertices() {
            match o.shape {
                ShapeIdx::Zone(z) => {
                    painter.rect(
                        Rect::from_center_size(to(p), Vec2::splat(7.0)),
                        1.0,
                        Color32::WHITE,
                        Stroke::new(1.5, zone_color(sc.map.zones[z].level)),
                        egui::StrokeKind::Middle,
                    );
                }
                ShapeIdx::Link(_) => {
                    painter.circle(
                        to(p),
                        3.5,
                        Color32::WHITE,
                        Stroke::new(1.5, Color32::from_gray(60)),
                    );
                }
                ShapeIdx::River(_) => {
                    painter.circle(to(p), 3.5, Color32::WHITE, Stroke::new(1.5, river_ink));
                }
            }
        }
    }
    // Midpoint handles of the shape nearest the pointer (all of them would clutter a
    // village's map); none while something is dragged.
    let hovered = edit
        .hover
        .filter(|_| edit.tool == EditTool::Move && edit.drag.is_none())
        .and_then(|h| {
            outlines
                .iter()
                .map(|o| (o.shape, line_distance(o, h, &to)))
                .filter(|&(_, d)| d <= 3.0 * HIT)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(s, _)| s)
        });
    let shown: Vec<Outline> = outlines
        .into_iter()
        .filter(|o| Some(o.shape) == hovered)
        .collect();
    for (p, _) in midpoints(&shown, &to) {
        painter.circle(
            p,
            4.5,
            Color32::from_white_alpha(220),
            Stroke::new(1.0, Color32::from_gray(60)),
        );
        for d in [Vec2::new(2.5, 0.0), Vec2::new(0.0, 2.5)] {
            painter.line_segment([p - d, p + d], Stroke::new(1.2, Color32::from_gray(30)));
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
            hit_vertex(&sc, &t, view, Pos2::new(201.0, 238.0)),
            Some((ShapeIdx::Zone(0), 2))
        );
        let mut edit = EditState {
            drag: Some((
                DragTarget::Vertex(ShapeIdx::Zone(0), 2),
                Point { x: 60.0, y: 95.0 },
            )),
            ..Default::default()
        };
        let moved = preview(Some(&edit), &sc).unwrap();
        assert_eq!(moved.map.zones[0].polygon[2], Point { x: 60.0, y: 95.0 });
        // The zone's edges have midpoint handles: (0,50)-(100,50) at (50,50), the
        // closing edge (50,90)-(0,50) at (25,70), which appends corner 3.
        assert_eq!(
            hit_midpoint(&sc, &t, view, Pos2::new(202.0, 201.0)),
            Some((ShapeIdx::Zone(0), 1))
        );
        assert_eq!(
            hit_midpoint(&sc, &t, view, Pos2::new(175.0, 220.0)),
            Some((ShapeIdx::Zone(0), 3))
        );
        // The road (no bends yet) has one, halfway between its places: bend 0.
        assert_eq!(
            hit_midpoint(&sc, &t, view, Pos2::new(200.0, 150.0)),
            Some((ShapeIdx::Link(0), 0))
        );
        edit.drag = Some((
            DragTarget::Insert(ShapeIdx::Link(0), 0),
            Point { x: 50.0, y: -20.0 },
        ));
        let bent = preview(Some(&edit), &sc).unwrap();
        assert_eq!(bent.map.links[0].via, vec![Point { x: 50.0, y: -20.0 }]);
        // Its bend is now a vertex.
        assert_eq!(
            hit_vertex(&bent, &t, view, Pos2::new(201.0, 131.0)),
            Some((ShapeIdx::Link(0), 0))
        );
        edit.drag = None;
        assert!(preview(Some(&edit), &sc).is_none());
    }
}
