//! Renderers of the after-action report: Markdown, a self-contained HTML page with
//! inline SVG charts (people in danger over time, the task timeline planned vs actual,
//! shelter occupancy), and JSON. Pure: they return strings; `io` writes them.

use super::{Rating, ScoreReport, TaskScore};
use std::fmt::Write;

fn clock(r: &ScoreReport, t: Option<f64>) -> String {
    t.map_or_else(|| "—".to_string(), |t| r.start.clock_at(t))
}

fn rating_cell(t: &TaskScore) -> String {
    t.rating
        .map_or_else(|| "—".into(), |r| r.letter().to_string())
}

fn percent_cell(t: &TaskScore) -> String {
    match (t.required_percent, t.reached_percent) {
        (Some(q), Some(r)) => format!("{r:.0}% / {q:.0}%"),
        (Some(q), None) => format!("— / {q:.0}%"),
        _ => "—".into(),
    }
}

fn reasons_cell(t: &TaskScore, sep: &str) -> String {
    if t.rating.is_none() {
        return "未触发 / not triggered".into();
    }
    if t.reasons.is_empty() {
        return "按处置卡完成 / as planned".into();
    }
    t.reasons
        .iter()
        .map(|r| format!("{} / {}", r.zh, r.en))
        .collect::<Vec<_>>()
        .join(sep)
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The per-task table (Markdown), also the golden tests' snapshot.
pub fn task_table(r: &ScoreReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| 任务 Task | 名称 Title | 负责 Who | 触发 Trigger | 时限 Due | 开始 Start | 达到/要求 Reached/Req | 时效 | 完成 | 资源 | 职责 | 得分 Score | 评定 | 原因 Reasons |"
    );
    let _ = writeln!(
        out,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for t in &r.tasks {
        let c = t.criteria;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.1} | {} | {} |",
            t.id,
            md_escape(&t.title),
            md_escape(&t.who.join("、")),
            clock(r, t.trigger_s),
            clock(r, t.deadline_s),
            clock(r, t.started_s),
            percent_cell(t),
            c.timeliness,
            c.completeness,
            c.resources,
            c.roles,
            t.score,
            rating_cell(t),
            md_escape(&reasons_cell(t, "; "))
        );
    }
    out
}

fn mode_text(r: &ScoreReport) -> &'static str {
    if r.mode == "actions" {
        "行动记录 / recorded actions"
    } else {
        "按预案推演 / plan as written"
    }
}

fn date(r: &ScoreReport) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        r.start.year, r.start.month, r.start.day, r.start.hour, r.start.minute
    )
}

/// The report as Markdown.
/// ✓ or ✗ for an outcome target met or missed, — for one without a target.
fn met_mark(o: &super::OutcomeScore) -> &'static str {
    match (o.target_percent, o.met) {
        (None, _) => "—",
        (_, true) => "✓",
        (_, false) => "✗",
    }
}

/// The outcome facts under the outcomes table, one line each, as both reports give
/// them: when everyone was warned, when each target was cleared, and the exposed,
/// trapped and rescued.
fn outcome_lines(r: &ScoreReport) -> Vec<String> {
    let oc = &r.outcomes;
    let mut lines = vec![format!(
        "全部预警完成 / everyone warned: {} ({}/{} 人 people)",
        oc.all_warned_s
            .map_or("未全部预警 / not everyone".into(), |t| r
                .start
                .clock_at(t)),
        oc.warned_people,
        oc.people_to_warn
    )];
    for c in &oc.clearance {
        lines.push(format!(
            "{} 清空 / cleared: {} ({} 人 people, {} 人未转移 left)",
            c.target,
            c.cleared_s
                .map_or("未清空 / not cleared".into(), |t| r.start.clock_at(t)),
            c.people,
            c.left
        ));
    }
    lines.push(format!(
        "暴露 / exposed {} · 被困 / trapped {} · 获救 / rescued {} · 仍被困 / still trapped {}",
        oc.exposed, oc.trapped, oc.rescued, oc.still_trapped
    ));
    lines
}

