//! 演练评估 — scoring and the after-action report, as a pure function of the scenario,
//! the participants' action log (or none: the plan as written) and the simulation's
//! event log. Nothing here runs the simulation or touches a file, so a stored event
//! log can be re-scored at any time and a replay scores the same.
//!
//! Each plan task (应急处置卡: 谁来做、做什么、怎么做、用什么资源、何时完成) is matched with
//! the work done for it and rated P/S/M/U as US HSEEP does (performed without
//! challenges / with some / with major challenges / unable to be performed), on four
//! criteria weighted by the scenario's `scoring` block: timeliness (时效), completeness
//! (完成度: the share the simulation says was reached), resources and channels (资源),
//! and roles (职责: the right people did it). The 四个100% and other outcome metrics,
//! the weighted total and the 合格/需整改 conclusion, the after-action report
//! (总结评估报告: strengths, areas for improvement, corrective actions with an owner and
//! a due date, after AQ/T 9009 and GB/T 46792-2025) and its time series follow.
//!
//! Code map: `facts` (one pass over the event log), `tasks` (matching and per-task
//! rating), `outcomes` (四个100%, times to warn and to clear), `series` (charts' data),
//! `aar` (strengths, improvements, corrective actions), `render` (HTML with inline
//! SVG, Markdown), `batch` (Monte Carlo over seeds), `compare` (drills across years).

pub mod aar;
pub mod batch;
pub mod causes;
pub mod compare;
pub mod document;
pub mod docx;
pub mod facts;
pub mod meta;
pub mod outcomes;
pub mod render;
pub mod rules;
pub mod series;
pub mod tasks;
pub mod text;

use crate::model::{ActionLog, DateTime, Scenario};
use crate::sim::events::{TimedEvent, log_hash};
use serde::{Deserialize, Serialize};
pub use text::Text;

/// HSEEP performance rating of one task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rating {
    /// Performed without challenges (完成良好).
    P,
    /// Performed with some challenges (基本完成).
    S,
    /// Performed with major challenges (存在较大问题).
    M,
    /// Unable to be performed (未能完成).
    U,
}

impl Rating {
    pub fn label(self) -> Text {
        match self {
            Rating::P => Text::new("完成良好", "performed without challenges"),
            Rating::S => Text::new("基本完成", "performed with some challenges"),
            Rating::M => Text::new("存在较大问题", "performed with major challenges"),
            Rating::U => Text::new("未能完成", "unable to be performed"),
        }
    }

    pub fn letter(self) -> &'static str {
        match self {
            Rating::P => "P",
            Rating::S => "S",
            Rating::M => "M",
            Rating::U => "U",
        }
    }

    pub const ALL: [Rating; 4] = [Rating::P, Rating::S, Rating::M, Rating::U];
}

/// What kind of shortcoming a reason names (for counting across runs and years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ReasonCode {
    /// Nobody did it (未执行).
    NotDone,
    /// Tried, but the simulation refused it (team busy, resource not held...).
    Rejected,
    /// Started after its deadline.
    Late,
    /// Done before what it depends on (返回 before 评估).
    OutOfOrder,
    /// Done by someone the plan does not name.
    WrongActor,
    /// One of the plan's `who` did not take part.
    MissingActor,
    /// A planned channel was not used.
    MissingChannel,
    /// A planned resource was not used at all.
    MissingResource,
    /// Fewer units than planned.
    ShortQuantity,
    /// A resource the plan does not name was used instead.
    WrongResource,
    /// Aimed at another zone or place than planned.
    WrongTarget,
    /// Other groups of people than planned.
    WrongGroups,
    /// Another shelter than planned.
    WrongShelter,
    /// The required share (100 % of households...) was not reached.
    Shortfall,
    /// Started but not finished by the end of the drill, or finished in part.
    Unfinished,
    /// The work failed in the simulation (no route...).
    Failed,
    /// People were sent home before the safety assessment (返回前评估).
    ReturnBeforeAssessment,
    /// 排队 — the order waited behind other work of a busy team.
    Queued,
    /// The shelter the people were sent to was full.
    ShelterFull,
    /// A road, path or bridge the work needed was closed by the hazard or an inject.
    RoadClosed,
    /// 渠道失效 — a warning channel or its equipment made no contact: a loudspeaker
    /// without backup power in a power cut, equipment or a channel out of service,
    /// the phones down.
    ChannelSilent,
}

