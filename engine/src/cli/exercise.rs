//! `drill exercise FILE --log LOG [--speed N] [--seed N]`: a live tabletop drill
//! (桌面推演) on a terminal. The recorder types participants' actions, one per line in
//! the `actions` syntax (`21:12 村应急管理员 warn zone 下村低洼区 via [loudspeaker]`).
//! Each line is checked against the scenario: a line that does not parse is refused
//! with line and column and is *not* logged; a line that parses is appended to LOG
//! (flushed and synced before anything else happens) and given to the simulation,
//! which accepts it or rejects it with a reason — rejected actions stay in the log.
//! The sim is advanced to each action's time (or, with `--speed`, runs on by the wall
//! clock); injects are printed as they fire. An entry for a time already simulated
//! re-runs the drill from the start with the whole log, so the live run always equals
//! the replay `drill run FILE --actions LOG`.
//!
//! The trainer (导调) fires or skips injects by hand: `fire 5` / `下达 5` fires inject 5
//! in the next step, `skip 7` / `跳过 7` drops inject 7. Such a command is checked by
//! the simulation first (a refused one — unknown, already fired — is not logged), then
//! logged as `21:30 trainer fire inject 5` like an action, so a resumed drill or
//! `drill run --actions LOG` repeats it in the same step.
//!
//! A line that is not UTF-8 (a byte the terminal could not encode) or is absurdly
//! long is refused like a line that does not parse: reported at once, not logged,
//! and the drill goes on.
//!
//! If LOG exists the drill resumes: the log is replayed and input continues after it
//! (after a crash, start the same command again). The log may be laid out as a
//! person writes it (the closing brace on the last line, comments after it, no final
//! line break): lines are added before its closing brace and nothing else changes
//! (`io::ActionLogFile`); a file that cannot be extended so is refused before the
//! drill starts. Ctrl-D ends the drill: the sim runs
//! to the scenario's end, the live log hash is checked against a fresh replay of LOG,
//! the `drill run` summary is printed, and the drill is scored (演练评估): the per-task
//! ratings and the conclusion are printed, and with `--report DIR` the after-action
//! report is written there, exactly as `drill run FILE --actions LOG --report DIR`.

