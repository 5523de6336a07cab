//! The scenario map: a pan/zoom transform (pure, tested) and the egui painter code
//! that draws a `Scenario`'s terrain, zones, rivers, roads, places, resources and
//! team bases.
//!
//! Map coordinates are metres, `x` east and `y` south as on the trainer's sketch, so
//! screen and map y axes point the same way.

use crate::ui::basemap;
use crate::ui::label_layout::{LabelBoard, LabelRequest, Placement};
use crate::ui::map_extent::village_extent;
use crate::ui::map_labels::{self, LegendEntry, MapLayout};
use crate::ui::map_tools::{self, EditState};
use drill_engine::hazard::raster::Raster;
use drill_engine::model::{LinkKind, PlaceKind, Point, RiskLevel, Scenario, TerrainSource};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Vec2};
use std::cell::RefCell;
use std::sync::Arc;

/// An axis-aligned box in map metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub min: Point,
    pub max: Point,
}

impl Bounds {
    pub fn around(p: Point) -> Self {
        Bounds { min: p, max: p }
    }
    pub fn include(&mut self, p: Point) {
        self.min.x = self.min.x.min(p.x);
        self.min.y = self.min.y.min(p.y);
        self.max.x = self.max.x.max(p.x);
        self.max.y = self.max.y.max(p.y);
    }
    pub fn center(&self) -> Point {
        Point {
            x: (self.min.x + self.max.x) / 2.0,
            y: (self.min.y + self.max.y) / 2.0,
        }
    }
}

/// Everything drawn on the map, or `None` for a scenario with nothing placed.
pub fn scenario_bounds(sc: &Scenario) -> Option<Bounds> {
    scenario_bounds_on(sc, None)
}

/// [`scenario_bounds`] including a heightmap file's extent.
pub fn scenario_bounds_on(sc: &Scenario, terrain_file: Option<&Raster>) -> Option<Bounds> {
    let map = &sc.map;
    let mut points: Vec<Point> = map.places.iter().map(|p| p.pos).collect();
    points.extend(map.links.iter().flat_map(|l| l.via.iter().copied()));
    points.extend(map.rivers.iter().flat_map(|r| r.points.iter().copied()));
    points.extend(map.zones.iter().flat_map(|z| z.polygon.iter().copied()));
    if let Some(t) = terrain_view(sc, terrain_file) {
        points.push(t.origin);
        points.push(Point {
            x: t.origin.x + f64::from(t.cols) * t.cell_m,
            y: t.origin.y + f64::from(t.rows) * t.cell_m,
        });
    }
    let mut it = points
        .into_iter()
        .filter(|p| p.x.is_finite() && p.y.is_finite());
    let mut b = Bounds::around(it.next()?);
    it.for_each(|p| b.include(p));
    Some(b)
}

/// The elevations the map shades: the scenario's inline grid, or the heightmap file the
/// engine loaded for it (`io::load_terrain`, held by the check result).
struct TerrainView<'a> {
    cols: u32,
    rows: u32,
    cell_m: f64,
    origin: Point,
    elevation_m: &'a [f64],
}

fn terrain_view<'a>(sc: &'a Scenario, file: Option<&'a Raster>) -> Option<TerrainView<'a>> {
    if let Some(TerrainSource::Grid {
        cols,
        rows,
        elevation_m,
    }) = sc.map.terrain.as_ref().map(|t| &t.source)
        && *cols > 0
        && *rows > 0
    {
        return Some(TerrainView {
            cols: *cols,
            rows: *rows,
            cell_m: terrain_cell_m(sc),
            origin: Point { x: 0.0, y: 0.0 },
            elevation_m: elevation_m.as_slice(),
        });
    }
    let r = file?;
    let (cols, rows) = (u32::try_from(r.cols).ok()?, u32::try_from(r.rows).ok()?);
    (cols > 0 && rows > 0 && r.cell_m.is_finite() && r.cell_m > 0.0).then_some(TerrainView {
        cols,
        rows,
        cell_m: r.cell_m,
        origin: r.origin,
        elevation_m: r.elevation_m.as_slice(),
    })
}

