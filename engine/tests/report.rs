//! The report a county signs (演练评估报告): its structure in every format, the
//! 演练概况 from the scenario and the command line, `report.docx` opened in LibreOffice
//! (converted to PDF and its text read back with `pdftotext`), and `drill compare`
//! labelling drills by the date held and following corrective actions by their key.
//!
//! The LibreOffice test skips when `soffice` is not installed, unless
//! `DRILL_REQUIRE_SOFFICE=1` (CI sets it), then it fails.

use drill_engine::cli::report::write_report;
use drill_engine::io;
use drill_engine::lang::{self, SourceMap};
use drill_engine::model::{ActionLog, Scenario};
use drill_engine::score::meta::{DrillKind, Lang, ReportMeta};
use drill_engine::score::{self, Rating, ScoreReport, render};
use std::path::{Path, PathBuf};
use std::process::Command;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("drill-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn load(name: &str, log: Option<&str>) -> (Scenario, Option<ActionLog>) {
    let path = dir().join(format!("{name}.drill"));
    let mut sources = SourceMap::new();
    let main = sources.add(
        path.to_string_lossy().replace('\\', "/"),
        io::read_text(&path).unwrap(),
    );
    let result = lang::check(&mut sources, main, &io::include_loader);
    assert!(!result.has_errors(), "{name} has errors");
    let scenario = result.scenario.unwrap();
    let log = log.map(|suffix| {
        let path = dir().join(format!("{name}.{suffix}"));
        let mut sources = SourceMap::new();
        let id = sources.add(path.display().to_string(), io::read_text(&path).unwrap());
        let (log, diags) = lang::check_actions(&scenario, &sources, id);
        log.unwrap_or_else(|| panic!("{}", lang::render(&diags, &sources)))
    });
    (scenario, log)
}

fn scored(name: &str, log: Option<&str>) -> (Scenario, ScoreReport) {
    let (scenario, log) = load(name, log);
    let events =
        score::batch::simulate(&scenario, None, log.as_ref(), scenario.header.seed).unwrap();
    let report = score::score(&scenario, log.as_ref(), &events);
    (scenario, report)
}

/// The 竹源 flood drill with a recorder's log, as a county would fill in its 概况.
fn flood() -> (ReportMeta, ScoreReport) {
    let (scenario, report) = scored("zhuyuan-flash-flood", Some("actions.drill"));
    let mut meta = ReportMeta::from_scenario(&scenario);
    meta.organiser = "青山县应急管理局".into();
    meta.held_at = "竹源村村委会".into();
    meta.held_on = "2026-07-08".into();
    meta.kind = Some(DrillKind::Field);
    meta.lead_evaluator = "王建国".into();
    meta.evaluators = vec!["李明".into(), "张华".into()];
    (meta, report)
}

