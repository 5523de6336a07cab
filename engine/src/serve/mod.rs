//! `drill serve` — participants and evaluators on their own devices (各自的手机).
//! An HTTP server on axum/tokio, offline, on the loopback address unless `--bind`
//! names the LAN: participants open `/join` on a phone, pick their role and act
//! from it; evaluators (评估组) record observations; the trainer (导调) holds the
//! clock and the injects from `/trainer?token=...`. The API is in docs/SERVE.md.
//!
//! The simulation stays deterministic and single-threaded: one thread
//! (`drill::run`) owns it and the logs, and the HTTP handlers (`api`) talk to it by
//! a channel. `auth` holds tokens and rate limits, `feed` the server-sent events
//! with catch-up by index, `view` what each token may see, `pages` the HTML.

mod api;
pub mod auth;
pub mod drill;
pub mod feed;
mod pages;
pub mod view;

use crate::model::Scenario;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, mpsc};

/// The largest request body accepted (a line of the `actions` syntax, a record).
pub const MAX_BODY_BYTES: usize = 16 << 10;

/// Everything the handlers share.
pub struct App {
    pub scenario: Arc<Scenario>,
    pub tokens: auth::Tokens,
    /// Per token: 20 requests at once, 10 a second after that.
    pub limiter: auth::Limiter,
    /// Per address, for `/api/join`: 100 at once (a room joining), 2 a second after.
    pub join_limiter: auth::Limiter,
    pub hub: Arc<feed::Hub>,
    pub drill: mpsc::Sender<drill::Cmd>,
    pub hide_deadlines: bool,
    /// Turns true when the server stops, ending the event streams (else a graceful
    /// shutdown would wait for them forever).
    pub stopping: tokio::sync::watch::Receiver<bool>,
}

/// Where and how to serve.
pub struct Options {
    pub bind: IpAddr,
    /// 0 picks a free port (printed).
    pub port: u16,
    /// Leave plan deadlines off the participants' cards.
    pub hide_deadlines: bool,
}

/// What `serve` tells its caller once it listens: the address and the trainer's
/// token.
pub struct Listening {
    pub addr: SocketAddr,
    pub trainer_token: String,
}

/// Builds the drill (on its own thread), listens, calls `ready`, and serves until
/// Ctrl-C. Errors (a run that cannot be built, an address in use) come back as text.
pub fn serve(
    start: drill::Start,
    options: Options,
    ready: impl FnOnce(&Listening),
) -> Result<(), String> {
    let scenario = Arc::new(start.scenario.clone());
    let hub = Arc::new(feed::Hub::new());
    let (tx, rx) = mpsc::channel();
    let (built_tx, built_rx) = mpsc::channel();
    let drill_hub = hub.clone();
    let thread = std::thread::Builder::new()
        .name("drill".into())
        .spawn(move || drill::run(start, drill_hub, rx, built_tx))
        .map_err(|e| format!("cannot start the drill thread: {e}"))?;
    match built_rx.recv() {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(format!("error: {e}")),
        Err(_) => return Err("error: the drill thread stopped".into()),
    }
    let server = listen(scenario, hub, tx, &options)?;
    ready(&server.listening);
    server.until_ctrl_c();
    let result = server.stop();
    // The runtime's handlers are gone with it, and so is the last sender: the drill
    // thread ends.
    let _ = thread.join();
    result
}

/// The HTTP side of a served drill, running on its own tokio runtime (worker threads
/// in the background), its requests sent to whoever owns the drill over `drill`: the
/// drill thread of `drill serve`, or the editor's exercise (`drill::Live::pump`).
/// Dropping it stops it.
pub struct Server {
    pub listening: Listening,
    stop: tokio::sync::watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<Result<(), String>>>,
    runtime: Option<tokio::runtime::Runtime>,
}