fn terrain_cell_m(sc: &Scenario) -> f64 {
    let cell = sc.map.terrain.as_ref().map_or(sc.map.cell_m, |t| t.cell_m);
    if cell.is_finite() && cell > 0.0 {
        cell
    } else {
        10.0
    }
}

/// Where the map is looking: the map point at the centre of the view and the scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapTransform {
    pub center: Point,
    /// Screen points per metre.
    pub scale: f64,
}

impl Default for MapTransform {
    fn default() -> Self {
        MapTransform {
            center: Point { x: 0.0, y: 0.0 },
            scale: 1.0,
        }
    }
}

impl MapTransform {
    /// Fits `bounds` in `view` with a margin, keeping the aspect ratio.
    pub fn fit(bounds: Bounds, view: Rect) -> Self {
        let w = (bounds.max.x - bounds.min.x).max(1.0);
        let h = (bounds.max.y - bounds.min.y).max(1.0);
        let margin = 0.9;
        let scale = (f64::from(view.width()) / w).min(f64::from(view.height()) / h) * margin;
        MapTransform {
            center: bounds.center(),
            scale: scale.max(1e-6),
        }
    }

    pub fn to_screen(&self, p: Point, view: Rect) -> Pos2 {
        let c = view.center();
        Pos2::new(
            c.x + ((p.x - self.center.x) * self.scale) as f32,
            c.y + ((p.y - self.center.y) * self.scale) as f32,
        )
    }

    pub fn to_map(&self, pos: Pos2, view: Rect) -> Point {
        let c = view.center();
        Point {
            x: self.center.x + f64::from(pos.x - c.x) / self.scale,
            y: self.center.y + f64::from(pos.y - c.y) / self.scale,
        }
    }

    /// Moves the map with the mouse: a drag of `delta` screen points.
    pub fn pan(&mut self, delta: Vec2) {
        self.center.x -= f64::from(delta.x) / self.scale;
        self.center.y -= f64::from(delta.y) / self.scale;
    }

    /// Zooms by `factor` keeping the map point under `pos` fixed on screen.
    pub fn zoom_at(&mut self, factor: f64, pos: Pos2, view: Rect) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let anchor = self.to_map(pos, view);
        self.scale = (self.scale * factor).clamp(1e-4, 1e3);
        let moved = self.to_screen(anchor, view);
        self.pan(pos - moved);
    }
}

/// 红橙黄蓝 fill colours of the four risk levels.
pub fn zone_color(level: RiskLevel) -> Color32 {
    match level {
        RiskLevel::Red => Color32::from_rgb(0xe5, 0x1c, 0x23),
        RiskLevel::Orange => Color32::from_rgb(0xff, 0x8c, 0x00),
        RiskLevel::Yellow => Color32::from_rgb(0xff, 0xd6, 0x00),
        RiskLevel::Blue => Color32::from_rgb(0x1e, 0x64, 0xdc),
    }
}

/// Terrain shading from low (green) to high (brown), `t` in 0..=1.
pub fn elevation_color(t: f64) -> Color32 {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let lerp = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    Color32::from_rgb(lerp(196.0, 214.0), lerp(226.0, 190.0), lerp(180.0, 150.0))
}

/// State kept between frames for one map widget.
#[derive(Debug, Clone, Default)]
pub struct MapState {
    pub transform: MapTransform,
    /// The view the map was last fitted to; `None` until the first fit.
    pub fitted_view: Option<Rect>,
    /// Set once the user pans or zooms; until then the map refits when the panel
    /// changes size (panels settle over the first frames, presets change the zoom).
    pub user_moved: bool,
    /// The scenario's heightmap file as the engine loaded it, shaded like an inline
    /// grid; the mode that owns the map sets it from the check result.
    pub terrain_file: Option<Arc<Raster>>,
    /// 底图 — the scenario's basemap as the engine placed it, drawn over the terrain
    /// shading and under everything else; the mode sets it from the check result.
    pub basemap: Option<Arc<drill_engine::io::PlacedBasemap>>,
    /// What the last frame drew where (labels, legend, edge markers).
    pub layout: Option<Arc<MapLayout>>,
    /// Editing on the map (author mode): the tool, a drag under way, the edit made.
    pub edit: Option<EditState>,
}

