//! Pass 2: syntax tree to [`Scenario`] (and `actions` logs to [`ActionLog`]).
//!
//! Statements are read with a small cursor over each line's nodes; every value is
//! converted to SI units, every name is resolved to an index, and every problem is
//! recorded: the pass never stops at the first one. Blocks are read in dependency
//! order (map, roles, resources, teams, hazards, plan, injects, scoring, behaviour) whatever
//! their order in the file, so a name may be used before the block that defines it.
//! Semantic checks (capacities, quantities, deadlines, cycles) run once everything is
//! resolved. A scenario is returned only when there is no error.
//!
//! This module holds the entry point [`validate`], the validator state `V`, the name
//! tables and name resolution (E0201 duplicates, E0202 unknown names) and the
//! top-level block checks (E0120–E0124). Each block is read by its own child module,
//! which also owns the diagnostics that block emits; `cursor` and `units` hold the
//! readers every block shares.

use super::diagnostic::Diagnostic;
use super::keywords::{self, which};
use super::syntax::{Node, NodeKind, SyntaxFile, lines};
use crate::model::*;
use cursor::Cur;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::BuildHasherDefault;

mod actions;
mod basemap;
mod behaviour;
mod checks;
mod cursor;
mod hazards;
mod injects;
mod institutions;
mod map;
mod plan;
mod reach;
mod resources;
mod roles;
mod scenario;
mod scoring;
mod teams;
mod terrain;
mod units;

pub use actions::validate_actions;
pub use basemap::basemap_unreadable;
pub use reach::{logged_out_of_loudspeaker_reach, out_of_loudspeaker_reach};
pub use terrain::{TerrainExtent, off_the_terrain, terrain_unreadable};
pub use units::{Dim, unit_info};

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

/// The validator: the scenario as built so far, its name tables and every diagnostic.
/// Each block's module adds the `impl V` that reads it.
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
    /// Institutions' `responsible` (place, name, where, quoted), resolved once the
    /// roles are read (the map comes first).
    responsibles: Vec<(usize, String, Span, bool)>,
    /// `coordinates lonlat`: points are longitude/latitude in this datum, laid on the
    /// map by this frame (set by the map block, read by every `point`).
    lonlat: Option<(crate::geo::LocalFrame, crate::geo::Datum)>,
}

/// A top-level block: its file, its body, and its header line (keyword and words
/// before the `{`).
type Block<'a> = (u32, &'a [Node<'a>], Cur<'a>);

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
        responsibles: Vec::new(),
        lonlat: None,
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
        "behaviour",
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
    let behaviour = take("behaviour");

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
    v.resolve_responsibles();
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
    for (i, p) in behaviour.iter().enumerate() {
        if i > 0 {
            v.duplicate_block(&p.2, "behaviour");
        }
        v.behaviour(p);
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

/// The index of a name that did not resolve: reading goes on, and the error is
/// already reported.
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
}

#[cfg(test)]
mod tests {
    use super::super::{check_text, render};
    use crate::model::*;

    pub(super) const EXAMPLE: &str = include_str!("../../../tests/data/doc-example.drill");
    pub(super) fn errors_of(text: &str) -> (Vec<&'static str>, String) {
        let (sources, result) = check_text("t.drill", text);
        let codes = result
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect();
        (codes, render(&result.diagnostics, &sources))
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
            include_str!("../../../tests/data/doc-example-zh.drill"),
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
        // Groups overlap: their sum may exceed `people`, a single group may not.
        assert_eq!(errors_of(&groups).0, Vec::<&str>::new());
        let group = EXAMPLE.replace(
            "elderly 52 disabled 6 outdoor_workers 9",
            "elderly 190 disabled 6 outdoor_workers 9",
        );
        assert_eq!(errors_of(&group).0, vec!["E0401"]);
        let poly = EXAMPLE.replace(
            "polygon (700,100) (900,100) (900,200)",
            "polygon (700,100) (900,100)",
        );
        assert_eq!(errors_of(&poly).0, vec!["E0403"]);
        let dup = EXAMPLE.replace("网格长       level village", "网格员 level village");
        // 网格长 is gone too, so T5 names an unknown role.
        assert_eq!(errors_of(&dup).0, vec!["E0201", "E0202"]);
    }
}
