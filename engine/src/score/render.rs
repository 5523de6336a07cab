//! Renderers of the 演练评估报告 (the structure is `document`'s): Markdown, a
//! self-contained HTML page with inline SVG charts (people in danger over time, the
//! task timeline planned vs actual, shelter occupancy) that prints on A4, and JSON.
//! Pure: they return strings; `io` writes them. (`docx` writes the Word file.)

use super::document::{self, Block, Table};
use super::meta::{Lang, ReportMeta};
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
fn timeline_chart(r: &ScoreReport, lang: Lang) -> String {
    let row = 20.0;
    let top = 34.0;
    let h = top + row * r.tasks.len() as f64 + 30.0;
    let end = r.series.t_s.last().copied().unwrap_or(0.0).max(1.0);
    let left = 140.0;
    let x = |s: f64| left + (W - left - RIGHT) * s.clamp(0.0, end) / end;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img"><title>{}</title><text x="8" y="16" font-size="13" font-weight="bold">{}</text>"##,
        esc(&lang.pick("任务时间线", "task timeline")),
        esc(&lang.pick(
            "任务时间线：计划（灰）与实际（彩色）",
            "task timeline: planned (grey) vs actual (coloured)"
        ))
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
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="6" fill="#cfd8dc"><title>{6} {7}–{8}</title></rect><line x1="{3:.1}" y1="{4:.1}" x2="{3:.1}" y2="{5:.1}" stroke="#c62828"/>"##,
                x(from),
                y + 2.0,
                (x(d) - x(from)).max(1.0),
                x(d),
                y,
                y + 16.0,
                lang.pick("计划", "planned"),
                r.start.clock_at(from),
                r.start.clock_at(d),
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
                    r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#c62828">{}</text>"##,
                    x(from) + 4.0,
                    y + 16.0,
                    esc(&lang.pick("未执行", "not done"))
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

/// The report as Markdown, Chinese only, with what the report itself knows of the
/// 演练概况 (the editor's export; `drill run --report` uses [`markdown_with`]).
pub fn markdown(r: &ScoreReport) -> String {
    markdown_with(r, &ReportMeta::from_report(r), Lang::Zh)
}

fn md_table(out: &mut String, t: &Table) {
    let notes = t.rows.iter().any(|r| r.note.is_some());
    let mut heads: Vec<String> = t.cols.iter().map(|c| md_escape(&c.head)).collect();
    if notes {
        heads.push(md_escape(&t.note_head));
    }
    let _ = writeln!(out, "| {} |", heads.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(heads.len()));
    for row in &t.rows {
        let mut cells: Vec<String> = row.cells.iter().map(|c| md_escape(c)).collect();
        if notes {
            // Each line starts with its label, which the column's heading says
            // already; the languages' lines are joined by ` / `.
            let lines: Vec<&str> = row
                .note
                .as_deref()
                .unwrap_or("")
                .lines()
                .map(|l| {
                    l.split_once('：')
                        .or_else(|| l.split_once(": "))
                        .map_or(l, |(_, rest)| rest)
                })
                .collect();
            cells.push(md_escape(&lines.join(" / ")));
        }
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// The report as Markdown, in `lang`, with the given 演练概况.
pub fn markdown_with(r: &ScoreReport, meta: &ReportMeta, lang: Lang) -> String {
    let doc = document::build(r, meta, lang);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", doc.kind);
    let _ = writeln!(out, "**{}**\n", md_escape(&doc.title));
    if !doc.subtitle.is_empty() {
        let _ = writeln!(out, "{}\n", md_escape(&doc.subtitle));
    }
    for section in &doc.sections {
        let _ = writeln!(out, "## {}\n", section.heading);
        for block in &section.blocks {
            match block {
                Block::Para(p) => {
                    let _ = writeln!(out, "{p}\n");
                }
                Block::Verdict { text, .. } => {
                    let _ = writeln!(out, "**{text}**\n");
                }
                Block::Small(p) => {
                    let _ = writeln!(out, "_{p}_\n");
                }
                Block::Sub(h) => {
                    let _ = writeln!(out, "### {h}\n");
                }
                Block::Fields(fields) => {
                    let _ = writeln!(
                        out,
                        "| {} | {} |\n|---|---|",
                        lang.pick("项目", "Item"),
                        lang.pick("内容", "Details")
                    );
                    for (k, v) in fields {
                        let _ = writeln!(out, "| {} | {} |", md_escape(k), md_escape(v));
                    }
                    out.push('\n');
                }
                Block::Table(t) => md_table(&mut out, t),
                Block::List(items) => {
                    for i in items {
                        let _ = writeln!(out, "- {i}");
                    }
                    out.push('\n');
                }
                Block::Numbered(items) => {
                    for (n, i) in items.iter().enumerate() {
                        let _ = writeln!(out, "{}. {i}", n + 1);
                    }
                    out.push('\n');
                }
                Block::Charts => {}
                Block::Signatures { sign, date, lines } => {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {sign} | {date} |\n|---|---|---|---|",
                        lang.pick("职务", "Post"),
                        lang.pick("姓名", "Name")
                    );
                    for l in lines {
                        let name = if l.name.is_empty() {
                            document::BLANK
                        } else {
                            &l.name
                        };
                        let _ = writeln!(
                            out,
                            "| {} | {} | {} | {} |",
                            l.post,
                            md_escape(name),
                            document::BLANK,
                            lang.pick("　　年　　月　　日", "____-__-__")
                        );
                    }
                    out.push('\n');
                }
            }
        }
    }
    out
}

const CSS: &str = r#"
@page { size: A4; margin: 16mm 14mm 16mm 14mm; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", serif; margin: 2em auto; max-width: 1000px; padding: 0 1em; color: #222; line-height: 1.6; }
h1 { text-align: center; font-size: 26px; letter-spacing: 0.2em; margin: 0.4em 0 0.1em; }
p.title { text-align: center; text-indent: 0; font-size: 19px; font-weight: bold; margin: 0; }
p.subtitle { text-align: center; text-indent: 0; margin: 0.2em 0 1.5em; }
h2 { font-size: 18px; border-bottom: 1px solid #999; padding-bottom: 2px; margin-top: 1.6em; }
h3 { font-size: 15px; margin: 1em 0 0.3em; }
p { margin: 0.4em 0; text-indent: 2em; }
p.small { font-size: 12px; color: #555; text-indent: 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0.5em 0 1em; font-size: 13px; }
th, td { border: 1px solid #888; padding: 3px 5px; vertical-align: top; overflow-wrap: break-word; word-break: normal; }
th { background: #eee; font-weight: bold; }
table.fields th { width: 8em; text-align: left; white-space: nowrap; }
td.task { min-width: 7em; }
tr.note td { border-top: 1px dotted #bbb; font-size: 12px; color: #333; }
td.P { background: #c8e6c9; } td.S { background: #f0f4c3; } td.M { background: #ffe0b2; } td.U { background: #ffcdd2; }
td.met { background: #c8e6c9; } td.missed { background: #ffcdd2; }
td.c, th.c { text-align: center; }
.pass { color: #2e7d32; } .fail { color: #c62828; }
p.verdict { text-indent: 0; font-size: 16px; }
svg { display: block; margin: 1em 0; max-width: 100%; height: auto; }
table.sign td { border: none; padding: 18px 6px 4px; }
table.sign .line { border-bottom: 1px solid #000; }
@media print {
  body { margin: 0; padding: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  .new-page { break-before: page; page-break-before: always; }
  table { font-size: 8.5pt; }
  th, td { padding: 2px 3px; }
  tbody.task, tr, svg, table.sign, table.fields, .signatures { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  td.P, td.S, td.M, td.U, td.met, td.missed, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

fn html_table(out: &mut String, t: &Table) {
    out.push_str("<table>\n<colgroup>");
    for c in &t.cols {
        let _ = write!(out, r#"<col style="width:{}%">"#, c.width);
    }
    out.push_str("</colgroup>\n<thead><tr>");
    for c in &t.cols {
        let _ = write!(out, "<th>{}</th>", esc(&c.head).replace('\n', "<br>"));
    }
    out.push_str("</tr></thead>\n");
    let n = t.cols.len();
    for row in &t.rows {
        // A task's line and its reasons print together.
        out.push_str(if row.note.is_some() {
            r#"<tbody class="task"><tr>"#
        } else {
            "<tbody><tr>"
        });
        let last = row.cells.len().saturating_sub(1);
        for (i, c) in row.cells.iter().enumerate() {
            let class = match (i == last, row.rating, row.met) {
                (true, Some(x), _) => format!(r#" class="c {}""#, x.letter()),
                (_, _, Some(true)) if i == 3 => r#" class="met""#.into(),
                (_, _, Some(false)) if i == 3 => r#" class="missed""#.into(),
                _ if i == 1 && row.note.is_some() => r#" class="task""#.into(),
                _ => String::new(),
            };
            let _ = write!(out, "<td{class}>{}</td>", esc(c));
        }
        out.push_str("</tr>");
        if let Some(note) = &row.note {
            let _ = write!(
                out,
                r#"<tr class="note"><td colspan="{n}">{}</td></tr>"#,
                esc(note).replace('\n', "<br>")
            );
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
}

fn charts(r: &ScoreReport, lang: Lang) -> String {
    let mut out = String::new();
    let s = &r.series;
    let l = |zh: &str, en: &str| lang.pick(zh, en);
    let names = [
        l("处于危险", "in danger"),
        l("被困", "trapped"),
        l("已预警", "warned"),
        l("已安全", "evacuated"),
    ];
    out.push_str(&line_chart(
        r,
        &l("危险区人员随时间变化", "people in danger over time"),
        &[
            (&names[0], "#c62828", s.in_danger.clone(), false),
            (&names[1], "#6d4c41", s.trapped.clone(), true),
            (&names[2], "#f9a825", s.warned.clone(), false),
            (&names[3], "#2e7d32", s.evacuated.clone(), false),
        ],
    ));
    out.push_str(&timeline_chart(r, lang));
    let shelters: Vec<(String, &str, Vec<u32>, bool)> = s
        .shelters
        .iter()
        .enumerate()
        .map(|(i, sh)| {
            (
                lang.pick(
                    &format!("{}（容量{}）", sh.name, sh.capacity),
                    &format!("{} (capacity {})", sh.name, sh.capacity),
                ),
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
        &l("避灾安置点人数", "shelter occupancy"),
        &borrowed,
    ));
    out
}

/// The report as one self-contained HTML page (no scripts, no external files),
/// Chinese only, with what the report itself knows of the 演练概况.
pub fn html(r: &ScoreReport) -> String {
    html_with(r, &ReportMeta::from_report(r), Lang::Zh)
}

/// The report as one self-contained HTML page that prints on A4, in `lang`, with the
/// given 演练概况.
pub fn html_with(r: &ScoreReport, meta: &ReportMeta, lang: Lang) -> String {
    let doc = document::build(r, meta, lang);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} — {}</title>\n<style>{CSS}</style></head><body>\n<h1>{}</h1>\n<p class=\"title\">{}</p>\n",
        lang.html_code(),
        esc(&doc.kind),
        esc(&doc.title),
        esc(&doc.kind),
        esc(&doc.title),
    );
    if !doc.subtitle.is_empty() {
        let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", esc(&doc.subtitle));
    }
    for section in &doc.sections {
        let _ = writeln!(
            out,
            "<section{}>\n<h2>{}</h2>",
            if section.new_page {
                r#" class="new-page""#
            } else {
                ""
            },
            esc(&section.heading)
        );
        for block in &section.blocks {
            match block {
                Block::Para(p) => {
                    let _ = writeln!(out, "<p>{}</p>", esc(p));
                }
                Block::Small(p) => {
                    let _ = writeln!(out, "<p class=\"small\">{}</p>", esc(p));
                }
                Block::Verdict { text, passed } => {
                    let _ = writeln!(
                        out,
                        "<p class=\"verdict {}\"><strong>{}</strong></p>",
                        if *passed { "pass" } else { "fail" },
                        esc(text)
                    );
                }
                Block::Sub(h) => {
                    let _ = writeln!(out, "<h3>{}</h3>", esc(h));
                }
                Block::Fields(fields) => {
                    out.push_str("<table class=\"fields\">\n");
                    for (k, v) in fields {
                        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v));
                    }
                    out.push_str("</table>\n");
                }
                Block::Table(t) => html_table(&mut out, t),
                Block::List(items) | Block::Numbered(items) => {
                    let tag = if matches!(block, Block::List(_)) {
                        "ul"
                    } else {
                        "ol"
                    };
                    let _ = writeln!(out, "<{tag}>");
                    for i in items {
                        let _ = writeln!(out, "<li>{}</li>", esc(i));
                    }
                    let _ = writeln!(out, "</{tag}>");
                }
                Block::Charts => out.push_str(&charts(r, lang)),
                Block::Signatures { sign, date, lines } => {
                    out.push_str("<table class=\"sign\"><colgroup><col style=\"width:14%\"><col style=\"width:22%\"><col style=\"width:10%\"><col style=\"width:22%\"><col style=\"width:10%\"><col style=\"width:22%\"></colgroup>\n");
                    for l in lines {
                        let _ = writeln!(
                            out,
                            "<tr><td>{}：</td><td class=\"line\">{}</td><td>{}：</td><td class=\"line\"></td><td>{}：</td><td class=\"line\">{}</td></tr>",
                            esc(&l.post),
                            esc(&l.name),
                            esc(sign),
                            esc(date),
                            esc(&lang.pick("　　年　　月　　日", ""))
                        );
                    }
                    out.push_str("</table>\n");
                }
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body></html>\n");
    out
}

/// The report as pretty JSON (what `drill compare` reads back).
pub fn json(r: &ScoreReport) -> Result<String, String> {
    serde_json::to_string_pretty(r).map_err(|e| e.to_string())
}

/// The report as pretty JSON with its 演练概况 under the key `meta` (after the
/// report's own keys, which stay as they were).
pub fn json_with(r: &ScoreReport, meta: &ReportMeta) -> Result<String, String> {
    #[derive(serde::Serialize)]
    struct WithMeta<'a> {
        #[serde(flatten)]
        report: &'a ScoreReport,
        meta: &'a ReportMeta,
    }
    serde_json::to_string_pretty(&WithMeta { report: r, meta }).map_err(|e| e.to_string())
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