/// Extra things a mode draws over the map (none yet from the simulation).
#[derive(Debug, Clone, Copy, Default)]
pub struct MapStyle {
    /// Text scale for labels (projector preset uses larger labels).
    pub label_size: f32,
    /// Leave out the team and resource notes under places (the live map draws teams).
    pub hide_notes: bool,
    /// The live map draws occupancy bars above shelters: labels keep clear of them.
    pub shelter_bars: bool,
}

/// Draws the scenario and handles pan/zoom. Returns the place clicked, if any.
pub fn show_map(
    ui: &mut egui::Ui,
    state: &mut MapState,
    sc: Option<&Scenario>,
    style: MapStyle,
    empty_text: &str,
) -> Option<usize> {
    show_map_with(ui, state, sc, style, empty_text, |_, _| {})
}

/// Where the overlay draws: the clipped painter, the map-to-screen transform, and the
/// label board the place labels were laid out on (overlay labels join it, so they
/// avoid the places' labels instead of running over them).
pub struct MapCanvas<'a> {
    pub painter: &'a egui::Painter,
    pub transform: MapTransform,
    pub view: Rect,
    pub labels: &'a RefCell<map_labels::DrawnLabels>,
}

impl MapCanvas<'_> {
    pub fn to_screen(&self, p: Point) -> Pos2 {
        self.transform.to_screen(p, self.view)
    }

    /// Draws `text` near `anchor` where the label layout finds room (placed after the
    /// map's own labels, so it gives way to them); returns whether it was drawn.
    pub fn label(
        &self,
        anchor: Pos2,
        placement: Placement,
        text: &str,
        font: FontId,
        color: Color32,
    ) -> bool {
        let galley = self.painter.layout_no_wrap(text.to_owned(), font, color);
        let req = LabelRequest {
            anchor,
            placement,
            variants: vec![galley.size()],
            priority: 0,
        };
        let mut labels = self.labels.borrow_mut();
        match labels.board.place(&req) {
            Some(p) => {
                labels.draw(text.to_owned(), p.rect, galley, color);
                true
            }
            None => false,
        }
    }
}

/// [`show_map`] with `overlay` drawn over the places (the simulation's state); the
/// overlay also gets the label font size.
pub fn show_map_with(
    ui: &mut egui::Ui,
    state: &mut MapState,
    sc: Option<&Scenario>,
    style: MapStyle,
    empty_text: &str,
    overlay: impl FnOnce(&MapCanvas, f32),
) -> Option<usize> {
    show_map_layered(ui, state, sc, style, empty_text, &[], |_| {}, overlay)
}

