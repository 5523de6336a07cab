//! 村庄范围 — what the map fits to: the village (its places with people, shelters and
//! risk zones, and the offices, stations and junctions close to them), not every place
//! the scenario names. Places far outside it — the county teams' base in the county
//! town, joined by a road written `length 18km` — would shrink the village to a corner
//! of a projected map; they are drawn as markers on the map's edge with their distance
//! by road instead. Pure functions of the scenario and screen geometry, tested here.

use crate::ui::map_view::Bounds;
use drill_engine::model::{Point, Scenario};
use egui::{Pos2, Rect, Vec2};

/// A place outside the village.
#[derive(Debug, Clone, PartialEq)]
pub struct FarPlace {
    pub place: usize,
    /// Shortest road distance from the nearest village place (links' lengths, so a
    /// road written `length 18km` counts 18 km), or the straight line where no road
    /// leads there.
    pub distance_m: f64,
    /// A team is based here (county teams' bases lead a group of markers).
    pub team_base: bool,
}

/// The village's extent and the places left outside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Extent {
    pub village: Bounds,
    pub far: Vec<FarPlace>,
}

/// A place closer to the core than this share of the core's diagonal belongs to the
/// village (the township office across the stream does; the county town does not).
const NEAR_SHARE: f64 = 0.5;
/// ... or closer than this many metres, for a village of one hamlet.
const NEAR_MIN_M: f64 = 500.0;

fn distance_to_bounds(b: &Bounds, p: Point) -> f64 {
    let dx = (b.min.x - p.x).max(0.0).max(p.x - b.max.x);
    let dy = (b.min.y - p.y).max(0.0).max(p.y - b.max.y);
    dx.hypot(dy)
}

fn dist(a: Point, b: Point) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// The village and the far places, or `None` when the scenario has no people,
/// shelters or zones to centre on (the map then fits everything).
pub fn village_extent(sc: &Scenario) -> Option<Extent> {
    let map = &sc.map;
    let finite = |p: &Point| p.x.is_finite() && p.y.is_finite();
    let core: Vec<Point> = map
        .places
        .iter()
        .filter(|p| p.people > 0 || p.households > 0 || p.shelter.is_some())
        .map(|p| p.pos)
        .chain(map.zones.iter().flat_map(|z| z.polygon.iter().copied()))
        .filter(finite)
        .collect();
    let mut core_b = Bounds::around(*core.first()?);
    core.iter().for_each(|&p| core_b.include(p));
    let diag = dist(core_b.min, core_b.max);
    let near = (diag * NEAR_SHARE).max(NEAR_MIN_M);
    let in_village: Vec<bool> = map
        .places
        .iter()
        .map(|p| finite(&p.pos) && distance_to_bounds(&core_b, p.pos) <= near)
        .collect();
    let mut village = core_b;
    for (p, _) in map.places.iter().zip(&in_village).filter(|(_, v)| **v) {
        village.include(p.pos);
    }
    // Bends of the roads inside the village.
    for l in &map.links {
        let inside = |i: usize| in_village.get(i).copied().unwrap_or(false);
        if inside(l.from.index()) && inside(l.to.index()) {
            l.via
                .iter()
                .filter(|p| finite(p))
                .for_each(|&p| village.include(p));
        }
    }
    let road = road_distances(sc, &in_village);
    let far = map
        .places
        .iter()
        .enumerate()
        .filter(|(i, p)| !in_village[*i] && finite(&p.pos))
        .map(|(i, p)| {
            let straight = map
                .places
                .iter()
                .zip(&in_village)
                .filter(|(_, v)| **v)
                .map(|(q, _)| dist(q.pos, p.pos))
                .fold(f64::INFINITY, f64::min);
            FarPlace {
                place: i,
                distance_m: if road[i].is_finite() {
                    road[i]
                } else {
                    straight
                },
                team_base: sc.teams.iter().any(|t| t.base.index() == i),
            }
        })
        .collect();
    Some(Extent { village, far })
}