use crate::cli::run::{render, simulate_on};
use crate::io::ActionLogFile;
use crate::lang::{self, SourceMap, print};
use crate::limits::MAX_INPUT_LINE_BYTES;
use crate::model::{Action, ActionLog, InjectCommand, InjectCommandKind, Scenario};
use crate::sim::events::{ActionId, SimEvent, TaskOutcome, TimedEvent, WorkRef, log_hash};
use crate::sim::live::{Added, LiveDrill, Verdict};
use clap::Args;
use std::io::{BufRead, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct ExerciseArgs {
    /// Scenario file (.drill)
    pub file: PathBuf,
    /// The action log to append to (created if missing, resumed if present)
    #[arg(long)]
    pub log: PathBuf,
    /// Run the drill clock on by itself, N simulated seconds per real second
    #[arg(long)]
    pub speed: Option<f64>,
    /// Random seed (default: the scenario's `seed`)
    #[arg(long)]
    pub seed: Option<u64>,
    /// At the end, write the evaluation report (report.html, report.md, report.json,
    /// report.docx) here (演练评估报告; a tabletop drill unless --kind says otherwise)
    #[arg(long)]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub report_args: crate::cli::report::ReportArgs,
}

type Drill = LiveDrill;

/// Prints what a trainer wants to see of the events since the last call.
fn show_new_events(drill: &mut Drill) {
    let events: Vec<TimedEvent> = drill.sim.events()[drill.shown..].to_vec();
    drill.shown = drill.sim.events().len();
    for e in events {
        if let Some(text) = describe(&drill.scenario, &e) {
            println!("  {} {text}", drill.scenario.header.start.clock_at(e.t_s));
        }
    }
}

/// What became of the action with this id, in words, once it has been dealt with.
fn outcome(drill: &Drill, id: ActionId) -> Option<String> {
    let (verdict, matched) = drill.outcome(id)?;
    let v = match verdict {
        Verdict::Accepted => "accepted / 已执行".to_string(),
        Verdict::Rejected(reason) => format!("REJECTED / 驳回: {reason}"),
        Verdict::Queued => "accepted, queued: the team is busy / 已接受, 排队".to_string(),
    };
    Some(match matched {
        Some(t) => format!("{v} (plan task {})", drill.scenario.task(t).id),
        None => v,
    })
}

trait Upcoming {
    fn print_upcoming(&self);
}

impl Upcoming for Drill {
    fn print_upcoming(&self) {
        let upcoming = self.sim.upcoming_injects();
        if upcoming.is_empty() {
            println!("  no injects left / 注入已全部下达");
        }
        for i in upcoming.iter().take(5) {
            let when = self.scenario.header.start.clock_at(i.due_s);
            let kind = if i.unless_task.is_some() {
                "if not done"
            } else {
                "at"
            };
            // A command logged for the next step has not reached the sim's status yet.
            let by_hand = self
                .commands
                .iter()
                .find(|c| c.number == i.number && c.at_s > self.sim.time_s() + 1e-9)
                .map_or(String::new(), |c| {
                    let verb = match c.kind {
                        InjectCommandKind::Fire => "fire / 下达",
                        InjectCommandKind::Skip => "skip / 跳过",
                    };
                    format!(
                        " [trainer: {verb} at {}]",
                        self.scenario.header.start.clock_at(c.at_s)
                    )
                });
            println!(
                "  inject {} {kind} {when}: {}{by_hand}",
                i.number, i.message
            );
        }
        println!("  `fire N` / `下达 N` fires inject N now; `skip N` / `跳过 N` drops it");
    }
}

/// One line about an event a trainer follows live; `None` for the routine ones
/// (every household's warning, decision and step).
pub(crate) fn describe(s: &Scenario, e: &TimedEvent) -> Option<String> {
    Some(match &e.event {
        SimEvent::InjectFired {
            number,
            contingency,
        } => {
            let msg = s
                .injects
                .iter()
                .find(|i| i.number == *number)
                .map_or("", |i| i.message.as_str());
            let tag = if *contingency { " (contingency)" } else { "" };
            format!("INJECT {number}{tag}: {msg}")
        }
        SimEvent::InjectSkipped { number, why } => match why {
            crate::sim::events::InjectSkip::Trainer => {
                format!("inject {number} skipped by the trainer")
            }
            crate::sim::events::InjectSkip::TaskDone(t) => {
                format!(
                    "inject {number} not needed: {} was done / 任务已完成",
                    s.task(*t).id
                )
            }
        },
        SimEvent::WarningLevelRaised { level, .. } => format!("warning level raised: {level:?}"),
        SimEvent::ZoneDangerous { zone, .. } => {
            format!("zone {} is now dangerous", s.zone(*zone).name)
        }
        SimEvent::LinkClosed { link, .. } => {
            let l = s.link(*link);
            format!("closed: {} - {}", s.place(l.from).name, s.place(l.to).name)
        }
        SimEvent::Trapped {
            place,
            people,
            household: None,
        } => format!("{people} people trapped at {}", s.place(*place).name),
        SimEvent::ShelterOpened { shelter, .. } => {
            format!("shelter {} opened", s.place(*shelter).name)
        }
        SimEvent::ShelterFull { shelter, .. } => {
            format!("shelter {} is full", s.place(*shelter).name)
        }
        SimEvent::Rescued { place, people, .. } => {
            format!("{people} rescued from {}", s.place(*place).name)
        }
        SimEvent::TaskFinished {
            work,
            actor,
            outcome,
        } => {
            let what = match work {
                WorkRef::Task(t) => format!("task {}", s.task(*t).id),
                WorkRef::Action(a) => format!("action #{}", a.0 + 1),
            };
            let how = match outcome {
                TaskOutcome::Done => "done / 完成".to_string(),
                TaskOutcome::Partial { reached, of } => format!("partly done: {reached} of {of}"),
                TaskOutcome::Failed(why) => format!("failed: {why:?}"),
            };
            format!("{what} by {}: {how}", s.actor_name(*actor))
        }
        // An entry waits for the step that reaches its time; its verdict comes then.
        SimEvent::ActionAccepted { action, actor } => {
            format!(
                "action #{} by {}: accepted / 已执行",
                action.0 + 1,
                s.actor_name(*actor)
            )
        }
        SimEvent::TaskQueued {
            work: WorkRef::Action(action),
            team,
            behind,
        } => {
            let behind = match behind {
                WorkRef::Task(t) => format!("task {}", s.task(*t).id),
                WorkRef::Action(a) => format!("action #{}", a.0 + 1),
            };
            let team = s.teams.get(team.index()).map_or("?", |t| t.name.as_str());
            format!(
                "action #{} queued / 排队: {team} does it after {behind}",
                action.0 + 1
            )
        }
        SimEvent::ActionRejected {
            action,
            actor,
            reason,
        } => format!(
            "action #{} by {}: REJECTED / 驳回: {}",
            action.0 + 1,
            s.actor_name(*actor),
            reason.describe(s)
        ),
        _ => return None,
    })
}

/// The trainer's short form, `fire 5` / `下达 5` / `skip 7` / `跳过 7`: the verb and
/// the inject number; `None` for anything else (an action, or the long form
/// `21:30 trainer fire inject 5`, which goes through the checker).
fn trainer_shorthand(line: &str) -> Option<Result<(InjectCommandKind, u32), String>> {
    let mut words = line.split_whitespace();
    let verb = lang::keywords::trainer_verb(words.next()?)?;
    let kind = if verb == "fire" {
        InjectCommandKind::Fire
    } else {
        InjectCommandKind::Skip
    };
    let number = match (words.next(), words.next()) {
        (Some(n), None) => n.parse::<u32>().map_err(|_| n.to_string()),
        (n, _) => Err(n.unwrap_or("").to_string()),
    };
    Some(number.map(|n| (kind, n)).map_err(|found| {
        format!(
            "expected an inject number after `{verb}` (`{verb} 5`), found `{found}` / 应为注入编号"
        )
    }))
}

/// `input line N, col C: error E0202: ...` for each diagnostic of `severity` of a typed
/// line: its errors when it is refused, its warnings (W0009: a loudspeaker that reaches
/// nobody there) when it is logged.
fn line_messages(
    diags: &[lang::Diagnostic],
    severity: lang::Severity,
    header_len: usize,
    line: &str,
    line_no: usize,
) -> Vec<String> {
    let kind = match severity {
        lang::Severity::Error => "error",
        lang::Severity::Warning => "warning",
    };
    diags
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| {
            let at = (d.primary.span.start as usize).saturating_sub(header_len + 1);
            let col = line
                .get(..at.min(line.len()))
                .map_or(1, |p| p.chars().count() + 1);
            let mut text = format!(
                "input line {line_no}, col {col}: {kind} {}: {} / {}",
                d.code, d.message_en, d.message_zh
            );
            if let Some(help) = &d.help {
                text.push_str(&format!("\n    help: {help}"));
            }
            text
        })
        .collect()
}

