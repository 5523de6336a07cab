//! 总结评估报告 — the after-action report's judgement: strengths (做得好的), areas for
//! improvement (存在的问题) and corrective actions (纠正行动), each action with an owner
//! (the task's responsible role or team; the commander for outcome targets) and a due
//! date counted from the drill date: 30 days for a task that could not be performed
//! or an outcome target missed, 60 for major challenges, 90 for some challenges
//! (before the next flood season or annual drill, as AQ/T 9009 asks findings to be
//! fed back into the plan).

use super::{CorrectiveAction, Rating, ReasonCode, ScoreReport, Text};
use crate::model::{DateTime, Outcome, Scenario, Work};

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

/// The theme of a reason: what kind of measure corrects it. One corrective action per
/// task and theme; the theme is part of the action's stable key.
fn theme(code: ReasonCode, work: &Work) -> &'static str {
    use ReasonCode::*;
    match code {
        NotDone => "not-done",
        Rejected => "rejected",
        Queued => "queued",
        Late => match work {
            Work::Warn(_) | Work::KnockDoors(_) | Work::ShelterInPlace(_) => "late-warning",
            Work::Evacuate { .. } => "late-evacuation",
            Work::Rescue(_) => "late-rescue",
            _ => "late",
        },
        OutOfOrder => "order",
        ReturnBeforeAssessment => "return-before-assessment",
        MissingChannel => "channel",
        MissingResource | ShortQuantity | WrongResource => "equipment",
        MissingActor if matches!(work, Work::ReportAtPost) => "post",
        MissingActor | WrongActor => "responsibility",
        Shortfall | Unfinished | Failed => match work {
            Work::Evacuate { .. } | Work::Rescue(_) => "left-behind",
            Work::Warn(_) | Work::KnockDoors(_) | Work::ShelterInPlace(_) => "not-reached",
            _ => "unfinished",
        },
        WrongTarget | WrongGroups | WrongShelter => "object",
        ShelterFull => "shelter-capacity",
        RoadClosed => "route",
        ChannelSilent => "silent-channel",
    }
}