/// Shortest road distance of every place from the village places (Dijkstra over the
/// links in both directions; a few hundred places, so a plain O(n²) scan).
fn road_distances(sc: &Scenario, sources: &[bool]) -> Vec<f64> {
    let n = sc.map.places.len();
    let mut d: Vec<f64> = sources
        .iter()
        .map(|&s| if s { 0.0 } else { f64::INFINITY })
        .collect();
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for l in &sc.map.links {
        let (a, b) = (l.from.index(), l.to.index());
        let len = if l.length_m.is_finite() && l.length_m >= 0.0 {
            l.length_m
        } else {
            continue;
        };
        if a < n && b < n {
            adj[a].push((b, len));
            adj[b].push((a, len));
        }
    }
    let mut done = vec![false; n];
    loop {
        let next = (0..n)
            .filter(|&i| !done[i] && d[i].is_finite())
            .min_by(|&a, &b| d[a].total_cmp(&d[b]));
        let Some(u) = next else { break };
        done[u] = true;
        for &(v, len) in &adj[u] {
            if d[u] + len < d[v] {
                d[v] = d[u] + len;
            }
        }
    }
    d
}

/// "18 km", "850 m": a distance as a room reads it.
pub fn distance_text(m: f64) -> String {
    if m >= 10_000.0 {
        format!("{:.0} km", m / 1000.0)
    } else if m >= 1000.0 {
        format!("{:.1} km", m / 1000.0)
    } else {
        format!("{:.0} m", (m / 10.0).round() * 10.0)
    }
}

/// One marker on the map's edge for one or more far places in the same direction.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeMarker {
    /// Indices into the `far` list, the leading place first.
    pub members: Vec<usize>,
    /// Where the marker sits, on `view` shrunk by the inset.
    pub at: Pos2,
    /// Unit vector from the view's centre towards the places.
    pub dir: Vec2,
}