/// What a typed line asks for, read without the simulation.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A blank line or a `//` comment: nothing.
    Nothing,
    /// `injects` / `注入`: list the injects to come.
    Upcoming,
    /// The trainer's short form `fire 5` / `跳过 7`, or why its number is wrong.
    Shorthand(Result<(InjectCommandKind, u32), String>),
    /// The trainer's long form `21:30 trainer fire inject 5`.
    Command(InjectCommand),
    /// An action to log, with the checker's warnings about it, each a line to print.
    Action(Box<Action>, Vec<String>),
    /// Refused: why, each a line to print.
    Refused(Vec<String>),
}

/// Reads the typed line `raw` (input line `line_no`) against the scenario, as if it
/// stood alone in an `actions` block opened by `header`.
pub fn entry(scenario: &Scenario, header: &str, raw: &str, line_no: usize) -> Entry {
    let line = raw.trim();
    if line.is_empty() || line.starts_with("//") {
        return Entry::Nothing;
    }
    if line == "injects" || line == "注入" {
        return Entry::Upcoming;
    }
    if let Some(short) = trainer_shorthand(line) {
        return Entry::Shorthand(short);
    }
    let mut sources = SourceMap::new();
    let file = sources.add(
        format!("input line {line_no}"),
        format!("{header}\n{line}\n}}\n"),
    );
    let (parsed, diags) = lang::check_actions(scenario, &sources, file);
    let messages = |severity| line_messages(&diags, severity, header.len(), line, line_no);
    let one_per_line = || {
        vec![format!(
            "input line {line_no}: write one action per line / 每行一条行动"
        )]
    };
    let Some(mut parsed) = parsed else {
        let errors = messages(lang::Severity::Error);
        return Entry::Refused(if errors.is_empty() {
            one_per_line()
        } else {
            errors
        });
    };
    match (parsed.actions.len(), parsed.inject_commands.as_slice()) {
        (0, [command]) => Entry::Command(*command),
        (1, []) => Entry::Action(
            Box::new(parsed.actions.remove(0)),
            messages(lang::Severity::Warning),
        ),
        _ => Entry::Refused(one_per_line()),
    }
}

