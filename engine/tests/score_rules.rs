//! The evaluation rules (`docs/SCORING.md`), one test each, on the 竹源 flood with its
//! perfect log edited to carry one fault: people left behind, a late boat, a return
//! before the assessment, a missed 四个100% target under a high mean, a queued order, a
//! refused order. Each asserts the verdict, the task's rating and the reason text a
//! drill evaluator reads.

mod common;

use common::{example, example_log, examples_dir};
use drill_engine::io;
use drill_engine::lang::{self, SourceMap};
use drill_engine::model::{ActionLog, Scenario};
use drill_engine::score::rules::{RatingCap, Verdict};
use drill_engine::score::{self, Rating, ReasonCode, ScoreReport, TaskScore};

fn scenario() -> Scenario {
    example("zhuyuan-flash-flood").0
}

/// The perfect log with `(from, to)` line edits (`to` empty: the line goes).
fn log(s: &Scenario, edits: &[(&str, &str)]) -> ActionLog {
    let path = examples_dir().join("zhuyuan-flash-flood.perfect.actions.drill");
    let mut text = io::read_text(&path).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "the perfect log has no `{from}`");
        text = text.replace(from, to);
    }
    let mut sources = SourceMap::new();
    let id = sources.add("edited.actions.drill", text);
    let (log, diags) = lang::check_actions(s, &sources, id);
    log.unwrap_or_else(|| panic!("{}", lang::render(&diags, &sources)))
}

fn scored(edits: &[(&str, &str)]) -> ScoreReport {
    let s = scenario();
    let log = log(&s, edits);
    let events = score::batch::simulate(&s, None, Some(&log), s.header.seed).unwrap();
    score::score(&s, Some(&log), &events)
}

fn task<'a>(r: &'a ScoreReport, id: &str) -> &'a TaskScore {
    r.tasks.iter().find(|t| t.id == id).unwrap()
}

