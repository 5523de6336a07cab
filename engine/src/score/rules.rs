//! 评估规则 — the evaluation rules a county expects of a verdict and a rating
//! (`../shared/DOMAIN.md`, "Evaluation rules"; `docs/SCORING.md`). The mean of the task
//! scores is not the verdict: a missed 四个100% target or any outcome written `veto`
//! (否决项), or people still trapped when the drill ends, keeps a drill from 合格
//! whatever its mean; and a task's rating is capped by what it achieved, as HSEEP's P
//! means the objective was met, not that the order was punctual.
//!
//! Each rule has a stable code (`V1`, `C2`...) that the report's legend, the JSON and
//! the docs share.

use super::{OutcomeScore, Outcomes, Rating, Text};
use serde::{Deserialize, Serialize};

/// 评估结论 — the drill's verdict (`Pass` for reports written before it existed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Verdict {
    /// 合格 — the mean reaches the pass mark and no veto rule was broken.
    #[default]
    Pass,
    /// 需整改 — the mean reaches the pass mark, but a veto rule was broken.
    Rework,
    /// 不合格 — the mean is below the pass mark.
    Fail,
}

impl Verdict {
    pub fn label(self) -> Text {
        match self {
            Verdict::Pass => Text::new("合格", "pass"),
            Verdict::Rework => Text::new("需整改", "needs rework"),
            Verdict::Fail => Text::new("不合格", "fail"),
        }
    }
}

/// A rule that limits a task's rating, whatever its weighted score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RatingCap {
    /// C1: any shortcoming named in the reasons (late, a channel or resource missing,
    /// wrong object...) keeps a task from P.
    Challenge,
    /// C2: the task's `require` was not reached.
    Shortfall,
    /// C3: people were left in danger: not evacuated from the task's danger zone, or
    /// still trapped when the drill ended.
    LeftInDanger,
    /// C4: someone returned before the safety assessment (返回前评估).
    ReturnBeforeAssessment,
    /// C5: nothing of the task's object was reached.
    NothingReached,
}

impl RatingCap {
    /// The best rating the rule allows.
    pub fn limit(self) -> Rating {
        match self {
            RatingCap::Challenge | RatingCap::Shortfall => Rating::S,
            RatingCap::LeftInDanger | RatingCap::ReturnBeforeAssessment => Rating::M,
            RatingCap::NothingReached => Rating::U,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            RatingCap::Challenge => "C1",
            RatingCap::Shortfall => "C2",
            RatingCap::LeftInDanger => "C3",
            RatingCap::ReturnBeforeAssessment => "C4",
            RatingCap::NothingReached => "C5",
        }
    }

    pub fn text(self) -> Text {
        match self {
            RatingCap::Challenge => Text::new(
                "存在任一问题 (迟误、缺渠道或物资、对象或执行人不符等) 的任务最高评为S",
                "a task with any shortcoming (late, a channel or resource missing, wrong object or actor) is at best S",
            ),
            RatingCap::Shortfall => Text::new(
                "未达到处置卡要求比例 (require) 的任务最高评为S",
                "a task that did not reach its required share is at best S",
            ),
            RatingCap::LeftInDanger => Text::new(
                "危险区内仍有人员未转移, 或演练结束时仍有人员被困, 该任务最高评为M",
                "a task that left people in a danger zone, or trapped at the end, is at best M",
            ),
            RatingCap::ReturnBeforeAssessment => Text::new(
                "安全评估完成前即组织返回, 该任务最高评为M",
                "a return before the safety assessment was done is at best M",
            ),
            RatingCap::NothingReached => Text::new(
                "处置对象一个也未达到 (0%), 评为U",
                "a task that reached none of its object (0 %) is U",
            ),
        }
    }

    pub const ALL: [RatingCap; 5] = [
        RatingCap::Challenge,
        RatingCap::Shortfall,
        RatingCap::LeftInDanger,
        RatingCap::ReturnBeforeAssessment,
        RatingCap::NothingReached,
    ];
}

/// Applies the caps to a rating from the weighted score: the worse of the two.
pub fn capped(rating: Rating, caps: &[RatingCap]) -> Rating {
    caps.iter().map(|c| c.limit()).fold(rating, Rating::max)
}

/// The verdict rules, by code, for the legend and the docs.
pub fn verdict_rules(pass_score: f64) -> Vec<(&'static str, Text)> {
    vec![
        (
            "V1",
            Text::new(
                format!("总分 (各任务得分的平均) 低于合格线{pass_score:.0}分, 结论为不合格"),
                format!("a total (mean task score) below the pass mark {pass_score:.0} is a fail"),
            ),
        ),
        (
            "V2",
            Text::new(
                "四个100%或标为否决项 (veto) 的结果指标任一未达标, 结论至多为需整改, 不论总分",
                "a missed 四个100% target, or any outcome written `veto`, makes the drill need rework at best, whatever the total",
            ),
        ),
        (
            "V3",
            Text::new(
                "演练结束时仍有被困人员未获救, 结论至多为需整改",
                "people still trapped when the drill ends make it need rework at best",
            ),
        ),
    ]
}

/// One broken veto rule, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Veto {
    /// `V2` or `V3`.
    pub rule: String,
    pub text: Text,
}

/// The verdict from the total, the pass mark and the outcomes, with the vetoes behind
/// it (empty when none was broken).
pub fn verdict(total: f64, pass_score: f64, outcomes: &Outcomes) -> (Verdict, Vec<Veto>) {
    let mut vetoes: Vec<Veto> = outcomes
        .targets
        .iter()
        .filter(|o| o.veto && !o.met)
        .map(|o: &OutcomeScore| Veto {
            rule: "V2".into(),
            text: Text::new(
                format!(
                    "{}仅{:.1}%, 目标{:.0}% ({})",
                    o.name.zh,
                    o.value_percent,
                    o.target_percent.unwrap_or(100.0),
                    o.detail.zh
                ),
                format!(
                    "{} only {:.1} %, target {:.0} % ({})",
                    o.name.en,
                    o.value_percent,
                    o.target_percent.unwrap_or(100.0),
                    o.detail.en
                ),
            ),
        })
        .collect();
    if outcomes.still_trapped > 0 {
        vetoes.push(Veto {
            rule: "V3".into(),
            text: Text::new(
                format!("演练结束时仍有{}人被困未获救", outcomes.still_trapped),
                format!(
                    "{} people still trapped when the drill ended",
                    outcomes.still_trapped
                ),
            ),
        });
    }
    let verdict = if total < pass_score {
        Verdict::Fail
    } else if !vetoes.is_empty() {
        Verdict::Rework
    } else {
        Verdict::Pass
    };
    (verdict, vetoes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_take_the_worse_rating() {
        assert_eq!(capped(Rating::P, &[]), Rating::P);
        assert_eq!(capped(Rating::P, &[RatingCap::Shortfall]), Rating::S);
        assert_eq!(
            capped(Rating::S, &[RatingCap::Shortfall, RatingCap::LeftInDanger]),
            Rating::M
        );
        assert_eq!(capped(Rating::U, &[RatingCap::Challenge]), Rating::U);
        assert_eq!(capped(Rating::P, &[RatingCap::NothingReached]), Rating::U);
    }
}