/// 演练评估 — the finished drill scored from its log and the replay's events (the
/// same call as `drill run --actions LOG --report`), and the lines printed for it.
fn after_action_report(
    scenario: &Scenario,
    log: &ActionLog,
    events: &[TimedEvent],
) -> (crate::score::ScoreReport, String) {
    let report = crate::score::score(scenario, Some(log), events);
    let mut text = String::from("\n演练评估 / after-action report\n");
    text.push_str(&crate::score::render::task_table(&report));
    text.push_str(&format!(
        "\ntotal {:.1}: {} / {}\n",
        report.total, report.conclusion.zh, report.conclusion.en
    ));
    (report, text)
}

/// The trainer's fire or skip, typed as `fire 5` or `21:30 trainer fire inject 5`:
/// checked by the simulation, then (only if accepted) appended to the log, flushed and
/// synced before the step that applies it runs. A refusal is printed and not logged.
fn trainer_command(
    drill: &mut Drill,
    log_file: &mut ActionLogFile,
    scenario: &Scenario,
    line_no: usize,
    command: Result<InjectCommand, String>,
) -> Result<(), String> {
    let accepted = command.and_then(|c| drill.command(c).map(|()| c));
    match accepted {
        Ok(command) => {
            log_file.append(&print::inject_command_line(scenario, &command))?;
            drill.sim.run_before(command.at_s.min(drill.end_s()));
            show_new_events(drill);
            let verb = match command.kind {
                InjectCommandKind::Fire => "fires / 下达",
                InjectCommandKind::Skip => "is skipped / 跳过",
            };
            println!(
                "logged: trainer command, inject {} {verb} at {}",
                command.number,
                scenario.header.start.clock_at(command.at_s)
            );
        }
        Err(why) => {
            println!("input line {line_no}: {why}");
            println!("  not logged / 未记录");
        }
    }
    Ok(())
}

/// What the recorder's terminal gives the drill, line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A line's bytes without its line break: UTF-8 when the terminal encodes so,
    /// but not necessarily.
    Line(Vec<u8>),
    /// A line longer than [`MAX_INPUT_LINE_BYTES`], dropped unread.
    TooLong,
    /// The end of the input (Ctrl-D): the drill ends.
    End,
}