/// The measure for one theme, quoting what was found (`found`, both languages).
fn measure(theme: &str, title: &str, owner: &str, found: &Text) -> Text {
    let (f, e) = (&found.zh, &found.en);
    let (zh, en) = match theme {
        "not-done" => {
            // The finding already reads "未执行 (why)": quote only the why.
            let why_zh = f.strip_prefix("未执行").unwrap_or(f).trim();
            let why_en = e.strip_prefix("not done").unwrap_or(e).trim();
            let gap = if why_en.is_empty() { "" } else { " " };
            (
                format!(
                    "「{title}」未执行{why_zh}: 将其纳入{owner}的应急处置卡和岗位培训, 下次演练专项检验"
                ),
                format!(
                    "'{title}' was not done{gap}{why_en}: put it on {owner}'s response card, train the post, test it on its own next drill"
                ),
            )
        }
        "rejected" => (
            format!(
                "「{title}」的调度被拒 ({f}): 在预案中写明各力量和装备的调用权限与调拨程序, 明确跨级请求的途径"
            ),
            format!(
                "'{title}' was refused ({e}): write down who may call out which teams and equipment, and how to request them from another level"
            ),
        ),
        "queued" => (
            format!(
                "「{title}」的命令排队等待 ({f}): 为该任务指定预备力量或AB队, 指挥部派单前核对队伍在手任务"
            ),
            format!(
                "'{title}' waited for a busy team ({e}): name a reserve team for it, and check a team's running work before giving it an order"
            ),
        ),
        "late-warning" => (
            format!(
                "预警发布迟误 ({f}): 预置「{title}」的预警信息模板和通知名单, 值班人员收到预警后立即按处置卡全部渠道发布, 每月试发一次"
            ),
            format!(
                "the warning was late ({e}): prepare the message and call list for '{title}', issue by every planned channel as soon as the warning arrives, rehearse monthly"
            ),
        ),
        "late-evacuation" => (
            format!(
                "转移迟误 ({f}): 汛前逐户落实「{title}」的结对转移责任人和转移路线, 预警发布即组织转移, 不等不靠"
            ),
            format!(
                "the evacuation was late ({e}): before the flood season, pair each household of '{title}' with a responsible person and a route; start moving as soon as the warning is out"
            ),
        ),
        "late-rescue" => (
            format!(
                "救援迟误 ({f}): 汛期将救援队伍和船艇前置到「{title}」的对象附近, 明确集结点和出发时限"
            ),
            format!(
                "the rescue was late ({e}): pre-position rescue teams and boats near the object of '{title}' during the flood season, with an assembly point and a departure time"
            ),
        ),
        "late" => (
            format!("「{title}」超时 ({f}): 梳理其流程和责任分工, 确保在时限内完成"),
            format!(
                "'{title}' was late ({e}): review its steps and who does what so that it is done in time"
            ),
        ),
        "order" => (
            format!("处置顺序错误 ({f}): 在处置卡中写明「{title}」的前置任务, 确认完成后方可执行"),
            format!(
                "done out of order ({e}): write '{title}''s prerequisite on the card; act only once it is confirmed"
            ),
        ),
        "return-before-assessment" => (
            format!(
                "未经评估即返回 ({f}): 建立返回前安全评估和审批制度, 评估组确认安全、指挥部批准后方可返回; {owner}负责劝阻提前返回的群众"
            ),
            format!(
                "people returned before the assessment ({e}): no return until the assessment team confirms safety and the command approves; {owner} keeps people from going back early"
            ),
        ),
        "channel" => (
            format!("预警渠道缺失 ({f}): 检修缺用的渠道设备并每月试用, 按处置卡多渠道同时发布"),
            format!(
                "a warning channel was missing ({e}): repair and test the unused channels monthly; issue by every planned channel at once"
            ),
        ),
        "equipment" => (
            format!(
                "物资装备不足或不符 ({f}): 按处置卡配齐「{title}」所需装备, 定点存放, 每季度检查"
            ),
            format!(
                "equipment short or wrong ({e}): stock what '{title}' needs as planned, store it in place, check it quarterly"
            ),
        ),
        "post" => (
            format!("岗位无人到岗 ({f}): 落实该岗位的AB角, 响应启动后30分钟内到岗并报告"),
            format!(
                "a post was not held ({e}): name a deputy for the post; report at the post within 30 minutes of the response"
            ),
        ),
        "responsibility" => (
            format!(
                "执行人与处置卡不符 ({f}): 明确「{title}」的责任人和AB岗, 更新处置卡并组织岗位培训"
            ),
            format!(
                "not done by the planned people ({e}): name the responsible post and a deputy for '{title}', update the card, train the posts"
            ),
        ),
        "left-behind" => (
            format!(
                "人员未全部转移或获救 ({f}): 更新转移清单, 对上述人员逐一落实一对一转移责任人, 做到不漏一户、不落一人"
            ),
            format!(
                "people were left behind ({e}): update the evacuation list and give each of them a named helper: no household missed, no one left behind"
            ),
        ),
        "not-reached" => (
            format!("通知未到达全部住户 ({f}): 对未收到的户补充敲门等人工通知, 更新通知名单"),
            format!(
                "not every household was reached ({e}): add door-knocking for those missed and update the call list"
            ),
        ),
        "unfinished" => (
            format!("「{title}」未完成 ({f}): 查明原因, 补足力量和时间安排"),
            format!(
                "'{title}' was not finished ({e}): find why and plan the people and time it needs"
            ),
        ),
        "object" => (
            format!(
                "对象或安置点与处置卡不符 ({f}): 在处置卡和转移路线图上标明对象和安置点, 组织桌面推演熟悉"
            ),
            format!(
                "wrong object or shelter ({e}): mark the object and shelter on the card and route map; rehearse in a tabletop exercise"
            ),
        ),
        "shelter-capacity" => (
            format!("安置点容量不足 ({f}): 核定安置点容量, 预设备用安置点并写入转移清单"),
            format!(
                "a shelter was full ({e}): check shelter capacities and name a reserve shelter on the evacuation list"
            ),
        ),
        "silent-channel" => (
            format!(
                "预警渠道失效 ({f}): 为大喇叭、警报器等预警设施配备备用电源(蓄电池或发电机), 配齐手摇报警器、铜锣等不依赖电力和通信的预警手段, 写入「{title}」"
            ),
            format!(
                "a warning channel fell silent ({e}): give loudspeakers and sirens backup power (batteries or a generator), and keep hand-cranked alarms and gongs, which need neither power nor the network, on the card of '{title}'"
            ),
        ),
        _ => (
            format!("转移路线中断 ({f}): 在路线图上标明备用路线, 在道路、桥梁中断前完成转移"),
            format!(
                "a route was cut ({e}): mark a second route on the map and finish moving people before roads and bridges are cut"
            ),
        ),
    };
    Text::new(zh, en)
}

