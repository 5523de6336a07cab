//! The debrief's export: an after-action summary in Markdown built from the recorded
//! run (hourly totals, shelters, teams, decisions and the engine's verdict on each,
//! the plan tasks' timeline, the scoreboard), plus the raw event log as JSON so any
//! later tool (the scorer, `drill`) can re-read the run. Text building is pure; the
//! files are written through `drill_engine::io`.

use crate::debrief::replay::Recording;
use crate::session::drill::{ActionStatus, TaskProgress};
use crate::ui::describe;
use crate::ui::i18n::Lang;
use crate::ui::scoreboard;
use drill_engine::io;
use drill_engine::sim::events::log_hash;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The Markdown after-action summary.
pub fn markdown(rec: &Recording) -> String {
    let run = &rec.run;
    let sc = &run.scenario;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# 演练复盘 / After-action summary: {}\n",
        sc.header.title
    );
    let _ = writeln!(
        out,
        "- scenario `{}`, seed {}, {}\n- simulated to {} (+{:.1} h), {} events, log hash `{:016x}`\n",
        sc.header.id,
        run.seed,
        match run.kind {
            crate::session::drill::RunKind::PlanAsWritten => "plan as written / 按预案",
            crate::session::drill::RunKind::Participants => "participants' decisions / 按参演决策",
        },
        describe::clock(sc, run.time_s()),
        run.time_s() / 3600.0,
        run.events().len(),
        log_hash(run.events())
    );
    let _ = writeln!(out, "## 人数随时间 / People over time\n");
    let _ = writeln!(
        out,
        "| 时间 time | 已预警 warned | 已安置 sheltered | 转移中 moving | 危险区 in danger | 被困 trapped | 已救出 rescued |\n|---|---:|---:|---:|---:|---:|---:|"
    );
    let mut next = 0.0;
    for s in &run.history {
        if s.t_s + 1e-9 >= next || std::ptr::eq(s, run.history.last().unwrap_or(s)) {
            let t = s.totals;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                describe::clock(sc, s.t_s),
                t.warned,
                t.evacuated,
                t.moving,
                t.in_danger,
                t.trapped,
                t.rescued
            );
            next = (s.t_s / 3600.0).floor() * 3600.0 + 3600.0;
        }
    }
    let _ = writeln!(out, "\n## 避灾点 / Shelters (end)\n");
    let _ = writeln!(
        out,
        "| 避灾点 shelter | 人数 people | 容量 capacity |\n|---|---:|---:|"
    );
    for sv in &run.snapshot.shelters {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            describe::place(sc, sv.place.index()),
            sv.occupancy,
            sv.capacity
        );
    }
    let _ = writeln!(out, "\n## 队伍 / Teams\n");
    for tv in &run.snapshot.teams {
        let name = sc
            .teams
            .get(tv.team.index())
            .map_or("?", |t| t.name.as_str());
        let _ = writeln!(out, "- {name}: {:.0}% busy", tv.utilisation * 100.0);
    }
    let _ = writeln!(out, "\n## 决策 / Decisions\n");
    if run.actions.is_empty() {
        let _ = writeln!(out, "(none)");
    }
    for (i, a) in run.actions.iter().enumerate() {
        let status = run
            .digest
            .actions
            .get(i)
            .cloned()
            .unwrap_or(ActionStatus::Pending);
        let verdict = match status {
            ActionStatus::Pending => "pending".to_owned(),
            ActionStatus::Accepted => "accepted / 已接受".to_owned(),
            ActionStatus::Finished(o) => format!("finished / 完成 {o:?}"),
            ActionStatus::Rejected(r) => {
                format!("rejected / 被拒绝: {}", describe::reject_reason(sc, &r))
            }
        };
        let _ = writeln!(
            out,
            "- {} {} {} — {verdict}",
            describe::clock(sc, a.at_s),
            describe::actor(sc, a.actor),
            describe::work(sc, &a.work)
        );
    }
    let _ = writeln!(out, "\n## 应急处置卡 / Plan tasks\n");
    let actions = (run.kind == crate::session::drill::RunKind::Participants)
        .then_some(run.actions.as_slice());
    let view = scoreboard::score_view(sc, actions, &run.digest, run.events(), Lang::Zh);
    for (i, task) in sc.plan.tasks.iter().enumerate() {
        let progress = match run.digest.tasks.get(i).copied().unwrap_or_default() {
            TaskProgress::NotStarted => "not started in the log / 未开始".to_owned(),
            TaskProgress::Started(t) => format!("started {}", describe::clock(sc, t)),
            TaskProgress::Finished(t, o) => format!("finished {} {o:?}", describe::clock(sc, t)),
            TaskProgress::Skipped(t) => format!("skipped {}", describe::clock(sc, t)),
        };
        let _ = writeln!(out, "- {} {} — {progress}", task.id, task.title);
    }
    if !view.gauges.is_empty() {
        let _ = writeln!(
            out,
            "\n## {} \n",
            if sc.scoring.outcomes_title.is_empty() {
                "四个100%"
            } else {
                &sc.scoring.outcomes_title
            }
        );
        for g in &view.gauges {
            let value = g.value_pct.map_or("—".to_owned(), |v| format!("{v:.0}%"));
            let _ = writeln!(out, "- {}: {value} (target {:.0}%)", g.name, g.target_pct);
        }
    }
    out
}

