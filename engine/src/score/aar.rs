//! 总结评估报告 — the after-action report's judgement: strengths (做得好的), areas for
//! improvement (存在的问题) and corrective actions (纠正行动), each action with an owner
//! (the task's responsible role or team; the commander for outcome targets) and a due
//! date counted from the drill date: 30 days for a task that could not be performed
//! or an outcome target missed, 60 for major challenges, 90 for some challenges
//! (before the next flood season or annual drill, as AQ/T 9009 asks findings to be
//! fed back into the plan).

use super::{CorrectiveAction, Rating, ReasonCode, ScoreReport, Text};
use crate::model::{DateTime, Scenario};

/// Days after the drill by which a finding of this rating must be corrected.
pub fn due_days(rating: Rating) -> u32 {
    match rating {
        Rating::U => 30,
        Rating::M => 60,
        Rating::S | Rating::P => 90,
    }
}

/// The calendar date `days` after `date` (proleptic Gregorian), `YYYY-MM-DD`.
pub fn add_days(date: DateTime, days: u32) -> String {
    let z = days_from_civil(date.year, date.month, date.day) + i64::from(days);
    let (y, m, d) = civil_from_days(z);
    format!("{y:04}-{m:02}-{d:02}")
}

// Howard Hinnant's algorithms (public domain), days since 1970-01-01.
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// What to do about a task's main shortcoming.
fn remedy(code: ReasonCode, id: &str, title: &str, owner: &str) -> Text {
    use ReasonCode::*;
    match code {
        NotDone | Rejected => Text::new(
            format!("将{id}「{title}」纳入应急处置卡培训, 明确由{owner}负责, 下次演练专项检验"),
            format!("train {owner} on {id} '{title}' and test it on its own in the next drill"),
        ),
        Late => Text::new(
            format!("梳理{id}「{title}」的响应流程, 预置信息模板和联络清单, 确保在时限内完成"),
            format!(
                "streamline {id} '{title}' (message templates, call lists) so it is done within its time limit"
            ),
        ),
        OutOfOrder => Text::new(
            format!("在处置卡中强调{id}「{title}」的先后顺序, 前置任务完成并确认后方可执行"),
            format!(
                "make the order explicit on the response card: {id} '{title}' only after its prerequisite is confirmed"
            ),
        ),
        MissingChannel => Text::new(
            format!("{id}「{title}」须按处置卡多渠道同时发布, 检查各渠道设备并每月试用"),
            format!(
                "issue {id} '{title}' by every planned channel at once; test each channel monthly"
            ),
        ),
        MissingResource | ShortQuantity | WrongResource => Text::new(
            format!("核对{id}「{title}」所需物资装备, 按处置卡配齐、定点存放并每季度检查"),
            format!(
                "stock the equipment {id} '{title}' needs as planned, store it in place, check it quarterly"
            ),
        ),
        WrongActor | MissingActor => Text::new(
            format!("明确{id}「{title}」的责任人和AB岗, 更新应急处置卡并组织岗位培训"),
            format!(
                "name the responsible post and a deputy for {id} '{title}', update the card, train the posts"
            ),
        ),
        Shortfall | Unfinished | Failed => Text::new(
            format!(
                "更新{id}「{title}」涉及的户、人清单 (转移清单), 逐户落实责任人, 做到不漏一户、不落一人"
            ),
            format!(
                "update the household lists for {id} '{title}' and assign each household a responsible person: no household missed, no one left behind"
            ),
        ),
        WrongTarget | WrongGroups | WrongShelter => Text::new(
            format!("在处置卡和转移路线图上标明{id}「{title}」的对象和安置点, 组织桌面推演熟悉"),
            format!(
                "mark the object and shelter of {id} '{title}' on the card and route map; rehearse in a tabletop exercise"
            ),
        ),
    }
}

fn outcome_remedy(name: &Text) -> Text {
    Text::new(
        format!(
            "针对「{}」未达标, 复核危险区清单和责任人, 在下次演练前完成整改",
            name.zh
        ),
        format!(
            "'{}' fell short of its target: review the danger-zone lists and responsible people before the next drill",
            name.en
        ),
    )
}