/// Edge markers for the far places whose screen position `screen[k]` (of `far[k]`)
/// lies outside `view`: each on the edge where the line from the view's centre to
/// it leaves the view (shrunk by `inset`), nearby markers (closer than `merge_px`)
/// merged. A group leads with a team base, then the nearest place.
pub fn edge_markers(
    far: &[FarPlace],
    screen: &[Pos2],
    view: Rect,
    inset: f32,
    merge_px: f32,
) -> Vec<EdgeMarker> {
    let inner = view.shrink(inset);
    let c = inner.center();
    let mut out: Vec<EdgeMarker> = Vec::new();
    for (k, &p) in screen.iter().enumerate().take(far.len()) {
        if !(p.x.is_finite() && p.y.is_finite()) || view.contains(p) {
            continue;
        }
        let v = p - c;
        if v.length() < 1e-3 {
            continue;
        }
        // Scale the ray so it just reaches the inner rectangle's edge.
        let sx = if v.x.abs() > 1e-6 {
            (inner.width() / 2.0) / v.x.abs()
        } else {
            f32::INFINITY
        };
        let sy = if v.y.abs() > 1e-6 {
            (inner.height() / 2.0) / v.y.abs()
        } else {
            f32::INFINITY
        };
        let at = c + v * sx.min(sy);
        match out.iter_mut().find(|m| m.at.distance(at) < merge_px) {
            Some(m) => m.members.push(k),
            None => out.push(EdgeMarker {
                members: vec![k],
                at,
                dir: v.normalized(),
            }),
        }
    }
    for m in &mut out {
        m.members.sort_by(|&a, &b| {
            far[b]
                .team_base
                .cmp(&far[a].team_base)
                .then(far[a].distance_m.total_cmp(&far[b].distance_m))
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use drill_engine::model::*;

    fn place(name: &str, x: f64, y: f64, people: u32) -> Place {
        Place {
            name: name.into(),
            pos: Point { x, y },
            people,
            households: people / 3,
            ..Default::default()
        }
    }

    fn link(from: usize, to: usize, length_m: f64) -> Link {
        Link {
            kind: LinkKind::Road,
            from: PlaceIdx(from as u32),
            to: PlaceIdx(to as u32),
            width_m: 5.0,
            length_m,
            via: vec![],
            over: None,
            span: Span::default(),
        }
    }

    /// The case from the issue: a village of about 1.5 km, the township office next to
    /// it, and the county base joined by an 18 km road (drawn 1.5 km away on the
    /// sketch). The county base is left out of the extent and measured by road.
    fn zhuyuan_like() -> Scenario {
        let mut sc = Scenario::default();
        sc.map.places = vec![
            place("上村", 500.0, 450.0, 162),
            place("溪口", 1500.0, 1230.0, 96),
            place("竹源乡政府", 1900.0, 500.0, 0),
            place("县应急指挥中心", 3400.0, 100.0, 0),
            place("县应急救援中心", 3450.0, 200.0, 0),
        ];
        sc.map.places[2].kind = PlaceKind::Office;
        sc.map.links = vec![link(0, 2, 1500.0), link(2, 3, 18_000.0), link(3, 4, 112.0)];
        sc.teams.push(Team {
            name: "县综合应急救援队".into(),
            members: 30,
            base: PlaceIdx(4),
            arrives_s: 3600.0,
            skills: vec![],
            equipment: vec![],
            span: Span::default(),
        });
        sc
    }

    #[test]
    fn the_county_base_is_far_and_measured_by_road() {
        let e = village_extent(&zhuyuan_like()).unwrap();
        assert_eq!(e.village.min, Point { x: 500.0, y: 450.0 });
        assert_eq!(
            e.village.max,
            Point {
                x: 1900.0,
                y: 1230.0
            },
            "the township office belongs to the village"
        );
        let far: Vec<(usize, f64, bool)> = e
            .far
            .iter()
            .map(|f| (f.place, f.distance_m, f.team_base))
            .collect();
        assert_eq!(far, vec![(3, 18_000.0, false), (4, 18_112.0, true)]);
        assert_eq!(distance_text(18_112.0), "18 km");
        assert_eq!(distance_text(2_345.0), "2.3 km");
        assert_eq!(distance_text(847.0), "850 m");
    }

    #[test]
    fn a_far_place_without_a_road_is_measured_in_a_straight_line() {
        let mut sc = zhuyuan_like();
        sc.map.links.clear();
        let e = village_extent(&sc).unwrap();
        // From 竹源乡政府 (1900, 500) to (3400, 100).
        assert!((e.far[0].distance_m - 1500f64.hypot(400.0)).abs() < 1e-6);
    }

    #[test]
    fn no_people_shelters_or_zones_means_no_village() {
        let mut sc = Scenario::default();
        sc.map.places.push(place("路口", 0.0, 0.0, 0));
        assert_eq!(village_extent(&sc), None);
    }

    #[test]
    fn off_screen_places_become_merged_edge_markers() {
        let view = Rect::from_min_max(Pos2::ZERO, Pos2::new(800.0, 600.0));
        let far = vec![
            FarPlace {
                place: 3,
                distance_m: 18_000.0,
                team_base: false,
            },
            FarPlace {
                place: 4,
                distance_m: 18_112.0,
                team_base: true,
            },
            FarPlace {
                place: 5,
                distance_m: 900.0,
                team_base: false,
            },
            FarPlace {
                place: 6,
                distance_m: 100.0,
                team_base: false,
            },
        ];
        let screen = [
            Pos2::new(2000.0, 300.0), // far east
            Pos2::new(2010.0, 310.0), // next to it
            Pos2::new(400.0, -900.0), // north
            Pos2::new(400.0, 300.0),  // on screen: no marker
        ];
        let m = edge_markers(&far, &screen, view, 20.0, 60.0);
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(m[0].members, vec![1, 0], "the team base leads");
        assert!((m[0].at.x - 780.0).abs() < 0.5 && (m[0].at.y - 300.0).abs() < 2.0);
        assert!(m[0].dir.x > 0.99);
        assert_eq!(m[1].members, vec![2]);
        assert!((m[1].at.y - 20.0).abs() < 0.5 && view.contains(m[1].at));
    }
}