/// Reads stdin line by line into `tx` until its end. Lines go as bytes, so that a
/// byte the terminal could not encode is one refused line, not the end of the drill.
fn read_input(tx: &mpsc::Sender<Input>) {
    let stdin = std::io::stdin();
    let mut lock = stdin.lock();
    loop {
        let mut line = Vec::new();
        let read = (&mut lock)
            .take(MAX_INPUT_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line);
        let input = match read {
            Ok(0) => break,
            Ok(_) if line.last() == Some(&b'\n') => {
                line.pop();
                Input::Line(line)
            }
            Ok(_) if line.len() > MAX_INPUT_LINE_BYTES => {
                // The rest of the line goes unread, and unheld.
                let mut rest = Vec::new();
                loop {
                    rest.clear();
                    match (&mut lock).take(1 << 16).read_until(b'\n', &mut rest) {
                        Ok(n) if n > 0 && rest.last() != Some(&b'\n') => {}
                        _ => break,
                    }
                }
                Input::TooLong
            }
            Ok(_) => Input::Line(line),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        if tx.send(input).is_err() {
            return;
        }
    }
    let _ = tx.send(Input::End);
}

pub fn run(args: &ExerciseArgs) -> ExitCode {
    // Input comes from a thread so that, with --speed, the clock runs between lines.
    let (tx, rx) = mpsc::channel::<Input>();
    std::thread::spawn(move || read_input(&tx));
    match session(args, &rx) {
        Ok(ended) if ended.live_hash == ended.replay_hash => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The line typed, as text; `Err` says why it is refused (not UTF-8, too long);
/// `None` at the end of the input.
pub fn typed_text(input: Input, line_no: usize) -> Option<Result<String, String>> {
    Some(match input {
        Input::Line(bytes) => String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let col = String::from_utf8_lossy(valid).chars().count() + 1;
            format!(
                "input line {line_no}, col {col}: a byte that is not UTF-8 text (the terminal's encoding?); type the line again / 无法识别的字符, 请重新输入"
            )
        }),
        Input::TooLong => Err(format!(
            "input line {line_no}: longer than {} KiB; type one action per line / 行过长",
            MAX_INPUT_LINE_BYTES >> 10
        )),
        Input::End => return None,
    })
}

/// How a drill ended: the event log hashes of the live run and of a replay of its
/// log (equal, or `drill exercise` fails).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    pub live_hash: String,
    pub replay_hash: String,
}

