//! 推演 — exercise mode, for a projector in front of the command post: the drill clock
//! and playback (play, pause, step, x1..x600, jump to a time), the map animated from
//! the engine's snapshots, the injects for the trainer, the participants' decision
//! form, and the live scoreboard. Keyboard shortcuts for all of it (F1 lists them).
//!
//! The simulation is stepped in [`Update`] in fixed steps, as many per frame as the
//! speed asks for but never more wall time than `--sim-budget-ms`: a slow step makes
//! the drill clock lag, never the window.

pub mod action_form;
pub mod injects;
pub mod serve;

use crate::exercise::action_form::{ActionForm, form_ui};
use crate::session::document::Document;
use crate::session::drill::{ActionStatus, LiveRun, RunKind};
use crate::ui::describe;
use crate::ui::hazard_map;
use crate::ui::i18n::{Key, Lang};
use crate::ui::map_labels::LegendEntry;
use crate::ui::map_view::{MapState, MapStyle, show_map_layered, show_map_with};
use crate::ui::playback::{PAUSE_ICON, PLAY_ICON, Playback, SPEEDS, STEP_ICON, parse_time};
use crate::ui::{BodyRect, UiSet, UiSettings, root_ui};
use crate::ui::{Mode, Preset};
use crate::ui::{live_map, scoreboard};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use drill_engine::io::{self, ActionLogFile};
use drill_engine::lang::print;
use drill_engine::model::Scenario;
use drill_engine::serve::drill::Control;
use egui::{Color32, RichText};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How the exercise's run is set up (from the command line).
#[derive(Resource, Debug, Clone)]
pub struct RunSetup {
    /// A recorder's actions log to preload.
    pub actions: Option<PathBuf>,
    pub kind: RunKind,
    /// Jump here once the run exists.
    pub at: Option<String>,
    pub play: bool,
    pub speed: u32,
    /// Wall-clock budget for simulation steps per frame.
    pub budget: Duration,
    /// `--serve`: serve the drill to phones from the start, on this address.
    pub serve: Option<std::net::SocketAddr>,
}

pub struct ExercisePlugin;

impl Plugin for ExercisePlugin {
    fn build(&self, app: &mut App) {
        app.insert_non_send(ExerciseState {
            playback: Playback::new(10.0),
            map: MapState::default(),
            run: None,
            run_rev: 0,
            form: ActionForm::default(),
            jump_text: String::new(),
            help: false,
            form_open: true,
            score_cache: Default::default(),
            message: None,
            setup_done: false,
            log: None,
            new_log_at: None,
            log_path: None,
            serving: None,
        })
        .init_resource::<UiTimer>()
        .add_systems(Update, drive_run)
        .add_systems(
            EguiPrimaryContextPass,
            (exercise_keys, ui_timer_start, exercise_ui, ui_timer_end)
                .chain()
                .in_set(UiSet::Body)
                .run_if(|s: Res<UiSettings>| s.mode == Mode::Exercise),
        );
    }
}

/// Wall time the exercise's egui code took this frame (layout and our drawing, not
/// egui's tessellation or the GPU), for `--frame-stats`.
#[derive(Resource, Default)]
pub struct UiTimer {
    start: Option<std::time::Instant>,
    pub last: Duration,
}

fn ui_timer_start(mut t: ResMut<UiTimer>) {
    t.start = Some(std::time::Instant::now());
}

fn ui_timer_end(mut t: ResMut<UiTimer>) {
    if let Some(s) = t.start.take() {
        t.last = s.elapsed();
    }
}

/// Non-send data (`NonSend`), not a `Resource`: the [`LiveRun`] owns the engine's
/// `Simulation`, a Bevy `App`, which is neither `Send` nor `Sync`. Systems that read it
/// therefore run on the main thread, which the egui systems do anyway.
pub struct ExerciseState {
    pub playback: Playback,
    map: MapState,
    pub run: Option<LiveRun>,
    /// The document revision the run was built from.
    run_rev: u64,
    pub form: ActionForm,
    jump_text: String,
    help: bool,
    score_cache: scoreboard::ScoreCache,
    /// Whether the decision form is unfolded (D toggles it).
    form_open: bool,
    /// The last thing the trainer did and what the engine said, shown under the form.
    message: Option<(String, bool)>,
    setup_done: bool,
    /// The `--actions` log, kept on disk as the drill goes: the decisions already in it
    /// are the run's start (a resumed drill), and each decision entered is appended and
    /// synced before the form clears, so a crash loses nothing (`io::ActionLogFile`).
    log: Option<ActionLogFile>,
    /// Without `--actions`, where the log is created at the first decision or inject
    /// command (next to the scenario, [`default_log_path`]): nothing the trainer enters
    /// lives only in the window, and a drill in which nothing is entered leaves no file.
    new_log_at: Option<PathBuf>,
    /// The open log's path (`--actions`, or the one created): a restarted run resumes
    /// from it, and a jump back rewrites it ([`rewrite_log_after_jump`]).
    log_path: Option<PathBuf>,
    /// The drill served to participants' phones (`--serve`, or the button), with its
    /// QR code; the run's drill and log are the engine desk's meanwhile.
    pub serving: Option<serve::Serving>,
}