/// The section headings, in order, of the Chinese report.
const HEADINGS: [&str; 9] = [
    "一、演练概况",
    "二、总体评价",
    "三、评估内容",
    "四、",
    "五、存在问题",
    "六、改进建议",
    "七、纠正行动",
    "评估组签字",
    "附录：技术信息",
];

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn markdown_and_html_follow_the_report_structure_in_chinese_only() {
    let (meta, r) = flood();
    let md = render::markdown_with(&r, &meta, Lang::Zh);
    let html = render::html_with(&r, &meta, Lang::Zh);
    let mut at = 0;
    for h in HEADINGS {
        let i = md[at..]
            .find(&format!("## {h}"))
            .unwrap_or_else(|| panic!("{h} missing or out of order in\n{md}"));
        at += i;
        assert!(html.contains(&format!("<h2>{h}")), "{h}");
    }
    assert!(md.starts_with("# 演练评估报告\n"));
    for s in [
        "| 组织单位 | 青山县应急管理局 |",
        "| 演练时间 | 2026年7月8日 20:00 |",
        "| 演练形式 | 实战演练 |",
        "| 评估组长 | 王建国 |",
        "| 评估人员 | 李明、张华 |",
        "### 参演单位及职责",
        "| 评估组长 | 王建国 | ＿＿＿＿＿＿＿＿ | 　　年　　月　　日 |",
        "| 评估人员 | 张华 | ＿＿＿＿＿＿＿＿ | 　　年　　月　　日 |",
    ] {
        assert!(md.contains(s), "{s:?} not in\n{md}");
    }
    // Every post and team of the scenario is listed as a participating unit.
    assert_eq!(meta.units.len(), 15, "{:?}", meta.units);
    for u in &meta.units {
        assert!(md.contains(&format!("| {} |", u.name)), "{}", u.name);
    }
    // The overall assessment is prose built from the verdict and the totals.
    let prose = md
        .split("## 二、总体评价\n\n")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    assert!(
        prose.starts_with(&format!(
            "**评估结论：{}**\n\n本次演练依据《",
            r.conclusion.zh
        )),
        "{prose}"
    );
    let count = |x| r.tasks.iter().filter(|t| t.rating == Some(x)).count();
    assert!(
        prose.contains(&format!(
            "共评定任务{}项，其中完成良好（P）{}项、基本完成（S）{}项、存在较大问题（M）{}项、未能完成（U）{}项",
            r.tasks.iter().filter(|t| t.rating.is_some()).count(),
            count(Rating::P),
            count(Rating::S),
            count(Rating::M),
            count(Rating::U)
        )),
        "{prose}"
    );
    // Each missed outcome target is named with its value; the worst task with its
    // rating and first reason.
    for o in r.outcomes.targets.iter().filter(|o| !o.met) {
        assert!(
            prose.contains(&format!("{}{:.1}%", o.name.zh, o.value_percent)),
            "{prose}"
        );
    }
    let worst = r.tasks.iter().max_by_key(|t| t.rating).unwrap();
    assert!(
        prose.contains(&format!(
            "{}「{}」（{}，{}）",
            worst.id,
            worst.title,
            worst.rating.unwrap().letter(),
            worst.reasons[0].zh
        )),
        "{prose}"
    );
    // Every task with its reasons, every corrective action with owner and due date.
    for t in &r.tasks {
        assert!(
            md.contains(&format!("| {} | {} |", t.id, t.title)),
            "{}",
            t.id
        );
        for reason in &t.reasons {
            assert!(md.contains(&reason.zh), "{}", reason.zh);
        }
    }
    for a in &r.corrective_actions {
        assert!(md.contains(&a.owner) && md.contains(&a.due) && md.contains(&a.action.zh));
    }
    // Chinese only: no English label or reason, and the seed and the event-log hash
    // are in the appendix, not the header.
    for en in [
        "Corrective actions",
        "Overview",
        "performed without challenges",
    ] {
        assert!(!md.contains(en) && !html.contains(en), "{en}");
    }
    for t in &r.tasks {
        for reason in &t.reasons {
            assert!(!md.contains(&reason.en), "{}", reason.en);
        }
    }
    let appendix = md.find("## 附录").unwrap();
    assert!(md.find(&r.log_hash).unwrap() > appendix);
    assert!(html.find(&r.log_hash).unwrap() > html.find("<h2>附录").unwrap());
}

#[test]
fn both_languages_and_english_alone() {
    let (meta, r) = flood();
    let both = render::markdown_with(&r, &meta, Lang::Both);
    assert!(
        both.contains("## 七、纠正行动 / 7. Corrective actions"),
        "{both}"
    );
    assert!(both.contains(&r.conclusion.zh) && both.contains(&r.conclusion.en));
    // A recommendation reads once in each language, naming the task it follows from.
    let a1 = &r.corrective_actions[0];
    assert_eq!(a1.task.as_deref(), Some("T1"));
    assert!(
        both.contains(&format!(
            "\n1. {}（针对T1「发布转移预警」） / {} (for T1 '发布转移预警')\n",
            a1.action.zh, a1.action.en
        )),
        "{both}"
    );
    let en = render::markdown_with(&r, &meta, Lang::En);
    assert!(en.starts_with("# Drill evaluation report\n"));
    assert!(en.contains("## 7. Corrective actions"));
    assert!(!en.contains("纠正行动"));
}

