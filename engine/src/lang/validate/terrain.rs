//! 地形 — the terrain: the map's `terrain` statement (an inline elevation grid or a
//! heightmap file), its extent, and what lies off it. Owns E0201 for a second
//! `terrain`, E0127/E0308/E0309 (a grid that is no list, not numbers, or ragged),
//! E0314 (an elevation no place on Earth has), E0153 (an unreadable heightmap), E0409
//! (a flood inflow on a river that never crosses the terrain) and W0007 (people,
//! shelters or rivers wholly off the terrain).

use super::V;
use super::cursor::Cur;
use super::units::Dim;
use crate::hazard::raster::{MAX_ELEVATION_M, plausible_elevation};
use crate::lang::diagnostic::Diagnostic;
use crate::lang::syntax::NodeKind;
use crate::limits;
use crate::model::*;

/// Whether `p` lies on a grid covering `[0, width) × [0, height)` metres.
fn on_grid(p: Point, width: f64, height: f64) -> bool {
    (0.0..width).contains(&p.x) && (0.0..height).contains(&p.y)
}

/// Whether any segment of the polyline crosses the grid `[0, width] × [0, height]`
/// (Liang–Barsky clipping): a river drawn from beyond the grid's edge still enters it.
fn polyline_touches_grid(points: &[Point], width: f64, height: f64) -> bool {
    if points.iter().any(|&p| on_grid(p, width, height)) {
        return true;
    }
    points.windows(2).any(|w| {
        let (a, b) = (w[0], w[1]);
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.x),
            (dx, width - a.x),
            (-dy, a.y),
            (dy, height - a.y),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else if p < 0.0 {
                t0 = t0.max(q / p);
            } else {
                t1 = t1.min(q / p);
            }
        }
        t0 <= t1
    })
}

/// 地形范围 — the size of a terrain raster, laid with its north-west corner at the map
/// origin: it covers `x ∈ [0, cols·cell)`, `y ∈ [0, rows·cell)` metres. The flood and
/// fire models run on it and nowhere else.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TerrainExtent {
    pub cols: usize,
    pub rows: usize,
    pub cell_m: f64,
}

impl TerrainExtent {
    /// The extent of an inline `terrain grid`; `None` without terrain or for a
    /// heightmap file, whose size is known only once `io::load_terrain` has read it.
    pub fn of_inline_grid(s: &Scenario) -> Option<TerrainExtent> {
        let terrain = s.map.terrain.as_ref()?;
        match terrain.source {
            TerrainSource::Grid { cols, rows, .. } => Some(TerrainExtent {
                cols: cols as usize,
                rows: rows as usize,
                cell_m: terrain.cell_m,
            }),
            TerrainSource::File { .. } => None,
        }
    }

    /// Width (east) and height (south), metres.
    fn size_m(self) -> (f64, f64) {
        (
            self.cols as f64 * self.cell_m,
            self.rows as f64 * self.cell_m,
        )
    }
}

/// What lies off the terrain, for an inline grid (called by
/// [`validate`](super::validate())) and for a heightmap once it is read (called by
/// `drill check`):
/// - W0007: places with people, shelters and rivers wholly outside the terrain. The
///   flood and fire models run on the terrain only, so nothing ever happens there.
///   Only where people live or shelter: an office or a team base in the county town,
///   off the village's grid, is normal (the team drives in along the roads).
/// - E0409: a flood inflow on a river that never crosses the terrain has nowhere to
///   enter, so the flood cannot be modelled (`drill run` refuses it).
pub fn off_the_terrain(s: &Scenario, extent: TerrainExtent) -> Vec<Diagnostic> {
    let (width, height) = extent.size_m();
    let range = format!("x 0–{width} m, y 0–{height} m");
    let extend = match s.map.terrain.as_ref().map(|t| &t.source) {
        Some(TerrainSource::File { .. }) => "use a heightmap that covers it",
        _ => "extend `terrain grid` to cover it",
    };
    let mut diags = Vec::new();
    for p in &s.map.places {
        let people_there = p.households > 0 || p.people > 0 || p.kind == PlaceKind::Shelter;
        if people_there && !on_grid(p.pos, width, height) {
            let (zh, en) = if p.kind == PlaceKind::Shelter {
                ("安置点", "shelter")
            } else {
                ("地点", "place")
            };
            let (zh, en) = (format!("{zh} {}", p.name), format!("{en} {}", p.name));
            diags.push(outside_warning(p.span, &zh, &en, &range, extend));
        }
    }
    for r in &s.map.rivers {
        if !polyline_touches_grid(&r.points, width, height) {
            let (zh, en) = (format!("河流 {}", r.name), format!("river {}", r.name));
            diags.push(outside_warning(r.span, &zh, &en, &range, extend));
        }
    }
    for h in &s.hazards {
        let Hazard::Flood(flood) = h else { continue };
        for inflow in &flood.inflows {
            let Some(r) = s.map.rivers.get(inflow.river.0 as usize) else {
                continue;
            };
            if polyline_touches_grid(&r.points, width, height) {
                continue;
            }
            let name = &r.name;
            diags.push(
                Diagnostic::error(
                    "E0409",
                    inflow.span,
                    format!("河流 {name} 不经过地形网格,入流无处进入"),
                    format!("the inflow of river {name} has nowhere to enter: no part of the river lies on the terrain grid ({range})"),
                )
                .help(format!("draw the river across the terrain grid (`from`/`via`/`to`), or {extend}")),
            );
        }
    }
    diags
}

/// W0007 for one feature.
fn outside_warning(span: Span, zh: &str, en: &str, range: &str, extend: &str) -> Diagnostic {
    Diagnostic::warning(
        "W0007",
        span,
        format!("{zh} 在地形网格之外 ({range})"),
        format!("{en} lies outside the terrain grid ({range}), where the flood and fire models do not reach"),
    )
    .help(format!("check its coordinates, or {extend}"))
}