/// Fills strengths, improvements and corrective actions from the scored tasks.
pub fn fill(scenario: &Scenario, report: &mut ScoreReport) {
    let commander = scenario
        .roles
        .iter()
        .find(|r| r.commander)
        .or(scenario.roles.first())
        .map_or_else(|| "现场指挥官".to_string(), |r| r.name.clone());
    let mut strengths = Vec::new();
    let mut improvements = Vec::new();
    let mut actions = Vec::new();
    for (task, plan) in report.tasks.iter().zip(&scenario.plan.tasks) {
        let Some(rating) = task.rating else {
            continue;
        };
        if rating == Rating::P {
            let when = match (task.started_s, task.deadline_s) {
                (Some(s), Some(d)) => Text::new(
                    format!(", 提前{}分钟", super::text::minutes(d - s)),
                    format!(", {} min before the deadline", super::text::minutes(d - s)),
                ),
                _ => Text::new("", ""),
            };
            strengths.push(Text::new(
                format!("{}「{}」按处置卡完成{}", task.id, task.title, when.zh),
                format!("{} '{}' done as planned{}", task.id, task.title, when.en),
            ));
            continue;
        }
        let zh: Vec<&str> = task.reasons.iter().map(|r| r.zh.as_str()).collect();
        let en: Vec<&str> = task.reasons.iter().map(|r| r.en.as_str()).collect();
        improvements.push(Text::new(
            format!(
                "{}「{}」({}): {}",
                task.id,
                task.title,
                rating.letter(),
                zh.join("; ")
            ),
            format!(
                "{} '{}' ({}): {}",
                task.id,
                task.title,
                rating.letter(),
                en.join("; ")
            ),
        ));
        let owner = plan
            .who
            .first()
            .map_or_else(|| commander.clone(), |a| super::text::actor(scenario, *a));
        // The most serious reason decides the remedy (codes are ordered by severity).
        let code = task
            .reasons
            .iter()
            .map(|r| r.code)
            .min()
            .unwrap_or(ReasonCode::NotDone);
        actions.push(CorrectiveAction {
            id: String::new(),
            task: Some(task.id.clone()),
            issue: task.id.clone(),
            owner: owner.clone(),
            due: add_days(report.start, due_days(rating)),
            action: remedy(code, &task.id, &task.title, &owner),
            key: String::new(),
        });
    }
    for o in &report.outcomes.targets {
        let Some(target) = o.target_percent else {
            continue;
        };
        if o.met {
            strengths.push(Text::new(
                format!("{}达到{:.0}% ({})", o.name.zh, o.value_percent, o.detail.zh),
                format!("{}: {:.0} % ({})", o.name.en, o.value_percent, o.detail.en),
            ));
        } else {
            improvements.push(Text::new(
                format!(
                    "{}仅{:.1}%, 目标{:.0}% ({})",
                    o.name.zh, o.value_percent, target, o.detail.zh
                ),
                format!(
                    "{} only {:.1} %, target {:.0} % ({})",
                    o.name.en, o.value_percent, target, o.detail.en
                ),
            ));
            actions.push(CorrectiveAction {
                id: String::new(),
                task: None,
                issue: o.name.zh.clone(),
                owner: commander.clone(),
                due: add_days(report.start, 30),
                action: outcome_remedy(&o.name),
                key: String::new(),
            });
        }
    }
    for (i, a) in actions.iter_mut().enumerate() {
        a.id = format!("CA{}", i + 1);
    }
    report.strengths = strengths;
    report.improvements = improvements;
    report.corrective_actions = actions;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u8, day: u8) -> DateTime {
        DateTime {
            year,
            month,
            day,
            hour: 20,
            minute: 0,
        }
    }

    proptest::proptest! {
        #[test]
        fn adding_days_composes_and_round_trips(
            y in 1990i32..2100, m in 1u8..=12, d in 1u8..=28, a in 0u32..2000, b in 0u32..2000
        ) {
            let start = date(y, m, d);
            let z = days_from_civil(y, m, d);
            proptest::prop_assert_eq!(civil_from_days(z), (i64::from(y), i64::from(m), i64::from(d)));
            let parse = |s: &str| {
                let p: Vec<u32> = s.split('-').map(|x| x.parse().unwrap_or(0)).collect();
                date(p[0] as i32, p[1] as u8, p[2] as u8)
            };
            proptest::prop_assert_eq!(add_days(parse(&add_days(start, a)), b), add_days(start, a + b));
        }
    }

    #[test]
    fn due_dates_cross_months_years_and_leap_days() {
        assert_eq!(add_days(date(2026, 6, 18), 30), "2026-07-18");
        assert_eq!(add_days(date(2026, 12, 15), 30), "2027-01-14");
        assert_eq!(add_days(date(2028, 2, 28), 1), "2028-02-29");
        assert_eq!(add_days(date(2027, 2, 28), 1), "2027-03-01");
        assert_eq!(add_days(date(2026, 3, 1), 0), "2026-03-01");
    }
}