/// One reason behind a rating, in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub zh: String,
    pub en: String,
}

impl Reason {
    pub fn new(code: ReasonCode, zh: impl Into<String>, en: impl Into<String>) -> Reason {
        Reason {
            code,
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// The four criteria of a task, each 0..=100.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Criteria {
    pub timeliness: f64,
    pub completeness: f64,
    pub resources: f64,
    pub roles: f64,
}

/// One plan task, scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskScore {
    pub id: String,
    pub title: String,
    /// The plan's `who`, by name.
    pub who: Vec<String>,
    /// When the task became due (its trigger fired), seconds from the start.
    pub trigger_s: Option<f64>,
    pub deadline_s: Option<f64>,
    /// First start (the order) and last finish of the work matched to it.
    pub started_s: Option<f64>,
    pub finished_s: Option<f64>,
    /// When the work took effect (households reached, the object cleared, the first
    /// rescued landed, the road closed...): timeliness is judged on this, not the order.
    #[serde(default)]
    pub effect_s: Option<f64>,
    /// Seconds past the deadline (only when late).
    pub late_s: Option<f64>,
    /// The requirement (percent) and the share the simulation reached.
    pub required_percent: Option<f64>,
    pub reached_percent: Option<f64>,
    /// When the required share was reached.
    pub reached_at_s: Option<f64>,
    /// The action log entries matched to the task (0-based, log order).
    pub actions: Vec<u32>,
    pub criteria: Criteria,
    /// Weighted score 0..=100.
    pub score: f64,
    /// `None` when the task never became due and nobody did it (not scored).
    pub rating: Option<Rating>,
    pub reasons: Vec<Reason>,
    /// The rules that capped the rating (`rules::RatingCap`), most severe last.
    #[serde(default)]
    pub caps: Vec<rules::RatingCap>,
    /// Facts an evaluator needs that are no fault of the task (a due time moved by a
    /// late prerequisite).
    #[serde(default)]
    pub notes: Vec<Text>,
}

/// One outcome metric against its target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeScore {
    pub metric: crate::model::Outcome,
    pub name: Text,
    pub value_percent: f64,
    pub target_percent: Option<f64>,
    pub met: bool,
    /// 否决项: missing it keeps the drill from 合格 (`rules::verdict`).
    #[serde(default)]
    pub veto: bool,
    /// What the percentage counts, e.g. "268 / 281 人".
    pub detail: Text,
}

/// Time for one evacuation target to be cleared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clearance {
    pub target: String,
    pub people: u32,
    pub left: u32,
    /// When the last person reached safety, if everyone did.
    pub cleared_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcomes {
    pub title: String,
    pub targets: Vec<OutcomeScore>,
    /// When the last household of the warning targets was warned, if all were.
    pub all_warned_s: Option<f64>,
    pub warned_people: u32,
    pub people_to_warn: u32,
    pub clearance: Vec<Clearance>,
    /// People caught by the hazard (cumulative).
    pub exposed: u32,
    /// People trapped at some point (households caught at home and inject-trapped).
    pub trapped: u32,
    pub rescued: u32,
    /// Trapped and not rescued when the drill ended.
    pub still_trapped: u32,
}

/// A corrective action (纠正行动) with its owner and due date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectiveAction {
    /// Numbered once per report: CA1, CA2...
    pub id: String,
    /// Stable across reports of the same scenario (`T5/left-behind`,
    /// `outcome/evacuated`): `drill compare` follows an action from year to year by it;
    /// empty in reports written before it existed, where the issue text stands in.
    #[serde(default)]
    pub key: String,
    /// The task it follows from (`None` for an outcome target).
    pub task: Option<String>,
    /// What it follows from: a task id or an outcome metric's name.
    pub issue: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub action: Text,
}