/// The measure for a missed outcome target, by metric.
fn outcome_measure(metric: Outcome, detail: &Text) -> Text {
    let (d, e) = (&detail.zh, &detail.en);
    match metric {
        Outcome::AtPost => Text::new(
            format!("责任人员未全部到岗 ({d}): 建立应急响应启动后到岗报告制度, 各岗位落实AB角"),
            format!(
                "not every responsible person was at their post ({e}): report at the post when the response starts; a deputy for every post"
            ),
        ),
        Outcome::Evacuated => Text::new(
            format!(
                "危险区人员未全部转移 ({d}): 复核危险区转移清单, 逐户落实转移责任人、路线和安置点"
            ),
            format!(
                "not everyone in the danger zones was evacuated ({e}): review the lists; a responsible person, route and shelter for every household"
            ),
        ),
        Outcome::VulnerableMoved => Text::new(
            format!("危房和户外作业人员未全部转移 ({d}): 汛前逐一登记在册, 落实一对一转移"),
            format!(
                "not all dilapidated-house and outdoor-work people were moved ({e}): register them before the season, one helper each"
            ),
        ),
        Outcome::AssessedBeforeReturn => Text::new(
            format!("返回前未全部评估 ({d}): 建立返回前安全评估和审批制度"),
            format!(
                "not every return was assessed first ({e}): no return without an assessment and approval"
            ),
        ),
        Outcome::Warned => Text::new(
            format!("预警未覆盖全部人员 ({d}): 排查预警盲区, 补充大喇叭和敲门通知"),
            format!(
                "the warning did not reach everyone ({e}): find the blind spots; add loudspeakers and door-knocking"
            ),
        ),
    }
}

/// A stable slug for an outcome metric (part of corrective-action keys).
fn metric_slug(metric: Outcome) -> &'static str {
    match metric {
        Outcome::AtPost => "at-post",
        Outcome::Evacuated => "evacuated",
        Outcome::VulnerableMoved => "vulnerable-moved",
        Outcome::AssessedBeforeReturn => "assessed-before-return",
        Outcome::Warned => "warned",
    }
}

/// Days to correct a theme: people left in danger or sent home unassessed within a
/// month, other findings by the task's rating.
fn theme_due_days(theme: &str, rating: Rating) -> u32 {
    match theme {
        "left-behind" | "return-before-assessment" | "post" => 30,
        _ => due_days(rating),
    }
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
            let when = match (task.effect_s.or(task.started_s), task.deadline_s) {
                (Some(s), Some(d)) if d - s >= 60.0 => Text::new(
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
        // One measure per theme, quoting every finding of that theme.
        let mut themes: Vec<(&'static str, Vec<&super::Reason>)> = Vec::new();
        for r in &task.reasons {
            let t = theme(r.code, &plan.work);
            match themes.iter_mut().find(|(x, _)| *x == t) {
                Some((_, v)) => v.push(r),
                None => themes.push((t, vec![r])),
            }
        }
        // People left behind say more than "late" about the same evacuation or rescue.
        if themes.iter().any(|(t, _)| *t == "left-behind") {
            themes.retain(|(t, _)| !matches!(*t, "late-evacuation" | "late-rescue"));
        }
        for (t, found) in themes {
            let text = Text::new(
                found
                    .iter()
                    .map(|r| r.zh.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                found
                    .iter()
                    .map(|r| r.en.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            // The dispatcher answers for queued and refused orders.
            let who = if matches!(t, "queued" | "rejected") {
                commander.clone()
            } else {
                owner.clone()
            };
            // A cut road or a full shelter is one finding, however many tasks it hit.
            if matches!(t, "route" | "shelter-capacity")
                && actions.iter().any(|a: &CorrectiveAction| {
                    a.key.ends_with(t) && a.action.zh.contains(&text.zh)
                })
            {
                continue;
            }
            actions.push(CorrectiveAction {
                id: String::new(),
                key: format!("{}/{t}", task.id),
                task: Some(task.id.clone()),
                issue: task.id.clone(),
                owner: who.clone(),
                due: add_days(report.start, theme_due_days(t, rating)),
                action: measure(t, &task.title, &who, &text),
            });
        }
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
                key: format!("outcome/{}", metric_slug(o.metric)),
                task: None,
                issue: o.name.zh.clone(),
                owner: commander.clone(),
                due: add_days(report.start, 30),
                action: outcome_measure(o.metric, &o.detail),
            });
        }
    }
    if report.outcomes.still_trapped > 0 {
        let n = report.outcomes.still_trapped;
        improvements.push(Text::new(
            format!("演练结束时仍有{n}人被困未获救"),
            format!("{n} people were still trapped when the drill ended"),
        ));
        actions.push(CorrectiveAction {
            id: String::new(),
            key: "outcome/still-trapped".into(),
            task: None,
            issue: "被困人员".into(),
            owner: commander.clone(),
            due: add_days(report.start, 30),
            action: Text::new(
                format!("{n}人被困至演练结束: 完善救援力量预置和调度, 被困点明确责任队伍和备用船艇"),
                format!("{n} people were trapped to the end: pre-position and dispatch rescue forces; a responsible team and a spare boat for every trapped point"),
            ),
        });
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