/// Where the export goes: next to the scenario file, or the working folder.
pub fn export_paths(scenario_path: Option<&Path>, id: &str) -> (PathBuf, PathBuf) {
    let stem = scenario_path
        .and_then(|p| p.file_stem())
        .map_or_else(|| id.to_owned(), |s| s.to_string_lossy().into_owned());
    let dir = scenario_path
        .and_then(Path::parent)
        .map_or_else(PathBuf::new, Path::to_path_buf);
    (
        dir.join(format!("{stem}.debrief.md")),
        dir.join(format!("{stem}.events.json")),
    )
}

/// The scorer's after-action report of the recorded run (总结评估报告).
pub fn score_report(rec: &Recording) -> drill_engine::score::ScoreReport {
    let run = &rec.run;
    let log = (run.kind == crate::session::drill::RunKind::Participants).then(|| {
        drill_engine::model::ActionLog {
            scenario_id: run.scenario.header.id.clone(),
            actions: run.actions.clone(),
            inject_commands: run.commands.clone(),
        }
    });
    drill_engine::score::score(&run.scenario, log.as_ref(), run.events())
}

/// Writes the run summary, the event log, and the scorer's evaluation report (演练评估报告)
/// as Markdown, HTML and Word, with the 演练概况 the scenario gives (title, date, plan,
/// posts and teams; the rest left blank to fill in by hand, as `drill run --report`
/// does without its flags); returns the paths written.
pub fn export(rec: &Recording, scenario_path: Option<&Path>) -> Result<Vec<PathBuf>, String> {
    use drill_engine::score::{docx, meta, render};
    let (md, json) = export_paths(scenario_path, &rec.run.scenario.header.id);
    io::write_atomic(&md, markdown(rec).as_bytes())?;
    let log = serde_json::to_vec_pretty(rec.run.events()).map_err(|e| e.to_string())?;
    io::write_atomic(&json, &log)?;
    let report = score_report(rec);
    let details = meta::ReportMeta::from_scenario(&rec.run.scenario);
    let lang = meta::Lang::Zh;
    let aar_md = md.with_extension("").with_extension("aar.md");
    let aar_html = md.with_extension("").with_extension("aar.html");
    let aar_docx = md.with_extension("").with_extension("aar.docx");
    io::write_atomic(
        &aar_md,
        render::markdown_with(&report, &details, lang).as_bytes(),
    )?;
    io::write_atomic(
        &aar_html,
        render::html_with(&report, &details, lang).as_bytes(),
    )?;
    io::write_atomic(&aar_docx, &docx::docx(&report, &details, lang)?)?;
    Ok(vec![md, json, aar_md, aar_html, aar_docx])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::drill::RunKind;
    use drill_engine::sim::generate;
    use std::time::Duration;

    #[test]
    fn the_summary_lists_hours_shelters_and_plan_tasks_from_the_run() {
        let sc = generate::village(2);
        let mut rec =
            Recording::new(&sc, None, 2, RunKind::PlanAsWritten, Vec::new(), Vec::new()).unwrap();
        while !rec.done() {
            rec.record(Duration::from_secs(10));
        }
        let md = markdown(&rec);
        // One row per hour plus the start: 13 rows for a 12-hour drill.
        let rows = md
            .lines()
            .filter(|l| l.starts_with("| ") && l.contains(':'))
            .count();
        assert_eq!(rows, 13, "{md}");
        for sv in &rec.run.snapshot.shelters {
            assert!(md.contains(&sc.place(sv.place).name));
        }
        for task in &sc.plan.tasks {
            assert!(md.contains(&format!("- {} {}", task.id, task.title)));
        }
        assert!(md.contains(&format!("{:016x}", log_hash(rec.run.events()))));
    }

    #[test]
    fn exports_land_next_to_the_scenario_and_include_the_scorers_report() {
        let sc = generate::village(3);
        let mut rec =
            Recording::new(&sc, None, 3, RunKind::PlanAsWritten, Vec::new(), Vec::new()).unwrap();
        while !rec.done() {
            rec.record(Duration::from_secs(10));
        }
        let dir = std::env::temp_dir().join(format!("drill-editor-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let paths = export(&rec, Some(&dir.join("v.drill"))).unwrap();
        let names: Vec<String> = paths
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "v.debrief.md",
                "v.events.json",
                "v.aar.md",
                "v.aar.html",
                "v.aar.docx"
            ]
        );
        // A Word file (a zip whose first entry is named): the signed report.
        let docx = std::fs::read(&paths[4]).unwrap();
        assert!(docx.starts_with(b"PK"), "not a zip");
        let json = std::fs::read_to_string(&paths[1]).unwrap();
        let back: Vec<drill_engine::sim::events::TimedEvent> = serde_json::from_str(&json).unwrap();
        // (serde_json's default float parsing is not bit-exact, so compare the shape.)
        assert_eq!(back.len(), rec.run.events().len());
        assert!(matches!(
            back.last().map(|e| &e.event),
            Some(drill_engine::sim::events::SimEvent::Finished { .. })
        ));
        let aar = std::fs::read_to_string(&paths[2]).unwrap();
        let details = drill_engine::score::meta::ReportMeta::from_scenario(&rec.run.scenario);
        assert_eq!(
            aar,
            drill_engine::score::render::markdown_with(
                &score_report(&rec),
                &details,
                drill_engine::score::meta::Lang::Zh
            )
        );
        assert!(aar.contains("演练概况"), "{aar}");
        let _ = std::fs::remove_dir_all(&dir);

        let (md, json) = export_paths(Some(Path::new("scenarios/a.drill")), "x");
        assert_eq!(md, Path::new("scenarios/a.debrief.md"));
        assert_eq!(json, Path::new("scenarios/a.events.json"));
        let (md, _) = export_paths(None, "county-50000-2000");
        assert_eq!(md, Path::new("county-50000-2000.debrief.md"));
    }
}