/// The whole evaluation of one drill run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    pub scenario_id: String,
    pub title: String,
    pub plan_title: String,
    pub start: DateTime,
    pub seed: u64,
    /// "actions" (a recorder's log) or "plan" (the plan as written).
    pub mode: String,
    pub log_hash: String,
    pub tasks: Vec<TaskScore>,
    pub outcomes: Outcomes,
    /// Mean of the scored tasks' weighted scores, 0..=100.
    pub total: f64,
    pub pass_score: f64,
    /// `verdict == Pass`.
    pub passed: bool,
    #[serde(default)]
    pub verdict: rules::Verdict,
    /// The veto rules broken (empty when none).
    #[serde(default)]
    pub vetoes: Vec<rules::Veto>,
    pub conclusion: Text,
    pub strengths: Vec<Text>,
    pub improvements: Vec<Text>,
    pub corrective_actions: Vec<CorrectiveAction>,
    /// Actions that matched no plan task.
    pub unmatched_actions: Vec<u32>,
    pub series: series::Series,
}

/// Scores one drill run. `actions` is the recorder's log the run was driven by (its
/// entries are `ActionId`s 0.. in log order); `None` scores the plan as written, from
/// the work the simulation performed for each task.
pub fn score(
    scenario: &Scenario,
    actions: Option<&ActionLog>,
    events: &[TimedEvent],
) -> ScoreReport {
    let facts = facts::Facts::from_events(scenario, events);
    let perfs = tasks::performances(scenario, actions, &facts);
    let assignment = tasks::assign(scenario, &perfs);
    let task_scores = tasks::score_tasks(scenario, &facts, &perfs, &assignment);
    let outcomes = outcomes::outcomes(scenario, &facts, &perfs);
    let scored: Vec<f64> = task_scores
        .iter()
        .filter(|t| t.rating.is_some())
        .map(|t| t.score)
        .collect();
    let total = if scored.is_empty() {
        0.0
    } else {
        round1(scored.iter().sum::<f64>() / scored.len() as f64)
    };
    let pass_score = scenario.scoring.pass_score;
    let (verdict, vetoes) = rules::verdict(total, pass_score, &outcomes);
    let passed = verdict == rules::Verdict::Pass;
    let label = verdict.label();
    let mut conclusion = Text::new(
        format!("{} (总分 {total:.1}, 合格线 {pass_score:.0})", label.zh),
        format!("{} (total {total:.1}, pass mark {pass_score:.0})", label.en),
    );
    if !vetoes.is_empty() {
        let zh: Vec<&str> = vetoes.iter().map(|v| v.text.zh.as_str()).collect();
        let en: Vec<&str> = vetoes.iter().map(|v| v.text.en.as_str()).collect();
        conclusion
            .zh
            .push_str(&format!("; 否决项: {}", zh.join("; ")));
        conclusion
            .en
            .push_str(&format!("; vetoed by: {}", en.join("; ")));
    }
    let unmatched_actions = perfs
        .iter()
        .enumerate()
        .filter(|(i, _)| assignment[*i].is_none())
        .filter_map(|(_, p)| p.action)
        .collect();
    let series = series::series(scenario, &facts);
    let mut report = ScoreReport {
        scenario_id: scenario.header.id.clone(),
        title: scenario.header.title.clone(),
        plan_title: scenario.plan.title.clone(),
        start: scenario.header.start,
        seed: facts.seed,
        mode: if actions.is_some() { "actions" } else { "plan" }.into(),
        log_hash: format!("{:016x}", log_hash(events)),
        tasks: task_scores,
        outcomes,
        total,
        pass_score,
        passed,
        verdict,
        vetoes,
        conclusion,
        strengths: Vec::new(),
        improvements: Vec::new(),
        corrective_actions: Vec::new(),
        unmatched_actions,
        series,
    };
    aar::fill(scenario, &mut report);
    report
}

/// Rounds to one decimal, so reports and snapshots do not show float noise.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