/// The log's actions that match no plan task, by their number in the log.
fn unmatched_line(r: &ScoreReport) -> Option<String> {
    if r.unmatched_actions.is_empty() {
        return None;
    }
    let n: Vec<String> = r
        .unmatched_actions
        .iter()
        .map(|a| (a + 1).to_string())
        .collect();
    Some(format!(
        "未对应处置卡任务的行动 / actions matching no plan task: 第 {} 条 / entries {}",
        n.join("、"),
        n.join(", ")
    ))
}

pub fn markdown(r: &ScoreReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# 总结评估报告 / After-action report — {}\n", r.title);
    let _ = writeln!(
        out,
        "- 情景 / scenario: `{}` ({})",
        r.scenario_id, r.plan_title
    );
    let _ = writeln!(out, "- 演练时间 / drill start: {}", date(r));
    let _ = writeln!(
        out,
        "- 方式 / mode: {}, 随机种子 / seed {}",
        mode_text(r),
        r.seed
    );
    let _ = writeln!(out, "- 事件日志 / event log hash: `{}`", r.log_hash);
    let _ = writeln!(
        out,
        "- **结论 / conclusion: {} / {}**\n",
        r.conclusion.zh, r.conclusion.en
    );
    let _ = writeln!(out, "## 任务评定 / Task ratings (P/S/M/U)\n");
    out.push_str(&task_table(r));
    let _ = writeln!(
        out,
        "\nP 完成良好 performed without challenges · S 基本完成 with some challenges · M 存在较大问题 with major challenges · U 未能完成 unable to be performed\n"
    );
    let title = if r.outcomes.title.is_empty() {
        "结果指标".to_string()
    } else {
        r.outcomes.title.clone()
    };
    let _ = writeln!(out, "## {title} / Outcomes\n");
    let _ = writeln!(
        out,
        "| 指标 Metric | 实际 Actual | 目标 Target | 达标 Met | 说明 Detail |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|");
    for o in &r.outcomes.targets {
        let _ = writeln!(
            out,
            "| {} / {} | {:.1}% | {} | {} | {} / {} |",
            o.name.zh,
            o.name.en,
            o.value_percent,
            o.target_percent.map_or("—".into(), |t| format!("{t:.0}%")),
            met_mark(o),
            o.detail.zh,
            o.detail.en
        );
    }
    out.push('\n');
    for line in outcome_lines(r) {
        let _ = writeln!(out, "- {line}");
    }
    out.push('\n');
    if let Some(line) = unmatched_line(r) {
        let _ = writeln!(out, "{line}\n");
    }
    let _ = writeln!(out, "## 做得好的 / Strengths\n");
    for s in &r.strengths {
        let _ = writeln!(out, "- {} / {}", s.zh, s.en);
    }
    if r.strengths.is_empty() {
        let _ = writeln!(out, "- —");
    }
    let _ = writeln!(out, "\n## 存在的问题 / Areas for improvement\n");
    for s in &r.improvements {
        let _ = writeln!(out, "- {} / {}", s.zh, s.en);
    }
    if r.improvements.is_empty() {
        let _ = writeln!(out, "- —");
    }
    let _ = writeln!(out, "\n## 纠正行动 / Corrective actions\n");
    let _ = writeln!(
        out,
        "| 编号 No. | 问题 Issue | 措施 Action | 责任人 Owner | 完成期限 Due |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|");
    for a in &r.corrective_actions {
        let _ = writeln!(
            out,
            "| {} | {} | {} / {} | {} | {} |",
            a.id,
            md_escape(&a.issue),
            md_escape(&a.action.zh),
            md_escape(&a.action.en),
            a.owner,
            a.due
        );
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rating_colour(r: Option<Rating>) -> &'static str {
    match r {
        Some(Rating::P) => "#2e7d32",
        Some(Rating::S) => "#9e9d24",
        Some(Rating::M) => "#ef6c00",
        Some(Rating::U) => "#c62828",
        None => "#9e9e9e",
    }
}

const W: f64 = 760.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;

/// Hour ticks along an x axis of drill time.
fn time_axis(out: &mut String, r: &ScoreReport, end: f64, x: impl Fn(f64) -> f64, y: f64) {
    let step = if end > 12.0 * 3600.0 { 7200.0 } else { 3600.0 };
    let mut t = 0.0;
    while t <= end + 1e-6 {
        let _ = write!(
            out,
            r##"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="#ccc"/><text x="{0:.1}" y="{3:.1}" font-size="10" text-anchor="middle">{4}</text>"##,
            x(t),
            y,
            y + 4.0,
            y + 15.0,
            r.start.clock_at(t)
        );
        t += step;
    }
}

/// A line chart of several series over drill time.
fn line_chart(r: &ScoreReport, title: &str, lines: &[(&str, &str, Vec<u32>, bool)]) -> String {
    let h = 240.0;
    let (top, bottom) = (28.0, h - 30.0);
    let t = &r.series.t_s;
    let end = t.last().copied().unwrap_or(0.0).max(1.0);
    let max = lines
        .iter()
        .flat_map(|l| l.2.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let ymax = nice(f64::from(max));
    let x = |s: f64| LEFT + (W - LEFT - RIGHT) * s / end;
    let y = |v: f64| bottom - (bottom - top) * v / ymax;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img"><title>{}</title><text x="{LEFT}" y="16" font-size="13" font-weight="bold">{}</text>"#,
        esc(title),
        esc(title)
    );
    for k in 0..=4 {
        let v = ymax * f64::from(k) / 4.0;
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="#eee"/><text x="{2:.1}" y="{3:.1}" font-size="10" text-anchor="end">{4:.0}</text>"##,
            y(v),
            W - RIGHT,
            LEFT - 4.0,
            y(v) + 3.0,
            v
        );
    }
    time_axis(&mut out, r, end, x, bottom);
    for (i, (name, colour, values, dashed)) in lines.iter().enumerate() {
        let points: Vec<String> = t
            .iter()
            .zip(values)
            .map(|(s, v)| format!("{:.1},{:.1}", x(*s), y(f64::from(*v))))
            .collect();
        let dash = if *dashed {
            r#" stroke-dasharray="5,3""#
        } else {
            ""
        };
        let _ = write!(
            out,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{}"/>"#,
            points.join(" ")
        );
        let lx = LEFT + 10.0 + 150.0 * (i % 4) as f64;
        let ly = top + 2.0 + 14.0 * (i / 4) as f64;
        let _ = write!(
            out,
            r#"<rect x="{lx:.1}" y="{:.1}" width="12" height="4" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="11">{}</text>"#,
            ly - 4.0,
            lx + 16.0,
            ly + 1.0,
            esc(name)
        );
    }
    out.push_str("</svg>");
    out
}

