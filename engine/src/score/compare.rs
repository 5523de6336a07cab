//! `drill compare` — a village's drills across years side by side (the annual drill):
//! the score trend, each task's rating per drill, the tasks that improved or regressed
//! from the first drill to the latest, and the corrective actions followed across the
//! drills by their stable key (or their issue, in reports written before keys): open
//! while the latest drill raises the same finding again. Each drill's column is
//! headed by the date it was held and 演练 (a recorder's log) or 计划 (the plan as
//! written), numbered when two would read alike.

use super::{CorrectiveAction, Rating, ScoreReport};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillRow {
    /// The date the drill was held (`YYYY-MM-DD`).
    pub date: String,
    /// 演练 (scored from a recorder's log) or 计划 (the plan as written, simulated).
    pub label: String,
    /// The column heading: date and label, numbered when two drills would share it.
    pub heading: String,
    pub scenario_id: String,
    pub total: f64,
    pub passed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRow {
    pub id: String,
    pub title: String,
    /// Rating per drill, oldest first (`None`: not scored or not in that plan).
    pub ratings: Vec<Option<Rating>>,
}

/// One corrective action followed across the drills (the same finding raised again
/// counts once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenAction {
    /// Its number in this comparison, 1.. in the order first raised.
    pub no: usize,
    /// What follows it: the action's stable `key`, or its issue where a report has
    /// no key.
    pub key: String,
    /// The heading of the drill that first raised it.
    pub raised: String,
    /// The headings of every drill that raised it, oldest first.
    pub seen: Vec<String>,
    /// As the latest drill that raised it words it.
    pub action: CorrectiveAction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub drills: Vec<DrillRow>,
    pub tasks: Vec<TaskRow>,
    pub improved: Vec<String>,
    pub regressed: Vec<String>,
    /// Raised again by the latest drill.
    pub open_actions: Vec<OpenAction>,
    /// Not raised by the latest drill.
    pub closed_actions: Vec<OpenAction>,
}

fn start_date(r: &ScoreReport) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        r.start.year, r.start.month, r.start.day
    )
}

/// 演练 / 计划, from the report's `mode`.
pub fn label(r: &ScoreReport) -> &'static str {
    if r.mode == "plan" { "计划" } else { "演练" }
}

/// Two corrective actions are the same finding when their keys agree, or (where
/// either has no key: a report written before keys) their issues do.
pub fn same_finding(a: &CorrectiveAction, b: &CorrectiveAction) -> bool {
    if !a.key.is_empty() && !b.key.is_empty() {
        a.key == b.key
    } else {
        a.issue == b.issue
    }
}

/// Compares reports by the date each drill started (see [`compare_held`]).
pub fn compare(reports: &[ScoreReport]) -> Comparison {
    let held: Vec<(ScoreReport, Option<String>)> =
        reports.iter().map(|r| (r.clone(), None)).collect();
    compare_held(&held)
}

/// Compares reports, each with the date it was held (`YYYY-MM-DD`, from its
/// 演练概况; `None`: the scenario's start date), sorted by that date, then by start
/// time, then by input order.
pub fn compare_held(reports: &[(ScoreReport, Option<String>)]) -> Comparison {
    let mut order: Vec<(&ScoreReport, String)> = reports
        .iter()
        .map(|(r, held)| {
            (
                r,
                held.clone()
                    .filter(|h| !h.is_empty())
                    .unwrap_or_else(|| start_date(r)),
            )
        })
        .collect();
    order.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.start.cmp(&b.0.start)));
    let base: Vec<String> = order
        .iter()
        .map(|(r, date)| format!("{date} {}", label(r)))
        .collect();
    let mut seen_base: Vec<&String> = Vec::new();
    let headings: Vec<String> = base
        .iter()
        .map(|b| {
            let total = base.iter().filter(|x| *x == b).count();
            seen_base.push(b);
            if total > 1 {
                let n = seen_base.iter().filter(|x| **x == b).count();
                format!("{b} ({n})")
            } else {
                b.clone()
            }
        })
        .collect();
    let drills = order
        .iter()
        .zip(&headings)
        .map(|((r, date), heading)| DrillRow {
            date: date.clone(),
            label: label(r).to_string(),
            heading: heading.clone(),
            scenario_id: r.scenario_id.clone(),
            total: r.total,
            passed: r.passed,
        })
        .collect();
    let mut ids: Vec<(String, String)> = Vec::new();
    for (r, _) in &order {
        for t in &r.tasks {
            if !ids.iter().any(|(id, _)| id == &t.id) {
                ids.push((t.id.clone(), t.title.clone()));
            }
        }
    }
    let rating_in = |r: &ScoreReport, id: &str| -> Option<Rating> {
        r.tasks.iter().find(|t| t.id == id).and_then(|t| t.rating)
    };
    let tasks: Vec<TaskRow> = ids
        .iter()
        .map(|(id, title)| TaskRow {
            id: id.clone(),
            title: title.clone(),
            ratings: order.iter().map(|(r, _)| rating_in(r, id)).collect(),
        })
        .collect();
    let mut improved = Vec::new();
    let mut regressed = Vec::new();
    for row in &tasks {
        let rated: Vec<Rating> = row.ratings.iter().flatten().copied().collect();
        if let (Some(first), Some(last)) = (rated.first(), rated.last()) {
            // Rating order is P < S < M < U: smaller is better.
            if last < first {
                improved.push(row.id.clone());
            } else if last > first {
                regressed.push(row.id.clone());
            }
        }
    }
    // Each finding once: the drills that raised it, worded as the latest did.
    let mut followed: Vec<(OpenAction, Vec<CorrectiveAction>, usize)> = Vec::new();
    for (i, ((r, _), heading)) in order.iter().zip(&headings).enumerate() {
        for a in &r.corrective_actions {
            match followed
                .iter_mut()
                .find(|(_, all, _)| all.iter().any(|b| same_finding(a, b)))
            {
                Some((entry, all, last)) => {
                    if entry.seen.last() != Some(heading) {
                        entry.seen.push(heading.clone());
                    }
                    entry.action = a.clone();
                    if !a.key.is_empty() {
                        entry.key = a.key.clone();
                    }
                    all.push(a.clone());
                    *last = i;
                }
                None => followed.push((
                    OpenAction {
                        no: followed.len() + 1,
                        key: if a.key.is_empty() {
                            a.issue.clone()
                        } else {
                            a.key.clone()
                        },
                        raised: heading.clone(),
                        seen: vec![heading.clone()],
                        action: a.clone(),
                    },
                    vec![a.clone()],
                    i,
                )),
            }
        }
    }
    let latest = order.len().saturating_sub(1);
    let (open, closed): (Vec<_>, Vec<_>) = followed
        .into_iter()
        .partition(|(_, _, last)| *last == latest);
    Comparison {
        drills,
        tasks,
        improved,
        regressed,
        open_actions: open.into_iter().map(|(e, _, _)| e).collect(),
        closed_actions: closed.into_iter().map(|(e, _, _)| e).collect(),
    }
}