/// Where an exercise started without `--actions` keeps its log: next to the scenario,
/// `<stem>.exercise-N.actions.drill` with the first N for which `taken` is false.
pub fn default_log_path(scenario: &Path, taken: impl Fn(&Path) -> bool) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map_or_else(|| "drill".into(), |s| s.to_string_lossy());
    let dir = scenario.parent().unwrap_or(Path::new(""));
    (1u32..)
        .map(|n| dir.join(format!("{stem}.exercise-{n}.actions.drill")))
        .find(|p| !taken(p))
        .expect("some number is free")
}

/// The exercise's log, created at `new_log_at` on first use; the message says where,
/// and how to resume from it.
fn log_for_entry<'l>(
    log: &'l mut Option<ActionLogFile>,
    (new_log_at, log_path): (&mut Option<PathBuf>, &mut Option<PathBuf>),
    sc: &Scenario,
    lang: Lang,
) -> (Option<&'l mut ActionLogFile>, Option<(String, bool)>) {
    let mut said = None;
    if log.is_none()
        && let Some(path) = new_log_at.take()
    {
        said = Some(match crate::session::check::open_action_log(sc, &path) {
            Ok((file, _)) => {
                *log = Some(file);
                *log_path = Some(path.clone());
                let shown = path.display();
                if lang == Lang::Zh {
                    (
                        format!("决策记录于 {shown} (续演: --actions {shown})"),
                        true,
                    )
                } else {
                    (
                        format!("decisions are logged to {shown} (resume with --actions {shown})"),
                        true,
                    )
                }
            }
            Err(e) => (e, false),
        });
    }
    (log.as_mut(), said)
}

/// A trainer's inject command made durable in the exercise's log (created on first
/// use); the message is where the log was created, else the command's own.
fn log_command(
    log: &mut Option<ActionLogFile>,
    paths: (&mut Option<PathBuf>, &mut Option<PathBuf>),
    sc: &Scenario,
    command: &drill_engine::model::InjectCommand,
    lang: Lang,
) -> (String, bool) {
    let (log, said) = log_for_entry(log, paths, sc, lang);
    let done = injects::record_command(log, sc, command, lang);
    said.filter(|_| done.1).unwrap_or(done)
}

pub fn big_font(s: &UiSettings) -> f32 {
    if s.preset == Preset::Projector {
        22.0
    } else {
        16.0
    }
}

impl ExerciseState {
    /// Builds the run from the checked scenario (and the preloaded actions) if there is
    /// none yet.
    fn ensure_run(&mut self, doc: &Document, setup: &RunSetup, lang: Lang) {
        if self.run.is_some() {
            return;
        }
        let Some(sc) = doc.checked.scenario.as_ref() else {
            return;
        };
        let log_path = match setup.kind {
            RunKind::Participants => self.log_path.clone().or_else(|| setup.actions.clone()),
            _ => None,
        };
        let resumed = match log_path {
            Some(path) => match crate::session::check::open_action_log(sc, &path) {
                Ok((log, resumed)) => {
                    self.log = Some(log);
                    self.log_path = Some(path);
                    resumed
                }
                Err(e) => {
                    self.log = None;
                    self.message = Some((e, false));
                    Default::default()
                }
            },
            None => {
                if setup.kind == RunKind::Participants {
                    self.new_log_at = doc
                        .path
                        .as_deref()
                        .map(|p| default_log_path(p, |candidate| candidate.exists()));
                }
                Default::default()
            }
        };
        match LiveRun::new(
            sc,
            doc.checked.terrain.clone(),
            sc.header.seed,
            setup.kind,
            resumed.actions,
        ) {
            Ok(mut run) => {
                // The trainer's fire/skip from the log, repeated at their times.
                run.schedule_commands(resumed.inject_commands);
                let (playing, speed) = (self.playback.playing, self.playback.speed);
                self.playback = Playback::new(sc.header.step_s);
                self.playback.playing = playing;
                self.playback.speed = speed;
                self.run = Some(run);
                self.run_rev = doc.rev;
                self.form.forget_indices();
            }
            Err(e) => self.message = Some((e, false)),
        }
        if !self.setup_done {
            self.setup_done = true;
            self.playback.playing = setup.play;
            self.playback.speed = setup.speed;
            if let Some(addr) = setup.serve {
                self.start_serving(addr, lang);
            }
            if let (Some(at), Some(run)) = (&setup.at, self.run.as_mut()) {
                match parse_time(at, sc.header.start.seconds_of_day()) {
                    Some(t) => {
                        let _ = run.jump_to(t);
                    }
                    None => self.message = Some((format!("--at {at}: not a time"), false)),
                }
            }
        }
    }