fn reasons_zh(t: &TaskScore) -> String {
    t.reasons
        .iter()
        .map(|r| r.zh.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn the_perfect_log_passes_with_no_veto() {
    let r = scored(&[]);
    assert_eq!(r.verdict, Verdict::Pass);
    assert!(r.passed && r.vetoes.is_empty());
    assert!(r.conclusion.zh.starts_with("合格"), "{}", r.conclusion.zh);
}

#[test]
fn people_left_behind_cap_the_evacuation_at_m_and_need_rework() {
    // 溪口 moved only at 22:15: the bridge, its one way out, is closed at 22:23.
    let r = scored(&[
        (
            "  21:07 村志愿者服务队 evacuate from 溪口 to 村文化礼堂\n",
            "",
        ),
        (
            "  22:23 乡综合应急救援队 close bridge",
            "  22:15 村志愿者服务队 evacuate from 溪口 to 村文化礼堂\n  22:23 乡综合应急救援队 close bridge",
        ),
    ]);
    let t9 = task(&r, "T9");
    assert_eq!(t9.rating, Some(Rating::M), "{}", reasons_zh(t9));
    assert!(t9.caps.contains(&RatingCap::LeftInDanger));
    let why = reasons_zh(t9);
    assert!(
        why.contains("溪口仍有") && why.contains("人未转移"),
        "{why}"
    );
    // The 四个100% target 危险区人员转移 is missed: a veto, whatever the mean.
    assert_eq!(r.verdict, Verdict::Rework, "{}", r.conclusion.zh);
    assert!(r.total >= r.pass_score, "total {}", r.total);
    assert!(
        r.vetoes
            .iter()
            .any(|v| v.rule == "V2" && v.text.zh.contains("危险区人员转移"))
    );
    assert!(r.conclusion.zh.starts_with("需整改"), "{}", r.conclusion.zh);
    assert!(
        r.corrective_actions
            .iter()
            .any(|a| a.key == "T9/left-behind" && a.action.zh.contains("一对一")),
        "{:?}",
        r.corrective_actions
    );
}

#[test]
fn a_late_boat_is_late_on_its_first_landing_not_its_order() {
    // The county team sent at 00:40, 2 h after the bridge went: due 22:35 + 130 min.
    let r = scored(&[(
        "  23:40 县综合应急救援队 rescue 溪口",
        "  00:40 县综合应急救援队 rescue 溪口",
    )]);
    let t12 = task(&r, "T12");
    let why = reasons_zh(t12);
    assert!(t12.codes_contain(ReasonCode::Late), "{why}");
    assert!(
        why.contains("应于00:45前首批被困人员获救上岸") && why.contains("00:40下令"),
        "{why}"
    );
    let landed = t12.effect_s.unwrap();
    assert!(landed > t12.started_s.unwrap() + 600.0, "landed {landed}");
    assert_ne!(t12.rating, Some(Rating::P));
}

#[test]
fn a_return_before_the_assessment_is_at_most_m() {
    let r = scored(&[(
        "  06:00 乡现场指挥官 return zone 下村低洼区",
        "  05:10 乡现场指挥官 return zone 下村低洼区",
    )]);
    let t15 = task(&r, "T15");
    assert_eq!(t15.rating, Some(Rating::M), "{}", reasons_zh(t15));
    assert!(t15.caps.contains(&RatingCap::ReturnBeforeAssessment));
    let why = reasons_zh(t15);
    assert!(
        why.contains("05:10组织下村低洼区群众返回, 安全评估"),
        "{why}"
    );
    assert!(t15.codes_contain(ReasonCode::ReturnBeforeAssessment));
    assert_eq!(r.verdict, Verdict::Rework);
    assert!(
        r.corrective_actions
            .iter()
            .any(|a| a.key == "T15/return-before-assessment"),
        "{:?}",
        r.corrective_actions
    );
}

#[test]
fn a_missed_target_is_a_veto_under_a_high_mean() {
    // 网格长 never reports at the post: 责任人员到岗 is 3 of 4.
    let r = scored(&[("  20:52 网格长 report_at_post\n", "")]);
    assert!(r.total >= 90.0, "total {}", r.total);
    assert_eq!(r.verdict, Verdict::Rework);
    assert!(!r.passed);
    let v = &r.vetoes[0];
    assert_eq!(v.rule, "V2");
    assert!(
        v.text.zh.starts_with("责任人员到岗仅75.0%"),
        "{}",
        v.text.zh
    );
    let t2 = task(&r, "T2");
    assert!(
        reasons_zh(t2).contains("网格长未到岗"),
        "{}",
        reasons_zh(t2)
    );
    assert!(r.corrective_actions.iter().any(|a| a.key == "T2/post"));
}

#[test]
fn a_queued_order_names_the_busy_team_and_the_wait() {
    // The militia, still knocking in 溪口 (T4), is also sent to move 溪口.
    let r = scored(&[(
        "  21:07 村志愿者服务队 evacuate from 溪口",
        "  21:07 村民兵应急分队 evacuate from 溪口",
    )]);
    let t9 = task(&r, "T9");
    let queued: Vec<&str> = t9
        .reasons
        .iter()
        .filter(|x| x.code == ReasonCode::Queued)
        .map(|x| x.zh.as_str())
        .collect();
    assert_eq!(queued.len(), 1, "{}", reasons_zh(t9));
    assert!(
        queued[0].starts_with("村民兵应急分队正忙于T4「溪口预警敲门」, 命令排队"),
        "{}",
        queued[0]
    );
    assert!(queued[0].contains("21:07下令"), "{}", queued[0]);
}

#[test]
fn a_refused_order_says_why_in_names() {
    // The township team takes the county team's boats.
    let r = scored(&[(
        "  23:40 县综合应急救援队 rescue 溪口 with [冲锋舟 2]",
        "  23:40 乡综合应急救援队 rescue 溪口 with [冲锋舟 2]",
    )]);
    let t12 = task(&r, "T12");
    assert_eq!(t12.rating, Some(Rating::U));
    let why = reasons_zh(t12);
    assert!(
        why.contains("被拒绝: 冲锋舟是县综合应急救援队的装备"),
        "{why}"
    );
    // Nobody rescued the 23 trapped: V3 on top of the missed targets.
    assert!(r.vetoes.iter().any(|v| v.rule == "V3"), "{:?}", r.vetoes);
    assert_ne!(r.verdict, Verdict::Pass);
    // No engine identifier in any reason.
    for t in &r.tasks {
        for x in &t.reasons {
            for word in ["link ", "NoRoute", "TeamBusy", "Action(", "#"] {
                assert!(
                    !x.zh.contains(word) && !x.en.contains(word),
                    "{}: {}",
                    t.id,
                    x.en
                );
            }
        }
    }
}

trait Codes {
    fn codes_contain(&self, code: ReasonCode) -> bool;
}

impl Codes for TaskScore {
    fn codes_contain(&self, code: ReasonCode) -> bool {
        self.reasons.iter().any(|r| r.code == code)
    }
}

/// A trainer's own scenario and a mediocre drill (`scenarios/shimen-reservoir-*`): the
/// reservoir overtops at night, the township team is sent to the wrong hamlet first, so
/// the nursing home's order waits; 河湾 is moved late and 9 people are left; people go
/// home before the assessment. The verdict, every rating and every reason as reviewed.
#[test]
fn a_mediocre_reservoir_drill_reads_right_to_an_evaluator() {
    let (s, _) = example("shimen-reservoir-overtopping");
    let log = example_log(&s, "shimen-reservoir-overtopping");
    let events = score::batch::simulate(&s, None, Some(&log), s.header.seed).unwrap();
    let r = score::score(&s, Some(&log), &events);
    assert_eq!(r.verdict, Verdict::Rework, "{}", r.conclusion.zh);
    assert_eq!(task(&r, "T6").rating, Some(Rating::M));
    assert!(reasons_zh(task(&r, "T6")).contains("镇综合救援队正忙于T8「坝下全员转移」"));
    assert_eq!(task(&r, "T14").rating, Some(Rating::M));
    let mut table = String::new();
    for t in &r.tasks {
        table.push_str(&format!(
            "{} {} {}: {}\n",
            t.id,
            t.title,
            t.rating.map_or("-", |x| x.letter()),
            reasons_zh(t)
        ));
    }
    table.push_str(&format!("{}\n", r.conclusion.zh));
    for a in &r.corrective_actions {
        table.push_str(&format!("{} [{}] {} {}\n", a.id, a.key, a.owner, a.due));
    }
    insta::assert_snapshot!(table);
}