/// The drill itself, reading the recorder's lines from `input`: `drill exercise`
/// once stdin is read into it (and a test's scripted session).
pub fn session(args: &ExerciseArgs, input: &mpsc::Receiver<Input>) -> Result<Ended, String> {
    let (scenario, _) = crate::cli::report::load(&args.file, None)?;
    let terrain = crate::io::scenario_terrain(&scenario, &args.file)
        .map_err(|e| format!("error: {e}"))?
        .map(Arc::new);
    if let Some(speed) = args.speed
        && !(speed.is_finite() && speed > 0.0)
    {
        return Err(format!(
            "error: --speed must be a positive number, got {speed}"
        ));
    }
    // The report's flags (a bad --held-on) are checked before the drill, not after it.
    let (meta, report_lang) = args
        .report_args
        .meta(&scenario, Some(crate::score::meta::DrillKind::Tabletop))
        .map_err(|e| format!("error: {e}"))?;
    let seed = args.seed.unwrap_or(scenario.header.seed);
    let header = print::action_log_header(&scenario);
    let (mut log_file, text) = ActionLogFile::open(&args.log, &header)?;
    let mut sources = SourceMap::new();
    let file = sources.add(args.log.display().to_string(), text);
    let (log, diags) = lang::check_actions(&scenario, &sources, file);
    let Some(log) = log else {
        return Err(format!(
            "{}\nerror: {} cannot be resumed; fix it or start a new log",
            lang::diagnostic::render_with(&diags, &sources, false),
            args.log.display()
        ));
    };
    let resumed = log.actions.len();
    let resumed_commands = log.inject_commands.len();
    let mut drill = Drill::new(scenario.clone(), terrain.clone(), seed, log)?;
    if let Some(last) = drill.last_entry_s() {
        drill.sim.run_before(last.min(drill.end_s()));
    }
    println!(
        "drill exercise: {} (seed {seed}), log {}",
        scenario.header.id,
        args.log.display()
    );
    if resumed + resumed_commands > 0 {
        let commands = if resumed_commands > 0 {
            format!(" with {resumed_commands} trainer commands")
        } else {
            String::new()
        };
        println!(
            "resumed / 续演: {resumed} actions replayed{commands}, drill clock at {}",
            drill.clock()
        );
    }
    show_new_events(&mut drill);
    println!("next injects / 即将注入:");
    drill.print_upcoming();
    println!(
        "type actions as in the log (`21:12 村应急管理员 warn zone 下村低洼区 via [loudspeaker]`); `fire N` / `下达 N` fires inject N now, `skip N` / `跳过 N` drops it; `injects` lists what is next; Ctrl-D ends the drill"
    );

    let mut line_no = 0usize;
    let mut anchor = (Instant::now(), drill.sim.time_s());
    loop {
        let next = match args.speed {
            Some(speed) => match input.recv_timeout(Duration::from_millis(250)) {
                Ok(x) => x,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let target = anchor.1 + anchor.0.elapsed().as_secs_f64() * speed;
                    drill.sim.run_until(target.min(drill.end_s()));
                    show_new_events(&mut drill);
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => Input::End,
            },
            None => input.recv().unwrap_or(Input::End),
        };
        let Some(typed) = typed_text(next, line_no + 1) else {
            break;
        };
        line_no += 1;
        let raw = match typed {
            Ok(text) => text,
            Err(why) => {
                println!("{why}");
                println!("  not logged / 未记录");
                continue;
            }
        };
        let (action, warnings) = match entry(&scenario, &header, &raw, line_no) {
            Entry::Nothing => continue,
            Entry::Upcoming => {
                drill.print_upcoming();
                continue;
            }
            Entry::Shorthand(short) => {
                let command = short.map(|(kind, number)| InjectCommand {
                    at_s: drill.sim.next_step_s(),
                    number,
                    kind,
                    span: Default::default(),
                });
                trainer_command(&mut drill, &mut log_file, &scenario, line_no, command)?;
                anchor = (Instant::now(), drill.sim.time_s());
                continue;
            }
            Entry::Command(command) => {
                trainer_command(&mut drill, &mut log_file, &scenario, line_no, Ok(command))?;
                anchor = (Instant::now(), drill.sim.time_s());
                continue;
            }
            Entry::Refused(errors) => {
                for e in errors {
                    println!("{e}");
                }
                println!("  not logged / 未记录");
                continue;
            }
            Entry::Action(action, warnings) => (*action, warnings),
        };
        // Durable first: the line is on disk before the sim sees it.
        log_file.append(&print::action_line(&scenario, &action))?;
        let id = ActionId(drill.actions.len() as u32);
        let at_s = action.at_s;
        match drill.add(action)? {
            Added::ReRun => println!(
                "  ({} is before the drill clock {}: re-running the drill from the start with the late entry / 补录, 从头重算)",
                scenario.header.start.clock_at(at_s),
                drill.clock()
            ),
            Added::Submitted => drill.sim.run_before(at_s.min(drill.end_s())),
        }
        for warning in warnings {
            println!("{warning}");
        }
        show_new_events(&mut drill);
        let outcome = outcome(&drill, id).unwrap_or_else(|| "waiting for its time / 待执行".into());
        println!("logged #{} at {}: {outcome}", id.0 + 1, drill.clock());
        anchor = (Instant::now(), drill.sim.time_s());
    }

    // Ctrl-D: finish the drill and check the live run against a replay of the log.
    drill.sim.run_to_end();
    show_new_events(&mut drill);
    let live = format!("{:016x}", log_hash(drill.sim.events()));
    let until = drill.end_s();
    let log = drill.log();
    let (report, replay) = simulate_on(
        &scenario,
        terrain.as_deref(),
        seed,
        Some(&log),
        until,
        |_| {},
    )?;
    println!();
    print!("{}", render(&report));
    let (scored, text) = after_action_report(&scenario, &log, replay.events());
    print!("{text}");
    if let Some(dir) = &args.report {
        for p in crate::cli::report::write_report(dir, &scored, &meta, report_lang)? {
            println!("wrote {}", p.display());
        }
    }
    if report.log_hash != live {
        eprintln!(
            "error: the live run (hash {live}) differs from the replay of {} (hash {}); please report this",
            args.log.display(),
            report.log_hash
        );
    } else {
        println!(
            "live run = replay of {} (hash {live}); score it with `drill run {} --actions {}`",
            args.log.display(),
            args.file.display(),
            args.log.display()
        );
    }
    Ok(Ended {
        live_hash: live,
        replay_hash: report.log_hash,
    })
}