    /// Serves the run to phones on `addr` (the log is created first if the drill has
    /// none yet); the outcome goes to the message line.
    fn start_serving(&mut self, addr: std::net::SocketAddr, lang: Lang) {
        let Some(run) = self.run.as_mut() else {
            return;
        };
        if self.serving.is_some() {
            return;
        }
        let sc = run.scenario.clone();
        let (_, said) = log_for_entry(
            &mut self.log,
            (&mut self.new_log_at, &mut self.log_path),
            &sc,
            lang,
        );
        let Some(path) = self.log_path.clone() else {
            self.message = Some(said.unwrap_or_else(|| {
                (
                    "no action log: save the scenario first, or start with --actions LOG / 请先保存情景"
                        .into(),
                    false,
                )
            }));
            return;
        };
        match serve::start(run, &mut self.log, &path, addr) {
            Ok(serving) => {
                let text = if lang == Lang::Zh {
                    format!(
                        "手机参演: {} (决策记录 {})",
                        serving.join_url,
                        path.display()
                    )
                } else {
                    format!("served at {} (log {})", serving.join_url, path.display())
                };
                self.message = Some((text, true));
                self.serving = Some(serving);
            }
            Err(e) => self.message = Some((e, false)),
        }
    }

    /// Stops serving; the drill and its log are the exercise's again.
    fn stop_serving(&mut self) {
        if let (Some(serving), Some(run)) = (self.serving.take(), self.run.as_mut()) {
            self.log = serving.stop(run);
        }
    }

    /// Answers the phones and carries out the trainer page's clock commands.
    fn pump_serving(&mut self) {
        let (Some(serving), Some(run)) = (self.serving.as_ref(), self.run.as_mut()) else {
            return;
        };
        let pb = &mut self.playback;
        for c in serving.pump(run, pb.playing, f64::from(pb.speed)) {
            match c {
                Control::Play => pb.playing = !run.finished(),
                Control::Pause => pb.playing = false,
                Control::Speed(v) => {
                    pb.speed = SPEEDS
                        .iter()
                        .copied()
                        .min_by(|a, b| {
                            (f64::from(*a) - v)
                                .abs()
                                .total_cmp(&(f64::from(*b) - v).abs())
                        })
                        .unwrap_or(pb.speed);
                }
                Control::ToEnd => {
                    pb.playing = false;
                    let _ = run.jump_to(run.duration_s());
                }
            }
        }
    }

    fn jump(&mut self, t_s: f64, lang: Lang) {
        if let Some(run) = self.run.as_mut() {
            self.message =
                jump_keeping_log(run, t_s, (&mut self.log, self.log_path.as_deref()), lang);
        }
    }
}

/// Jumps `run` to `t_s` and, when that undid entries, rewrites the log to match
/// ([`rewrite_log_after_jump`]). Returns what to tell the trainer.
fn jump_keeping_log(
    run: &mut LiveRun,
    t_s: f64,
    (log, path): (&mut Option<ActionLogFile>, Option<&Path>),
    lang: Lang,
) -> Option<(String, bool)> {
    let entered = (run.actions.len(), run.commands.len());
    let said = jump_message(run.jump_to(t_s), lang);
    rewrite_log_after_jump(log, path, run, entered, lang).or(said)
}

/// After a jump back that undid decisions or inject commands, the log on disk is
/// rewritten to what the run now holds, so that a drill resumed from it is this one;
/// the text it had is first kept beside it (`<log>.before-jump-N`), so nothing typed
/// is lost. `entered` is the number of decisions and commands before the jump.
/// Returns what to tell the trainer, if anything was rewritten.
fn rewrite_log_after_jump(
    log: &mut Option<ActionLogFile>,
    path: Option<&Path>,
    run: &LiveRun,
    entered: (usize, usize),
    lang: Lang,
) -> Option<(String, bool)> {
    let path = path?;
    log.as_ref()?;
    if (run.actions.len(), run.commands.len()) == entered {
        return None;
    }
    let result = (|| {
        let before = io::read_text(path)?;
        let backup = (1u32..)
            .map(|n| PathBuf::from(format!("{}.before-jump-{n}", path.display())))
            .find(|p| !p.exists())
            .expect("some number is free");
        io::write_atomic(&backup, before.as_bytes())?;
        io::write_atomic(path, kept_log_text(run).as_bytes())?;
        let header = print::action_log_header(&run.scenario);
        let (reopened, _) = ActionLogFile::open(path, &header)?;
        *log = Some(reopened);
        Ok::<PathBuf, String>(backup)
    })();
    Some(match result {
        Ok(backup) => {
            let undone = entered.0 + entered.1 - run.actions.len() - run.commands.len();
            let kept = backup.display();
            if lang == Lang::Zh {
                (
                    format!("已撤销 {undone} 条记录;日志已改写,原日志保存为 {kept}"),
                    true,
                )
            } else {
                (
                    format!(
                        "{undone} later entries undone; the log was rewritten, the earlier one kept as {kept}"
                    ),
                    true,
                )
            }
        }
        Err(e) => (e, false),
    })
}