/// [`show_map_with`] with `underlay` drawn over the terrain and under the zones, roads
/// and places (the engine's hazard layers: water, fire, plume), and `legend` in a
/// column beside the map (never over it).
#[allow(clippy::too_many_arguments)] // each layer and the legend come from the mode
pub fn show_map_layered(
    ui: &mut egui::Ui,
    state: &mut MapState,
    sc: Option<&Scenario>,
    style: MapStyle,
    empty_text: &str,
    legend: &[LegendEntry],
    underlay: impl FnOnce(&MapCanvas),
    overlay: impl FnOnce(&MapCanvas, f32),
) -> Option<usize> {
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
    let pane = response.rect;
    let label = FontId::proportional(if style.label_size > 0.0 {
        style.label_size
    } else {
        14.0
    });
    // The legend beside the map (a column in a wide pane, a strip under a tall one);
    // the map gets the rest.
    let legend_layout = map_labels::layout_legend(&painter, legend, label.size, pane);
    let legend_rect = legend_layout.as_ref().map(|l| l.rect);
    let view = legend_layout.as_ref().map_or(pane, |l| l.view);
    painter.rect_filled(view, 0.0, Color32::from_rgb(0xf4, 0xf1, 0xea));
    let Some(sc) = sc else {
        painter.text(
            view.center(),
            Align2::CENTER_CENTER,
            empty_text,
            FontId::proportional(18.0),
            Color32::DARK_GRAY,
        );
        return None;
    };
    let extent = village_extent(sc);
    let refit = response.double_clicked() || (!state.user_moved && state.fitted_view != Some(view));
    if refit {
        let fitted = match &extent {
            Some(e) => Some(map_labels::fit_village(&painter, sc, e, view, label.size)),
            None => scenario_bounds_on(sc, state.terrain_file.as_deref())
                .map(|b| MapTransform::fit(b, view)),
        };
        if let Some(t) = fitted {
            state.transform = t;
            state.fitted_view = Some(view);
            state.user_moved = false;
        }
    }
    let edit_drag = match state.edit.as_mut() {
        Some(e) => map_tools::interact(e, sc, &response, &state.transform, view),
        None => false,
    };
    if response.dragged() && !edit_drag {
        state.transform.pan(response.drag_delta());
        state.user_moved = true;
    }
    // While a place or corner is dragged, the map draws it at the pointer.
    let preview = map_tools::preview(state.edit.as_ref(), sc);
    let sc = preview.as_ref().unwrap_or(sc);
    if response.hovered() {
        let scroll = ui.input(|i| i.smooth_scroll_delta().y);
        if scroll != 0.0
            && let Some(pos) = response.hover_pos()
        {
            state
                .transform
                .zoom_at((f64::from(scroll) / 200.0).exp(), pos, view);
            state.user_moved = true;
        }
    }
    let t = state.transform;
    let to = |p: Point| t.to_screen(p, view);
    let px = |m: f64| (m * t.scale) as f32;
    let full = painter.clone();
    let painter = painter.with_clip_rect(view);
    let labels = RefCell::new(map_labels::DrawnLabels {
        board: LabelBoard::new(view.shrink(2.0), Vec::new()),
        drawn: Vec::new(),
        shapes: Vec::new(),
    });

    // Terrain: one rectangle per cell (coarsened so at most ~200x200 are drawn).
    if let Some(TerrainView {
        cols,
        rows,
        cell_m: cell,
        origin,
        elevation_m: elev,
    }) = terrain_view(sc, state.terrain_file.as_deref())
    {
        let (lo, hi) = elev
            .iter()
            .filter(|e| e.is_finite())
            .fold((f64::MAX, f64::MIN), |(a, b), &e| (a.min(e), b.max(e)));
        let stride = (cols.max(rows) / 200).max(1);
        let mut mesh = egui::Mesh::default();
        for r in (0..rows).step_by(stride as usize) {
            for c in (0..cols).step_by(stride as usize) {
                // A heightmap's no-data cells (NaN) stay unshaded.
                let Some(&e) = elev.get((r * cols + c) as usize).filter(|e| e.is_finite()) else {
                    continue;
                };
                let tt = if hi > lo { (e - lo) / (hi - lo) } else { 0.5 };
                let p0 = to(Point {
                    x: origin.x + f64::from(c) * cell,
                    y: origin.y + f64::from(r) * cell,
                });
                let p1 = to(Point {
                    x: origin.x + f64::from(c + stride) * cell,
                    y: origin.y + f64::from(r + stride) * cell,
                });
                mesh.add_colored_rect(Rect::from_two_pos(p0, p1), elevation_color(tt));
            }
        }
        painter.add(Shape::mesh(mesh));
    }

    // The basemap over the terrain shading (which shows through where the image is
    // translucent) and under the hazards, zones, roads and places.
    let basemap_drawn = state
        .basemap
        .as_deref()
        .and_then(|b| basemap::draw(&painter, b, to));

    underlay(&MapCanvas {
        painter: &painter,
        transform: t,
        view,
        labels: &labels,
    });

    // Zones, most severe drawn last so it stays visible where zones overlap.
    let mut zones: Vec<_> = sc.map.zones.iter().collect();
    zones.sort_by_key(|z| std::cmp::Reverse(z.level));
    for z in zones {
        if z.polygon.len() < 3 {
            continue;
        }
        let col = zone_color(z.level);
        let pts: Vec<Pos2> = z.polygon.iter().map(|&p| to(p)).collect();
        // egui fills convex polygons only; concave zones get a translucent fan, still in colour.
        painter.add(Shape::convex_polygon(
            pts.clone(),
            col.gamma_multiply(0.35),
            Stroke::NONE,
        ));
        painter.add(Shape::closed_line(pts, Stroke::new(2.0, col)));
    }

    for river in &sc.map.rivers {
        let pts: Vec<Pos2> = river.points.iter().map(|&p| to(p)).collect();
        painter.add(Shape::line(
            pts,
            Stroke::new(
                px(river.width_m).max(3.0),
                Color32::from_rgb(0x4a, 0x90, 0xd9),
            ),
        ));
    }

    for link in &sc.map.links {
        let (Some(a), Some(b)) = (
            sc.map.places.get(link.from.index()),
            sc.map.places.get(link.to.index()),
        ) else {
            continue;
        };
        let mut pts = vec![to(a.pos)];
        pts.extend(link.via.iter().map(|&p| to(p)));
        pts.push(to(b.pos));
        let width = px(link.width_m).clamp(2.0, 12.0);
        match link.kind {
            LinkKind::Road => {
                painter.add(Shape::line(
                    pts,
                    Stroke::new(width + 2.0, Color32::from_gray(90)),
                ));
            }
            LinkKind::Path => {
                painter.add(Shape::dashed_line(
                    &pts,
                    Stroke::new(2.0, Color32::from_rgb(0x8b, 0x5a, 0x2b)),
                    8.0,
                    5.0,
                ));
            }
            LinkKind::Bridge => {
                painter.add(Shape::line(
                    pts.clone(),
                    Stroke::new(width + 6.0, Color32::from_gray(40)),
                ));
                painter.add(Shape::line(
                    pts,
                    Stroke::new(width + 2.0, Color32::from_rgb(0xd9, 0xd9, 0xd9)),
                ));
            }
        }
    }

    let mut clicked = None;
    let click_pos = if response.clicked() {
        response.interact_pointer_pos()
    } else {
        None
    };
    let mut markers = Vec::new();
    for (i, place) in sc.map.places.iter().enumerate() {
        let p = to(place.pos);
        if !view.expand(40.0).contains(p) {
            continue;
        }
        let (fill, radius) = place_marker(&place.kind);
        if place.kind == PlaceKind::Shelter {
            painter.rect_filled(
                Rect::from_center_size(p, Vec2::splat(radius * 2.0)),
                2.0,
                fill,
            );
        } else {
            painter.circle(p, radius, fill, Stroke::new(1.5, Color32::WHITE));
        }
        markers.push(Rect::from_center_size(p, Vec2::splat(radius * 2.0 + 2.0)));
        if let Some(c) = click_pos
            && c.distance(p) <= radius + 6.0
        {
            clicked = Some(i);
        }
    }
    if let Some(e) = &state.edit {
        map_tools::draw_handles(&painter, e, sc, to);
    }
    let scale_bar = scale_bar_rect(view, legend_rect);
    {
        let mut l = labels.borrow_mut();
        l.board.obstacles = markers;
        if let Some(r) = scale_bar {
            l.board.obstacles.push(r);
        }
        // The live map's occupancy bars, before the edge markers take their spots.
        if style.shelter_bars {
            for p in sc.map.places.iter().filter(|p| p.shelter.is_some()) {
                let bar = map_labels::shelter_bar_area(to(p.pos), label.size);
                l.board.obstacles.push(bar);
            }
        }
    }
    let far = extent.as_ref().map_or(&[][..], |e| e.far.as_slice());
    map_labels::draw_edge_markers(&painter, sc, far, &t, view, label.size, &labels);
    map_labels::draw_map_labels(&painter, sc, &t, view, style, &label, &labels);

    overlay(
        &MapCanvas {
            painter: &painter,
            transform: t,
            view,
            labels: &labels,
        },
        label.size,
    );

    let scale_at = match &legend_layout {
        Some(l) => {
            map_labels::draw_legend(&full.with_clip_rect(l.rect), l, legend, label.size);
            l.scale_at
        }
        None => view.left_bottom() + Vec2::new(12.0, -14.0),
    };
    draw_scale_bar(&full, &t, scale_at);

    let village = extent.map(|e| Rect::from_two_pos(to(e.village.min), to(e.village.max)));
    let mut l = labels.into_inner();
    painter.extend(std::mem::take(&mut l.shapes));
    let layout = Arc::new(MapLayout {
        view,
        legend: legend_rect,
        village,
        labels: l.drawn,
        basemap: basemap_drawn,
        center: [t.center.x, t.center.y],
        scale: t.scale,
        pixels_per_point: ui.ctx().pixels_per_point(),
    });
    ui.ctx()
        .data_mut(|d| d.insert_temp(egui::Id::new(MapLayout::ID), layout.clone()));
    state.layout = Some(layout);
    clicked
}

