//! `drill serve FILE [--actions LOG] [--bind ADDR] [--port N]`: the live drill
//! served to participants' and evaluators' phones (`crate::serve`). Loads and checks
//! the scenario, opens (or resumes) the action log and the record log beside it,
//! and prints the trainer's and the participants' addresses. Ctrl-C stops the
//! server; starting the same command again resumes the drill from its logs.

use crate::io::{ActionLogFile, RecordLogFile};
use crate::lang::{self, SourceMap, print};
use crate::serve::drill::{Report, Start};
use crate::serve::{self, Listening, Options};
use clap::Args;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Scenario file (.drill)
    pub file: PathBuf,
    /// The action log to append to (created if missing, resumed if present); default
    /// FILE's name with `.serve-actions.drill`
    #[arg(long)]
    pub actions: Option<PathBuf>,
    /// Address to listen on: loopback unless given (0.0.0.0 or the laptop's LAN
    /// address lets phones on the room's network in)
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Port (0: any free port)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Random seed (default: the scenario's `seed`)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Leave the plan's deadlines off the participants' response cards
    #[arg(long)]
    pub hide_deadlines: bool,
    /// When the server stops (Ctrl-C), run the drill to its end and write the
    /// evaluation report here, with the evaluators' records beside the engine's ratings
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// (`--records REC`: the evaluators' and self-assessment records, appended as JSON
    /// lines; default the action log's name with `.records.jsonl`.)
    #[command(flatten)]
    pub report_args: crate::cli::report::ReportArgs,
}

/// `stem.drill` → `stem.EXT` beside it.
fn beside(path: &Path, ext: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let stem = name.strip_suffix(".drill").unwrap_or(&name);
    path.with_file_name(format!("{stem}{ext}"))
}

pub fn run(args: &ServeArgs) -> ExitCode {
    match serve_file(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn serve_file(args: &ServeArgs) -> Result<(), String> {
    let (scenario, _) = crate::cli::report::load(&args.file, None)?;
    let terrain = crate::io::scenario_terrain(&scenario, &args.file)
        .map_err(|e| format!("error: {e}"))?
        .map(Arc::new);
    let seed = args.seed.unwrap_or(scenario.header.seed);
    // The report's flags are checked before the drill, not after it; the records
    // come from the drill's own record log.
    let report_args = crate::cli::report::ReportArgs {
        records: None,
        ..args.report_args.clone()
    };
    let (meta, lang) = report_args
        .meta(&scenario, Some(crate::score::meta::DrillKind::Tabletop))
        .map_err(|e| format!("error: {e}"))?;
    let report = args.report.clone().map(|dir| Report { dir, meta, lang });
    let log_path = args
        .actions
        .clone()
        .unwrap_or_else(|| beside(&args.file, ".serve-actions.drill"));
    let records_path = args
        .report_args
        .records
        .clone()
        .unwrap_or_else(|| beside(&log_path, ".records.jsonl"));
    let header = print::action_log_header(&scenario);
    let (log_file, text) = ActionLogFile::open(&log_path, &header)?;
    let mut sources = SourceMap::new();
    let file = sources.add(log_path.display().to_string(), text);
    let (log, diags) = lang::check_actions(&scenario, &sources, file);
    let Some(log) = log else {
        return Err(format!(
            "{}\nerror: {} cannot be resumed; fix it or start a new log",
            lang::diagnostic::render_with(&diags, &sources, false),
            log_path.display()
        ));
    };
    let (records, record_lines) = RecordLogFile::open(&records_path)?;
    let resumed = (
        log.actions.len(),
        log.inject_commands.len(),
        record_lines.len(),
    );
    let start = Start {
        scenario: scenario.clone(),
        terrain,
        seed,
        log,
        log_file,
        records,
        record_lines,
        report,
    };
    let options = Options {
        bind: args.bind,
        port: args.port,
        hide_deadlines: args.hide_deadlines,
    };
    serve::serve(start, options, |l: &Listening| {
        println!(
            "drill serve: {} (seed {seed}), action log {}, records {}",
            scenario.header.id,
            log_path.display(),
            records_path.display()
        );
        if resumed != (0, 0, 0) {
            println!(
                "resumed / 续演: {} actions, {} trainer commands, {} records",
                resumed.0, resumed.1, resumed.2
            );
        }
        let (trainer, join) = serve::urls(serve::shown_host(l.addr.ip()), l);
        println!("trainer / 导调: {trainer}");
        println!("join / 加入: {join}");
        if l.addr.ip().is_loopback() {
            println!(
                "(this computer only; --bind 0.0.0.0 lets phones on the LAN in / 仅本机, 局域网请加 --bind)"
            );
        }
        println!(
            "Ctrl-C stops the server; the same command resumes the drill / 按 Ctrl-C 停止, 重新运行即续演"
        );
        use std::io::Write;
        let _ = std::io::stdout().flush();
    })
}