/// A round upper bound for an axis.
fn nice(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= v {
            return m * p;
        }
    }
    10.0 * p
}

/// The task timeline: each task's planned window (trigger to deadline) and its actual
/// work (start to finish), coloured by rating.
fn timeline_chart(r: &ScoreReport) -> String {
    let row = 20.0;
    let top = 34.0;
    let h = top + row * r.tasks.len() as f64 + 30.0;
    let end = r.series.t_s.last().copied().unwrap_or(0.0).max(1.0);
    let left = 140.0;
    let x = |s: f64| left + (W - left - RIGHT) * s.clamp(0.0, end) / end;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img"><title>任务时间线 / task timeline</title><text x="8" y="16" font-size="13" font-weight="bold">任务时间线: 计划 (灰) 与实际 (彩色) / task timeline: planned (grey) vs actual (coloured)</text>"##
    );
    time_axis(&mut out, r, end, x, top + row * r.tasks.len() as f64 + 4.0);
    for (i, t) in r.tasks.iter().enumerate() {
        let y = top + row * i as f64;
        let _ = write!(
            out,
            r#"<text x="8" y="{:.1}" font-size="11">{} {}</text>"#,
            y + 13.0,
            esc(&t.id),
            esc(&truncate(&t.title, 8))
        );
        let from = t.trigger_s.unwrap_or(0.0);
        if let Some(d) = t.deadline_s {
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="6" fill="#cfd8dc"><title>计划 planned {}–{}</title></rect><line x1="{3:.1}" y1="{4:.1}" x2="{3:.1}" y2="{5:.1}" stroke="#c62828"/>"##,
                x(from),
                y + 2.0,
                (x(d) - x(from)).max(1.0),
                x(d),
                y,
                y + 16.0,
            );
        } else if t.trigger_s.is_some() {
            let _ = write!(
                out,
                r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="#90a4ae"/>"##,
                x(from),
                y + 5.0
            );
        }
        match t.started_s {
            Some(s) => {
                let f = t.finished_s.unwrap_or(end);
                let _ = write!(
                    out,
                    r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="8" fill="{}"><title>{} {}–{}</title></rect>"#,
                    x(s),
                    y + 9.0,
                    (x(f) - x(s)).max(2.0),
                    rating_colour(t.rating),
                    rating_cell(t),
                    r.start.clock_at(s),
                    r.start.clock_at(f)
                );
            }
            None if t.rating.is_some() => {
                let _ = write!(
                    out,
                    r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#c62828">未执行 not done</text>"##,
                    x(from) + 4.0,
                    y + 16.0
                );
            }
            None => {}
        }
    }
    out.push_str("</svg>");
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