#[test]
fn html_prints_on_a4_with_readable_columns() {
    let (meta, r) = flood();
    let html = render::html_with(&r, &meta, Lang::Zh);
    assert!(html.contains("@page { size: A4;"));
    assert!(html.contains("@media print"));
    assert!(html.contains(".new-page { break-before: page;"));
    // Fixed column widths: the task-name column keeps over a fifth of the page.
    assert!(html.contains("table-layout: fixed"));
    assert!(html.contains(r#"<col style="width:20%"><col style="width:13%">"#));
    // Charts scale down to the page.
    assert!(html.contains("svg { display: block; margin: 1em 0; max-width: 100%; height: auto; }"));
    assert_eq!(html.matches("<svg").count(), 3);
    // Each task's reasons are on a full-width row printed with it.
    assert_eq!(
        html.matches(r#"<tbody class="task">"#).count(),
        r.tasks.len()
    );
    assert_eq!(
        html.matches(r#"<tr class="note"><td colspan="13">"#)
            .count(),
        r.tasks.len()
    );
}

#[test]
fn report_json_keeps_its_keys_and_adds_the_overview() {
    let (meta, r) = flood();
    let json = render::json_with(&r, &meta).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for key in ["passed", "total", "conclusion", "log_hash", "seed", "mode"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["tasks"][0]["id"], "T1");
    assert!(v["tasks"][0]["rating"].is_string());
    assert!(v["tasks"][0]["reasons"].is_array());
    assert_eq!(v["meta"]["organiser"], "青山县应急管理局");
    assert_eq!(v["meta"]["held_on"], "2026-07-08");
    assert_eq!(v["meta"]["evaluators"][1], "张华");
    // It still reads back as a report.
    let back: ScoreReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}

fn soffice() -> Option<PathBuf> {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("soffice".into());
    }
    if std::env::var("DRILL_REQUIRE_SOFFICE").is_ok_and(|v| v == "1") {
        panic!(
            "DRILL_REQUIRE_SOFFICE=1 but `soffice` (LibreOffice) is not installed: apt-get install libreoffice-writer poppler-utils fonts-noto-cjk"
        );
    }
    eprintln!(
        "skipped: `soffice` (LibreOffice) is not installed, so report.docx is not opened; set DRILL_REQUIRE_SOFFICE=1 to make this a failure"
    );
    None
}

#[test]
fn report_docx_opens_in_libreoffice_with_every_section_and_the_signatures() {
    let (meta, r) = flood();
    let out = temp("docx");
    let written = write_report(&out, &r, &meta, Lang::Zh).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["report.html", "report.md", "report.json", "report.docx"]
    );
    let docx = std::fs::read(out.join("report.docx")).unwrap();
    assert_eq!(&docx[..2], b"PK", "a zip package");
    let Some(soffice) = soffice() else {
        return;
    };
    // A profile of its own, so that a running LibreOffice or a parallel test does not
    // take the conversion over.
    let profile = format!("file://{}", out.join("lo-profile").display());
    let status = Command::new(soffice)
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(out.join("report.docx"))
        .output()
        .unwrap();
    let pdf = out.join("report.pdf");
    assert!(
        status.status.success() && pdf.is_file(),
        "soffice failed: {}{}",
        String::from_utf8_lossy(&status.stdout),
        String::from_utf8_lossy(&status.stderr)
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed with LibreOffice");
    assert!(text.status.success());
    let text = squeeze(&String::from_utf8_lossy(&text.stdout));
    assert!(text.contains("演练评估报告"));
    let mut at = 0;
    for h in HEADINGS {
        let i = text[at..]
            .find(&squeeze(h))
            .unwrap_or_else(|| panic!("{h} missing or out of order in the PDF:\n{text}"));
        at += i;
    }
    for s in [
        r.tasks[0].title.as_str(),
        r.corrective_actions[0].due.as_str(),
        "评估组长：",
        "评估人员：",
        "签字：",
        "日期：",
        "王建国",
        "青山县应急管理局",
        "实战演练",
    ] {
        assert!(text.contains(&squeeze(s)), "{s:?} not in the PDF:\n{text}");
    }
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let pages: u32 = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!((3..=8).contains(&pages), "{pages} pages");
    if std::env::var_os("DRILL_KEEP_REPORT").is_none() {
        let _ = std::fs::remove_dir_all(&out);
    } else {
        eprintln!("kept {}", out.display());
    }
}

#[test]
fn drill_run_takes_the_overview_from_flags_and_refuses_a_bad_date() {
    let out = temp("cli");
    let drill = |extra: &[&str], to: &str| {
        Command::new(env!("CARGO_BIN_EXE_drill"))
            .arg("run")
            .arg(dir().join("forest-edge-fire.drill"))
            .arg("--report")
            .arg(out.join(to))
            .args(extra)
            .output()
            .unwrap()
    };
    let ok = drill(
        &[
            "--organiser",
            "林场管理处",
            "--held-on",
            "2026/3/9",
            "--held-at",
            "林场场部",
            "--kind",
            "tabletop",
            "--purpose",
            "检验林区火灾应急处置",
            "--lead-evaluator",
            "赵刚",
            "--evaluator",
            "钱伟",
            "--evaluator",
            "孙丽",
            "--lang",
            "both",
        ],
        "ok",
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    for f in ["report.html", "report.md", "report.json", "report.docx"] {
        assert!(out.join("ok").join(f).is_file(), "{f}");
    }
    let md = std::fs::read_to_string(out.join("ok/report.md")).unwrap();
    for s in [
        "| 组织单位 / Organiser | 林场管理处 |",
        "| 演练地点 / Held at | 林场场部 |",
        "| 演练形式 / Kind of drill | 桌面推演 / tabletop drill |",
        "| 演练目的 / Purpose | 检验林区火灾应急处置 |",
        "| 评估人员 / Evaluators | 钱伟、孙丽 |",
        "2026年3月9日 / 2026-03-09",
    ] {
        assert!(md.contains(s), "{s:?} not in\n{md}");
    }
    let bad = drill(&["--held-on", "2026-02-30"], "bad");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--held-on"));
    assert!(!out.join("bad").exists(), "nothing written");
    let _ = std::fs::remove_dir_all(&out);
}

/// Four reports: the plan as written and two drills on one day, and a drill a year
/// later; the headings tell them apart.
fn four_drills() -> Vec<(ScoreReport, Option<String>)> {
    let (_, plan) = scored("zhuyuan-flash-flood", None);
    let (_, drill) = scored("zhuyuan-flash-flood", Some("actions.drill"));
    let (_, perfect) = scored("zhuyuan-flash-flood", Some("perfect.actions.drill"));
    vec![
        (perfect, Some("2027-07-01".into())),
        (drill.clone(), Some("2026-07-08".into())),
        (plan, None),
        (drill, Some("2026-07-08".into())),
    ]
}

#[test]
fn compare_labels_columns_by_date_held_and_kind() {
    let c = score::compare::compare_held(&four_drills());
    let headings: Vec<&str> = c.drills.iter().map(|d| d.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "2026-06-18 计划",
            "2026-07-08 演练 (1)",
            "2026-07-08 演练 (2)",
            "2027-07-01 演练"
        ]
    );
    insta::assert_snapshot!("compare-four-drills", score::compare::render(&c));
}

#[test]
fn compare_follows_corrective_actions_by_key_and_numbers_them_once() {
    let mut drills = four_drills();
    // The latest drill words T1's finding differently, under the same key; the
    // earlier ones raised it under that key too.
    for (r, _) in &mut drills {
        for a in &mut r.corrective_actions {
            a.key = format!("{}/{}", a.issue, "k");
        }
    }
    let (year2, _) = &mut drills[0];
    let extra = score::CorrectiveAction {
        id: "CA1".into(),
        task: Some("T1".into()),
        issue: "T1 预警".into(),
        owner: "村应急管理员".into(),
        due: "2027-08-01".into(),
        action: score::Text::new("复核大喇叭覆盖", "check the loudspeakers' reach"),
        key: "T1/k".into(),
    };
    year2.corrective_actions = vec![extra];
    let c = score::compare::compare_held(&drills);
    let all: Vec<_> = c.open_actions.iter().chain(&c.closed_actions).collect();
    let mut numbers: Vec<usize> = all.iter().map(|a| a.no).collect();
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=all.len()).collect::<Vec<_>>(),
        "numbered once"
    );
    assert_eq!(c.open_actions.len(), 1, "{:?}", c.open_actions);
    let t1 = &c.open_actions[0];
    assert_eq!(t1.key, "T1/k");
    assert_eq!(t1.action.issue, "T1 预警", "worded as the latest drill");
    assert_eq!(
        t1.seen,
        [
            "2026-07-08 演练 (1)",
            "2026-07-08 演练 (2)",
            "2027-07-01 演练"
        ]
    );
    // Without keys, the issue text follows them: the new wording is a new finding.
    for (r, _) in &mut drills {
        for a in &mut r.corrective_actions {
            a.key.clear();
        }
    }
    let c = score::compare::compare_held(&drills);
    assert_eq!(c.open_actions.len(), 1);
    assert_eq!(c.open_actions[0].seen, ["2027-07-01 演练"]);
    assert!(
        c.closed_actions
            .iter()
            .any(|a| a.key == "T1" && a.seen.len() == 2)
    );
}