/// The action log of `run` as it stands: its decisions and the trainer's commands in
/// time order (a decision before a command entered at the same time).
fn kept_log_text(run: &LiveRun) -> String {
    let sc = &run.scenario;
    let mut lines: Vec<(f64, u8, String)> = run
        .actions
        .iter()
        .map(|a| (a.at_s, 0, print::action_line(sc, a)))
        .chain(
            run.commands
                .iter()
                .map(|c| (c.at_s, 1, print::inject_command_line(sc, c))),
        )
        .collect();
    lines.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut text = print::action_log_header(sc);
    text.push('\n');
    for (_, _, line) in lines {
        text.push_str("  ");
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str("}\n");
    text
}

/// What to tell the trainer after a jump: nothing, dropped decisions, or an error.
fn jump_message(result: Result<usize, String>, lang: Lang) -> Option<(String, bool)> {
    match result {
        Ok(0) => None,
        Ok(n) => Some((
            if lang == Lang::Zh {
                format!("回到较早时间:其后的 {n} 条决策已撤销")
            } else {
                format!("went back in time: {n} later decisions dropped")
            },
            false,
        )),
        Err(e) => Some((e, false)),
    }
}

/// Steps the simulation: towards a jump target, or as the playback speed asks.
fn drive_run(
    mut state: NonSendMut<ExerciseState>,
    settings: Res<UiSettings>,
    doc: Res<Document>,
    setup: Res<RunSetup>,
    time: Res<Time<Real>>,
) {
    let state = &mut *state;
    // The phones are answered in every mode (the trainer may be editing meanwhile).
    state.pump_serving();
    if settings.mode != Mode::Exercise {
        return;
    }
    state.ensure_run(&doc, &setup, settings.lang);
    let Some(run) = state.run.as_mut() else {
        return;
    };
    if run.target_s.is_some() {
        run.chase_target(setup.budget);
        return;
    }
    let dt = time.delta_secs_f64();
    let steps = state.playback.steps_for_frame(dt);
    let before = run.time_s();
    if steps > 0 {
        run.advance(steps, setup.budget);
    }
    state.playback.record(dt, run.time_s() - before);
    if run.finished() {
        state.playback.playing = false;
    }
}

/// Space, arrows, +/-, Home, Enter, F1, N/K: see [`HELP`].
fn exercise_keys(
    mut contexts: EguiContexts,
    settings: Res<UiSettings>,
    mut state: NonSendMut<ExerciseState>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    if ctx.egui_wants_keyboard_input() {
        return Ok(());
    }
    use egui::Key as K;
    let pressed = |k: K| ctx.input(|i| i.key_pressed(k));
    let state = &mut *state;
    let step_s = state.playback.step_s;
    if pressed(K::Space) {
        state.playback.playing = !state.playback.playing;
    }
    if pressed(K::ArrowRight)
        && let Some(run) = state.run.as_mut()
    {
        state.playback.playing = false;
        run.advance(1, Duration::from_secs(5));
    }
    if pressed(K::ArrowLeft)
        && let Some(t) = state.run.as_ref().map(|r| r.time_s())
    {
        state.playback.playing = false;
        state.jump((t - step_s).max(0.0), settings.lang);
    }
    if pressed(K::ArrowUp) || pressed(K::Plus) || pressed(K::Equals) {
        state.playback.faster(true);
    }
    if pressed(K::ArrowDown) || pressed(K::Minus) {
        state.playback.faster(false);
    }
    if pressed(K::PageDown)
        && let Some(t) = state.run.as_ref().map(|r| r.time_s())
    {
        state.jump(t + 600.0, settings.lang);
    }
    if pressed(K::PageUp)
        && let Some(t) = state.run.as_ref().map(|r| r.time_s())
    {
        state.jump((t - 600.0).max(0.0), settings.lang);
    }
    if pressed(K::Home) {
        state.playback.playing = false;
        state.jump(0.0, settings.lang);
    }
    if pressed(K::F1) || pressed(K::H) {
        state.help = !state.help;
    }
    for (key, fire) in [(K::N, true), (K::K, false)] {
        if pressed(key)
            && let Some(run) = state.run.as_mut()
        {
            match injects::command_next(run, fire) {
                Ok(Some(command)) => {
                    let paths = (&mut state.new_log_at, &mut state.log_path);
                    state.message = Some(log_command(
                        &mut state.log,
                        paths,
                        &run.scenario,
                        &command,
                        settings.lang,
                    ));
                }
                Ok(None) => {}
                Err(e) => state.message = Some((e, false)),
            }
        }
    }
    if pressed(K::D) {
        state.form_open = !state.form_open;
    }
    if pressed(K::Escape) {
        state.help = false;
    }
    if pressed(K::J) {
        ctx.memory_mut(|m| m.request_focus(egui::Id::new("jump_field")));
    }
    Ok(())
}

/// The shortcut list shown by F1.
pub const HELP: &[(&str, &str, &str)] = &[
    ("Space", "开始 / 暂停", "play / pause"),
    ("→", "单步", "one step"),
    ("←", "后退一步(重算)", "one step back (re-run)"),
    (
        "PgDn / PgUp",
        "前进 / 后退 10 分钟",
        "10 minutes forward / back",
    ),
    ("↑ + / ↓ -", "加速 / 减速", "faster / slower"),
    ("Home", "回到开始", "back to the start"),
    (
        "J",
        "跳转到时间(21:30 或 2h)",
        "jump to a time (21:30 or 2h)",
    ),
    ("Enter", "提交决策", "submit the decision"),
    ("D", "展开 / 收起决策面板", "show / hide the decision panel"),
    (
        "N / K",
        "触发 / 跳过下一条注入",
        "fire / skip the next inject",
    ),
    ("F1 / H", "快捷键说明", "this help"),
    (
        "F5 F6 F7",
        "编写 / 推演 / 复盘",
        "author / exercise / debrief",
    ),
    ("F9", "笔记本 ⇄ 投影", "laptop ⇄ projector"),
    ("F10", "中文 ⇄ English", "中文 ⇄ English"),
];

fn big(text: impl Into<String>, size: f32) -> RichText {
    RichText::new(text).size(size)
}

fn status_text(
    status: &ActionStatus,
    lang: Lang,
    sc: &drill_engine::model::Scenario,
    due_later: bool,
) -> (String, Color32) {
    let zh = lang == Lang::Zh;
    match status {
        ActionStatus::Pending if due_later => (
            if zh { "按时执行" } else { "scheduled" }.into(),
            Color32::from_gray(110),
        ),
        ActionStatus::Pending => (
            if zh {
                "待处理(下一步检查)"
            } else {
                "pending (checked next step)"
            }
            .into(),
            Color32::from_rgb(0x15, 0x65, 0xc0),
        ),
        ActionStatus::Accepted => (
            if zh { "已接受" } else { "accepted" }.into(),
            Color32::from_rgb(0x1b, 0x8a, 0x2e),
        ),
        ActionStatus::Finished(o) => (
            format!("{} {o:?}", if zh { "完成" } else { "finished" }),
            Color32::from_rgb(0x1b, 0x8a, 0x2e),
        ),
        ActionStatus::Rejected(r) => (
            format!(
                "{} {}",
                if zh { "被拒绝:" } else { "rejected:" },
                describe::reject_reason(sc, r)
            ),
            Color32::from_rgb(0xd5, 0x00, 0x00),
        ),
    }
}

fn exercise_ui(
    mut contexts: EguiContexts,
    settings: Res<UiSettings>,
    body: Res<BodyRect>,
    doc: Res<Document>,
    setup: Res<RunSetup>,
    mut state: NonSendMut<ExerciseState>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let mut ui = root_ui(&ctx, "exercise", body.0);
    let s = *settings;
    let lang = s.lang;
    let zh = lang == Lang::Zh;
    let state = &mut *state;
    let size = big_font(&s);
    let enter = ctx.input(|i| i.key_pressed(egui::Key::Enter)) && !ctx.egui_wants_keyboard_input();

    if state.run.is_none() {
        egui::CentralPanel::default().show(&mut ui, |ui| {
            let sc = doc.checked.scenario.as_ref();
            let empty = state
                .message
                .as_ref()
                .map_or_else(|| s.t(Key::NoScenario).to_owned(), |m| m.0.clone());
            state.map.terrain_file = doc.checked.terrain.clone();
            state.map.basemap = doc.checked.basemap.clone();
            show_map_with(
                ui,
                &mut state.map,
                sc,
                MapStyle {
                    label_size: size,
                    hide_notes: true,
                    shelter_bars: false,
                },
                &empty,
                |_, _| {},
            );
        });
        return Ok(());
    };
    let ExerciseState {
        playback,
        map,
        run: run_slot,
        run_rev,
        form,
        jump_text,
        help,
        message,
        form_open,
        score_cache,
        log,
        new_log_at,
        log_path,
        serving,
        ..
    } = state;
    let Some(run) = run_slot.as_mut() else {
        return Ok(());
    };
    let sc = run.scenario.clone();
    let now = run.time_s();
    let mut restart = false;
    let mut serve_toggle = false;
    let mut serve_window = serve::WindowAction::None;
    if let Some(sv) = serving.as_mut()
        && sv.show_code
    {
        serve_window = serve::serving_window(&ctx, sv, zh, size, body.0.height());
    }

    egui::Panel::top("exercise_controls").show(&mut ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(describe::clock(&sc, now))
                    .size(size * 2.6)
                    .monospace()
                    .strong(),
            );
            ui.vertical(|ui| {
                ui.horizontal(|ui| {
                    ui.label(big(&sc.header.title, size).strong());
                    let kind = match run.kind {
                        RunKind::PlanAsWritten => s.t(Key::PlanAsWritten),
                        RunKind::Participants => s.t(Key::ParticipantsRun),
                    };
                    let left = (run.duration_s() - now).max(0.0);
                    ui.label(big(
                        format!(
                            "{kind} · +{:.0}:{:02.0} · {} {:.1} h",
                            (now / 3600.0).floor(),
                            (now % 3600.0 / 60.0).floor(),
                            if zh { "剩余" } else { "left" },
                            left / 3600.0
                        ),
                        size * 0.75,
                    ));
                    // The simulation steps in budgeted slices: when it cannot keep up,
                    // the clock lags and the trainer is told by how much.
                    if playback.lagging()
                        && let Some(a) = playback.achieved_speed()
                    {
                        ui.label(
                            big(
                                if zh {
                                    format!("实际 ×{a:.0} · 模拟跟不上, 时钟滞后")
                                } else {
                                    format!("actual ×{a:.0} · simulation lagging")
                                },
                                size * 0.75,
                            )
                            .color(egui::Color32::from_rgb(0xff, 0x8f, 0x00)),
                        );
                    }
                });
                ui.horizontal(|ui| {
                    let pb = &mut *playback;
                    let label = if pb.playing {
                        format!("{PAUSE_ICON} {}", s.t(Key::Pause))
                    } else {
                        format!("{PLAY_ICON} {}", s.t(Key::Play))
                    };
                    if ui
                        .add_enabled(!run.finished(), egui::Button::new(big(label, size)))
                        .clicked()
                    {
                        pb.playing = !pb.playing;
                    }
                    if ui
                        .button(big(format!("{STEP_ICON} {}", s.t(Key::Step)), size))
                        .clicked()
                    {
                        pb.playing = false;
                        run.advance(1, Duration::from_secs(5));
                    }
                    for speed in SPEEDS {
                        if ui
                            .selectable_label(pb.speed == speed, big(format!("×{speed}"), size))
                            .clicked()
                        {
                            pb.speed = speed;
                        }
                    }
                    ui.separator();
                    let field = ui.add(
                        egui::TextEdit::singleline(jump_text)
                            .id(egui::Id::new("jump_field"))
                            .hint_text("21:30 / 2h")
                            .font(egui::FontId::proportional(size))
                            .desired_width(size * 4.0),
                    );
                    let go = ui.button(big(s.t(Key::JumpTo), size)).clicked()
                        || (field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
                    if go {
                        *message = match parse_time(jump_text, sc.header.start.seconds_of_day()) {
                            Some(t) => {
                                let t = t.min(run.duration_s());
                                jump_keeping_log(run, t, (log, log_path.as_deref()), lang)
                            }
                            None => Some((format!("{}: {}", s.t(Key::BadTime), jump_text), false)),
                        };
                    }
                    if ui.button(big("?", size)).on_hover_text("F1").clicked() {
                        *help = !*help;
                    }
                    ui.separator();
                    let label = if zh { "手机参演" } else { "Phones" };
                    if ui
                        .selectable_label(serving.is_some(), big(label, size))
                        .on_hover_text(if zh {
                            "把本次推演开放给参演人员的手机 (drill serve)"
                        } else {
                            "serve this drill to the participants' phones (drill serve)"
                        })
                        .clicked()
                    {
                        serve_toggle = true;
                    }
                });
            });
        });
        if let Some(target) = run.target_s {
            ui.add(
                egui::ProgressBar::new((now / target.max(1.0)) as f32)
                    .text(format!("→ {}", describe::clock(&sc, target))),
            );
        }
        if doc.rev != *run_rev && doc.checked.scenario.is_some() {
            ui.horizontal(|ui| {
                ui.label(
                    big(s.t(Key::ScenarioChanged), size * 0.85)
                        .color(Color32::from_rgb(0xb0, 0x00, 0x00)),
                );
                if ui.button(big(s.t(Key::Restart), size * 0.85)).clicked() {
                    restart = true;
                }
            });
        }
    });
    egui::Panel::bottom("exercise_decisions")
        .resizable(true)
        .show(&mut ui, |ui| {
            ui.horizontal(|ui| {
                if ui
                    .selectable_label(
                        *form_open,
                        big(format!("{} (D)", s.t(Key::Decision)), size * 0.9),
                    )
                    .clicked()
                {
                    *form_open = !*form_open;
                }
                if let Some((text, ok)) = &*message {
                    ui.label(big(text, size * 0.85).color(if *ok {
                        Color32::from_rgb(0x1b, 0x8a, 0x2e)
                    } else {
                        Color32::from_rgb(0xd5, 0x00, 0x00)
                    }));
                }
            });
            if !*form_open {
                return;
            }
            if let Some(result) = form_ui(ui, form, &sc, lang, now, enter) {
                match result {
                    Ok(action) => {
                        let text = format!(
                            "{} {}",
                            describe::actor(&sc, action.actor),
                            describe::work(&sc, &action.work)
                        );
                        if let Err(e) = run.submit_now(action) {
                            *message = Some((e, false));
                            return;
                        }
                        *message = Some((text, true));
                        let (log, said) = log_for_entry(log, (new_log_at, log_path), &sc, lang);
                        if let Some(said) = said {
                            *message = Some(said);
                        }
                        if let (Some(log), Some(entered)) = (log, run.actions.last())
                            && let Err(e) = log.append(&print::action_line(&sc, entered))
                        {
                            *message = Some((e, false));
                        }
                    }
                    Err(missing) => *message = Some((missing.text(lang).to_owned(), false)),
                }
            }
            egui::ScrollArea::vertical()
                .id_salt("decision_log")
                .max_height(size * 3.2)
                .stick_to_bottom(true)
                .show(ui, |ui| {
                    for (i, a) in run.actions.iter().enumerate() {
                        let status = run
                            .digest
                            .actions
                            .get(i)
                            .cloned()
                            .unwrap_or(ActionStatus::Pending);
                        let (st, color) = status_text(&status, lang, &sc, a.at_s > now + 1e-9);
                        ui.horizontal(|ui| {
                            ui.label(big(describe::clock(&sc, a.at_s), size * 0.8).monospace());
                            ui.label(big(
                                format!(
                                    "{} {}",
                                    describe::actor(&sc, a.actor),
                                    describe::work(&sc, &a.work)
                                ),
                                size * 0.8,
                            ));
                            ui.label(big(st, size * 0.8).color(color).strong());
                        });
                    }
                });
        });

    egui::Panel::left("exercise_injects")
        .resizable(true)
        .default_size(body.0.width() * 0.2)
        .show(&mut ui, |ui| {
            match injects::injects_ui(ui, run, lang, size) {
                Some(Ok(command)) => {
                    let paths = (&mut *new_log_at, &mut *log_path);
                    *message = Some(log_command(log, paths, &sc, &command, lang));
                }
                Some(Err(e)) => *message = Some((e, false)),
                None => {}
            }
        });

    let actions = (run.kind == RunKind::Participants).then_some(run.actions.as_slice());
    let view = score_cache
        .get(&sc, actions, &run.digest, run.events(), lang)
        .clone();
    egui::Panel::right("exercise_scoreboard")
        .resizable(true)
        .default_size(body.0.width() * 0.2)
        .show(&mut ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("scoreboard_scroll")
                .show(ui, |ui| {
                    ui.label(big(s.t(Key::Scoreboard), size).strong());
                    scoreboard::totals_ui(ui, &run.snapshot.totals, lang, size);
                    ui.separator();
                    scoreboard::total_ui(ui, &view, size);
                    if !view.gauges.is_empty() {
                        ui.label(
                            big(
                                if sc.scoring.outcomes_title.is_empty() {
                                    "四个100%"
                                } else {
                                    &sc.scoring.outcomes_title
                                },
                                size * 0.9,
                            )
                            .strong(),
                        );
                        scoreboard::gauges_ui(ui, &view, lang, size);
                        ui.separator();
                    }
                    ui.label(big(s.t(Key::Plan), size * 0.9).strong());
                    scoreboard::checklist_ui(ui, &view, size);
                });
        });

    egui::CentralPanel::default().show(&mut ui, |ui| {
        // The engine's water, fire and plume under the roads and people.
        let layers = run.hazard_layers().to_vec();
        let snap = &run.snapshot;
        let digest = &run.digest;
        let t = snap.t_s;
        map.terrain_file = run.terrain.clone();
        map.basemap = doc.checked.basemap.clone();
        let mut legend = live_map::legend_entries(snap, lang);
        let hazard = hazard_map::legend_entries(&layers, lang);
        if !hazard.is_empty() {
            legend.push(LegendEntry::Gap);
            legend.extend(hazard);
        }
        show_map_layered(
            ui,
            map,
            Some(&sc),
            MapStyle {
                label_size: size * 0.8,
                hide_notes: true,
                shelter_bars: true,
            },
            "",
            &legend,
            |canvas| hazard_map::draw_layers(canvas, &layers),
            |canvas, font| {
                live_map::draw_run(
                    canvas,
                    font,
                    &sc,
                    snap,
                    &|z| digest.zone_dangerous_at(z, t),
                    lang,
                );
            },
        );
    });

    if *help {
        egui::Window::new(s.t(Key::Shortcuts))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(&ctx, |ui| {
                egui::Grid::new("help_grid").striped(true).show(ui, |ui| {
                    for (key, z, e) in HELP {
                        ui.label(big(*key, size).monospace().strong());
                        ui.label(big(if zh { *z } else { *e }, size));
                        ui.end_row();
                    }
                });
                if ui.button(big(s.t(Key::Close), size)).clicked() {
                    *help = false;
                }
            });
    }
    // The button: starts serving; with the code folded away, shows it again; with
    // it on screen, stops. The window: stops, or opens the drill to the room's network.
    let folded = serving.as_ref().map(|sv| !sv.show_code);
    let port = serving.as_ref().map(|sv| sv.addr().port());
    match (serve_toggle, serve_window, folded) {
        (true, _, Some(true)) => {
            if let Some(sv) = serving.as_mut() {
                sv.show_code = true;
            }
        }
        (true, _, Some(false)) | (_, serve::WindowAction::Stop, _) => state.stop_serving(),
        (true, _, None) => {
            let addr = setup.serve.unwrap_or_else(|| {
                serve::parse_addr(serve::DEFAULT_ADDR).expect("the default address parses")
            });
            state.start_serving(addr, lang);
        }
        (_, serve::WindowAction::OpenToLan, _) => {
            state.stop_serving();
            let lan = std::net::SocketAddr::new(
                std::net::Ipv4Addr::UNSPECIFIED.into(),
                port.unwrap_or(8080),
            );
            state.start_serving(lan, lang);
        }
        _ => {}
    }
    if restart {
        // The served drill comes back first: its log stays the exercise's.
        state.stop_serving();
        state.run = None;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_log_sits_next_to_the_scenario_with_the_first_free_number() {
        let sc = Path::new("drills/zhuyuan.drill");
        let taken = |p: &Path| p.ends_with("zhuyuan.exercise-1.actions.drill");
        assert_eq!(
            default_log_path(sc, taken),
            Path::new("drills/zhuyuan.exercise-2.actions.drill")
        );
        assert_eq!(
            default_log_path(Path::new("x.drill"), |_| false),
            Path::new("x.exercise-1.actions.drill")
        );
    }

    /// A jump back that undoes decisions rewrites the log to the run's (so a resumed
    /// drill is this one) and keeps the text it had beside it.
    #[test]
    fn a_jump_back_rewrites_the_log_and_keeps_the_old_one() {
        let (examples, sc) = crate::session::check::flood_example();
        let dir = std::env::temp_dir().join(format!("drill-editor-jumplog-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log_path = dir.join("drill.actions.drill");
        let recorded = io::read_text(&examples.join("zhuyuan-flash-flood.actions.drill")).unwrap();
        io::write_atomic(&log_path, recorded.as_bytes()).unwrap();
        let (file, resumed) = crate::session::check::open_action_log(&sc, &log_path).unwrap();
        let mut log = Some(file);
        let all = resumed.actions.len();
        let mut run = LiveRun::new(&sc, None, 1, RunKind::Participants, resumed.actions).unwrap();
        run.jump_to(2.0 * 3600.0).unwrap();
        run.chase_target(Duration::from_secs(60));
        let entered = (run.actions.len(), run.commands.len());
        // Back to 21:15: the decisions entered by then stay, the later ones go.
        run.jump_to(75.0 * 60.0).unwrap();
        assert!(run.actions.len() < all && !run.actions.is_empty());
        let (said, ok) =
            rewrite_log_after_jump(&mut log, Some(&log_path), &run, entered, Lang::En).unwrap();
        assert!(ok, "{said}");
        let backup = dir.join("drill.actions.drill.before-jump-1");
        assert_eq!(io::read_text(&backup).unwrap(), recorded);
        let (_, again) = crate::session::check::open_action_log(&sc, &log_path).unwrap();
        assert_eq!(again.actions.len(), run.actions.len());
        for (a, b) in again.actions.iter().zip(&run.actions) {
            assert_eq!((a.at_s, a.actor, &a.work), (b.at_s, b.actor, &b.work));
        }
        // A drill resumed from the rewritten log is the jumped one.
        let mut resumed_run =
            LiveRun::new(&sc, None, 1, RunKind::Participants, again.actions).unwrap();
        for r in [&mut run, &mut resumed_run] {
            r.jump_to(4.0 * 3600.0).unwrap();
            r.chase_target(Duration::from_secs(60));
        }
        use drill_engine::sim::events::log_hash;
        assert_eq!(log_hash(resumed_run.events()), log_hash(run.events()));
        // Nothing undone: nothing rewritten.
        let now = (run.actions.len(), run.commands.len());
        assert!(rewrite_log_after_jump(&mut log, Some(&log_path), &run, now, Lang::En).is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Without `--actions`, the first entry creates the log (and says where), later
    /// entries go to the same file, and the decision is on disk at once.
    #[test]
    fn the_first_entry_creates_the_log_and_later_ones_append_to_it() {
        let (_, sc) = crate::session::check::flood_example();
        let dir = std::env::temp_dir().join(format!("drill-editor-newlog-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let planned = default_log_path(&dir.join("zhuyuan-flash-flood.drill"), |p| p.exists());
        let (mut log, mut new_log_at, mut created) = (None, Some(planned.clone()), None);

        let (file, said) = log_for_entry(&mut log, (&mut new_log_at, &mut created), &sc, Lang::En);
        let line = "  20:52 乡现场指挥官 report_at_post";
        file.expect("log created").append(line).unwrap();
        let (said, ok) = said.expect("the trainer is told where");
        assert!(
            ok && said.contains(&planned.display().to_string()),
            "{said}"
        );
        assert_eq!(created.as_ref(), Some(&planned));
        assert!(new_log_at.is_none());

        let (file, said) = log_for_entry(&mut log, (&mut new_log_at, &mut created), &sc, Lang::En);
        assert!(said.is_none(), "said only once");
        file.expect("same log")
            .append("  20:58 村应急管理员 report_at_post")
            .unwrap();
        drop(log);
        let (_, resumed) = crate::session::check::open_action_log(&sc, &planned).unwrap();
        assert_eq!(resumed.actions.len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