const SHELTER_COLOURS: [&str; 6] = [
    "#1565c0", "#6a1b9a", "#00838f", "#ad1457", "#4e342e", "#37474f",
];

/// The report as one self-contained HTML page (no scripts, no external files).
pub fn html(r: &ScoreReport) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>总结评估报告 — {title}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 13px; }}
th, td {{ border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; }}
th {{ background: #f3f3f3; }}
.P {{ background: #c8e6c9; }} .S {{ background: #f0f4c3; }} .M {{ background: #ffe0b2; }} .U {{ background: #ffcdd2; }}
.pass {{ color: #2e7d32; }} .fail {{ color: #c62828; }}
svg {{ display: block; margin: 1em 0; }}
</style></head><body>
<h1>总结评估报告 / After-action report</h1>
<h2>{title}</h2>
<p>情景 / scenario <code>{id}</code> · {plan} · 演练时间 / start {date} · {mode} · seed {seed} · log <code>{hash}</code></p>
<p class="{cls}"><strong>结论 / conclusion: {czh} / {cen}</strong></p>
"#,
        title = esc(&r.title),
        id = esc(&r.scenario_id),
        plan = esc(&r.plan_title),
        date = date(r),
        mode = mode_text(r),
        seed = r.seed,
        hash = r.log_hash,
        cls = if r.passed { "pass" } else { "fail" },
        czh = esc(&r.conclusion.zh),
        cen = esc(&r.conclusion.en),
    );
    let s = &r.series;
    out.push_str(&line_chart(
        r,
        "危险区人员随时间变化 / people in danger over time",
        &[
            ("处于危险 in danger", "#c62828", s.in_danger.clone(), false),
            ("被困 trapped", "#6d4c41", s.trapped.clone(), true),
            ("已预警 warned", "#f9a825", s.warned.clone(), false),
            ("已安全 evacuated", "#2e7d32", s.evacuated.clone(), false),
        ],
    ));
    out.push_str(&timeline_chart(r));
    let shelters: Vec<(String, &str, Vec<u32>, bool)> = s
        .shelters
        .iter()
        .enumerate()
        .map(|(i, sh)| {
            (
                format!("{} (容量 {})", sh.name, sh.capacity),
                SHELTER_COLOURS[i % SHELTER_COLOURS.len()],
                sh.occupancy.clone(),
                false,
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str, Vec<u32>, bool)> = shelters
        .iter()
        .map(|(n, c, v, d)| (n.as_str(), *c, v.clone(), *d))
        .collect();
    out.push_str(&line_chart(
        r,
        "避灾安置点人数 / shelter occupancy",
        &borrowed,
    ));

    out.push_str("<h2>任务评定 / Task ratings</h2>\n<table><tr><th>任务</th><th>名称</th><th>负责 who</th><th>触发 trigger</th><th>时限 due</th><th>开始 start</th><th>达到/要求</th><th>时效</th><th>完成</th><th>资源</th><th>职责</th><th>得分</th><th>评定</th><th>原因 reasons</th></tr>\n");
    for t in &r.tasks {
        let c = t.criteria;
        let _ = writeln!(
            out,
            r#"<tr class="{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.0}</td><td>{:.0}</td><td>{:.0}</td><td>{:.0}</td><td>{:.1}</td><td><strong>{}</strong></td><td>{}</td></tr>"#,
            t.rating.map_or("", |x| x.letter()),
            esc(&t.id),
            esc(&t.title),
            esc(&t.who.join("、")),
            clock(r, t.trigger_s),
            clock(r, t.deadline_s),
            clock(r, t.started_s),
            percent_cell(t),
            c.timeliness,
            c.completeness,
            c.resources,
            c.roles,
            t.score,
            rating_cell(t),
            esc(&reasons_cell(t, "\n")).replace('\n', "<br>")
        );
    }
    out.push_str("</table>\n<p>P 完成良好 performed without challenges · S 基本完成 with some challenges · M 存在较大问题 with major challenges · U 未能完成 unable to be performed</p>\n");
    let _ = writeln!(
        out,
        "<h2>{} / Outcomes</h2>\n<table><tr><th>指标 metric</th><th>实际 actual</th><th>目标 target</th><th>达标 met</th><th>说明 detail</th></tr>",
        esc(if r.outcomes.title.is_empty() {
            "结果指标"
        } else {
            &r.outcomes.title
        })
    );
    for o in &r.outcomes.targets {
        let _ = writeln!(
            out,
            "<tr class=\"{}\"><td>{} / {}</td><td>{:.1}%</td><td>{}</td><td>{}</td><td>{} / {}</td></tr>",
            match (o.target_percent, o.met) {
                (None, _) => "",
                (_, true) => "P",
                (_, false) => "U",
            },
            esc(&o.name.zh),
            esc(&o.name.en),
            o.value_percent,
            o.target_percent.map_or("—".into(), |t| format!("{t:.0}%")),
            met_mark(o),
            esc(&o.detail.zh),
            esc(&o.detail.en)
        );
    }
    out.push_str("</table>\n<ul>\n");
    for line in outcome_lines(r) {
        let _ = writeln!(out, "<li>{}</li>", esc(&line));
    }
    out.push_str("</ul>\n");
    if let Some(line) = unmatched_line(r) {
        let _ = writeln!(out, "<p>{}</p>", esc(&line));
    }
    let list = |out: &mut String, title: &str, items: &[super::Text]| {
        let _ = writeln!(out, "<h2>{title}</h2><ul>");
        for s in items {
            let _ = writeln!(out, "<li>{} / {}</li>", esc(&s.zh), esc(&s.en));
        }
        if items.is_empty() {
            out.push_str("<li>—</li>");
        }
        out.push_str("</ul>\n");
    };
    list(&mut out, "做得好的 / Strengths", &r.strengths);
    list(
        &mut out,
        "存在的问题 / Areas for improvement",
        &r.improvements,
    );
    out.push_str("<h2>纠正行动 / Corrective actions</h2>\n<table><tr><th>编号</th><th>问题 issue</th><th>措施 action</th><th>责任人 owner</th><th>完成期限 due</th></tr>\n");
    for a in &r.corrective_actions {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}<br>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&a.id),
            esc(&a.issue),
            esc(&a.action.zh),
            esc(&a.action.en),
            esc(&a.owner),
            a.due
        );
    }
    out.push_str("</table>\n</body></html>\n");
    out
}

/// The report as pretty JSON (what `drill compare` reads back).
pub fn json(r: &ScoreReport) -> Result<String, String> {
    serde_json::to_string_pretty(r).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_bounds_are_round_and_not_below_the_data() {
        for (v, want) in [
            (1.0, 1.0),
            (7.0, 10.0),
            (13.0, 20.0),
            (476.0, 500.0),
            (2100.0, 2500.0),
        ] {
            assert_eq!(nice(v), want, "{v}");
        }
    }

    #[test]
    fn html_text_is_escaped() {
        assert_eq!(esc("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}
