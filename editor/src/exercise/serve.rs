//! 手机参演 — the exercise served to participants' phones: the engine's `drill serve`
//! (`drill_engine::serve`, axum on its own tokio runtime in background threads) on
//! the exercise's own drill. The editor hands its [`LiveRun`]'s drill and action log to
//! the engine's desk (`serve::drill::Live`) and keeps stepping it; every frame it
//! answers the phones' waiting requests ([`LiveRun::pump`]). So there is one drill:
//! a decision from a phone shows in the editor's decision list, a decision or inject
//! command entered in the editor reaches the phones, and the log holds both.
//!
//! The join address is shown as a QR code on the projector, with the address in text;
//! the trainer's address (with its token) stays folded away, since the room sees the
//! projector.

use crate::session::drill::{LiveRun, RunKind};
use crate::ui::qr::Qr;
use drill_engine::io::{ActionLogFile, RecordLogFile};
use drill_engine::serve::drill::{Cmd, Control, Live};
use drill_engine::serve::{self, Options, Server, feed::Hub};
use egui::{Color32, RichText};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

/// The address served on when none is given: this computer only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// A drill being served.
pub struct Serving {
    server: Server,
    rx: mpsc::Receiver<Cmd>,
    /// `http://HOST:PORT/join`, for the projector.
    pub join_url: String,
    /// `http://HOST:PORT/trainer?token=...`, for the trainer alone.
    pub trainer_url: String,
    pub qr: Qr,
    /// The evaluators' and self-assessment records (beside the action log).
    pub records_path: PathBuf,
    /// The QR window is shown (it can be folded away while serving goes on).
    pub show_code: bool,
}

/// `LOG` → `LOG` less `.drill` with `.records.jsonl`, as `drill serve` names it.
pub fn records_path(log: &Path) -> PathBuf {
    let name = log
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let stem = name.strip_suffix(".drill").unwrap_or(&name);
    log.with_file_name(format!("{stem}.records.jsonl"))
}

/// Parses `--serve`'s value: `ADDR:PORT`, `ADDR` (port 8080) or `:PORT`/`PORT`
/// (loopback).
pub fn parse_addr(s: &str) -> Result<SocketAddr, String> {
    let s = s.trim();
    if let Ok(a) = s.parse::<SocketAddr>() {
        return Ok(a);
    }
    if let Ok(ip) = s.parse::<std::net::IpAddr>() {
        return Ok(SocketAddr::new(ip, 8080));
    }
    if let Ok(port) = s.trim_start_matches(':').parse::<u16>() {
        return Ok(SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), port));
    }
    Err(format!(
        "`{s}` is not an address: write ADDR:PORT, e.g. 0.0.0.0:8080 for the room's network"
    ))
}

/// Starts serving `run` on `addr`. The action log (`log`, at `log_path`) goes to the
/// engine's desk with the drill; it is taken from `log` only once the server listens,
/// so a refusal (an address in use) leaves the exercise as it was.
pub fn start(
    run: &mut LiveRun,
    log: &mut Option<ActionLogFile>,
    log_path: &Path,
    addr: SocketAddr,
) -> Result<Serving, String> {
    if run.kind != RunKind::Participants {
        return Err(
            "a demonstration of the plan is not served; start the exercise without --plan / 演示预案不能手机参演"
                .into(),
        );
    }
    if run.serving() {
        return Err("already served / 已在服务".into());
    }
    if log.is_none() {
        return Err("no action log to serve into / 没有决策记录文件".into());
    }
    let records_path = records_path(log_path);
    let (records, record_lines): (RecordLogFile, Vec<String>) = RecordLogFile::open(&records_path)?;
    let hub = Arc::new(Hub::new());
    let (tx, rx) = mpsc::channel();
    let options = Options {
        bind: addr.ip(),
        port: addr.port(),
        hide_deadlines: false,
    };
    let server = serve::listen(Arc::new(run.scenario.clone()), hub.clone(), tx, &options)?;
    let (trainer_url, join_url) = serve::urls(
        serve::shown_host(server.listening.addr.ip()),
        &server.listening,
    );
    let qr = Qr::new(&join_url)?;
    let Some(log) = log.take() else {
        return Err("no action log to serve into / 没有决策记录文件".into());
    };
    run.start_serving(|drill| Live::host(drill, log, records, record_lines, hub));
    Ok(Serving {
        server,
        rx,
        join_url,
        trainer_url,
        qr,
        records_path,
        show_code: true,
    })
}