/// E0153: the map's heightmap file cannot be read (missing, not UTF-8, not a valid
/// ESRI ASCII grid). `message` is what `io::load_terrain` said (it names the file as
/// written); the diagnostic points at the `terrain` statement.
pub fn terrain_unreadable(terrain: &Terrain, message: &str) -> Diagnostic {
    Diagnostic::error(
        "E0153",
        terrain.span,
        format!("无法读取地形文件:{message}"),
        format!("the terrain file cannot be read: {message}"),
    )
    .help("the path is relative to this scenario's folder; export the DEM as an ESRI ASCII grid (.asc), in metres or with `vertical` giving its unit (`vertical 0.1m` for decimetres) / 路径相对于本情景文件所在文件夹;高程不是米时用 vertical 注明单位")
}

impl V {
    pub(super) fn terrain(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        if self.s.map.terrain.is_some() {
            self.err(
                Diagnostic::error(
                    "E0201",
                    cur.whole(),
                    "地形只能写一次",
                    "a second `terrain`; there may be only one",
                )
                .help("keep one terrain line"),
            );
            return;
        }
        if cur.eat_kw("grid") {
            let cell = self.quantity_in(cur, Dim::Length, "the grid's cell", limits::CELL);
            let span = cur.here();
            let Some(NodeKind::List(items)) = cur.next().map(|n| &n.kind) else {
                self.err(
                    Diagnostic::error(
                        "E0127",
                        span,
                        "应为高程列表 [ ... ]",
                        "expected the elevations as a list `[ 52 51 ; 51 50 ]`",
                    )
                    .help("rows of numbers separated by `;`"),
                );
                return;
            };
            let mut rows: Vec<Vec<f64>> = vec![Vec::new()];
            for n in items {
                match &n.kind {
                    NodeKind::Semi => rows.push(Vec::new()),
                    NodeKind::Quantity { value, unit, .. }
                        if unit.as_deref().is_none_or(|u| u == "m") =>
                    {
                        if !plausible_elevation(*value) {
                            self.err(
                                Diagnostic::error(
                                    "E0314",
                                    cur.span_of(n),
                                    format!("高程 {value} 米超出地球上的任何高度 (限 ±{} 公里)", MAX_ELEVATION_M / 1000.0),
                                    format!("an elevation of {value} m is higher or deeper than anywhere on Earth (limit ±{} km)", MAX_ELEVATION_M / 1000.0),
                                )
                                .help("write elevations in metres, e.g. 352.5 (a slip of the keyboard or a value in millimetres is the usual cause) / 高程以米为单位"),
                            );
                        }
                        if let Some(r) = rows.last_mut() {
                            r.push(*value);
                        }
                    }
                    NodeKind::Newline | NodeKind::Comment(_) | NodeKind::Comma => {}
                    _ => {
                        let s = cur.span_of(n);
                        self.err(
                            Diagnostic::error(
                                "E0308",
                                s,
                                "高程应为数字(米)",
                                format!(
                                    "an elevation must be a number of metres, found {}",
                                    n.describe()
                                ),
                            )
                            .help("write numbers like 52.5"),
                        );
                    }
                }
            }
            if rows.last().is_some_and(|r| r.is_empty()) && rows.len() > 1 {
                rows.pop();
            }
            let cols = rows.first().map_or(0, |r| r.len());
            if cols == 0 || rows.iter().any(|r| r.len() != cols) {
                self.err(Diagnostic::error("E0309", span, "高程网格各行长度不一致或为空", "every row of the grid must have the same number of values, and at least one").help("check the `;` between rows"));
                return;
            }
            let cell_m = cell.unwrap_or(self.s.map.cell_m);
            self.s.map.terrain = Some(Terrain {
                source: TerrainSource::Grid {
                    cols: cols as u32,
                    rows: rows.len() as u32,
                    elevation_m: rows.concat(),
                },
                cell_m,
                span: whole,
                georef: None,
            });
        } else {
            let Some(path) = self.string(cur, "a heightmap file, or `grid`") else {
                return;
            };
            let mut vertical_m = 1.0;
            if cur.eat_kw("vertical") {
                vertical_m = self
                    .quantity_in(cur, Dim::Length, "`vertical`", limits::VERTICAL)
                    .unwrap_or(1.0);
            }
            self.s.map.terrain = Some(Terrain {
                source: TerrainSource::File { path, vertical_m },
                cell_m: self.s.map.cell_m,
                span: whole,
                georef: None,
            });
        }
        self.finish(cur);
    }
}

#[cfg(test)]
mod tests {

    /// A river drawn from beyond the grid's edge, across it, is on the grid; one that
    /// only passes near a corner is not (W0007 and E0409 key on this).
    #[test]
    fn a_river_crossing_the_grid_counts_as_on_it() {
        use super::{Point, polyline_touches_grid};
        let p = |x, y| Point { x, y };
        assert!(polyline_touches_grid(
            &[p(-100.0, 50.0), p(900.0, 60.0)],
            700.0,
            500.0
        ));
        assert!(polyline_touches_grid(
            &[p(350.0, -10.0), p(350.0, 900.0)],
            700.0,
            500.0
        ));
        assert!(!polyline_touches_grid(
            &[p(600.0, -200.0), p(900.0, 100.0)],
            700.0,
            500.0
        ));
        assert!(!polyline_touches_grid(
            &[p(0.0, 900.0), p(900.0, 800.0)],
            700.0,
            500.0
        ));
        assert!(polyline_touches_grid(&[p(10.0, 10.0)], 700.0, 500.0));
    }
}