/// Fill colour and radius of a place's marker.
pub fn place_marker(kind: &PlaceKind) -> (Color32, f32) {
    match kind {
        PlaceKind::Shelter => (Color32::from_rgb(0x1b, 0x9e, 0x3e), 9.0),
        PlaceKind::Office => (Color32::from_rgb(0x6a, 0x3d, 0x9a), 8.0),
        PlaceKind::Station => (Color32::from_rgb(0x00, 0x6d, 0x77), 8.0),
        PlaceKind::Plant => (Color32::from_rgb(0x7f, 0x00, 0x00), 8.0),
        PlaceKind::Junction => (Color32::from_gray(120), 4.0),
        PlaceKind::Settlement => (Color32::from_rgb(0x33, 0x33, 0x33), 7.0),
    }
}

/// Where the scale bar goes: the bottom of the legend column, or the view's bottom
/// left corner without one.
fn scale_bar_rect(view: Rect, legend: Option<Rect>) -> Option<Rect> {
    match legend {
        Some(_) => None,
        None => Some(Rect::from_min_size(
            view.left_bottom() + Vec2::new(6.0, -36.0),
            Vec2::new(140.0, 32.0),
        )),
    }
}

/// Scale bar: a round number of metres about 120 points long, starting at `start`.
fn draw_scale_bar(painter: &egui::Painter, t: &MapTransform, start: Pos2) {
    let metres = 120.0 / t.scale;
    let nice = 10f64.powf(metres.log10().floor());
    let nice = [1.0, 2.0, 5.0]
        .iter()
        .map(|m| m * nice)
        .rfind(|&m| m <= metres)
        .unwrap_or(nice);
    painter.line_segment(
        [start, start + Vec2::new((nice * t.scale) as f32, 0.0)],
        Stroke::new(3.0, Color32::BLACK),
    );
    let unit = if nice >= 1000.0 {
        format!("{} km", nice / 1000.0)
    } else {
        format!("{nice} m")
    };
    painter.text(
        start + Vec2::new(0.0, -4.0),
        Align2::LEFT_BOTTOM,
        unit,
        FontId::proportional(12.0),
        Color32::BLACK,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> Rect {
        Rect::from_min_size(Pos2::new(100.0, 50.0), Vec2::new(800.0, 400.0))
    }

    #[test]
    fn fit_puts_the_whole_bounds_inside_the_view() {
        let b = Bounds {
            min: Point { x: 0.0, y: 0.0 },
            max: Point { x: 900.0, y: 500.0 },
        };
        let t = MapTransform::fit(b, view());
        for p in [
            b.min,
            b.max,
            Point { x: 0.0, y: 500.0 },
            Point { x: 900.0, y: 0.0 },
        ] {
            assert!(view().contains(t.to_screen(p, view())), "{p:?}");
        }
        assert_eq!(t.to_screen(b.center(), view()), view().center());
    }

    #[test]
    fn screen_and_map_round_trip_and_y_points_down() {
        let t = MapTransform {
            center: Point { x: 300.0, y: 200.0 },
            scale: 0.5,
        };
        let p = Point { x: 123.0, y: 456.0 };
        let back = t.to_map(t.to_screen(p, view()), view());
        assert!((back.x - p.x).abs() < 0.01 && (back.y - p.y).abs() < 0.01);
        let north = t.to_screen(Point { x: 0.0, y: 0.0 }, view());
        let south = t.to_screen(Point { x: 0.0, y: 100.0 }, view());
        assert!(south.y > north.y, "larger map y is lower on screen");
    }

    #[test]
    fn zoom_keeps_the_point_under_the_cursor_fixed() {
        let mut t = MapTransform {
            center: Point { x: 0.0, y: 0.0 },
            scale: 1.0,
        };
        let cursor = Pos2::new(700.0, 120.0);
        let before = t.to_map(cursor, view());
        t.zoom_at(2.0, cursor, view());
        assert_eq!(t.scale, 2.0);
        let after = t.to_map(cursor, view());
        assert!((before.x - after.x).abs() < 1e-3 && (before.y - after.y).abs() < 1e-3);
        t.zoom_at(f64::NAN, cursor, view());
        assert_eq!(t.scale, 2.0, "a bad factor is ignored");
    }

    #[test]
    fn pan_moves_the_map_with_the_mouse() {
        let mut t = MapTransform {
            center: Point { x: 0.0, y: 0.0 },
            scale: 2.0,
        };
        let p = Point { x: 10.0, y: 10.0 };
        let before = t.to_screen(p, view());
        t.pan(Vec2::new(30.0, -20.0));
        let after = t.to_screen(p, view());
        assert!((after - before - Vec2::new(30.0, -20.0)).length() < 1e-3);
    }

    #[test]
    fn bounds_cover_a_heightmap_file_where_the_engine_placed_it() {
        use drill_engine::model::*;
        let mut sc = Scenario::default();
        sc.map.places.push(Place {
            name: "坑里".into(),
            pos: Point { x: 300.0, y: 420.0 },
            ..Default::default()
        });
        // Without the loaded file only the place counts; with it, the raster's extent
        // from its own origin (what `io::load_terrain` read), not from (0, 0).
        let mut raster = Raster::flat(4, 2, 50.0, 12.0);
        raster.origin = Point {
            x: -100.0,
            y: 200.0,
        };
        let b = scenario_bounds_on(&sc, None).unwrap();
        assert_eq!((b.min.x, b.max.x), (300.0, 300.0));
        let b = scenario_bounds_on(&sc, Some(&raster)).unwrap();
        assert_eq!(
            (b.min.x, b.min.y, b.max.x, b.max.y),
            (-100.0, 200.0, 300.0, 420.0)
        );
        let t = terrain_view(&sc, Some(&raster)).unwrap();
        assert_eq!((t.cols, t.rows, t.elevation_m.len()), (4, 2, 8));
    }

    #[test]
    fn bounds_cover_places_rivers_zones_and_terrain() {
        use drill_engine::model::*;
        let mut sc = Scenario::default();
        assert_eq!(scenario_bounds(&sc), None);
        sc.map.places.push(Place {
            name: "下村".into(),
            pos: Point { x: 300.0, y: 420.0 },
            ..Default::default()
        });
        sc.map.rivers.push(River {
            name: "溪".into(),
            points: vec![Point { x: -50.0, y: 500.0 }],
            width_m: 8.0,
            span: Span::default(),
        });
        sc.map.terrain = Some(Terrain {
            source: TerrainSource::Grid {
                cols: 3,
                rows: 2,
                elevation_m: vec![0.0; 6],
            },
            cell_m: 400.0,
            span: Span::default(),
            georef: None,
        });
        let b = scenario_bounds(&sc).unwrap();
        assert_eq!(
            (b.min.x, b.min.y, b.max.x, b.max.y),
            (-50.0, 0.0, 1200.0, 800.0)
        );
    }

    #[test]
    fn zone_colours_are_red_orange_yellow_blue() {
        let red = zone_color(RiskLevel::Red);
        let blue = zone_color(RiskLevel::Blue);
        assert!(red.r() > 200 && red.b() < 60);
        assert!(blue.b() > 200 && blue.r() < 60);
        assert_eq!(elevation_color(f64::NAN), elevation_color(0.0));
    }
}