impl Serving {
    /// The port listened on.
    pub fn addr(&self) -> SocketAddr {
        self.server.listening.addr
    }

    /// Answers the phones (every frame); the trainer page's clock commands come back
    /// for the editor's playback.
    pub fn pump(&self, run: &mut LiveRun, playing: bool, speed: f64) -> Vec<Control> {
        run.pump(&self.rx, playing, speed)
    }

    /// Stops serving: the last requests are answered, the server closes, and the
    /// drill and its action log go back to the exercise.
    pub fn stop(self, run: &mut LiveRun) -> Option<ActionLogFile> {
        let Serving { server, rx, .. } = self;
        run.pump(&rx, false, 1.0);
        // Requests still queued lose their answer channel (the phone retries).
        drop(rx);
        let _ = server.stop();
        run.stop_serving()
    }
}

/// What the trainer asked of the serving window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowAction {
    None,
    Stop,
    /// Serve again on all addresses (`0.0.0.0`), same port: phones on the room's Wi-Fi.
    OpenToLan,
}

/// The window on the projector: the QR code of the join address (about a third of
/// the window's height), the address in text, and the trainer's address folded away.
pub fn serving_window(
    ctx: &egui::Context,
    serving: &mut Serving,
    zh: bool,
    size: f32,
    screen_h: f32,
) -> WindowAction {
    let mut action = WindowAction::None;
    let mut open = serving.show_code;
    egui::Window::new(if zh {
        "扫码参演 / Scan to join"
    } else {
        "Scan to join / 扫码参演"
    })
    .id(egui::Id::new("serve_qr_window"))
    .open(&mut open)
    .collapsible(true)
    .resizable(false)
    .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -12.0])
    .show(ctx, |ui| {
        ui.vertical_centered(|ui| {
            serving.qr.show(ui, (screen_h * 0.4).clamp(180.0, 600.0));
            ui.add_space(6.0);
            ui.label(
                RichText::new(&serving.join_url)
                    .size(size * 1.1)
                    .monospace()
                    .strong(),
            );
            ui.label(
                RichText::new(if zh {
                    "手机连同一 Wi-Fi, 扫码选择角色"
                } else {
                    "phones on the same Wi-Fi: scan and pick a role"
                })
                .size(size * 0.8),
            );
            if serving.addr().ip().is_loopback() {
                ui.label(
                    RichText::new(if zh {
                        "仅本机可访问 (--serve=0.0.0.0:8080 让局域网手机加入)"
                    } else {
                        "this computer only (--serve=0.0.0.0:8080 lets the room's phones in)"
                    })
                    .size(size * 0.7)
                    .color(Color32::from_rgb(0xd5, 0x00, 0x00)),
                );
                if ui
                    .button(
                        RichText::new(if zh {
                            "开放给局域网"
                        } else {
                            "Open to the room's network"
                        })
                        .size(size * 0.8),
                    )
                    .clicked()
                {
                    action = WindowAction::OpenToLan;
                }
            }
        });
        egui::CollapsingHeader::new(
            RichText::new(if zh {
                "导调地址(勿投影)"
            } else {
                "Trainer address (keep off the projector)"
            })
            .size(size * 0.7),
        )
        .id_salt("serve_trainer_url")
        .default_open(false)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(&serving.trainer_url)
                        .size(size * 0.6)
                        .monospace(),
                );
                if ui.small_button(if zh { "复制" } else { "Copy" }).clicked() {
                    ui.ctx().copy_text(serving.trainer_url.clone());
                }
            });
        });
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!(
                    "{} {}",
                    if zh { "评估记录:" } else { "records:" },
                    serving.records_path.display()
                ))
                .size(size * 0.55)
                .weak(),
            );
        });
        if ui
            .button(RichText::new(if zh { "停止服务" } else { "Stop serving" }).size(size * 0.8))
            .clicked()
        {
            action = WindowAction::Stop;
        }
    });
    serving.show_code = open;
    action
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};

    #[test]
    fn serve_addresses_parse_with_or_without_a_port() {
        assert_eq!(parse_addr("0.0.0.0:9000").unwrap().port(), 9000);
        assert_eq!(
            parse_addr("192.168.1.5").unwrap(),
            "192.168.1.5:8080".parse().unwrap()
        );
        assert_eq!(parse_addr(":0").unwrap(), "127.0.0.1:0".parse().unwrap());
        assert!(parse_addr("the laptop").is_err());
        assert_eq!(
            records_path(Path::new("d/x.exercise-1.actions.drill")),
            Path::new("d/x.exercise-1.actions.records.jsonl")
        );
    }

    /// A plain HTTP/1.1 request over loopback (the test needs no HTTP client crate):
    /// the status and the body.
    fn http(
        addr: SocketAddr,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &str,
    ) -> (u16, String) {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let auth = token.map_or_else(String::new, |t| format!("Authorization: Bearer {t}\r\n"));
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let status = out[9..12].parse().unwrap();
        let body = out.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_owned();
        (status, body)
    }

    /// Runs `request` on another thread while this one pumps the exercise's drill
    /// (as the editor's frames do), until it has its answer.
    fn while_pumping<T: Send + 'static>(
        serving: &Serving,
        run: &mut LiveRun,
        request: impl FnOnce() -> T + Send + 'static,
    ) -> T {
        let h = std::thread::spawn(request);
        let t0 = Instant::now();
        while !h.is_finished() {
            assert!(t0.elapsed() < Duration::from_secs(30), "no answer");
            serving.pump(run, false, 60.0);
            std::thread::sleep(Duration::from_millis(5));
        }
        h.join().unwrap()
    }

    /// A phone joins the exercise served from the editor, posts a decision to
    /// `/api/actions`, and the exercise's own run has it: in its actions, on its log,
    /// with the engine's verdict once the clock reaches it. A decision entered in the
    /// editor goes through the same desk (the phone's log holds it), and stopping
    /// hands the log back.
    #[test]
    fn a_phone_decision_reaches_the_exercise_run_and_its_log() {
        let (_, sc) = crate::session::check::flood_example();
        let dir = std::env::temp_dir().join(format!("drill-editor-serve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log_path = dir.join("zhuyuan.exercise-1.actions.drill");
        let (file, _) = crate::session::check::open_action_log(&sc, &log_path).unwrap();
        let mut log = Some(file);
        let mut run =
            LiveRun::new(&sc, None, sc.header.seed, RunKind::Participants, Vec::new()).unwrap();
        let addr = parse_addr(":0").unwrap();
        let serving = start(&mut run, &mut log, &log_path, addr).unwrap();
        assert!(log.is_none(), "the desk holds the log while serving");
        assert!(run.serving());
        let port = serving.addr();
        assert!(
            serving
                .join_url
                .ends_with(&format!(":{}/join", port.port()))
        );
        assert_eq!(serving.qr.text, serving.join_url);

        // A phone joins as 村应急管理员 (r2) and decides.
        let (st, body) = while_pumping(&serving, &mut run, move || {
            http(port, "POST", "/api/join", None, r#"{"as": "r2"}"#)
        });
        assert_eq!(st, 200, "{body}");
        let token: serde_json::Value = serde_json::from_str(&body).unwrap();
        let token = token["token"].as_str().unwrap().to_owned();
        let line = "20:10 村应急管理员 report_at_post";
        let (st, body) = while_pumping(&serving, &mut run, move || {
            http(port, "POST", "/api/actions", Some(&token), line)
        });
        assert_eq!(st, 200, "{body}");

        // The editor's run has it, and its log on disk.
        assert_eq!(run.actions.len(), 1);
        assert_eq!(run.digest.actions.len(), 1, "the decision list shows it");
        let on_disk = std::fs::read_to_string(&log_path).unwrap();
        assert!(on_disk.contains(line), "{on_disk}");

        // The editor's clock reaches 20:10: the engine's verdict is in the digest.
        run.jump_to(11.0 * 60.0).unwrap();
        while run.chase_target(Duration::from_secs(60)) {}
        serving.pump(&mut run, false, 60.0);
        assert_ne!(
            run.digest.actions[0],
            crate::session::drill::ActionStatus::Pending,
            "verdict reached the editor"
        );
        // The trainer enters a decision in the editor: the desk logs it.
        let mut action = run.actions[0].clone();
        action.actor = sc
            .roles
            .iter()
            .position(|r| r.name == "乡现场指挥官")
            .map(|i| drill_engine::model::Actor::Role(drill_engine::model::RoleIdx(i as u32)))
            .unwrap();
        run.submit_now(action).unwrap();
        assert_eq!(run.actions.len(), 2);
        assert!(
            std::fs::read_to_string(&log_path)
                .unwrap()
                .contains("乡现场指挥官 report_at_post")
        );
        // Going back is refused while served; stopping hands the log back.
        assert!(run.jump_to(0.0).is_err());
        let log = serving.stop(&mut run);
        assert!(log.is_some() && !run.serving());
        assert!(run.jump_to(0.0).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
