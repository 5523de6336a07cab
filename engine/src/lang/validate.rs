//! Pass 2: syntax tree to [`Scenario`] (and `actions` logs to [`ActionLog`]).
//!
//! Statements are read with a small cursor over each line's nodes; every value is
//! converted to SI units, every name is resolved to an index, and every problem is
//! recorded: the pass never stops at the first one. Blocks are read in dependency
//! order (map, roles, resources, teams, hazards, plan, injects, scoring) whatever
//! their order in the file, so a name may be used before the block that defines it.
//! Semantic checks (capacities, quantities, deadlines, cycles) run once everything is
//! resolved. A scenario is returned only when there is no error.

use super::diagnostic::Diagnostic;
use super::keywords::{self, is, which};
use super::syntax::{Node, NodeKind, SyntaxFile, lines};
use crate::hazard::fire::fuel::FuelCatalog;
use crate::hazard::plume::find_substance;
use crate::hazard::raster::{MAX_ELEVATION_M, plausible_elevation};
use crate::limits::{self, MAX_DURATION_S, MAX_STEP_S, MIN_STEP_S, Range};
use crate::model::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::BuildHasherDefault;

/// What a quantity measures; each unit belongs to one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    Length,
    Time,
    Speed,
    Rain,
    Discharge,
    MassRate,
    Mass,
    Percent,
    Angle,
}

impl Dim {
    fn units(self) -> &'static str {
        match self {
            Dim::Length => "m, km, cm, mm",
            Dim::Time => "s, min, h, d",
            Dim::Speed => "m/s, km/h, mph",
            Dim::Rain => "mm/h",
            Dim::Discharge => "m3/s",
            Dim::MassRate => "kg/s, g/s",
            Dim::Mass => "kg, g, t",
            Dim::Percent => "%",
            Dim::Angle => "deg",
        }
    }
    fn example(self) -> &'static str {
        match self {
            Dim::Length => "m",
            Dim::Time => "min",
            Dim::Speed => "m/s",
            Dim::Rain => "mm/h",
            Dim::Discharge => "m3/s",
            Dim::MassRate => "kg/s",
            Dim::Mass => "kg",
            Dim::Percent => "%",
            Dim::Angle => "deg",
        }
    }
    fn zh(self) -> &'static str {
        match self {
            Dim::Length => "长度",
            Dim::Time => "时间",
            Dim::Speed => "速度",
            Dim::Rain => "雨强",
            Dim::Discharge => "流量",
            Dim::MassRate => "泄漏速率",
            Dim::Mass => "质量",
            Dim::Percent => "百分比",
            Dim::Angle => "角度",
        }
    }
}

/// The dimension of a unit and its factor to SI.
pub fn unit_info(unit: &str) -> Option<(Dim, f64)> {
    Some(match unit {
        "m" => (Dim::Length, 1.0),
        "km" => (Dim::Length, 1000.0),
        "cm" => (Dim::Length, 0.01),
        "mm" => (Dim::Length, 0.001),
        "s" => (Dim::Time, 1.0),
        "min" => (Dim::Time, 60.0),
        "h" => (Dim::Time, 3600.0),
        "d" => (Dim::Time, 86_400.0),
        "m/s" => (Dim::Speed, 1.0),
        "km/h" => (Dim::Speed, 1.0 / 3.6),
        "mph" => (Dim::Speed, 0.44704),
        "mm/h" => (Dim::Rain, 1.0),
        "m3/s" => (Dim::Discharge, 1.0),
        "kg/s" => (Dim::MassRate, 1.0),
        "g/s" => (Dim::MassRate, 0.001),
        "kg" => (Dim::Mass, 1.0),
        "g" => (Dim::Mass, 0.001),
        "t" => (Dim::Mass, 1000.0),
        "%" => (Dim::Percent, 1.0),
        "deg" => (Dim::Angle, 1.0),
        _ => return None,
    })
}

/// One statement: the meaningful nodes of a line, and the file they come from.
struct Cur<'a> {
    file: u32,
    nodes: Vec<&'a Node<'a>>,
    pos: usize,
}

impl<'a> Cur<'a> {
    fn new(file: u32, nodes: Vec<&'a Node<'a>>) -> Self {
        Cur {
            file,
            nodes,
            pos: 0,
        }
    }
    fn peek(&self) -> Option<&'a Node<'a>> {
        self.nodes.get(self.pos).copied()
    }
    fn next(&mut self) -> Option<&'a Node<'a>> {
        let n = self.peek();
        if n.is_some() {
            self.pos += 1;
        }
        n
    }
    fn done(&self) -> bool {
        self.pos >= self.nodes.len()
    }
    fn peek_word(&self) -> Option<&'a str> {
        self.peek().and_then(|n| n.word())
    }
    fn peek_kw(&self, kw: &str) -> bool {
        self.peek_word().is_some_and(|w| is(w, kw))
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        let yes = self.peek_kw(kw);
        if yes {
            self.pos += 1;
        }
        yes
    }
    fn span_of(&self, n: &Node) -> Span {
        Span {
            file: self.file,
            start: n.span.start,
            end: n.span.end,
        }
    }
    /// Where the next node is, or just after the last one at the end of the line.
    fn here(&self) -> Span {
        match self.peek() {
            Some(n) => self.span_of(n),
            None => self.nodes.last().map_or(
                Span {
                    file: self.file,
                    start: 0,
                    end: 0,
                },
                |n| Span {
                    file: self.file,
                    start: n.span.end,
                    end: n.span.end,
                },
            ),
        }
    }
    fn whole(&self) -> Span {
        match (self.nodes.first(), self.nodes.last()) {
            (Some(a), Some(b)) => Span {
                file: self.file,
                start: a.span.start,
                end: b.span.end,
            },
            _ => Span {
                file: self.file,
                start: 0,
                end: 0,
            },
        }
    }
}

/// Name to index. Hashed (FNV-1a), as lookups were the largest part of validation
/// with ordered maps of `String`s; never iterated except through [`sorted_names`],
/// so no hash order reaches a message.
type NameTable = HashMap<String, u32, BuildHasherDefault<keywords::Fnv>>;

/// A table's names in byte order (the order did-you-mean suggestions are chosen in).
fn sorted_names(table: &NameTable) -> Vec<&str> {
    let mut names: Vec<&str> = table.keys().map(String::as_str).collect();
    names.sort_unstable();
    names
}

/// Name tables: name to index, for resolving references without quadratic scans.
#[derive(Default)]
struct Names {
    places: NameTable,
    rivers: NameTable,
    zones: NameTable,
    roles: NameTable,
    teams: NameTable,
    resources: NameTable,
    tasks: NameTable,
    /// (kind, from, to) with from/to sorted, so either direction finds the link.
    links: BTreeMap<(u8, u32, u32), u32>,
}

fn link_key(kind: LinkKind, a: PlaceIdx, b: PlaceIdx) -> (u8, u32, u32) {
    (kind as u8, a.0.min(b.0), a.0.max(b.0))
}

impl Names {
    fn from_scenario(s: &Scenario) -> Names {
        let mut n = Names::default();
        let idx = |v: &mut NameTable, names: Vec<&String>| {
            for (i, name) in names.into_iter().enumerate() {
                v.entry(name.clone()).or_insert(i as u32);
            }
        };
        idx(
            &mut n.places,
            s.map.places.iter().map(|p| &p.name).collect(),
        );
        idx(
            &mut n.rivers,
            s.map.rivers.iter().map(|p| &p.name).collect(),
        );
        idx(&mut n.zones, s.map.zones.iter().map(|p| &p.name).collect());
        idx(&mut n.roles, s.roles.iter().map(|p| &p.name).collect());
        idx(&mut n.teams, s.teams.iter().map(|p| &p.name).collect());
        idx(
            &mut n.resources,
            s.resources.iter().map(|p| &p.name).collect(),
        );
        idx(&mut n.tasks, s.plan.tasks.iter().map(|p| &p.id).collect());
        for (i, l) in s.map.links.iter().enumerate() {
            n.links
                .entry(link_key(l.kind, l.from, l.to))
                .or_insert(i as u32);
        }
        n
    }
}

struct V {
    diags: Vec<Diagnostic>,
    names: Names,
    s: Scenario,
    /// Seconds of day of the drill start, for clock times.
    start_of_day_s: f64,
    /// Plan tasks' `when inject N`, checked once injects are read.
    inject_refs: Vec<(u32, Span)>,
    /// Dependency edges between tasks (before, after) for the cycle check.
    edges: Vec<(u32, u32)>,
    /// Where each scenario item was declared, for messages about duplicates.
    task_spans: Vec<Span>,
}

/// A top-level block: its file, its body, and its header line (keyword and words
/// before the `{`).
type Block<'a> = (u32, &'a [Node<'a>], Cur<'a>);

/// Whether `year-month-day` exists in the proleptic Gregorian calendar.
fn calendar_date_exists(year: i32, month: u8, day: u8) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

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

/// What lies off the terrain, for an inline grid (called by [`validate`]) and for a
/// heightmap once it is read (called by `drill check`):
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

/// W0009: a plan task that warns or orders people by loudspeaker (大喇叭) where no
/// loudspeaker reaches. The simulation lets a loudspeaker warn only the households
/// within its `radius` of it (the ones the task names under `with`, or else every
/// loudspeaker in the scenario), so a populated place of the task's target beyond all
/// of them hears nothing by that channel: a gap in the plan a trainer wants to see
/// before the drill, not in its report. Loudspeakers without a `radius` get the
/// simulation's default, which the scenario language does not know, so a task that may
/// use one is not checked.
pub fn out_of_loudspeaker_reach(s: &Scenario) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for task in &s.plan.tasks {
        let order = LoudspeakerOrder {
            how: &task.how,
            work: &task.work,
            with: &task.with,
        };
        for gap in loudspeaker_gaps(s, order) {
            let place = gap.place;
            let subject = (format!("任务 {}", task.id), format!("task {}", task.id));
            diags.push(
                gap.warning(task.span, subject, ("", ""))
                    .secondary(gap.nearest.span, "nearest loudspeaker")
                    .help(format!(
                        "add a loudspeaker that reaches {place} (e.g. `{place}广播 大喇叭 位于 {place} 半径 600m` / `… loudspeaker at {place} radius 600m`){with}, or warn {place} by another channel / 在{place}增设大喇叭,或改用其他渠道",
                        with = if gap.named_any { " and list it under the task's `with`" } else { "" },
                    )),
            );
        }
    }
    diags
}

/// W0009 for a logged action: what a participant did by loudspeaker where none
/// reaches. The log is a record, not a plan to mend, so the warning says what follows
/// from it: the simulation warns nobody there by that channel, and the report counts
/// them unwarned unless another channel reached them. The loudspeaker is named, not
/// marked: its line is in the scenario, not in the log the diagnostic is shown with.
pub fn logged_out_of_loudspeaker_reach(s: &Scenario, log: &ActionLog) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for action in &log.actions {
        let order = LoudspeakerOrder {
            how: &action.how,
            work: &action.work,
            with: &action.with,
        };
        for gap in loudspeaker_gaps(s, order) {
            let place = gap.place;
            let subject = ("该行动".to_string(), "this action".to_string());
            let consequence = (
                format!(":推演中 {place} 无人由此听到"),
                ": in the run nobody there hears it".to_string(),
            );
            diags.push(gap.warning(action.span, subject, consequence).help(format!(
                "the report counts {place} unwarned unless another channel (SMS, door knocking) reached it; raise this in the debrief / 复盘时指出:除非其他渠道送达,{place} 计为未预警"
            )));
        }
    }
    diags
}

/// A populated place that an order by loudspeaker does not reach.
struct LoudspeakerGap<'a> {
    place: &'a str,
    /// The order's loudspeaker nearest to the place, its distance and radius, metres.
    nearest: &'a Resource,
    distance_m: f64,
    radius_m: f64,
    /// Whether the order names a loudspeaker under `with`.
    named_any: bool,
}

impl LoudspeakerGap<'_> {
    /// W0009 at `span`: `subject` (Chinese, English) warns by loudspeaker, but none
    /// reaches the place, and then `consequence`.
    fn warning(
        &self,
        span: Span,
        (subject_zh, subject_en): (String, String),
        (then_zh, then_en): (impl AsRef<str>, impl AsRef<str>),
    ) -> Diagnostic {
        let (place, nearest) = (self.place, &self.nearest.name);
        let (distance, radius) = (self.distance_m, self.radius_m);
        let (then_zh, then_en) = (then_zh.as_ref(), then_en.as_ref());
        Diagnostic::warning(
            "W0009",
            span,
            format!(
                "{subject_zh} 用大喇叭,但 {place} 不在任何大喇叭的范围内 (最近的 {nearest} 距 {distance} 米,半径 {radius} 米){then_zh}"
            ),
            format!(
                "{subject_en} warns by loudspeaker, but no loudspeaker reaches {place} (the nearest, {nearest}, is {distance} m away with a {radius} m radius){then_en}"
            ),
        )
        .label("no loudspeaker reaches every place it warns")
    }
}

/// A plan task's or a logged action's warning or order, as far as loudspeakers go.
#[derive(Clone, Copy)]
struct LoudspeakerOrder<'a> {
    how: &'a [Channel],
    work: &'a Work,
    with: &'a [ResourceUse],
}

/// The populated places of the order's target that none of its loudspeakers reaches.
fn loudspeaker_gaps<'a>(s: &'a Scenario, order: LoudspeakerOrder) -> Vec<LoudspeakerGap<'a>> {
    let mut gaps = Vec::new();
    if !order.how.contains(&Channel::Loudspeaker) {
        return gaps;
    }
    let target = match order.work {
        Work::Warn(t) | Work::ShelterInPlace(t) | Work::KnockDoors(t) => *t,
        Work::Evacuate { from, .. } => *from,
        _ => return gaps,
    };
    let speakers = s.loudspeakers_for(order.with);
    let named_any = order.with.iter().any(|u| {
        s.resources
            .get(u.resource.index())
            .is_some_and(|r| r.kind == ResourceKind::Loudspeaker)
    });
    // No loudspeaker at all is refused by the simulation with its own message.
    let Some(reach) = speakers
        .iter()
        .map(|r| {
            let at = s.map.places.get(r.at.index())?;
            Some((*r, at.pos, r.radius_m?))
        })
        .collect::<Option<Vec<_>>>()
        .filter(|v| !v.is_empty())
    else {
        return gaps;
    };
    for place in places_of(s, target) {
        let populated = place.households > 0 || place.people > 0;
        if !populated || place.shelter.is_some() {
            continue;
        }
        if reach
            .iter()
            .any(|(_, at, radius)| at.distance(place.pos) <= *radius)
        {
            continue;
        }
        let (nearest, at, radius) = reach
            .iter()
            .min_by(|a, b| a.1.distance(place.pos).total_cmp(&b.1.distance(place.pos)))
            .copied()
            .expect("reach is not empty");
        let distance = at.distance(place.pos).round();
        gaps.push(LoudspeakerGap {
            place: &place.name,
            nearest,
            distance_m: distance,
            radius_m: radius,
            named_any,
        });
    }
    gaps
}

