//! `drill compare` — a village's drills across years side by side (the annual drill):
//! the score trend, each task's rating per drill, the tasks that improved or regressed
//! from the first drill to the latest, and the corrective actions still open (their
//! task is still below P, or their outcome target still missed, in the latest drill).

use super::{CorrectiveAction, Rating, ScoreReport};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillRow {
    pub date: String,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenAction {
    /// The drill that raised it.
    pub raised: String,
    pub action: CorrectiveAction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub drills: Vec<DrillRow>,
    pub tasks: Vec<TaskRow>,
    pub improved: Vec<String>,
    pub regressed: Vec<String>,
    pub open_actions: Vec<OpenAction>,
    pub closed_actions: Vec<OpenAction>,
}

fn date(r: &ScoreReport) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        r.start.year, r.start.month, r.start.day
    )
}

/// Compares reports, sorted by drill date (then by input order).
pub fn compare(reports: &[ScoreReport]) -> Comparison {
    let mut order: Vec<&ScoreReport> = reports.iter().collect();
    order.sort_by_key(|r| r.start);
    let drills = order
        .iter()
        .map(|r| DrillRow {
            date: date(r),
            scenario_id: r.scenario_id.clone(),
            total: r.total,
            passed: r.passed,
        })
        .collect();
    let mut ids: Vec<(String, String)> = Vec::new();
    for r in &order {
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
            ratings: order.iter().map(|r| rating_in(r, id)).collect(),
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
    let mut open_actions = Vec::new();
    let mut closed_actions = Vec::new();
    if let Some(latest) = order.last() {
        let missed: BTreeSet<&str> = latest
            .outcomes
            .targets
            .iter()
            .filter(|o| !o.met)
            .map(|o| o.name.zh.as_str())
            .collect();
        for r in &order {
            for a in &r.corrective_actions {
                let still_open = match &a.task {
                    Some(id) => rating_in(latest, id).is_some_and(|x| x != Rating::P),
                    None => missed.contains(a.issue.as_str()),
                };
                let entry = OpenAction {
                    raised: date(r),
                    action: a.clone(),
                };
                if still_open {
                    open_actions.push(entry);
                } else {
                    closed_actions.push(entry);
                }
            }
        }
    }
    Comparison {
        drills,
        tasks,
        improved,
        regressed,
        open_actions,
        closed_actions,
    }
}

/// The comparison as Markdown.
pub fn render(c: &Comparison) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "# 历年演练对比 / Drills across years\n");
    let _ = writeln!(
        out,
        "| 日期 Date | 情景 Scenario | 总分 Total | 结论 Result |"
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
            d.date,
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
    let header: Vec<&str> = c.drills.iter().map(|d| d.date.as_str()).collect();
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
    let _ = writeln!(out, "## 未关闭的纠正行动 / Corrective actions still open\n");
    if c.open_actions.is_empty() {
        let _ = writeln!(out, "- —");
    }
    for a in &c.open_actions {
        let _ = writeln!(
            out,
            "- [{}] {} {}: {} / {} — {} , {}",
            a.raised,
            a.action.id,
            a.action.issue,
            a.action.action.zh,
            a.action.action.en,
            a.action.owner,
            a.action.due
        );
    }
    let _ = writeln!(out, "\n已关闭 / closed: {}", c.closed_actions.len());
    out
}