/// Listens on `options`' address and serves `scenario`'s drill in the background,
/// with a new trainer token; the requests go to the drill's owner over `drill`.
pub fn listen(
    scenario: Arc<Scenario>,
    hub: Arc<feed::Hub>,
    drill: mpsc::Sender<drill::Cmd>,
    options: &Options,
) -> Result<Server, String> {
    let trainer_token = auth::new_token()?;
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let mut shutdown = stopping.clone();
    let app = Arc::new(App {
        scenario,
        tokens: auth::Tokens::new(&trainer_token),
        limiter: auth::Limiter::new(20.0, 10.0),
        join_limiter: auth::Limiter::new(100.0, 2.0),
        hub,
        drill,
        hide_deadlines: options.hide_deadlines,
        stopping,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("drill-serve")
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind((options.bind, options.port)))
        .map_err(|e| {
            format!(
                "error: cannot listen on {}:{}: {e}",
                options.bind, options.port
            )
        })?;
    let addr = listener.local_addr().map_err(|e| format!("error: {e}"))?;
    let task = runtime.spawn(async move {
        axum::serve(
            listener,
            router(app).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|s| *s).await;
        })
        .await
        .map_err(|e| format!("error: {e}"))
    });
    Ok(Server {
        listening: Listening {
            addr,
            trainer_token,
        },
        stop,
        task: Some(task),
        runtime: Some(runtime),
    })
}

impl Server {
    /// Waits for Ctrl-C (`drill serve` in a terminal).
    pub fn until_ctrl_c(&self) {
        if let Some(rt) = &self.runtime {
            let _ = rt.block_on(tokio::signal::ctrl_c());
        }
    }

    /// Stops serving: the event streams end, open requests get a few seconds to be
    /// answered.
    pub fn stop(mut self) -> Result<(), String> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), String> {
        let _ = self.stop.send(true);
        let (Some(rt), Some(task)) = (self.runtime.take(), self.task.take()) else {
            return Ok(());
        };
        let result = rt.block_on(async {
            match tokio::time::timeout(std::time::Duration::from_secs(5), task).await {
                Ok(Ok(r)) => r,
                Ok(Err(e)) => Err(format!("error: {e}")),
                Err(_) => Ok(()), // still answering after 5 s: cut off below
            }
        });
        rt.shutdown_timeout(std::time::Duration::from_secs(1));
        result
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// The address to give phones for a server listening on `ip`: `ip` itself, or for an
/// unspecified address (`0.0.0.0`, `::`) this computer's address on the network its
/// default route leads to (found by pointing a UDP socket there, which sends nothing);
/// loopback when there is none.
pub fn shown_host(ip: IpAddr) -> IpAddr {
    if !ip.is_unspecified() {
        return ip;
    }
    let probe = || {
        let socket = std::net::UdpSocket::bind((std::net::Ipv4Addr::UNSPECIFIED, 0)).ok()?;
        // A private address: the socket only picks the interface that would carry it.
        socket
            .connect((std::net::Ipv4Addr::new(10, 254, 254, 254), 9))
            .ok()?;
        let local = socket.local_addr().ok()?.ip();
        (!local.is_unspecified() && !local.is_loopback()).then_some(local)
    };
    probe().unwrap_or(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST))
}

/// The addresses `drill serve` prints and the editor shows: the trainer's
/// (`/trainer?token=...`, kept to the trainer) and the participants' (`/join`, on the
/// projector). `host` is the address to put in them (the one listened on, or, for
/// `0.0.0.0`, the laptop's address on the room's network as the caller knows it).
pub fn urls(host: IpAddr, l: &Listening) -> (String, String) {
    let host = match host {
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let port = l.addr.port();
    (
        format!("http://{host}:{port}/trainer?token={}", l.trainer_token),
        format!("http://{host}:{port}/join"),
    )
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(pages::join))
        .route("/join", get(pages::join))
        .route("/p", get(pages::participant))
        .route("/trainer", get(pages::trainer))
        .route("/evaluator", get(pages::evaluator))
        .route("/static/app.js", get(pages::script))
        .route("/static/app.css", get(pages::style))
        .route("/api/roles", get(api::roles))
        .route("/api/join", post(api::join))
        .route("/api/view", get(api::view))
        .route("/api/events", get(api::events))
        .route("/api/actions", post(api::actions))
        .route("/api/records", post(api::records))
        .route("/api/control", post(api::control))
        .route("/api/state", get(api::state))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(app)
}