/// The places a task's target covers: the place itself, or the places inside the zone
/// or on the whole map other than shelters (whose people are not the ones warned or
/// moved).
fn places_of(s: &Scenario, target: Target) -> Vec<&Place> {
    match target {
        Target::Place(p) => vec![s.place(p)],
        Target::Zone(z) => {
            let zone = s.zone(z);
            s.map
                .places
                .iter()
                .filter(|p| p.shelter.is_none() && zone.contains(p.pos))
                .collect()
        }
        Target::All => s
            .map
            .places
            .iter()
            .filter(|p| p.shelter.is_none())
            .collect(),
    }
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

/// Validates parsed files (`files[0]` is the main file) into a scenario.
pub fn validate(files: &[(u32, &SyntaxFile)]) -> (Option<Scenario>, Vec<Diagnostic>) {
    let mut v = V {
        diags: Vec::new(),
        names: Names::default(),
        s: Scenario::default(),
        start_of_day_s: 0.0,
        inject_refs: Vec::new(),
        edges: Vec::new(),
        task_spans: Vec::new(),
    };
    // Gather top-level blocks by kind; included files merge into the same lists.
    let mut by_kind: BTreeMap<&'static str, Vec<Block<'_>>> = BTreeMap::new();
    const TOP: &[&str] = &[
        "include",
        "scenario",
        "map",
        "roles",
        "resources",
        "teams",
        "hazard",
        "plan",
        "injects",
        "scoring",
        "actions",
    ];
    for (i, (file, tree)) in files.iter().enumerate() {
        for line in lines(&tree.nodes) {
            let mut cur = Cur::new(*file, line);
            let Some(first) = cur.next() else { continue };
            let kw = first.word().and_then(|w| which(w, TOP));
            let kw = kw.or_else(|| {
                v.unknown_keyword(
                    &cur,
                    first,
                    TOP,
                    "a block keyword such as scenario, map, roles, plan",
                )
            });
            let Some(kw) = kw else { continue };
            if kw == "include" {
                continue; // resolved by `check` before validation
            }
            if kw == "actions" {
                v.diags.push(
                    Diagnostic::error(
                        "E0120",
                        cur.span_of(first),
                        "行动记录应放在单独的文件中",
                        "an `actions` block belongs in a separate log file, not in a scenario",
                    )
                    .help("move it to its own file and check it with the scenario"),
                );
                continue;
            }
            if kw == "scenario" && i > 0 {
                v.diags.push(
                    Diagnostic::error(
                        "E0121",
                        cur.span_of(first),
                        "被引用的文件不能包含 scenario 块",
                        "an included file may not contain a `scenario` block",
                    )
                    .help("keep `scenario` in the main file only"),
                );
                continue;
            }
            let body = match cur.nodes.last().map(|n| &n.kind) {
                Some(NodeKind::Block(b)) => b.as_slice(),
                _ => {
                    v.diags.push(
                        Diagnostic::error(
                            "E0122",
                            cur.here(),
                            format!("`{}` 后面缺少 {{ ... }}", first.word().unwrap_or("")),
                            format!(
                                "`{}` needs a block `{{ ... }}` on the same line",
                                first.word().unwrap_or("")
                            ),
                        )
                        .help("write the opening `{` at the end of this line / 在本行末尾写 `{`"),
                    );
                    continue;
                }
            };
            cur.nodes.pop();
            by_kind.entry(kw).or_default().push((*file, body, cur));
        }
    }
    // An included file may add to `map`/`roles`/`resources`/`teams` (shared county
    // resources), but one file writing the same block twice is a slip: merge them.
    for kw in ["map", "roles", "resources", "teams"] {
        let mut seen = BTreeSet::new();
        for (file, _, cur) in by_kind.get(kw).map(Vec::as_slice).unwrap_or_default() {
            if !seen.insert(*file) {
                v.duplicate_block(cur, kw);
            }
        }
    }
    let mut take = |k: &str| by_kind.remove(k).unwrap_or_default();
    let scenario = take("scenario");
    let map = take("map");
    let roles = take("roles");
    let resources = take("resources");
    let teams = take("teams");
    let hazards = take("hazard");
    let plans = take("plan");
    let injects = take("injects");
    let scoring = take("scoring");

    match scenario.as_slice() {
        [] => {
            let at = Span {
                file: files.first().map_or(0, |f| f.0),
                start: 0,
                end: 0,
            };
            v.diags.push(Diagnostic::error("E0123", at, "缺少 scenario 块", "the file has no `scenario` block").help("start the file with `scenario \"标题\" { id ... start ... duration ... seed ... }`"));
        }
        [first, rest @ ..] => {
            for (_, _, cur) in rest {
                v.duplicate_block(cur, "scenario");
            }
            v.scenario(first);
        }
    }
    v.map(&map);
    for (file, body, cur) in &roles {
        v.expect_header_end(cur, 1);
        v.each_line(*file, body, V::role);
    }
    for (file, body, cur) in &resources {
        v.expect_header_end(cur, 1);
        v.each_line(*file, body, V::resource);
    }
    for (file, body, cur) in &teams {
        v.expect_header_end(cur, 1);
        v.each_line(*file, body, V::team);
    }
    for h in &hazards {
        v.hazard(h);
    }
    for (i, p) in plans.iter().enumerate() {
        if i > 0 {
            v.duplicate_block(&p.2, "plan");
        }
        v.plan(p);
    }
    for (i, (file, body, cur)) in injects.iter().enumerate() {
        if i > 0 {
            v.duplicate_block(cur, "injects");
        }
        v.injects(*file, body);
    }
    for (i, p) in scoring.iter().enumerate() {
        if i > 0 {
            v.duplicate_block(&p.2, "scoring");
        }
        v.scoring(p);
    }
    // A heightmap's extent is known only once `io` has read it: `drill check` calls
    // [`off_the_terrain`] itself then.
    if let Some(extent) = TerrainExtent::of_inline_grid(&v.s) {
        v.diags.extend(off_the_terrain(&v.s, extent));
    }
    v.semantic_checks();
    let has_error = v.diags.iter().any(|d| d.is_error());
    (if has_error { None } else { Some(v.s) }, v.diags)
}

/// Validates an `actions` log against a scenario.
pub fn validate_actions(
    scenario: &Scenario,
    file: u32,
    tree: &SyntaxFile,
) -> (Option<ActionLog>, Vec<Diagnostic>) {
    let mut v = V {
        diags: Vec::new(),
        names: Names::from_scenario(scenario),
        s: scenario.clone(),
        start_of_day_s: scenario.header.start.seconds_of_day(),
        inject_refs: Vec::new(),
        edges: Vec::new(),
        task_spans: Vec::new(),
    };
    let mut log = ActionLog::default();
    let mut seen = false;
    for line in lines(&tree.nodes) {
        let mut cur = Cur::new(file, line);
        let Some(first) = cur.next() else { continue };
        if !first.word().is_some_and(|w| is(w, "actions")) {
            v.unknown_keyword(&cur, first, &["actions"], "`actions`");
            continue;
        }
        if seen {
            v.duplicate_block(&cur, "actions");
        }
        seen = true;
        if let Some((id, span)) = v.name(&mut cur, "the scenario id") {
            if id != scenario.header.id {
                v.diags.push(
                    Diagnostic::error(
                        "E0130",
                        span,
                        format!("记录属于场景 `{id}`,不是 `{}`", scenario.header.id),
                        format!(
                            "this log is for scenario `{id}`, not `{}`",
                            scenario.header.id
                        ),
                    )
                    .help("check that the log and the scenario belong together"),
                );
            }
            log.scenario_id = id;
        }
        let Some(NodeKind::Block(body)) = cur.next().map(|n| &n.kind) else {
            v.diags.push(
                Diagnostic::error(
                    "E0122",
                    cur.here(),
                    "`actions` 后面缺少 { ... }",
                    "`actions ID` needs a block `{ ... }`",
                )
                .help("write `actions ID {` and one action per line"),
            );
            continue;
        };
        for line in lines(body) {
            let mut c = Cur::new(file, line);
            if v.is_trainer_line(&c) {
                if let Some(command) = v.inject_command(&mut c) {
                    log.inject_commands.push(command);
                }
            } else if let Some(a) = v.action(&mut c) {
                log.actions.push(a);
            }
        }
    }
    v.inject_commands_once(&log.inject_commands);
    v.diags
        .extend(logged_out_of_loudspeaker_reach(scenario, &log));
    if !seen {
        v.diags.push(
            Diagnostic::error(
                "E0131",
                Span {
                    file,
                    start: 0,
                    end: 0,
                },
                "缺少 actions 块",
                "the log has no `actions` block",
            )
            .help("write `actions SCENARIO-ID { 20:07 ROLE VERB ... }`"),
        );
    }
    let has_error = v.diags.iter().any(|d| d.is_error());
    (if has_error { None } else { Some(log) }, v.diags)
}

const UNKNOWN: u32 = u32::MAX;

impl V {
    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn duplicate_block(&mut self, cur: &Cur<'_>, kw: &str) {
        self.err(
            Diagnostic::error(
                "E0124",
                cur.whole(),
                format!("`{kw}` 块只能出现一次"),
                format!("a second `{kw}` block; there may be only one"),
            )
            .help("merge the two blocks into one / 合并为一个块"),
        );
    }

    fn each_line<'a>(&mut self, file: u32, body: &'a [Node<'a>], f: fn(&mut V, &mut Cur<'a>)) {
        for line in lines(body) {
            let mut cur = Cur::new(file, line);
            f(self, &mut cur);
        }
    }

    /// Reports `node` where one of `expected` keywords should be, with the nearest
    /// spelling as a suggestion.
    fn unknown_keyword(
        &mut self,
        cur: &Cur<'_>,
        node: &Node,
        expected: &[&'static str],
        what: &str,
    ) -> Option<&'static str> {
        let found = node.describe();
        let mut d = Diagnostic::error(
            "E0125",
            cur.span_of(node),
            format!("无法识别 {found}"),
            format!("expected {what}, found {found}"),
        )
        .label("not understood here");
        let suggestion = node
            .word()
            .and_then(|w| keywords::nearest(w, keywords::spellings(expected)));
        d = match suggestion {
            Some(s) => d.help(format!("did you mean `{s}`? / 是否应为 `{s}`?")),
            None => d.help(format!(
                "expected one of: {} / 可用: {}",
                expected.join(", "),
                keywords::spellings(expected)
                    .iter()
                    .filter(|w| keywords::is_chinese(w))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
        };
        self.err(d);
        // Read on as if the suggestion had been written, so one typo does not
        // cascade into errors about everything the statement declares.
        suggestion.and_then(|s| expected.iter().copied().find(|kw| is(s, kw)))
    }

    /// After a block header (`roles`), only the block itself is expected.
    fn expect_header_end(&mut self, cur: &Cur<'_>, consumed: usize) {
        if let Some(extra) = cur.nodes.get(consumed) {
            let span = cur.span_of(extra);
            self.err(
                Diagnostic::error(
                    "E0126",
                    span,
                    format!("多余的 {}", extra.describe()),
                    format!("unexpected {} before `{{`", extra.describe()),
                )
                .help("remove it"),
            );
        }
    }

    fn expected(&mut self, cur: &Cur<'_>, what_zh: &str, what_en: &str, help: &str) {
        let found = cur
            .peek()
            .map_or("the end of the line".to_string(), |n| n.describe());
        self.err(
            Diagnostic::error(
                "E0127",
                cur.here(),
                format!("此处应为{what_zh}"),
                format!("expected {what_en}, found {found}"),
            )
            .label(format!("expected {what_en}"))
            .help(help.to_string()),
        );
    }

    /// Reports anything left on the line after a statement was read.
    fn finish(&mut self, cur: &Cur<'_>) {
        if let Some(n) = cur.peek() {
            let span = cur.span_of(n);
            self.err(
                Diagnostic::error(
                    "E0128",
                    span,
                    format!("多余的 {}", n.describe()),
                    format!("unexpected {} at the end of the statement", n.describe()),
                )
                .label("not understood")
                .help(
                    "remove it, or start a new line for a new statement / 删除它,或换行写新的语句",
                ),
            );
        }
    }

    fn name(&mut self, cur: &mut Cur<'_>, what: &str) -> Option<(String, Span)> {
        self.name_ref(cur, what)
            .map(|(name, span)| (name.to_string(), span))
    }

    /// A name as written, borrowed from the tree: for looking a name up, where an
    /// owned copy would be allocated only to be dropped.
    fn name_ref<'a>(&mut self, cur: &mut Cur<'a>, what: &str) -> Option<(&'a str, Span)> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::Word(w)) => {
                let n = cur.next()?;
                Some((w, cur.span_of(n)))
            }
            Some(NodeKind::Str { value, .. }) => {
                let n = cur.next()?;
                Some((value, cur.span_of(n)))
            }
            _ => {
                self.expected(
                    cur,
                    &format!("名称({what})"),
                    &format!("a name ({what})"),
                    "write a name; quote it if it has spaces or starts with a digit: \"3号桥\"",
                );
                None
            }
        }
    }

    fn string(&mut self, cur: &mut Cur<'_>, what: &str) -> Option<String> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::Str { value, .. }) => {
                cur.next();
                Some(value.to_string())
            }
            _ => {
                self.expected(
                    cur,
                    &format!("带引号的文字({what})"),
                    &format!("a quoted text ({what})"),
                    "write the text in double quotes: \"...\"",
                );
                None
            }
        }
    }

    fn quantity_of(&mut self, cur: &Cur<'_>, node: &Node, dim: Dim) -> Option<f64> {
        let NodeKind::Quantity { value, text, unit } = &node.kind else {
            self.err(
                Diagnostic::error(
                    "E0301",
                    cur.span_of(node),
                    format!("此处应为带单位的{},如 10{}", dim.zh(), dim.example()),
                    format!(
                        "expected a {:?} quantity like 10{}, found {}",
                        dim,
                        dim.example(),
                        node.describe()
                    )
                    .to_lowercase(),
                )
                .help(format!("units: {}", dim.units())),
            );
            return None;
        };
        match unit.as_deref() {
            None => {
                self.err(
                    Diagnostic::error(
                        "E0302",
                        cur.span_of(node),
                        format!("{text} 后缺少单位,如 {text}{}", dim.example()),
                        format!("expected a unit after {text}, like {text}{}", dim.example()),
                    )
                    .label("unit missing")
                    .help(format!(
                        "write the unit right after the number; units for {}: {} / 可用单位: {}",
                        format!("{dim:?}").to_lowercase(),
                        dim.units(),
                        dim.units()
                    )),
                );
                None
            }
            Some(u) => match unit_info(u) {
                Some((d, f)) if d == dim => Some(value * f),
                Some((d, _)) => {
                    self.err(
                        Diagnostic::error(
                            "E0303",
                            cur.span_of(node),
                            format!("单位 {u} 是{},此处需要{}", d.zh(), dim.zh()),
                            format!(
                                "`{u}` measures {}, but a {} is needed here",
                                format!("{d:?}").to_lowercase(),
                                format!("{dim:?}").to_lowercase()
                            ),
                        )
                        .label("wrong kind of unit")
                        .help(format!("use one of: {}", dim.units())),
                    );
                    None
                }
                None => None,
            },
        }
    }

    fn quantity(&mut self, cur: &mut Cur<'_>, dim: Dim) -> Option<f64> {
        match cur.peek() {
            Some(n) => {
                cur.next();
                self.quantity_of(cur, n, dim)
            }
            None => {
                self.expected(
                    cur,
                    &format!("{}(如 10{})", dim.zh(), dim.example()),
                    &format!("a quantity like 10{}", dim.example()),
                    &format!("units: {}", dim.units()),
                );
                None
            }
        }
    }

    /// A plain number (no unit).
    fn number(&mut self, cur: &mut Cur<'_>, what: &str) -> Option<f64> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::Quantity {
                value, unit: None, ..
            }) => {
                cur.next();
                Some(*value)
            }
            Some(NodeKind::Quantity {
                unit: Some(u),
                text,
                ..
            }) => {
                let span = cur.here();
                self.err(
                    Diagnostic::error(
                        "E0304",
                        span,
                        format!("{what} 是不带单位的数"),
                        format!("{what} is a plain number; `{text}{u}` has a unit"),
                    )
                    .help(format!("write just {text}")),
                );
                cur.next();
                None
            }
            _ => {
                self.expected(
                    cur,
                    &format!("数字({what})"),
                    &format!("a number ({what})"),
                    "write a number like 12",
                );
                None
            }
        }
    }

    fn count(&mut self, cur: &mut Cur<'_>, what: &str) -> Option<u32> {
        let span = cur.here();
        let n = self.number(cur, what)?;
        if n < 0.0 || n.fract() != 0.0 || n > f64::from(u32::MAX) {
            self.err(
                Diagnostic::error(
                    "E0305",
                    span,
                    format!("{what} 应为非负整数"),
                    format!("{what} must be a whole number, 0 or more"),
                )
                .help("write a whole number like 12"),
            );
            return None;
        }
        Some(n as u32)
    }

    fn percent(&mut self, cur: &mut Cur<'_>) -> Option<f64> {
        let span = cur.here();
        let p = self.quantity(cur, Dim::Percent)?;
        if !(0.0..=100.0).contains(&p) {
            self.err(
                Diagnostic::error(
                    "E0306",
                    span,
                    "百分比应在 0% 到 100% 之间",
                    "a percentage must be between 0% and 100%",
                )
                .help("write a value like 100%"),
            );
        }
        Some(p)
    }

    /// E0317 when `value`, written at `span`, is outside `range`: a quantity no real
    /// drill has (a negative deadline, a road 0 m wide). The value is kept, so that
    /// nothing depending on it reports a second error.
    fn in_range(
        &mut self,
        value: Option<f64>,
        span: Span,
        what: &str,
        range: Range,
    ) -> Option<f64> {
        if let Some(v) = value
            && !range.contains(v)
        {
            self.err(
                Diagnostic::error(
                    "E0317",
                    span,
                    format!("{what} 应{}", range.zh),
                    format!("{what} must be {}", range.en),
                )
                .help("see the table of limits in docs/LANGUAGE.md / 取值范围见 docs/LANGUAGE.md"),
            );
        }
        value
    }

    /// A quantity within `range` (see `in_range`).
    fn quantity_in(
        &mut self,
        cur: &mut Cur<'_>,
        dim: Dim,
        what: &str,
        range: Range,
    ) -> Option<f64> {
        let span = cur.here();
        let value = self.quantity(cur, dim);
        self.in_range(value, span, what, range)
    }

    /// A plain number within `range` (see `in_range`).
    fn number_in(&mut self, cur: &mut Cur<'_>, what: &str, range: Range) -> Option<f64> {
        let span = cur.here();
        let value = self.number(cur, what);
        self.in_range(value, span, what, range)
    }

    fn point(&mut self, cur: &mut Cur<'_>) -> Option<Point> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::Point { x, y, .. }) => {
                cur.next();
                Some(Point { x: *x, y: *y })
            }
            _ => {
                self.expected(
                    cur,
                    "坐标点,如 (120, 80)",
                    "a point like (120, 80)",
                    "write metres east and south of the map origin: (x, y)",
                );
                None
            }
        }
    }

    /// A time: a clock time `20:30` (next day when before the start) or `+45min`.
    fn time(&mut self, cur: &mut Cur<'_>) -> Option<f64> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::Time { hour, minute }) => {
                cur.next();
                // The parser already reported a time such as 25:70 (E0115); giving it
                // no value keeps follow-on warnings (W0004 "after the end") quiet.
                if *hour > 23 || *minute > 59 {
                    return None;
                }
                let of_day = f64::from(*hour) * 3600.0 + f64::from(*minute) * 60.0;
                let mut t = of_day - self.start_of_day_s;
                if t < 0.0 {
                    t += 86_400.0;
                }
                Some(t)
            }
            Some(NodeKind::Offset { value, unit, text }) => {
                let n = cur.next()?;
                let q = Node {
                    kind: NodeKind::Quantity {
                        value: *value,
                        text: text.clone(),
                        unit: unit.clone(),
                    },
                    span: n.span,
                };
                self.quantity_of(cur, &q, Dim::Time)
            }
            _ => {
                self.expected(
                    cur,
                    "时刻,如 20:00 或 +45min",
                    "a time like 20:00 or +45min",
                    "write a clock time (20:00) or an offset from the start (+45min)",
                );
                None
            }
        }
    }

    fn level(&mut self, cur: &mut Cur<'_>) -> Option<RiskLevel> {
        self.choice(
            cur,
            &["red", "orange", "yellow", "blue"],
            "a level (red, orange, yellow, blue / 红 橙 黄 蓝)",
        )
        .map(|k| match k {
            "red" => RiskLevel::Red,
            "orange" => RiskLevel::Orange,
            "yellow" => RiskLevel::Yellow,
            _ => RiskLevel::Blue,
        })
    }

    fn hazard_kind(&mut self, cur: &mut Cur<'_>) -> Option<HazardKind> {
        self.choice(
            cur,
            &["flood", "fire", "chemical"],
            "a hazard kind (flood, fire, chemical / 洪水 火灾 危化)",
        )
        .map(|k| match k {
            "flood" => HazardKind::Flood,
            "fire" => HazardKind::ForestFire,
            _ => HazardKind::Chemical,
        })
    }

    /// One keyword among `options`; reports the nearest spelling otherwise.
    fn choice(
        &mut self,
        cur: &mut Cur<'_>,
        options: &[&'static str],
        what: &str,
    ) -> Option<&'static str> {
        match cur.peek() {
            Some(n) => match n.word().and_then(|w| which(w, options)) {
                Some(k) => {
                    cur.next();
                    Some(k)
                }
                None => {
                    let guess = self.unknown_keyword(cur, n, options, what);
                    cur.next();
                    guess
                }
            },
            None => {
                self.expected(cur, what, what, &format!("one of: {}", options.join(", ")));
                None
            }
        }
    }

    /// Resolves a name in a table, reporting unknown names with a suggestion.
    fn resolve(
        &mut self,
        table: fn(&Names) -> &NameTable,
        name: &str,
        span: Span,
        what_en: &str,
        what_zh: &str,
    ) -> u32 {
        if let Some(&i) = table(&self.names).get(name) {
            return i;
        }
        let suggestion =
            keywords::nearest(name, sorted_names(table(&self.names))).map(str::to_string);
        let mut d = Diagnostic::error(
            "E0202",
            span,
            format!("未知{what_zh} `{name}`"),
            format!("unknown {what_en} `{name}`"),
        )
        .label(format!("no {what_en} of this name"));
        d = match suggestion {
            Some(s) => d.help(format!("did you mean `{s}`? / 是否应为 `{s}`?")),
            None => d.help(format!(
                "declare the {what_en} first, or check the spelling / 请先声明该{what_zh}"
            )),
        };
        self.err(d);
        UNKNOWN
    }

    fn place_ref(&mut self, cur: &mut Cur<'_>) -> Option<PlaceIdx> {
        let (name, span) = self.name_ref(cur, "a place")?;
        let i = self.resolve(|n| &n.places, name, span, "place", "地点");
        (i != UNKNOWN).then_some(PlaceIdx(i))
    }

    fn declare(
        &mut self,
        table: fn(&mut Names) -> &mut NameTable,
        name: &str,
        span: Span,
        index: usize,
        what: &str,
    ) -> bool {
        let t = table(&mut self.names);
        if t.contains_key(name) {
            self.err(
                Diagnostic::error(
                    "E0201",
                    span,
                    format!("名称 `{name}` 重复"),
                    format!("duplicate {what} `{name}`"),
                )
                .label("declared again here")
                .help("give each one its own name / 每个名称只能声明一次"),
            );
            return false;
        }
        t.insert(name.to_string(), index as u32);
        true
    }

    // ---- scenario ---------------------------------------------------------------

    fn scenario(&mut self, (file, body, header): &Block<'_>) {
        let mut header = Cur::new(header.file, header.nodes.clone());
        header.next();
        if let Some(NodeKind::Str { value, .. }) = header.peek().map(|n| &n.kind) {
            self.s.header.title = value.to_string();
            header.next();
        }
        self.finish(&header);
        self.s.header.step_s = 10.0;
        let (mut id, mut start, mut duration, mut seed) = (false, false, false, false);
        for line in lines(body) {
            let mut cur = Cur::new(*file, line);
            let Some(first) = cur.peek() else { continue };
            let opts = ["id", "title", "hazard", "start", "duration", "seed", "step"];
            let Some(kw) = self.choice(
                &mut cur,
                &opts,
                "a scenario field (id, title, hazard, start, duration, seed, step)",
            ) else {
                continue;
            };
            // A field that is present but wrong has its own message already.
            match kw {
                "id" => id = true,
                "start" => start = true,
                "duration" => duration = true,
                "seed" => seed = true,
                _ => {}
            }
            match kw {
                "id" => {
                    if let Some((v, _)) = self.name(&mut cur, "the scenario id") {
                        self.s.header.id = v;
                        id = true;
                    }
                }
                "title" => {
                    if let Some(t) = self.string(&mut cur, "the title") {
                        self.s.header.title = t;
                    }
                }
                "hazard" => {
                    while !cur.done() {
                        if let Some(k) = self.hazard_kind(&mut cur) {
                            self.s.header.hazard_kinds.push(k);
                        }
                    }
                }
                "start" => {
                    let header_span = cur.here();
                    let date = match cur.peek().map(|n| &n.kind) {
                        Some(NodeKind::Date { year, month, day }) => {
                            cur.next();
                            Some((*year, *month, *day))
                        }
                        _ => {
                            self.expected(
                                &cur,
                                "日期和时刻,如 2026-06-18 20:00",
                                "a date and time like 2026-06-18 20:00",
                                "write the start as YYYY-MM-DD HH:MM",
                            );
                            None
                        }
                    };
                    let time = match cur.peek().map(|n| &n.kind) {
                        Some(NodeKind::Time { hour, minute }) => {
                            cur.next();
                            Some((*hour, *minute))
                        }
                        _ if date.is_some() => {
                            self.expected(
                                &cur,
                                "时刻,如 20:00",
                                "a time like 20:00",
                                "write the start time after the date: 2026-06-18 20:00",
                            );
                            None
                        }
                        _ => None,
                    };
                    if let Some((year, month, day)) = date
                        && !calendar_date_exists(year, month, day)
                    {
                        self.err(
                            Diagnostic::error(
                                "E0145",
                                header_span,
                                format!("日期 {year}-{month:02}-{day:02} 不存在"),
                                format!("{year}-{month:02}-{day:02} is not a date on the calendar"),
                            )
                            .help("check the month and day: February has 28 days (29 in leap years); April, June, September and November have 30"),
                        );
                    }
                    if let (Some((year, month, day)), Some((hour, minute))) = (date, time) {
                        self.s.header.start = DateTime {
                            year,
                            month,
                            day,
                            hour,
                            minute,
                        };
                        self.start_of_day_s = self.s.header.start.seconds_of_day();
                        start = true;
                    }
                }
                "duration" | "step" => {
                    let span = cur.here();
                    if let Some(t) = self.quantity(&mut cur, Dim::Time) {
                        if t <= 0.0 {
                            self.err(
                                Diagnostic::error(
                                    "E0307",
                                    span,
                                    "时长必须大于 0",
                                    "must be longer than zero",
                                )
                                .help("write a positive time like 12h"),
                            );
                        } else if kw == "duration" {
                            if t > MAX_DURATION_S {
                                self.err(
                                    Diagnostic::error(
                                        "E0315",
                                        span,
                                        "演练时长超过 30 天",
                                        "a drill of more than 30 days",
                                    )
                                    .help("a drill covers hours to days: write e.g. `duration 12h` or `duration 3d`"),
                                );
                            } else {
                                self.s.header.duration_s = t;
                                duration = true;
                            }
                        } else if !(MIN_STEP_S..=MAX_STEP_S).contains(&t) {
                            self.err(
                                Diagnostic::error(
                                    "E0316",
                                    span,
                                    "步长应在 1 秒到 10 分钟之间",
                                    "the step must be between 1 s and 10 min",
                                )
                                .help("people walk and water rises within a step: the default `step 10s` suits most drills"),
                            );
                        } else {
                            self.s.header.step_s = t;
                        }
                    }
                }
                "seed" => {
                    let span = cur.here();
                    if let Some(n) = self.number(&mut cur, "the seed") {
                        if n < 0.0 || n.fract() != 0.0 {
                            self.err(
                                Diagnostic::error(
                                    "E0305",
                                    span,
                                    "种子应为非负整数",
                                    "the seed must be a whole number, 0 or more",
                                )
                                .help("write a number like 20260618"),
                            );
                        } else {
                            self.s.header.seed = n as u64;
                            seed = true;
                        }
                    }
                }
                _ => {}
            }
            let _ = first;
            self.finish(&cur);
        }
        let at = header.whole();
        for (present, field, example) in [
            (id, "id", "id zhuyuan-flood-2026"),
            (start, "start", "start 2026-06-18 20:00"),
            (duration, "duration", "duration 12h"),
        ] {
            if !present {
                self.err(
                    Diagnostic::error(
                        "E0129",
                        at,
                        format!("scenario 块缺少 `{field}`"),
                        format!("the scenario block has no `{field}`"),
                    )
                    .help(format!("add a line like `{example}`")),
                );
            }
        }
        if !seed {
            self.err(
                Diagnostic::warning("W0001", at, "没有写 seed,使用 0", "no `seed`; using 0")
                    .help("add `seed 20260618` so runs are reproducible on purpose"),
            );
        }
    }

    // ---- map --------------------------------------------------------------------

    fn map(&mut self, blocks: &[Block<'_>]) {
        for (i, (_, _, cur)) in blocks.iter().enumerate() {
            self.expect_header_end(cur, 1);
            if i > 0 && cur.file == blocks[0].2.file {
                self.duplicate_block(cur, "map");
            }
        }
        let mut link_lines = Vec::new();
        let mut cell = None;
        let mut terrain_lines = Vec::new();
        const OPTS: [&str; 10] = [
            "cell",
            "terrain",
            "place",
            "shelter",
            "road",
            "path",
            "bridge",
            "river",
            "zone",
            "dangerous",
        ];
        // Nodes first (places, rivers, zones), links once every place is known.
        for (file, body, _) in blocks {
            for line in lines(body) {
                let mut cur = Cur::new(*file, line);
                let Some(kw) = self.choice(
                    &mut cur,
                    &OPTS[..9],
                    "a map item (cell, terrain, place, shelter, road, path, bridge, river, zone)",
                ) else {
                    continue;
                };
                match kw {
                    "cell" => {
                        cell = self.quantity_in(&mut cur, Dim::Length, "`cell`", limits::CELL);
                        self.finish(&cur);
                    }
                    "terrain" => terrain_lines.push(cur),
                    "place" | "shelter" => self.place(&mut cur, kw == "shelter"),
                    "river" => self.river(&mut cur),
                    "zone" => self.zone(&mut cur),
                    _ => link_lines.push((kw, cur)),
                }
            }
        }
        self.s.map.cell_m = cell.unwrap_or(10.0);
        for mut cur in terrain_lines {
            self.terrain(&mut cur);
        }
        for (kw, mut cur) in link_lines {
            self.link(&mut cur, kw);
        }
    }

    fn terrain(&mut self, cur: &mut Cur<'_>) {
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
            });
        }
        self.finish(cur);
    }

    fn place(&mut self, cur: &mut Cur<'_>, shelter: bool) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the place's name") else {
            return;
        };
        let mut place = Place {
            name: name.clone(),
            span: whole,
            ..Place::default()
        };
        if shelter {
            place.kind = PlaceKind::Shelter;
            place.shelter = Some(ShelterSpec::default());
        }
        let mut has_pos = false;
        let mut has_capacity = false;
        while let Some(n) = cur.peek() {
            if let NodeKind::Block(items) = &n.kind {
                cur.next();
                if shelter {
                    self.facilities(cur.file, items, &mut place);
                } else {
                    self.groups(cur.file, items, &mut place);
                }
                continue;
            }
            let opts: &[&'static str] = if shelter {
                &["at", "capacity", "households", "people", "kind"]
            } else {
                &["at", "kind", "households", "people"]
            };
            let Some(kw) = self.choice(
                cur,
                opts,
                "a place attribute (at, kind, households, people)",
            ) else {
                break; // still declare the place, so its uses elsewhere don't cascade
            };
            match kw {
                "at" => {
                    if let Some(p) = self.point(cur) {
                        place.pos = p;
                        has_pos = true;
                    }
                }
                "kind" => {
                    if let Some(k) = self.choice(
                        cur,
                        &["settlement", "office", "station", "plant", "junction"],
                        "a place kind (settlement, office, station, plant, junction)",
                    ) {
                        place.kind = match k {
                            "office" => PlaceKind::Office,
                            "station" => PlaceKind::Station,
                            "plant" => PlaceKind::Plant,
                            "junction" => PlaceKind::Junction,
                            _ => PlaceKind::Settlement,
                        };
                    }
                }
                "households" => place.households = self.count(cur, "households").unwrap_or(0),
                "people" => place.people = self.count(cur, "people").unwrap_or(0),
                "capacity" => {
                    has_capacity = true;
                    let capacity = self.count(cur, "capacity");
                    if let Some(s) = place.shelter.as_mut() {
                        // An unreadable capacity is already an error; treating it as
                        // unlimited keeps "holds 0 people" from following it.
                        s.capacity = capacity.unwrap_or(u32::MAX);
                    }
                }
                _ => {}
            }
        }
        if !has_pos {
            self.err(
                Diagnostic::error(
                    "E0143",
                    span,
                    format!("地点 `{name}` 缺少位置"),
                    format!("`{name}` has no position"),
                )
                .help(format!(
                    "add `at (x, y)`, e.g. `{} {name} at (120, 80)`",
                    if shelter { "shelter" } else { "place" }
                )),
            );
        }
        if shelter && !has_capacity {
            self.err(
                Diagnostic::error(
                    "E0144",
                    span,
                    format!("避灾点 `{name}` 缺少容量"),
                    format!("shelter `{name}` has no capacity"),
                )
                .help("add `capacity N` (people it can take)"),
            );
        }
        let idx = self.s.map.places.len();
        if self.declare(|n| &mut n.places, &name, span, idx, "place") {
            self.s.map.places.push(place);
        }
    }

    fn groups(&mut self, file: u32, items: &[Node], place: &mut Place) {
        let mut cur = Cur::new(file, items.iter().filter(|n| !n.is_trivia()).collect());
        let start = cur.whole();
        while !cur.done() {
            let Some(g) = self.choice(
                &mut cur,
                &[
                    "elderly",
                    "disabled",
                    "children",
                    "dilapidated",
                    "outdoor_workers",
                ],
                "a group (elderly, disabled, children, dilapidated, outdoor_workers)",
            ) else {
                continue;
            };
            let n = self.count(&mut cur, g).unwrap_or(0);
            let slot = match g {
                "elderly" => &mut place.groups.elderly,
                "disabled" => &mut place.groups.disabled,
                "children" => &mut place.groups.children,
                "dilapidated" => &mut place.groups.dilapidated,
                _ => &mut place.groups.outdoor_workers,
            };
            *slot = n;
        }
        let g = place.groups;
        let sum = u64::from(g.elderly)
            + u64::from(g.disabled)
            + u64::from(g.children)
            + u64::from(g.dilapidated)
            + u64::from(g.outdoor_workers);
        // The simulation splits `people` into disjoint groups (each person in one), so
        // each group must fit and so must their sum; the sum is only reported when no
        // single group already overflows, to say one thing once.
        let mut overflowed = false;
        for (label, n) in [
            ("elderly", g.elderly),
            ("disabled", g.disabled),
            ("children", g.children),
            ("dilapidated", g.dilapidated),
            ("outdoor_workers", g.outdoor_workers),
        ] {
            if n > place.people {
                overflowed = true;
                self.err(
                    Diagnostic::error(
                        "E0401",
                        start,
                        format!(
                            "`{}` 的 {label} 人数 {n} 超过总人数 {}",
                            place.name, place.people
                        ),
                        format!(
                            "{n} {label} in `{}` but only {} people live there",
                            place.name, place.people
                        ),
                    )
                    .help("a group is part of `people`; raise `people` or lower the group"),
                );
            }
        }
        if sum > u64::from(place.people) && !overflowed {
            self.err(Diagnostic::error("E0402", start, format!("`{}` 各类人员之和 {sum} 超过总人数 {}", place.name, place.people), format!("the groups of `{}` add up to {sum}, more than its {} people", place.name, place.people)).help("groups are subsets of `people`: their sum may not exceed it; raise `people` or correct the groups"));
        }
    }

    fn facilities(&mut self, file: u32, items: &[Node], place: &mut Place) {
        let mut cur = Cur::new(file, items.iter().filter(|n| !n.is_trivia()).collect());
        while !cur.done() {
            if let Some(f) = self.choice(
                &mut cur,
                &["water", "power", "medical", "barrier_free", "food", "beds"],
                "a facility (water, power, medical, barrier_free, food, beds)",
            ) {
                let f = match f {
                    "water" => Facility::Water,
                    "power" => Facility::Power,
                    "medical" => Facility::Medical,
                    "barrier_free" => Facility::BarrierFree,
                    "food" => Facility::Food,
                    _ => Facility::Beds,
                };
                if let Some(s) = place.shelter.as_mut() {
                    s.facilities.push(f);
                }
            }
        }
    }

    fn points_after(&mut self, cur: &mut Cur<'_>) -> Vec<Point> {
        let mut pts = Vec::new();
        while let Some(NodeKind::Point { x, y, .. }) = cur.peek().map(|n| &n.kind) {
            pts.push(Point { x: *x, y: *y });
            cur.next();
        }
        pts
    }

    fn river(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the river's name") else {
            return;
        };
        let (mut from, mut to, mut via, mut width) = (None, None, Vec::new(), 0.0);
        while !cur.done() {
            let Some(kw) = self.choice(
                cur,
                &["from", "via", "to", "width"],
                "a river attribute (from, via, to, width)",
            ) else {
                return;
            };
            match kw {
                "from" => from = self.point(cur),
                "to" => to = self.point(cur),
                "via" => via = self.points_after(cur),
                _ => {
                    width = self
                        .quantity_in(cur, Dim::Length, "a river's `width`", limits::RIVER_WIDTH)
                        .unwrap_or(0.0)
                }
            }
        }
        let (Some(from), Some(to)) = (from, to) else {
            self.err(
                Diagnostic::error(
                    "E0132",
                    span,
                    format!("河流 `{name}` 缺少起点或终点"),
                    format!("river `{name}` needs `from (x, y)` and `to (x, y)`"),
                )
                .help("e.g. `river 竹源溪 from (0, 500) to (900, 380) width 8m`"),
            );
            return;
        };
        let mut points = vec![from];
        points.extend(via);
        points.push(to);
        let idx = self.s.map.rivers.len();
        if self.declare(|n| &mut n.rivers, &name, span, idx, "river") {
            self.s.map.rivers.push(River {
                name,
                points,
                width_m: width,
                span: whole,
            });
        }
    }

    fn zone(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the zone's name") else {
            return;
        };
        let (mut level, mut hazard, mut polygon, mut from) = (None, None, None, None);
        let mut poly_span = span;
        while !cur.done() {
            let Some(kw) = self.choice(
                cur,
                &["level", "hazard", "polygon", "dangerous"],
                "a zone attribute (level, hazard, polygon, dangerous from)",
            ) else {
                return;
            };
            match kw {
                "level" => level = self.level(cur),
                "hazard" => hazard = self.hazard_kind(cur),
                "polygon" => {
                    poly_span = cur.here();
                    let pts = self.points_after(cur);
                    if let Some(last) = cur.nodes.get(cur.pos.wrapping_sub(1)) {
                        poly_span.end = last.span.end;
                    }
                    polygon = Some(pts);
                }
                _ => {
                    if !cur.eat_kw("from") {
                        self.expected(
                            cur,
                            "from",
                            "`from` (dangerous from 21:30)",
                            "write `dangerous from 21:30`",
                        );
                        return;
                    }
                    from = self.time(cur);
                }
            }
        }
        let polygon = polygon.unwrap_or_default();
        if polygon.len() < 3 {
            self.err(
                Diagnostic::error(
                    "E0403",
                    poly_span,
                    format!("危险区 `{name}` 的范围少于 3 个点"),
                    format!(
                        "zone `{name}` has {} polygon point(s); a polygon needs at least 3",
                        polygon.len()
                    ),
                )
                .help("write `polygon (x,y) (x,y) (x,y) ...` with three or more corners"),
            );
        }
        let Some(level) = level else {
            self.err(
                Diagnostic::error(
                    "E0133",
                    span,
                    format!("危险区 `{name}` 缺少等级"),
                    format!("zone `{name}` has no `level`"),
                )
                .help("add `level red` (red, orange, yellow or blue)"),
            );
            return;
        };
        let hazard = hazard
            .or(self.s.header.hazard_kinds.first().copied())
            .unwrap_or(HazardKind::Flood);
        let idx = self.s.map.zones.len();
        if self.declare(|n| &mut n.zones, &name, span, idx, "zone") {
            self.s.map.zones.push(Zone {
                name,
                level,
                hazard,
                polygon,
                dangerous_from_s: from,
                span: whole,
            });
        }
    }

    fn link(&mut self, cur: &mut Cur<'_>, kw: &str) {
        let whole = cur.whole();
        let kind = match kw {
            "road" => LinkKind::Road,
            "path" => LinkKind::Path,
            _ => LinkKind::Bridge,
        };
        let a = self.place_ref(cur);
        if !matches!(cur.peek().map(|n| &n.kind), Some(NodeKind::Arrow)) {
            self.expected(
                cur,
                "`->`",
                "`->` between the two places",
                &format!("write `{kw} A -> B`"),
            );
            return;
        }
        cur.next();
        let b = self.place_ref(cur);
        let (mut width, mut length, mut via, mut over) = (None, None, Vec::new(), None);
        while !cur.done() {
            let Some(k) = self.choice(
                cur,
                &["width", "length", "via", "over"],
                "a link attribute (width, length, via, over)",
            ) else {
                return;
            };
            match k {
                "width" => {
                    width = self.quantity_in(cur, Dim::Length, "`width`", limits::LINK_WIDTH)
                }
                "length" => {
                    length = self.quantity_in(cur, Dim::Length, "`length`", limits::LINK_LENGTH)
                }
                "via" => via = self.points_after(cur),
                _ => {
                    if let Some((name, span)) = self.name(cur, "a river") {
                        let i = self.resolve(|n| &n.rivers, &name, span, "river", "河流");
                        over = (i != UNKNOWN).then_some(RiverIdx(i));
                    }
                }
            }
        }
        let (Some(a), Some(b)) = (a, b) else { return };
        let pa = self.s.place(a).pos;
        let pb = self.s.place(b).pos;
        let length_m = length.unwrap_or_else(|| {
            let mut pts = vec![pa];
            pts.extend(via.iter().copied());
            pts.push(pb);
            pts.windows(2).map(|w| w[0].distance(w[1])).sum()
        });
        let default_width = if kind == LinkKind::Path { 1.5 } else { 4.0 };
        let idx = self.s.map.links.len() as u32;
        self.names.links.entry(link_key(kind, a, b)).or_insert(idx);
        self.s.map.links.push(Link {
            kind,
            from: a,
            to: b,
            width_m: width.unwrap_or(default_width),
            length_m,
            via,
            over,
            span: whole,
        });
    }

    // ---- roles, resources, teams ----------------------------------------------------

    fn role(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the role's name") else {
            return;
        };
        let mut role = Role {
            name: name.clone(),
            level: AdminLevel::Village,
            commander: false,
            count: 1,
            post: None,
            span: whole,
        };
        let mut has_level = false;
        while !cur.done() {
            let Some(kw) = self.choice(
                cur,
                &["level", "commander", "count", "post"],
                "a role attribute (level, commander, count, post)",
            ) else {
                return;
            };
            match kw {
                "level" => {
                    if let Some(l) = self.choice(
                        cur,
                        &["county", "township", "village", "group"],
                        "a level (county, township, village, group / 县 乡镇 村 组)",
                    ) {
                        has_level = true;
                        role.level = match l {
                            "county" => AdminLevel::County,
                            "township" => AdminLevel::Township,
                            "village" => AdminLevel::Village,
                            _ => AdminLevel::Group,
                        };
                    }
                }
                "commander" => role.commander = true,
                "count" => role.count = self.count(cur, "count").unwrap_or(1),
                _ => role.post = self.place_ref(cur),
            }
        }
        if !has_level {
            self.err(
                Diagnostic::error(
                    "E0134",
                    span,
                    format!("角色 `{name}` 缺少等级"),
                    format!("role `{name}` has no `level`"),
                )
                .help("add `level county`, `township`, `village` or `group`"),
            );
        }
        let idx = self.s.roles.len();
        if self.declare(|n| &mut n.roles, &name, span, idx, "role") {
            self.s.roles.push(role);
        }
    }

    const RESOURCE_KINDS: [&'static str; 13] = [
        "loudspeaker",
        "megaphone",
        "satellite_phone",
        "generator",
        "pump",
        "micro_fire_station",
        "boat",
        "vehicle",
        "drone",
        "life_detector",
        "fire_tools",
        "protective_gear",
        "gas_detector",
    ];

    fn resource_kind(kw: &str) -> ResourceKind {
        match kw {
            "loudspeaker" => ResourceKind::Loudspeaker,
            "megaphone" => ResourceKind::Megaphone,
            "satellite_phone" => ResourceKind::SatellitePhone,
            "generator" => ResourceKind::Generator,
            "pump" => ResourceKind::Pump,
            "micro_fire_station" => ResourceKind::MicroFireStation,
            "boat" => ResourceKind::Boat,
            "vehicle" => ResourceKind::Vehicle,
            "drone" => ResourceKind::Drone,
            "life_detector" => ResourceKind::LifeDetector,
            "fire_tools" => ResourceKind::FireTools,
            "protective_gear" => ResourceKind::ProtectiveGear,
            _ => ResourceKind::GasDetector,
        }
    }

    fn resource(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the resource's name or kind") else {
            return;
        };
        let kind = match which(&name, &Self::RESOURCE_KINDS) {
            Some(k)
                if matches!(cur.peek().map(|n| &n.kind), Some(NodeKind::Quantity { .. }))
                    || cur.peek_kw("at") =>
            {
                Self::resource_kind(k)
            }
            _ => {
                if cur.eat_kw("other") {
                    ResourceKind::Other(name.clone())
                } else {
                    match self.choice(
                        cur,
                        &Self::RESOURCE_KINDS,
                        "a resource kind (loudspeaker, megaphone, boat, generator, ... or `other`)",
                    ) {
                        Some(k) => Self::resource_kind(k),
                        None => return,
                    }
                }
            }
        };
        let mut quantity = 1;
        if let Some(NodeKind::Quantity { .. }) = cur.peek().map(|n| &n.kind) {
            quantity = self.count(cur, "quantity").unwrap_or(1);
        }
        let (mut at, mut capacity, mut radius) = (None, None, None);
        while !cur.done() {
            let Some(kw) = self.choice(
                cur,
                &["at", "capacity", "radius"],
                "a resource attribute (at, capacity, radius)",
            ) else {
                return;
            };
            match kw {
                "at" => at = self.place_ref(cur),
                "capacity" => capacity = self.count(cur, "capacity"),
                _ => radius = self.quantity_in(cur, Dim::Length, "`radius`", limits::RADIUS),
            }
        }
        let Some(at) = at else {
            if !self.diags.iter().any(|d| {
                d.primary.span.start >= whole.start
                    && d.primary.span.end <= whole.end
                    && d.primary.span.file == whole.file
            }) {
                self.err(
                    Diagnostic::error(
                        "E0135",
                        span,
                        format!("物资 `{name}` 缺少存放地点"),
                        format!("resource `{name}` has no place"),
                    )
                    .help("add `at PLACE`, e.g. `at 村委会`"),
                );
            }
            return;
        };
        let idx = self.s.resources.len();
        if self.declare(|n| &mut n.resources, &name, span, idx, "resource") {
            self.s.resources.push(Resource {
                name,
                kind,
                quantity,
                at,
                capacity,
                radius_m: radius,
                span: whole,
            });
        }
    }

    fn team(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the team's name") else {
            return;
        };
        let (mut members, mut base, mut arrives, mut skills, mut equipment) =
            (0, None, 0.0, Vec::new(), Vec::new());
        let mut equipment_spans = Vec::new();
        let mut base_written = false;
        while !cur.done() {
            let Some(kw) = self.choice(
                cur,
                &["members", "base", "arrives", "skills", "equipment"],
                "a team attribute (members, base, arrives, skills, equipment)",
            ) else {
                break; // still declare the team, so its uses elsewhere don't cascade
            };
            match kw {
                "members" => {
                    let span = cur.here();
                    let n = self.count(cur, "members");
                    self.in_range(n.map(f64::from), span, "`members`", limits::MEMBERS);
                    members = n.unwrap_or(0);
                }
                "base" => {
                    base_written = true;
                    base = self.place_ref(cur);
                }
                "arrives" => {
                    arrives = self
                        .quantity_in(cur, Dim::Time, "`arrives`", limits::ARRIVES)
                        .unwrap_or(0.0)
                }
                "skills" => {
                    for word in self.word_list(cur) {
                        let c = Cur::new(cur.file, vec![word]);
                        match word.word().and_then(|w| {
                            which(
                                w,
                                &[
                                    "water_rescue",
                                    "evacuation",
                                    "door_knock",
                                    "firefighting",
                                    "hazmat",
                                    "medical",
                                    "roadblock",
                                ],
                            )
                        }) {
                            Some(s) => skills.push(match s {
                                "water_rescue" => Skill::WaterRescue,
                                "evacuation" => Skill::Evacuation,
                                "door_knock" => Skill::DoorKnock,
                                "firefighting" => Skill::Firefighting,
                                "hazmat" => Skill::Hazmat,
                                "medical" => Skill::Medical,
                                _ => Skill::Roadblock,
                            }),
                            None => self
                                .unknown_keyword(
                                    &c,
                                    word,
                                    &[
                                        "water_rescue",
                                        "evacuation",
                                        "door_knock",
                                        "firefighting",
                                        "hazmat",
                                        "medical",
                                        "roadblock",
                                    ],
                                    "a skill",
                                )
                                .map_or((), |_| ()),
                        }
                    }
                }
                _ => {
                    let (uses, spans) = self.resource_uses(cur);
                    equipment = uses;
                    equipment_spans = spans;
                }
            }
        }
        if !base_written {
            self.err(
                Diagnostic::error(
                    "E0136",
                    span,
                    format!("队伍 `{name}` 缺少驻地"),
                    format!("team `{name}` has no `base`"),
                )
                .help("add `base PLACE`"),
            );
        }
        // A missing or unknown base is already an error, so no scenario is returned and
        // the placeholder is never simulated; declaring the team avoids follow-on errors.
        let base = base.unwrap_or(PlaceIdx(0));
        self.check_quantities(&equipment, &equipment_spans, &format!("team `{name}`"));
        let idx = self.s.teams.len();
        if self.declare(|n| &mut n.teams, &name, span, idx, "team") {
            self.s.teams.push(Team {
                name,
                members,
                base,
                arrives_s: arrives,
                skills,
                equipment,
                span: whole,
            });
        }
    }

    /// The words of a `[a b c]` list (commas allowed), or a single word.
    fn word_list<'a>(&mut self, cur: &mut Cur<'a>) -> Vec<&'a Node<'a>> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::List(items)) => {
                cur.next();
                items
                    .iter()
                    .filter(|n| !n.is_trivia() && !matches!(n.kind, NodeKind::Comma))
                    .collect()
            }
            Some(NodeKind::Word(_)) | Some(NodeKind::Str { .. }) => {
                cur.next().into_iter().collect()
            }
            _ => {
                self.expected(
                    cur,
                    "列表 [ ... ]",
                    "a list `[a b c]`",
                    "write the items in square brackets",
                );
                Vec::new()
            }
        }
    }

    /// `[冲锋舟 2, 村广播]` or `村广播` or `megaphone 4`: resources with optional
    /// quantities (default 1). A kind name stands for the first resource of that kind.
    fn resource_uses(&mut self, cur: &mut Cur<'_>) -> (Vec<ResourceUse>, Vec<Span>) {
        let items: Vec<&Node> = match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::List(items)) => {
                cur.next();
                items
                    .iter()
                    .filter(|n| !n.is_trivia() && !matches!(n.kind, NodeKind::Comma))
                    .collect()
            }
            _ => {
                let mut v = Vec::new();
                if let Some(n) = cur.next() {
                    v.push(n);
                    if let Some(
                        q @ Node {
                            kind: NodeKind::Quantity { .. },
                            ..
                        },
                    ) = cur.peek()
                    {
                        v.push(q);
                        cur.next();
                    }
                }
                v
            }
        };
        let mut uses = Vec::new();
        let mut spans = Vec::new();
        let mut inner = Cur::new(cur.file, items);
        while !inner.done() {
            let Some((name, span)) = self.name(&mut inner, "a resource") else {
                inner.next();
                continue;
            };
            let mut quantity = 1;
            let mut full = span;
            if let Some(
                q @ Node {
                    kind: NodeKind::Quantity { .. },
                    ..
                },
            ) = inner.peek()
            {
                full.end = q.span.end;
                quantity = self.count(&mut inner, "quantity").unwrap_or(1);
            }
            let idx = match self.names.resources.get(&name) {
                Some(&i) => i,
                None => match which(&name, &Self::RESOURCE_KINDS) {
                    Some(k) => {
                        let kind = Self::resource_kind(k);
                        match self.s.resources.iter().position(|r| r.kind == kind) {
                            Some(i) => i as u32,
                            None => {
                                self.err(
                                    Diagnostic::error(
                                        "E0203",
                                        span,
                                        format!("场景中没有 `{name}` 类物资"),
                                        format!("the scenario has no resource of kind `{name}`"),
                                    )
                                    .label("not in `resources`")
                                    .help(format!(
                                        "add it to `resources`, e.g. `{name} 2 at 村委会`"
                                    )),
                                );
                                UNKNOWN
                            }
                        }
                    }
                    None => self.resolve(|n| &n.resources, &name, span, "resource", "物资"),
                },
            };
            if idx != UNKNOWN {
                uses.push(ResourceUse {
                    resource: ResourceIdx(idx),
                    quantity,
                });
                spans.push(full);
            }
        }
        (uses, spans)
    }

    /// A use may not ask for more units than the scenario has.
    fn check_quantities(&mut self, uses: &[ResourceUse], spans: &[Span], who: &str) {
        for (u, span) in uses.iter().zip(spans) {
            let r = &self.s.resources[u.resource.index()];
            let available = r.quantity;
            if u.quantity > available {
                let (name, rspan) = (r.name.clone(), r.span);
                self.err(
                    Diagnostic::error("E0404", *span, format!("{who} 需要 {} 个 `{name}`,场景中只有 {available} 个", u.quantity), format!("{who} uses {} × `{name}` but the scenario has only {available}", u.quantity))
                        .label(format!("{} needed", u.quantity))
                        .secondary(rspan, format!("only {available} here"))
                        .help("lower the quantity, or add more to `resources` / 减少数量或在 resources 中增加"),
                );
            }
        }
    }

    // ---- hazards ------------------------------------------------------------------

    fn hazard(&mut self, (file, body, header): &Block<'_>) {
        let mut h = Cur::new(header.file, header.nodes.clone());
        h.next();
        let Some(kind) = self.hazard_kind(&mut h) else {
            return;
        };
        self.finish(&h);
        let exists = self.s.hazards.iter().any(|x| {
            matches!(
                (x, kind),
                (Hazard::Flood(_), HazardKind::Flood)
                    | (Hazard::Fire(_), HazardKind::ForestFire)
                    | (Hazard::Chemical(_), HazardKind::Chemical)
            )
        });
        if exists {
            self.err(
                Diagnostic::error(
                    "E0124",
                    h.whole(),
                    "同一灾种只能写一个 hazard 块",
                    "a second hazard block of the same kind",
                )
                .help("merge them into one block"),
            );
            return;
        }
        if !self.s.header.hazard_kinds.is_empty() && !self.s.header.hazard_kinds.contains(&kind) {
            self.err(
                Diagnostic::warning(
                    "W0002",
                    h.whole(),
                    "scenario 的 hazard 没有列出这个灾种",
                    "this hazard kind is not listed in the scenario's `hazard` line",
                )
                .help("add it to `hazard` in the scenario block"),
            );
        }
        let lines = lines(body);
        match kind {
            HazardKind::Flood => {
                let mut spec = FloodSpec {
                    manning_n: 0.035,
                    ..FloodSpec::default()
                };
                for line in lines {
                    let mut cur = Cur::new(*file, line);
                    let Some(kw) = self.choice(
                        &mut cur,
                        &["rain", "inflow", "manning"],
                        "a flood input (rain, inflow, manning)",
                    ) else {
                        continue;
                    };
                    match kw {
                        "rain" => {
                            spec.rain_mm_h =
                                self.timeline(&mut cur, Dim::Rain, "rain", limits::RAIN)
                        }
                        "inflow" => {
                            if let Some((name, span)) = self.name(&mut cur, "a river") {
                                let r = self.resolve(|n| &n.rivers, &name, span, "river", "河流");
                                let t = self.timeline(
                                    &mut cur,
                                    Dim::Discharge,
                                    "an inflow",
                                    limits::INFLOW,
                                );
                                if r != UNKNOWN {
                                    spec.inflows.push(Inflow {
                                        river: RiverIdx(r),
                                        discharge_m3_s: t,
                                        span,
                                    });
                                }
                            }
                        }
                        _ => {
                            spec.manning_n = self
                                .number_in(&mut cur, "Manning's n", limits::MANNING)
                                .unwrap_or(0.035)
                        }
                    }
                    self.finish(&cur);
                }
                self.s.hazards.push(Hazard::Flood(spec));
            }
            HazardKind::ForestFire => {
                let mut spec = FireSpec::default();
                for line in lines {
                    let mut cur = Cur::new(*file, line);
                    let Some(kw) = self.choice(
                        &mut cur,
                        &["ignition", "fuel", "wind", "moisture"],
                        "a fire input (ignition, fuel, wind, moisture)",
                    ) else {
                        continue;
                    };
                    match kw {
                        "ignition" => {
                            let p = self.point(&mut cur);
                            let t = if cur.eat_kw("at") {
                                self.time(&mut cur)
                            } else {
                                Some(0.0)
                            };
                            if let (Some(at), Some(time_s)) = (p, t) {
                                spec.ignitions.push(Ignition { at, time_s });
                            }
                        }
                        "fuel" => {
                            let fuel_span = cur.here();
                            let code = match cur.next().map(|n| &n.kind) {
                                Some(NodeKind::Word(w)) => w.to_string(),
                                Some(NodeKind::Quantity {
                                    text, unit: None, ..
                                }) => text.to_string(),
                                Some(NodeKind::Str { value, .. }) => value.to_string(),
                                _ => {
                                    self.expected(
                                        &cur,
                                        "可燃物模型代码,如 TL3",
                                        "a fuel model code like TL3 or 4",
                                        "write a code such as TL3, GS2 or 1..13",
                                    );
                                    continue;
                                }
                            };
                            let catalog = FuelCatalog::standard();
                            if catalog.index_of(&code).is_none() {
                                let codes: Vec<&str> =
                                    catalog.models().iter().map(|m| m.code.as_str()).collect();
                                let d = Diagnostic::error(
                                    "E0312",
                                    fuel_span,
                                    format!("未知的可燃物模型 `{code}`"),
                                    format!("unknown fuel model `{code}`"),
                                );
                                self.err(match keywords::nearest(&code, codes.iter().copied()) {
                                    Some(s) => d.help(format!("did you mean `{s}`? / 是否应为 `{s}`?")),
                                    None => d.help("use a Scott & Burgan code (GR1..GR9, GS1..GS4, SH1..SH9, TU1..TU5, TL1..TL9, SB1..SB4, NB1..NB9) or an Anderson number 1..13"),
                                });
                            }
                            if cur.eat_kw("in") {
                                if let Some((name, span)) = self.name(&mut cur, "a zone") {
                                    let z =
                                        self.resolve(|n| &n.zones, &name, span, "zone", "危险区");
                                    if z != UNKNOWN {
                                        spec.fuel_zones.push((ZoneIdx(z), code));
                                    }
                                }
                            } else {
                                spec.default_fuel = Some(code);
                            }
                        }
                        "wind" => {
                            spec.wind = self.entries(&mut cur, |v, c| {
                                let speed_m_s =
                                    v.quantity_in(c, Dim::Speed, "a wind speed", limits::WIND)?;
                                let from_deg = v.quantity(c, Dim::Angle)?;
                                Some(Wind {
                                    speed_m_s,
                                    from_deg,
                                })
                            })
                        }
                        _ => {
                            while !cur.done() {
                                let slot = match cur.peek().map(|n| &n.kind) {
                                    Some(NodeKind::Quantity {
                                        unit: Some(u),
                                        value,
                                        ..
                                    }) if u == "h" => {
                                        let v = *value;
                                        cur.next();
                                        match v as u32 {
                                            1 => &mut spec.moisture.dead_1h,
                                            10 => &mut spec.moisture.dead_10h,
                                            100 => &mut spec.moisture.dead_100h,
                                            _ => {
                                                self.err(Diagnostic::error("E0310", cur.here(), "死可燃物时滞只能是 1h, 10h, 100h", "dead fuel classes are 1h, 10h and 100h").help("write `moisture 1h 6% 10h 7% 100h 8% herb 60% woody 90%`"));
                                                break;
                                            }
                                        }
                                    }
                                    _ => match self.choice(
                                        &mut cur,
                                        &["herb", "woody"],
                                        "a moisture class (1h, 10h, 100h, herb, woody)",
                                    ) {
                                        Some("herb") => &mut spec.moisture.live_herb,
                                        Some(_) => &mut spec.moisture.live_woody,
                                        None => break,
                                    },
                                };
                                // `slot` borrows spec; read the value first.
                                let mut tmp = 0.0;
                                if let Some(p) = self.percent(&mut cur) {
                                    tmp = p;
                                }
                                *slot = tmp;
                            }
                        }
                    }
                    self.finish(&cur);
                }
                if spec.ignitions.is_empty() {
                    self.err(
                        Diagnostic::error(
                            "E0137",
                            h.whole(),
                            "火灾缺少起火点",
                            "a fire hazard needs at least one `ignition`",
                        )
                        .help("add `ignition (x, y) at 13:40`"),
                    );
                }
                self.s.hazards.push(Hazard::Fire(spec));
            }
            HazardKind::Chemical => {
                let (
                    mut source,
                    mut substance,
                    mut release,
                    mut start,
                    mut height,
                    mut weather,
                    mut urban,
                ) = (None, None, None, 0.0, 1.0, Vec::new(), false);
                // Inputs written at all, even if unreadable (already reported): only a
                // truly absent one is "missing".
                let mut written = BTreeSet::new();
                for line in lines {
                    let mut cur = Cur::new(*file, line);
                    let Some(kw) = self.choice(&mut cur, &["source", "substance", "release", "start", "height", "weather", "terrain"], "a chemical input (source, substance, release, start, height, weather, terrain)") else { continue };
                    written.insert(kw);
                    match kw {
                        "source" => {
                            source = if matches!(
                                cur.peek().map(|n| &n.kind),
                                Some(NodeKind::Point { .. })
                            ) {
                                self.point(&mut cur)
                            } else {
                                self.place_ref(&mut cur).map(|p| self.s.place(p).pos)
                            };
                        }
                        "substance" => {
                            // Kept even when unknown, so no "missing substance" follows.
                            substance = self.name(&mut cur, "a substance").map(|(name, span)| {
                                if let Err(message) = find_substance(&name) {
                                    self.err(
                                        Diagnostic::error(
                                            "E0313",
                                            span,
                                            format!("未知的危化品 `{name}`"),
                                            format!("unknown substance `{name}`"),
                                        )
                                        .help(message),
                                    );
                                }
                                name
                            })
                        }
                        "release" => {
                            match self.choice(&mut cur, &["rate", "mass"], "`rate` or `mass`") {
                                Some("rate") => {
                                    let kg_s = self.quantity_in(
                                        &mut cur,
                                        Dim::MassRate,
                                        "a release rate",
                                        limits::RELEASE_RATE,
                                    );
                                    let d = if cur.eat_kw("for") {
                                        self.quantity_in(
                                            &mut cur,
                                            Dim::Time,
                                            "a release's `for`",
                                            limits::RELEASE_FOR,
                                        )
                                    } else {
                                        self.expected(
                                            &cur,
                                            "for",
                                            "`for` and a duration",
                                            "write `release rate 2kg/s for 30min`",
                                        );
                                        None
                                    };
                                    if let (Some(kg_s), Some(duration_s)) = (kg_s, d) {
                                        release = Some(Release::Rate { kg_s, duration_s });
                                    }
                                }
                                Some(_) => {
                                    release = self
                                        .quantity_in(
                                            &mut cur,
                                            Dim::Mass,
                                            "a released mass",
                                            limits::RELEASE_MASS,
                                        )
                                        .map(|kg| Release::Mass { kg })
                                }
                                None => {}
                            }
                        }
                        "start" => start = self.time(&mut cur).unwrap_or(0.0),
                        "height" => {
                            height = self
                                .quantity_in(
                                    &mut cur,
                                    Dim::Length,
                                    "`height`",
                                    limits::RELEASE_HEIGHT,
                                )
                                .unwrap_or(1.0)
                        }
                        "weather" => {
                            weather = self.entries(&mut cur, |v, c| {
                                let speed_m_s =
                                    v.quantity_in(c, Dim::Speed, "a wind speed", limits::WIND)?;
                                let from_deg = v.quantity(c, Dim::Angle)?;
                                let n = c.next()?;
                                let stab = match n.word() {
                                    Some("A") => Stability::A,
                                    Some("B") => Stability::B,
                                    Some("C") => Stability::C,
                                    Some("D") => Stability::D,
                                    Some("E") => Stability::E,
                                    Some("F") => Stability::F,
                                    _ => {
                                        let s = c.span_of(n);
                                        v.err(
                                            Diagnostic::error(
                                                "E0311",
                                                s,
                                                "大气稳定度应为 A 到 F",
                                                format!(
                                                    "expected a stability class A..F, found {}",
                                                    n.describe()
                                                ),
                                            )
                                            .help("write a Pasquill class: A B C D E F"),
                                        );
                                        return None;
                                    }
                                };
                                Some(PlumeWeather {
                                    wind: Wind {
                                        speed_m_s,
                                        from_deg,
                                    },
                                    stability: stab,
                                })
                            })
                        }
                        _ => {
                            urban = self.choice(&mut cur, &["urban", "rural"], "`urban` or `rural`")
                                == Some("urban")
                        }
                    }
                    self.finish(&cur);
                }
                let at = h.whole();
                for what in ["source", "substance", "release"] {
                    if !written.contains(what) {
                        self.err(
                            Diagnostic::error(
                                "E0138",
                                at,
                                format!("危化泄漏缺少 `{what}`"),
                                format!("the chemical hazard has no `{what}`"),
                            )
                            .help("see docs/LANGUAGE.md, `hazard chemical`"),
                        );
                    }
                }
                if let (Some(source), Some(substance), Some(release)) = (source, substance, release)
                {
                    self.s.hazards.push(Hazard::Chemical(ChemicalSpec {
                        source,
                        substance,
                        release,
                        start_s: start,
                        height_m: height,
                        weather,
                        urban,
                    }));
                }
            }
        }
    }

    /// `[0h 5, 1h 30]` after an optional unit word: a timeline of one quantity, each
    /// value within `range`.
    fn timeline(&mut self, cur: &mut Cur<'_>, dim: Dim, what: &str, range: Range) -> Timeline<f64> {
        let unit = match cur.peek_word() {
            Some(w) if unit_info(w).is_some() => {
                cur.next();
                Some(w)
            }
            _ => None,
        };
        self.entries(cur, |v, c| {
            let n = c.next()?;
            let mut q = n.clone();
            if let (NodeKind::Quantity { unit: u @ None, .. }, Some(given)) = (&mut q.kind, unit) {
                *u = Some(Cow::Borrowed(given));
            }
            let value = v.quantity_of(c, &q, dim);
            v.in_range(value, c.span_of(n), what, range)
        })
    }

    /// A list of entries, each starting with a time offset (`0h`, `90min`), separated
    /// by commas or simply by the next offset. Sorted by time.
    fn entries<T>(
        &mut self,
        cur: &mut Cur<'_>,
        mut value: impl FnMut(&mut V, &mut Cur<'_>) -> Option<T>,
    ) -> Timeline<T> {
        let span = cur.here();
        let Some(NodeKind::List(items)) = cur.peek().map(|n| &n.kind) else {
            self.err(
                Diagnostic::error(
                    "E0127",
                    span,
                    "应为时间序列 [0h 5, 1h 30]",
                    "expected a timeline like `[0h 5, 1h 30]`",
                )
                .help("pairs of a time offset and a value, in square brackets"),
            );
            return Vec::new();
        };
        cur.next();
        let items: Vec<&Node> = items.iter().filter(|n| !n.is_trivia()).collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < items.len() {
            // An entry runs to the next comma (or the end).
            let end = items[i..]
                .iter()
                .position(|n| matches!(n.kind, NodeKind::Comma))
                .map_or(items.len(), |p| i + p);
            let entry: Vec<&Node> = items[i..end].to_vec();
            i = end + 1;
            if entry.is_empty() {
                continue;
            }
            let mut c = Cur::new(cur.file, entry);
            let t = self.quantity(&mut c, Dim::Time);
            let v = value(self, &mut c);
            if let (Some(t), Some(v)) = (t, v) {
                out.push((t, v));
            }
            self.finish(&c);
        }
        if out.windows(2).any(|w| w[1].0 < w[0].0) {
            self.err(
                Diagnostic::warning(
                    "W0003",
                    span,
                    "时间序列没有按时间排序,已自动排序",
                    "the timeline is not in time order; it was sorted",
                )
                .help("write the entries from earliest to latest"),
            );
            out.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        out
    }

    // ---- plan ---------------------------------------------------------------------

    fn plan(&mut self, (file, body, header): &Block<'_>) {
        let mut h = Cur::new(header.file, header.nodes.clone());
        h.next();
        if let Some(NodeKind::Str { value, .. }) = h.peek().map(|n| &n.kind) {
            self.s.plan.title = value.to_string();
            h.next();
        }
        self.finish(&h);
        // First the ids, so `after T5` may refer to a later task.
        let mut tasks = Vec::new();
        for line in lines(body) {
            let mut cur = Cur::new(*file, line);
            if self.choice(&mut cur, &["task"], "`task`").is_none() {
                continue;
            }
            let Some((id, span)) = self.name(&mut cur, "the task id, like T1") else {
                continue;
            };
            let title = match cur.peek().map(|n| &n.kind) {
                Some(NodeKind::Str { value, .. }) => {
                    cur.next();
                    value.to_string()
                }
                _ => String::new(),
            };
            let Some(NodeKind::Block(b)) = cur.peek().map(|n| &n.kind) else {
                self.expected(
                    &cur,
                    "任务内容 { ... }",
                    "the task's clauses in `{ ... }`",
                    "write `task T1 \"标题\" { when ... who ... do ... }`",
                );
                continue;
            };
            cur.next();
            self.finish(&cur);
            let idx = tasks.len();
            if self.declare(|n| &mut n.tasks, &id, span, idx, "task id") {
                tasks.push((id, title, b.as_slice(), cur.whole(), span));
            }
        }
        for (i, (id, title, b, whole, _)) in tasks.into_iter().enumerate() {
            let task = self.task(*file, i as u32, id, title, b, whole);
            self.task_spans.push(whole);
            self.s.plan.tasks.push(task);
        }
    }

    const CLAUSES: [&'static str; 11] = [
        "when", "at", "after", "before", "who", "do", "how", "with", "within", "by", "require",
    ];

    fn task(
        &mut self,
        file: u32,
        index: u32,
        id: String,
        title: String,
        body: &[Node],
        whole: Span,
    ) -> Task {
        let nodes: Vec<&Node> = body.iter().filter(|n| !n.is_trivia()).collect();
        // Split at clause keywords: a task may be written on one line or many.
        let mut clauses: Vec<Vec<&Node>> = Vec::new();
        for n in nodes {
            if n.word().is_some_and(|w| which(w, &Self::CLAUSES).is_some()) || clauses.is_empty() {
                clauses.push(Vec::new());
            }
            if let Some(c) = clauses.last_mut() {
                c.push(n);
            }
        }
        let mut task = Task {
            id: id.clone(),
            title,
            trigger: Trigger::BeforeReturn,
            who: Vec::new(),
            work: Work::Report,
            how: Vec::new(),
            with: Vec::new(),
            deadline: None,
            require: None,
            span: whole,
        };
        let (mut trigger, mut work) = (None, None);
        let mut with_spans = Vec::new();
        let mut has_who = false;
        for clause in clauses {
            let mut cur = Cur::new(file, clause);
            let Some(kw) = self.choice(
                &mut cur,
                &Self::CLAUSES,
                "a task clause (when, at, after, before, who, do, how, with, within, by, require)",
            ) else {
                continue;
            };
            let clause_span = cur.whole();
            match kw {
                "when" | "at" | "after" | "before" => {
                    let t = match kw {
                        "when" => match self.choice(
                            &mut cur,
                            &["warning", "inject", "danger"],
                            "`warning`, `inject` or `danger`",
                        ) {
                            Some("warning") => self.level(&mut cur).map(Trigger::Warning),
                            Some("inject") => {
                                let span = cur.here();
                                self.count(&mut cur, "an inject number").map(|n| {
                                    self.inject_refs.push((n, span));
                                    Trigger::Inject(n)
                                })
                            }
                            Some(_) => self.name(&mut cur, "a zone").and_then(|(name, span)| {
                                let z = self.resolve(|n| &n.zones, &name, span, "zone", "危险区");
                                (z != UNKNOWN).then_some(Trigger::Danger(ZoneIdx(z)))
                            }),
                            None => None,
                        },
                        "at" => self.time(&mut cur).map(Trigger::At),
                        _ => {
                            if kw == "before" && cur.eat_kw("return") {
                                Some(Trigger::BeforeReturn)
                            } else {
                                self.name_ref(&mut cur, "a task id")
                                    .and_then(|(name, span)| {
                                        let t =
                                            self.resolve(|n| &n.tasks, name, span, "task", "任务");
                                        if t == UNKNOWN {
                                            return None;
                                        }
                                        if kw == "after" {
                                            self.edges.push((t, index));
                                            Some(Trigger::After(TaskIdx(t)))
                                        } else {
                                            self.edges.push((index, t));
                                            Some(Trigger::Before(TaskIdx(t)))
                                        }
                                    })
                            }
                        }
                    };
                    if trigger.is_some() {
                        self.err(
                            Diagnostic::error(
                                "E0139",
                                clause_span,
                                format!("任务 {id} 有两个触发条件"),
                                format!("task {id} has a second trigger"),
                            )
                            .help("keep one of when / at / after / before"),
                        );
                    } else if t.is_some() {
                        trigger = t.map(|t| (t, clause_span));
                    } else {
                        trigger = Some((Trigger::BeforeReturn, clause_span)); // already reported
                    }
                }
                "who" => {
                    has_who = true;
                    task.who = self.actors(&mut cur);
                }
                "do" => work = self.work(&mut cur),
                "how" => task.how = self.channels(&mut cur),
                "with" => {
                    let (uses, spans) = self.resource_uses(&mut cur);
                    task.with = uses;
                    with_spans = spans;
                }
                "within" => {
                    task.deadline = self
                        .quantity_in(&mut cur, Dim::Time, "`within`", limits::WITHIN)
                        .map(Deadline::Within)
                }
                "by" => {
                    if let Some(t) = self.time(&mut cur) {
                        task.deadline = Some(Deadline::By(t));
                    }
                }
                _ => {
                    let p = self.percent(&mut cur);
                    let of = match cur.peek_word() {
                        Some(_) => match self.choice(
                            &mut cur,
                            &["households", "people"],
                            "`households` or `people`",
                        ) {
                            Some("households") => RequireOf::Households,
                            _ => RequireOf::People,
                        },
                        None => RequireOf::People,
                    };
                    task.require = p.map(|percent| Requirement { percent, of });
                }
            }
            self.finish(&cur);
        }
        match trigger {
            Some((t, span)) => {
                if let (Trigger::At(at), Some(Deadline::By(by))) = (&t, task.deadline)
                    && by < *at
                {
                    let at = *at;
                    let start = self.s.header.start;
                    self.err(
                        Diagnostic::error(
                            "E0405",
                            whole,
                            format!(
                                "任务 {id} 的截止时间 {} 早于开始时间 {}",
                                start.clock_at(by),
                                start.clock_at(at)
                            ),
                            format!(
                                "task {id} is due by {} but only starts at {}",
                                start.clock_at(by),
                                start.clock_at(at)
                            ),
                        )
                        .secondary(span, "starts here")
                        .help("move `by` later, or `at` earlier / 调整截止或开始时间"),
                    );
                }
                task.trigger = t;
            }
            None => self.err(
                Diagnostic::error(
                    "E0140",
                    whole,
                    format!("任务 {id} 没有触发条件"),
                    format!("task {id} has no trigger"),
                )
                .help("add `when warning red`, `at 20:30`, `after T1` or `before T3`"),
            ),
        }
        match work {
            Some(w) => task.work = w,
            None if !self.diags.iter().any(|d| {
                d.primary.span.file == whole.file
                    && d.primary.span.start >= whole.start
                    && d.primary.span.end <= whole.end
            }) =>
            {
                self.err(
                    Diagnostic::error(
                        "E0141",
                        whole,
                        format!("任务 {id} 没有写做什么 (do)"),
                        format!("task {id} has no `do`"),
                    )
                    .help("add `do VERB OBJECT`, e.g. `do warn zone 下村低洼区`"),
                );
            }
            None => {}
        }
        if !has_who {
            self.err(
                Diagnostic::error(
                    "E0142",
                    whole,
                    format!("任务 {id} 没有责任人 (who)"),
                    format!("task {id} has no `who`"),
                )
                .help("add `who ROLE` or `who [A B]`"),
            );
        }
        self.check_quantities(&task.with.clone(), &with_spans, &format!("task {id}"));
        task
    }

    fn actors(&mut self, cur: &mut Cur<'_>) -> Vec<Actor> {
        let mut out = Vec::new();
        for n in self.word_list(cur) {
            let name = match &n.kind {
                NodeKind::Word(w) => w,
                NodeKind::Str { value, .. } => value,
                _ => continue,
            };
            if let Some(a) = self.actor(name, cur.span_of(n)) {
                out.push(a);
            }
        }
        out
    }

    fn actor(&mut self, name: &str, span: Span) -> Option<Actor> {
        if let Some(&r) = self.names.roles.get(name) {
            return Some(Actor::Role(RoleIdx(r)));
        }
        if let Some(&t) = self.names.teams.get(name) {
            return Some(Actor::Team(TeamIdx(t)));
        }
        let all = sorted_names(&self.names.roles)
            .into_iter()
            .chain(sorted_names(&self.names.teams));
        let suggestion = keywords::nearest(name, all).map(str::to_string);
        let d = Diagnostic::error(
            "E0202",
            span,
            format!("未知角色或队伍 `{name}`"),
            format!("unknown role or team `{name}`"),
        )
        .label("not in `roles` or `teams`");
        self.err(match suggestion {
            Some(s) => d.help(format!("did you mean `{s}`? / 是否应为 `{s}`?")),
            None => d.help("declare it in `roles` or `teams` / 请在 roles 或 teams 中声明"),
        });
        None
    }

    const CHANNELS: [&'static str; 9] = [
        "loudspeaker",
        "sms",
        "app",
        "door_knock",
        "megaphone",
        "gong",
        "phone",
        "radio",
        "broadcast",
    ];

    fn channel_of(kw: &str) -> Channel {
        match kw {
            "loudspeaker" => Channel::Loudspeaker,
            "sms" => Channel::Sms,
            "app" => Channel::App,
            "door_knock" => Channel::DoorKnock,
            "megaphone" => Channel::Megaphone,
            "gong" => Channel::Gong,
            "phone" => Channel::Phone,
            "radio" => Channel::Radio,
            _ => Channel::Broadcast,
        }
    }

    fn channels(&mut self, cur: &mut Cur<'_>) -> Vec<Channel> {
        let mut out = Vec::new();
        for n in self.word_list(cur) {
            let c = Cur::new(cur.file, vec![n]);
            match n.word().and_then(|w| which(w, &Self::CHANNELS)) {
                Some(k) => out.push(Self::channel_of(k)),
                None => {
                    self.unknown_keyword(&c, n, &Self::CHANNELS, "a channel");
                }
            }
        }
        out
    }

    fn target(&mut self, cur: &mut Cur<'_>, allow_all: bool) -> Option<Target> {
        if cur.eat_kw("zone") {
            let (name, span) = self.name(cur, "a zone")?;
            let z = self.resolve(|n| &n.zones, &name, span, "zone", "危险区");
            return (z != UNKNOWN).then_some(Target::Zone(ZoneIdx(z)));
        }
        if allow_all && cur.eat_kw("all") {
            return Some(Target::All);
        }
        let (name, span) = self.name(cur, "`zone NAME` or a place")?;
        if let Some(&z) = self.names.zones.get(&name)
            && !self.names.places.contains_key(&name)
        {
            return Some(Target::Zone(ZoneIdx(z)));
        }
        let p = self.resolve(|n| &n.places, &name, span, "place", "地点");
        (p != UNKNOWN).then_some(Target::Place(PlaceIdx(p)))
    }

    const VERBS: [&'static str; 13] = [
        "warn",
        "knock_doors",
        "evacuate",
        "open",
        "report_at_post",
        "assess",
        "close",
        "roadblock",
        "rescue",
        "fire_line",
        "shelter_in_place",
        "report",
        "return",
    ];

    fn work(&mut self, cur: &mut Cur<'_>) -> Option<Work> {
        let verb = self.choice(cur, &Self::VERBS, "a verb (warn, knock_doors, evacuate, open, report_at_post, assess, close, roadblock, rescue, fire_line, shelter_in_place, report, return)")?;
        Some(match verb {
            "warn" => Work::Warn(self.target(cur, true)?),
            "knock_doors" => Work::KnockDoors(self.target(cur, false)?),
            "assess" => Work::Assess(self.target(cur, true)?),
            "rescue" => Work::Rescue(self.target(cur, false)?),
            "shelter_in_place" => Work::ShelterInPlace(self.target(cur, true)?),
            "return" => Work::Return(self.target(cur, true)?),
            "report_at_post" => Work::ReportAtPost,
            "report" => Work::Report,
            "open" => Work::OpenShelter(self.shelter_ref(cur)?),
            "roadblock" => Work::Roadblock(self.place_ref(cur)?),
            "fire_line" => {
                let pts = self.points_after(cur);
                if pts.len() < 2 {
                    self.expected(
                        cur,
                        "至少两个坐标点",
                        "at least two points `(x,y) (x,y)`",
                        "a fire line runs along two or more points",
                    );
                    return None;
                }
                Work::FireLine(pts)
            }
            "close" => Work::CloseLink(self.link_ref(cur)?),
            _ => {
                let mut groups = Vec::new();
                if let Some(NodeKind::List(_)) = cur.peek().map(|n| &n.kind) {
                    for n in self.word_list(cur) {
                        let c = Cur::new(cur.file, vec![n]);
                        const G: [&str; 6] = [
                            "adults",
                            "elderly",
                            "disabled",
                            "children",
                            "dilapidated",
                            "outdoor_workers",
                        ];
                        match n.word().and_then(|w| which(w, &G)) {
                            Some(g) => groups.push(match g {
                                "adults" => Group::Adults,
                                "elderly" => Group::Elderly,
                                "disabled" => Group::Disabled,
                                "children" => Group::Children,
                                "dilapidated" => Group::Dilapidated,
                                _ => Group::OutdoorWorkers,
                            }),
                            None => {
                                self.unknown_keyword(&c, n, &G, "a group");
                            }
                        }
                    }
                }
                if !cur.eat_kw("from") {
                    self.expected(
                        cur,
                        "from",
                        "`from` and where people are moved from",
                        "write `evacuate [elderly] from 下村 to 竹源小学`",
                    );
                    return None;
                }
                // Read `to` even when `from` is wrong, so both get reported.
                let from = self.target(cur, false);
                let to = if cur.eat_kw("to") {
                    Some(self.shelter_ref(cur))
                } else {
                    None
                };
                Work::Evacuate {
                    groups,
                    from: from?,
                    to: to.map_or(Some(None), |t| t.map(Some))?,
                }
            }
        })
    }

    fn shelter_ref(&mut self, cur: &mut Cur<'_>) -> Option<PlaceIdx> {
        let span = cur.here();
        let p = self.place_ref(cur)?;
        if self.s.place(p).shelter.is_none() {
            let name = self.s.place(p).name.clone();
            self.err(
                Diagnostic::error(
                    "E0204",
                    span,
                    format!("`{name}` 不是避灾点"),
                    format!("`{name}` is not a shelter"),
                )
                .help("declare it with `shelter NAME at (x, y) capacity N`"),
            );
            return None;
        }
        Some(p)
    }

    fn link_ref(&mut self, cur: &mut Cur<'_>) -> Option<LinkIdx> {
        let kind = match self.choice(
            cur,
            &["road", "path", "bridge"],
            "`road`, `path` or `bridge`",
        )? {
            "road" => LinkKind::Road,
            "path" => LinkKind::Path,
            _ => LinkKind::Bridge,
        };
        let start = cur.here();
        let a = self.place_ref(cur);
        if !matches!(cur.peek().map(|n| &n.kind), Some(NodeKind::Arrow)) {
            self.expected(
                cur,
                "`->`",
                "`->` between the two places",
                "write `close bridge A -> B`",
            );
            return None;
        }
        cur.next();
        let b = self.place_ref(cur);
        let (a, b) = (a?, b?);
        let mut span = start;
        span.end = cur.here().start.max(start.end);
        match self.names.links.get(&link_key(kind, a, b)) {
            Some(&l) => Some(LinkIdx(l)),
            None => {
                let (an, bn) = (self.s.place(a).name.clone(), self.s.place(b).name.clone());
                self.err(
                    Diagnostic::error(
                        "E0205",
                        span,
                        format!("地图上没有 {an} -> {bn} 的这条路"),
                        format!(
                            "the map has no {} between `{an}` and `{bn}`",
                            format!("{kind:?}").to_lowercase()
                        ),
                    )
                    .help("check the map's road/path/bridge lines"),
                );
                None
            }
        }
    }

    // ---- injects -------------------------------------------------------------------

    fn injects(&mut self, file: u32, body: &[Node]) {
        // An inject starts with its number at the start of a line; following lines
        // that do not start with a number continue it.
        let mut groups: Vec<Vec<&Node>> = Vec::new();
        for line in lines(body) {
            let starts_new = matches!(
                line.first().map(|n| &n.kind),
                Some(NodeKind::Quantity { unit: None, .. })
            );
            if starts_new || groups.is_empty() {
                groups.push(line);
            } else if let Some(g) = groups.last_mut() {
                g.extend(line);
            }
        }
        let mut numbers: BTreeMap<u32, Span> = BTreeMap::new();
        for g in groups {
            let mut cur = Cur::new(file, g);
            let whole = cur.whole();
            let span = cur.here();
            let Some(number) = self.count(&mut cur, "the inject number") else {
                continue;
            };
            if numbers.insert(number, span).is_some() {
                self.err(
                    Diagnostic::error(
                        "E0201",
                        span,
                        format!("注入编号 {number} 重复"),
                        format!("duplicate inject number {number}"),
                    )
                    .help("number the injects 1, 2, 3, ... once each"),
                );
            }
            let trigger = if cur.eat_kw("at") {
                self.time(&mut cur).map(InjectTrigger::At)
            } else if cur.eat_kw("if") {
                // 如未 already means "if not"; the English needs both words.
                let zh = cur.nodes.get(cur.pos - 1).and_then(|n| n.word()) == Some("如未");
                if !zh && !cur.eat_kw("not") {
                    self.expected(
                        &cur,
                        "not",
                        "`not` (if not T3 by 22:00)",
                        "write `if not T3 by 22:00`",
                    );
                }
                let t = self
                    .name(&mut cur, "a task id")
                    .map(|(n, s)| self.resolve(|x| &x.tasks, &n, s, "task", "任务"));
                let by = if cur.eat_kw("by") {
                    self.time(&mut cur)
                } else {
                    self.expected(
                        &cur,
                        "by 时刻",
                        "`by` and a time",
                        "write `if not T3 by 22:00`",
                    );
                    None
                };
                match (t, by) {
                    (Some(t), Some(by_s)) if t != UNKNOWN => Some(InjectTrigger::IfNot {
                        task: TaskIdx(t),
                        by_s,
                    }),
                    _ => None,
                }
            } else {
                self.expected(
                    &cur,
                    "at 时刻 或 if not",
                    "`at TIME` or `if not TASK by TIME`",
                    "write `3 at 20:00 ...`",
                );
                None
            };
            let mut inject = Inject {
                number,
                trigger: InjectTrigger::At(0.0),
                from: None,
                to: Vec::new(),
                via: None,
                message: String::new(),
                expects: Vec::new(),
                effects: Vec::new(),
                span: whole,
            };
            while let Some(n) = cur.peek() {
                if let NodeKind::Str { value, .. } = &n.kind {
                    inject.message = value.to_string();
                    cur.next();
                    continue;
                }
                let Some(kw) = self.choice(
                    &mut cur,
                    &["from", "to", "via", "expect", "effect"],
                    "an inject part (from, to, via, \"message\", expect, effect)",
                ) else {
                    break;
                };
                match kw {
                    "from" => inject.from = self.name(&mut cur, "the sender").map(|x| x.0),
                    "to" => inject.to = self.actors(&mut cur),
                    "via" => {
                        if let Some(c) = self.choice(&mut cur, &Self::CHANNELS, "a channel") {
                            inject.via = Some(Self::channel_of(c));
                        }
                    }
                    "expect" => {
                        for n in self.word_list(&mut cur) {
                            let c = Cur::new(file, vec![n]);
                            let (name, span) = match &n.kind {
                                NodeKind::Word(w) => (w.clone(), c.span_of(n)),
                                NodeKind::Str { value, .. } => (value.clone(), c.span_of(n)),
                                _ => continue,
                            };
                            let t = self.resolve(|x| &x.tasks, &name, span, "task", "任务");
                            if t != UNKNOWN {
                                inject.expects.push(TaskIdx(t));
                            }
                        }
                    }
                    _ => {
                        if let Some(e) = self.effect(&mut cur) {
                            inject.effects.push(e);
                        }
                    }
                }
            }
            if let Some(t) = trigger {
                inject.trigger = t;
                let at = match t {
                    InjectTrigger::At(s) => s,
                    InjectTrigger::IfNot { by_s, .. } => by_s,
                };
                if self.s.header.duration_s > 0.0 && at > self.s.header.duration_s {
                    let start = self.s.header.start;
                    self.err(
                        Diagnostic::warning(
                            "W0004",
                            span,
                            format!("注入 {number} 在演练结束之后 ({})", start.clock_at(at)),
                            format!(
                                "inject {number} comes after the drill has ended ({})",
                                start.clock_at(at)
                            ),
                        )
                        .help("move it earlier or lengthen `duration`"),
                    );
                }
            }
            self.s.injects.push(inject);
        }
        for (n, span) in std::mem::take(&mut self.inject_refs) {
            if !numbers.contains_key(&n) {
                self.err(
                    Diagnostic::error(
                        "E0202",
                        span,
                        format!("没有编号为 {n} 的注入"),
                        format!("there is no inject number {n}"),
                    )
                    .help("use the number of an inject in the `injects` block"),
                );
            }
        }
    }

    fn effect(&mut self, cur: &mut Cur<'_>) -> Option<Effect> {
        let kw = self.choice(
            cur,
            &["warning", "close", "danger", "trapped", "shelter_closed"],
            "an effect (warning, close, danger, trapped, shelter_closed)",
        )?;
        Some(match kw {
            "warning" => Effect::Warning(self.level(cur)?),
            "close" => Effect::CloseLink(self.link_ref(cur)?),
            "danger" => {
                let (name, span) = self.name(cur, "a zone")?;
                let z = self.resolve(|n| &n.zones, &name, span, "zone", "危险区");
                if z == UNKNOWN {
                    return None;
                }
                Effect::Danger(ZoneIdx(z))
            }
            "trapped" => {
                let place = self.place_ref(cur)?;
                let people = self.count(cur, "people trapped")?;
                Effect::Trapped { place, people }
            }
            _ => Effect::ShelterClosed(self.shelter_ref(cur)?),
        })
    }

    // ---- scoring -------------------------------------------------------------------

    fn scoring(&mut self, (file, body, header): &Block<'_>) {
        self.expect_header_end(header, 1);
        for line in lines(body) {
            let mut cur = Cur::new(*file, line);
            let Some(kw) = self.choice(
                &mut cur,
                &["weights", "outcomes", "ratings", "pass"],
                "a scoring item (weights, outcomes, ratings, pass)",
            ) else {
                continue;
            };
            match kw {
                "weights" => {
                    let span = cur.here();
                    let Some(NodeKind::Block(b)) = cur.next().map(|n| &n.kind) else {
                        self.err(Diagnostic::error("E0127", span, "应为 { timeliness 30 ... }", "expected `{ timeliness 30 completeness 40 resources 15 roles 15 }`").help("write the weights in braces"));
                        continue;
                    };
                    let mut c = Cur::new(*file, b.iter().filter(|n| !n.is_trivia()).collect());
                    while !c.done() {
                        let Some(k) = self.choice(
                            &mut c,
                            &["timeliness", "completeness", "resources", "roles"],
                            "a weight (timeliness, completeness, resources, roles)",
                        ) else {
                            continue;
                        };
                        let v = self.number_in(&mut c, k, limits::SCORE).unwrap_or(0.0);
                        let w = &mut self.s.scoring.weights;
                        match k {
                            "timeliness" => w.timeliness = v,
                            "completeness" => w.completeness = v,
                            "resources" => w.resources = v,
                            _ => w.roles = v,
                        }
                    }
                    let w = self.s.scoring.weights;
                    let total = w.timeliness + w.completeness + w.resources + w.roles;
                    if (total - 100.0).abs() > 1e-9 {
                        self.err(
                            Diagnostic::warning(
                                "W0005",
                                span,
                                format!("权重之和为 {total},不是 100"),
                                format!("the weights add up to {total}, not 100"),
                            )
                            .help("scores are normalised, but 100 is easier to read"),
                        );
                    }
                }
                "outcomes" => {
                    if let Some(NodeKind::Str { value, .. }) = cur.peek().map(|n| &n.kind) {
                        self.s.scoring.outcomes_title = value.to_string();
                        cur.next();
                    }
                    let span = cur.here();
                    let Some(NodeKind::Block(b)) = cur.next().map(|n| &n.kind) else {
                        self.err(
                            Diagnostic::error(
                                "E0127",
                                span,
                                "应为 { at_post 100% ... }",
                                "expected `{ at_post 100% evacuated 100% ... }`",
                            )
                            .help("write the outcome targets in braces"),
                        );
                        continue;
                    };
                    let mut c = Cur::new(*file, b.iter().filter(|n| !n.is_trivia()).collect());
                    while !c.done() {
                        let Some(k) = self.choice(&mut c, &["at_post", "evacuated", "vulnerable_moved", "assessed_before_return", "warned"], "an outcome (at_post, evacuated, vulnerable_moved, assessed_before_return, warned)") else { continue };
                        let p = self.percent(&mut c).unwrap_or(100.0);
                        let metric = match k {
                            "at_post" => Outcome::AtPost,
                            "evacuated" => Outcome::Evacuated,
                            "vulnerable_moved" => Outcome::VulnerableMoved,
                            "assessed_before_return" => Outcome::AssessedBeforeReturn,
                            _ => Outcome::Warned,
                        };
                        self.s
                            .scoring
                            .outcomes
                            .push(OutcomeTarget { metric, percent: p });
                    }
                }
                "ratings" => {
                    while !cur.done() {
                        let letter = cur.next().and_then(|n| n.word()).unwrap_or("");
                        if !matches!(cur.next().map(|n| &n.kind), Some(NodeKind::Ge)) {
                            self.expected(
                                &cur,
                                "P >= 90 S >= 75 M >= 50",
                                "`P >= 90  S >= 75  M >= 50`",
                                "write the three thresholds with `>=`",
                            );
                            break;
                        }
                        let v = self
                            .number_in(&mut cur, "a threshold", limits::SCORE)
                            .unwrap_or(0.0);
                        let r = &mut self.s.scoring.ratings;
                        match letter {
                            "P" => r.p = v,
                            "S" => r.s = v,
                            "M" => r.m = v,
                            _ => {}
                        }
                    }
                    let r = self.s.scoring.ratings;
                    if !(r.p >= r.s && r.s >= r.m) {
                        self.err(
                            Diagnostic::error(
                                "E0406",
                                cur.whole(),
                                "等级线应满足 P >= S >= M",
                                "ratings must satisfy P >= S >= M",
                            )
                            .help("e.g. `ratings P >= 90  S >= 75  M >= 50`"),
                        );
                    }
                }
                _ => {
                    self.s.scoring.pass_score = self
                        .number_in(&mut cur, "the pass score", limits::SCORE)
                        .unwrap_or(75.0)
                }
            }
            self.finish(&cur);
        }
    }

    // ---- actions -------------------------------------------------------------------

    fn action(&mut self, cur: &mut Cur<'_>) -> Option<Action> {
        let whole = cur.whole();
        let at_s = self.time(cur)?;
        let (name, span) = self.name(cur, "who acted (a role or team)")?;
        let actor = self.actor(&name, span)?;
        let work = self.work(cur)?;
        let mut action = Action {
            at_s,
            actor,
            work,
            how: Vec::new(),
            with: Vec::new(),
            span: whole,
        };
        while !cur.done() {
            let Some(kw) = self.choice(cur, &["via", "how", "with"], "`via` or `with`") else {
                break;
            };
            match kw {
                "with" => {
                    let (uses, spans) = self.resource_uses(cur);
                    self.check_quantities(&uses, &spans, "this action");
                    action.with = uses;
                }
                _ => action.how = self.channels(cur),
            }
        }
        self.finish(cur);
        Some(action)
    }

    /// Whether a log line is the trainer's (`21:30 trainer fire inject 5`): its second
    /// word spells `trainer` (导调) and is not the name of a role or team, or it is such
    /// a name but the verb after it is `fire` or `skip` (no participant verb is).
    fn is_trainer_line(&self, cur: &Cur<'_>) -> bool {
        let word = |i: usize| cur.nodes.get(i).and_then(|n| n.word());
        let Some(who) = word(1).filter(|w| is(w, "trainer")) else {
            return false;
        };
        let a_participant =
            self.names.roles.contains_key(who) || self.names.teams.contains_key(who);
        !a_participant || word(2).and_then(keywords::trainer_verb).is_some()
    }

    /// `TIME trainer fire|skip inject N` (导调 下达|跳过 注入 N): the trainer's hand on
    /// an inject, recorded so that a replay repeats it.
    fn inject_command(&mut self, cur: &mut Cur<'_>) -> Option<InjectCommand> {
        let whole = cur.whole();
        let at_s = self.time(cur)?;
        cur.next(); // `trainer`, see `is_trainer_line`
        let kind = match cur.peek_word().and_then(keywords::trainer_verb) {
            Some("fire") => InjectCommandKind::Fire,
            Some(_) => InjectCommandKind::Skip,
            None => {
                self.expected(
                    cur,
                    "`fire`(下达)或 `skip`(跳过)",
                    "`fire` or `skip` (下达 / 跳过)",
                    "write `21:30 trainer fire inject 5` or `21:35 导调 跳过 注入 7`",
                );
                return None;
            }
        };
        cur.next();
        if !cur.eat_kw("inject") {
            self.expected(
                cur,
                "`inject`(注入)",
                "`inject` (注入)",
                "write `trainer fire inject 5`: the word inject, then the inject's number",
            );
            return None;
        }
        let span = cur.here();
        let number = self.count(cur, "the inject number")?;
        self.finish(cur);
        let Some(inject) = self.s.injects.iter().find(|i| i.number == number) else {
            let numbers: Vec<String> = self
                .s
                .injects
                .iter()
                .map(|i| i.number.to_string())
                .collect();
            self.err(
                Diagnostic::error(
                    "E0202",
                    span,
                    format!("场景中没有编号为 {number} 的注入"),
                    format!("the scenario has no inject number {number}"),
                )
                .label("no inject with this number")
                .help(if numbers.is_empty() {
                    "the scenario has no injects / 场景没有情景注入".to_string()
                } else {
                    format!(
                        "use the number of an inject in the `injects` block: {} / 请使用 injects 中的编号",
                        numbers.join(", ")
                    )
                }),
            );
            return None;
        };
        // Firing or skipping an inject in a step after its own has no effect: it has
        // fired already (the live drill refuses such a command, so only a hand-written
        // log can have one).
        if let InjectTrigger::At(due_s) = inject.trigger {
            let step_s = self.s.header.step_s.max(1e-9);
            let step_of = |t: f64| (t / step_s - 1e-9).ceil();
            if step_of(at_s) > step_of(due_s) {
                let clock = |t: f64| self.s.header.start.clock_at(t);
                self.diags.push(
                    Diagnostic::warning(
                        "W0008",
                        whole,
                        format!(
                            "第 {number} 号注入在 {} 已自动下达,{} 的命令不起作用",
                            clock(due_s),
                            clock(at_s)
                        ),
                        format!(
                            "inject {number} fires on its own at {}; this command at {} comes too late to change it",
                            clock(due_s),
                            clock(at_s)
                        ),
                    )
                    .help("give the command a time before the inject's, or delete it"),
                );
            }
        }
        Some(InjectCommand {
            at_s,
            number,
            kind,
            span: whole,
        })
    }

    /// An inject is fired or skipped by hand at most once: after the first command it
    /// has fired or been dropped, so a second one (the live drill refuses it) would be
    /// a recorder's mistake.
    fn inject_commands_once(&mut self, commands: &[InjectCommand]) {
        let mut first: BTreeMap<u32, &InjectCommand> = BTreeMap::new();
        for c in commands {
            let Some(earlier) = first.get(&c.number) else {
                first.insert(c.number, c);
                continue;
            };
            let verb = |k: InjectCommandKind| match k {
                InjectCommandKind::Fire => ("fired", "下达"),
                InjectCommandKind::Skip => ("skipped", "跳过"),
            };
            let (en, zh) = verb(earlier.kind);
            self.err(
                Diagnostic::error(
                    "E0410",
                    c.span,
                    format!("第 {} 号注入已由导调{zh},不能再次下达或跳过", c.number),
                    format!(
                        "inject {} was already {en} by the trainer; it cannot be fired or skipped again",
                        c.number
                    ),
                )
                .label("second command for this inject")
                .secondary(earlier.span, format!("first {en} here"))
                .help("keep one command per inject: delete this line or the earlier one / 每条注入只保留一条导调命令"),
            );
        }
    }

    // ---- checks that need everything -------------------------------------------------

    fn semantic_checks(&mut self) {
        // Shelter capacity against the people plan tasks move there.
        let mut assigned: BTreeMap<u32, (u64, Vec<Span>)> = BTreeMap::new();
        for task in &self.s.plan.tasks {
            if let Work::Evacuate {
                groups,
                from,
                to: Some(to),
            } = &task.work
            {
                let people = self.people_in(*from, groups);
                let e = assigned.entry(to.0).or_default();
                e.0 += people;
                e.1.push(task.span);
            }
        }
        for (shelter, (people, spans)) in assigned {
            let p = &self.s.map.places[shelter as usize];
            let capacity = p.shelter.as_ref().map_or(0, |s| s.capacity);
            if people > u64::from(capacity) {
                let mut d = Diagnostic::error("E0407", p.span, format!("避灾点 `{}` 容量 {capacity} 人,预案转移到此 {people} 人", p.name), format!("shelter `{}` holds {capacity} people but the plan moves {people} there", p.name))
                    .label("capacity too small")
                    .help("raise `capacity`, or send some people to another shelter / 增加容量或分流到其他避灾点");
                for s in spans {
                    d = d.secondary(s, "moves people here");
                }
                self.err(d);
            }
        }
        self.diags.extend(out_of_loudspeaker_reach(&self.s));
        // Cycles in after/before.
        let n = self.s.plan.tasks.len();
        let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &(a, b) in &self.edges {
            if (a as usize) < n && (b as usize) < n {
                adj[a as usize].push(b);
            }
        }
        let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            // Iterative DFS so a long chain of tasks cannot overflow the stack.
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&succ) = adj[node].get(*next) {
                    *next += 1;
                    let succ = succ as usize;
                    match state[succ] {
                        0 => {
                            state[succ] = 1;
                            stack.push((succ, 0));
                        }
                        1 => {
                            let pos = stack.iter().position(|&(x, _)| x == succ).unwrap_or(0);
                            let cycle: Vec<usize> = stack[pos..].iter().map(|&(x, _)| x).collect();
                            let names: Vec<String> = cycle
                                .iter()
                                .chain(std::iter::once(&succ))
                                .map(|&i| self.s.plan.tasks[i].id.clone())
                                .collect();
                            let mut d = Diagnostic::error("E0408", self.s.plan.tasks[succ].span, format!("任务先后关系成环: {}", names.join(" -> ")), format!("tasks wait for each other in a cycle: {}", names.join(" -> ")))
                                .help("remove one `after`/`before` so the order has a start / 删除一个 after/before");
                            for &i in &cycle[1..] {
                                d = d.secondary(self.s.plan.tasks[i].span, "part of the cycle");
                            }
                            self.err(d);
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                }
            }
        }
        // Evacuation tasks to no shelter, places in no zone: warnings only.
        for task in &self.s.plan.tasks {
            if task.deadline.is_none() && matches!(task.work, Work::Warn(_) | Work::Evacuate { .. })
            {
                self.diags.push(
                    Diagnostic::warning(
                        "W0006",
                        task.span,
                        format!("任务 {} 没有时限", task.id),
                        format!(
                            "task {} has no deadline, so its timeliness cannot be scored",
                            task.id
                        ),
                    )
                    .help("add `within 30min` or `by 21:00`"),
                );
            }
        }
    }

    /// People of the given groups (everyone when empty) at a target.
    fn people_in(&self, target: Target, groups: &[Group]) -> u64 {
        places_of(&self.s, target)
            .iter()
            .map(|p| {
                if groups.is_empty() {
                    return u64::from(p.people);
                }
                let g = p.groups;
                let named = u64::from(g.elderly)
                    + u64::from(g.disabled)
                    + u64::from(g.children)
                    + u64::from(g.dilapidated)
                    + u64::from(g.outdoor_workers);
                let sum: u64 = groups
                    .iter()
                    .map(|g2| match g2 {
                        Group::Elderly => u64::from(g.elderly),
                        Group::Disabled => u64::from(g.disabled),
                        Group::Children => u64::from(g.children),
                        Group::Dilapidated => u64::from(g.dilapidated),
                        Group::OutdoorWorkers => u64::from(g.outdoor_workers),
                        Group::Adults => u64::from(p.people).saturating_sub(named),
                    })
                    .sum();
                sum.min(u64::from(p.people))
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check_text, render};
    use crate::model::*;

    const EXAMPLE: &str = include_str!("../../tests/data/doc-example.drill");

    fn errors_of(text: &str) -> (Vec<&'static str>, String) {
        let (sources, result) = check_text("t.drill", text);
        let codes = result
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect();
        (codes, render(&result.diagnostics, &sources))
    }

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

    #[test]
    fn the_reference_example_checks_clean_and_converts_to_si() {
        let (sources, result) = check_text("doc-example.drill", EXAMPLE);
        let s = result
            .scenario
            .unwrap_or_else(|| panic!("{}", render(&result.diagnostics, &sources)));
        assert_eq!(s.header.id, "zhuyuan-flood-2026");
        assert_eq!(s.header.duration_s, 12.0 * 3600.0);
        assert_eq!(
            s.header.start,
            DateTime {
                year: 2026,
                month: 6,
                day: 18,
                hour: 20,
                minute: 0
            }
        );
        assert_eq!(s.map.places.len(), 5);
        let xiacun = s.place_named("下村").unwrap();
        assert_eq!(s.place(xiacun).groups.elderly, 52);
        assert_eq!(s.resources[0].radius_m, Some(600.0));
        assert_eq!(s.teams[0].arrives_s, 25.0 * 60.0);
        assert_eq!(s.plan.tasks.len(), 6);
        assert_eq!(s.plan.tasks[1].trigger, Trigger::After(TaskIdx(0)));
        assert_eq!(s.plan.tasks[3].trigger, Trigger::Before(TaskIdx(2)));
        assert_eq!(s.plan.tasks[0].deadline, Some(Deadline::Within(1800.0)));
        // 22:00 with a 20:00 start is two hours in.
        assert_eq!(
            s.injects[2].trigger,
            InjectTrigger::IfNot {
                task: TaskIdx(2),
                by_s: 7200.0
            }
        );
        // The fire ignites at 13:40 the next day.
        let Hazard::Fire(fire) = &s.hazards[1] else {
            panic!()
        };
        assert_eq!(fire.ignitions[0].time_s, (17.0 * 60.0 + 40.0) * 60.0);
        assert_eq!(fire.moisture.live_woody, 90.0);
        assert_eq!(fire.wind[1].1.from_deg, 300.0);
        let Hazard::Flood(flood) = &s.hazards[0] else {
            panic!()
        };
        assert_eq!(flood.rain_mm_h[3], (3.0 * 3600.0, 80.0));
        assert!(matches!(s.injects[3].effects[0], Effect::CloseLink(_)));
        assert_eq!(s.scoring.ratings.s, 75.0);
        match &s.map.terrain.as_ref().unwrap().source {
            TerrainSource::Grid { cols, rows, .. } => assert_eq!((*cols, *rows), (3, 3)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn chinese_keywords_mean_the_same() {
        let (sources, result) = check_text(
            "zh.drill",
            include_str!("../../tests/data/doc-example-zh.drill"),
        );
        let s = result
            .scenario
            .unwrap_or_else(|| panic!("{}", render(&result.diagnostics, &sources)));
        assert_eq!(
            s.plan.tasks[1].require,
            Some(Requirement {
                percent: 100.0,
                of: RequireOf::People
            })
        );
        assert!(
            matches!(s.plan.tasks[1].work, Work::Evacuate { ref groups, .. } if groups == &[Group::Elderly, Group::Disabled])
        );
        assert_eq!(
            s.plan.tasks[0].how,
            vec![Channel::Loudspeaker, Channel::Sms]
        );
        assert_eq!(s.roles[1].count, 6);
    }

    #[test]
    fn reports_every_problem_not_just_the_first() {
        let text = EXAMPLE
            .replace(
                "from 下村 to 竹源小学 within 90min",
                "from 下材 to 竹源小学 within 90min",
            )
            .replace("capacity 300", "capacity 30")
            .replace("width 8m", "width 8")
            .replace("with [megaphone 6]", "with [megaphone 9]")
            .replace("expect T3\n", "expect T9\n");
        let (codes, rendered) = errors_of(&text);
        for code in ["E0202", "E0302", "E0404"] {
            assert!(
                codes.contains(&code),
                "{code} missing in {codes:?}\n{rendered}"
            );
        }
        assert!(rendered.contains("did you mean `下村`"), "{rendered}");
        assert!(
            rendered.contains("expected a unit after 8, like 8m"),
            "{rendered}"
        );
        assert!(rendered.contains("unknown task `T9`"), "{rendered}");
    }

    #[test]
    fn shelter_capacity_is_checked_against_planned_evacuations() {
        // T3 moves the elderly and disabled of 下村: 52 + 6 = 58 people.
        let (codes, rendered) = errors_of(&EXAMPLE.replace("capacity 300", "capacity 50"));
        assert_eq!(codes, vec!["E0407"], "{rendered}");
        assert!(rendered.contains("moves 58 there"), "{rendered}");
        assert!(
            errors_of(&EXAMPLE.replace("capacity 300", "capacity 58"))
                .0
                .is_empty()
        );
    }

    #[test]
    fn cycles_deadlines_groups_polygons_and_duplicates() {
        let cyc = EXAMPLE
            .replace(
                "task T4 \"开放避灾点\" { before T3",
                "task T4 \"开放避灾点\" { after T3",
            )
            .replace("{ after T1 who 村民兵小分队", "{ after T4 who 村民兵小分队");
        let (codes, rendered) = errors_of(&cyc);
        assert!(codes.contains(&"E0408"), "{rendered}");
        let late = EXAMPLE.replace(
            "task T6 \"返回前评估\" { before return",
            "task T6 \"返回前评估\" { at 21:00 by 20:30",
        );
        assert_eq!(errors_of(&late).0, vec!["E0405"]);
        let groups = EXAMPLE.replace(
            "elderly 52 disabled 6 outdoor_workers 9",
            "elderly 150 disabled 6 outdoor_workers 30",
        );
        assert_eq!(errors_of(&groups).0, vec!["E0402"]);
        let poly = EXAMPLE.replace(
            "polygon (700,100) (900,100) (900,200)",
            "polygon (700,100) (900,100)",
        );
        assert_eq!(errors_of(&poly).0, vec!["E0403"]);
        let dup = EXAMPLE.replace("网格长       level village", "网格员 level village");
        // 网格长 is gone too, so T5 names an unknown role.
        assert_eq!(errors_of(&dup).0, vec!["E0201", "E0202"]);
    }

    #[test]
    fn keyword_typo_gets_the_nearest_keyword() {
        let (codes, rendered) = errors_of(&EXAMPLE.replace("shelter 竹源小学", "shleter 竹源小学"));
        assert!(codes.contains(&"E0125"), "{rendered}");
        assert!(rendered.contains("did you mean `shelter`"), "{rendered}");
    }

    #[test]
    fn wrong_unit_kind_is_named() {
        let (codes, rendered) = errors_of(&EXAMPLE.replace("duration 12h", "duration 12m"));
        assert_eq!(codes, vec!["E0303"], "{rendered}");
    }

    #[test]
    fn actions_log_resolves_against_the_scenario() {
        let (_, result) = check_text("doc-example.drill", EXAMPLE);
        let scenario = result.scenario.unwrap();
        let mut sources = super::super::SourceMap::new();
        let f = sources.add(
            "log.drill",
            "actions zhuyuan-flood-2026 {\n  20:07 村应急管理员 warn zone 下村低洼区 via [loudspeaker sms] with 村广播\n  20:12 镇现场指挥官 report_at_post\n  20:31 网格员 knock_doors zone 下村低洼区 with megaphone 4\n  21:55 村民兵小分队 evacuate [elderly disabled] from 下村 to 竹源小学\n}\n",
        );
        let (log, diags) = super::super::check_actions(&scenario, &sources, f);
        let log = log.unwrap_or_else(|| panic!("{}", render(&diags, &sources)));
        assert_eq!(log.actions.len(), 4);
        assert_eq!(log.actions[0].at_s, 7.0 * 60.0);
        assert_eq!(log.actions[2].with[0].quantity, 4);
        let bad = sources.add(
            "bad.drill",
            "actions zhuyuan-flood-2026 {\n  20:07 村应急管里员 warn zone 下村低洼区\n}\n",
        );
        let (log, diags) = super::super::check_actions(&scenario, &sources, bad);
        assert!(log.is_none());
        assert!(render(&diags, &sources).contains("did you mean `村应急管理员`"));
    }
}