/// The comparison as Markdown.
pub fn render(c: &Comparison) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "# 历年演练对比 / Drills across years\n");
    let _ = writeln!(
        out,
        "| 演练 Drill | 情景 Scenario | 总分 Total | 结论 Result |"
    );
    let _ = writeln!(out, "|---|---|---|---|");
    let mut prev: Option<f64> = None;
    for d in &c.drills {
        let trend = match prev {
            Some(p) if d.total > p + 0.05 => format!(" ↑{:.1}", d.total - p),
            Some(p) if d.total < p - 0.05 => format!(" ↓{:.1}", p - d.total),
            Some(_) => " →".into(),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {:.1}{} | {} |",
            d.heading,
            d.scenario_id,
            d.total,
            trend,
            if d.passed {
                "合格 pass"
            } else {
                "需整改 needs rework"
            }
        );
        prev = Some(d.total);
    }
    let _ = writeln!(out, "\n## 任务评定 / Task ratings\n");
    let header: Vec<&str> = c.drills.iter().map(|d| d.heading.as_str()).collect();
    let _ = writeln!(out, "| 任务 Task | {} |", header.join(" | "));
    let _ = writeln!(out, "|---|{}", "---|".repeat(header.len()));
    for t in &c.tasks {
        let cells: Vec<&str> = t
            .ratings
            .iter()
            .map(|r| r.map_or("—", |x| x.letter()))
            .collect();
        let _ = writeln!(out, "| {} {} | {} |", t.id, t.title, cells.join(" | "));
    }
    let _ = writeln!(
        out,
        "\n- 进步 / improved: {}\n- 退步 / regressed: {}\n",
        if c.improved.is_empty() {
            "—".into()
        } else {
            c.improved.join(", ")
        },
        if c.regressed.is_empty() {
            "—".into()
        } else {
            c.regressed.join(", ")
        }
    );
    let _ = writeln!(
        out,
        "计划 = 按预案推演 plan as written · 演练 = 按演练记录 drill as recorded\n"
    );
    let _ = writeln!(out, "## 未关闭的纠正行动 / Corrective actions still open\n");
    if c.open_actions.is_empty() {
        let _ = writeln!(out, "- —");
    }
    for a in &c.open_actions {
        let _ = writeln!(
            out,
            "{}. {}: {} / {} — {}, {} ({})",
            a.no,
            a.action.issue,
            a.action.action.zh,
            a.action.action.en,
            a.action.owner,
            a.action.due,
            a.seen.join(" → ")
        );
    }
    let _ = writeln!(out, "\n## 已关闭 / Closed\n");
    if c.closed_actions.is_empty() {
        let _ = writeln!(out, "- —");
    }
    for a in &c.closed_actions {
        let _ = writeln!(
            out,
            "{}. {}: {} ({})",
            a.no,
            a.action.issue,
            a.action.action.zh,
            a.seen.join(" → ")
        );
    }
    out
}
