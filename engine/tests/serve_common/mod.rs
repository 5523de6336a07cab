//! Helpers for the `drill serve` tests: a server process on loopback (the real
//! binary, so that it can be killed with SIGKILL), its addresses and the trainer's
//! token read from what it prints, and a small HTTP client.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running `drill serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub trainer: String,
}

impl Server {
    /// Starts `drill serve SCENARIO --actions LOG --port 0` and waits for its URLs.
    pub fn start(scenario: &Path, log: &Path) -> Server {
        Server::start_with(scenario, log, &[])
    }

    /// [`Server::start`] with more flags.
    pub fn start_with(scenario: &Path, log: &Path, more: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_drill"))
            .arg("serve")
            .arg(scenario)
            .arg("--actions")
            .arg(log)
            .args(["--port", "0"])
            .args(more)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("drill serve starts");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let mut trainer_url = None;
        while trainer_url.is_none() {
            let line = lines
                .next()
                .expect("drill serve prints its addresses before exiting")
                .unwrap();
            if let Some(url) = line
                .split_whitespace()
                .find(|w| w.contains("/trainer?token="))
            {
                trainer_url = Some(url.to_string());
            }
        }
        // Keep reading its output so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let url = trainer_url.unwrap();
        let (base, token) = url.split_once("/trainer?token=").unwrap();
        Server {
            child,
            base: base.to_string(),
            trainer: token.to_string(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Ctrl-C (SIGINT): the server stops and writes what it writes at the end;
    /// waits for it to exit and returns whether it exited successfully.
    pub fn interrupt(mut self) -> bool {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        self.child.wait().unwrap().success()
    }

    /// `kill -9`, as a power cut would end it (the server may be shared with tasks
    /// still sending).
    pub fn kill9(&self) {
        let status = Command::new("kill")
            .args(["-9", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The example scenario `name` (`scenarios/NAME.drill`).
pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(format!("{name}.drill"))
}

/// A fresh folder under the target's temporary folder.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap()
}

/// `POST /api/join` as `as_` (`r0`, `t1`, `evaluator`): the token.
pub async fn join(c: &reqwest::Client, s: &Server, as_: &str) -> String {
    let r = c
        .post(s.url("/api/join"))
        .header("Content-Type", "application/json")
        .body(format!("{{\"as\": \"{as_}\"}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "join as {as_}");
    let v: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    v["token"].as_str().unwrap().to_string()
}

/// `POST /api/actions` with `line`: status and JSON body.
pub async fn act(
    c: &reqwest::Client,
    s: &Server,
    token: &str,
    line: &str,
) -> (u16, serde_json::Value) {
    let r = c
        .post(s.url("/api/actions"))
        .bearer_auth(token)
        .body(line.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// `POST /api/control` as the trainer.
pub async fn control(c: &reqwest::Client, s: &Server, op: &str) -> serde_json::Value {
    let r = c
        .post(s.url("/api/control"))
        .bearer_auth(&s.trainer)
        .header("Content-Type", "application/json")
        .body(format!("{{\"op\": \"{op}\"}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    serde_json::from_str(&r.text().await.unwrap()).unwrap()
}

/// The server-sent events a token receives within `wait` of connecting (after
/// index `last`), as text.
pub async fn events(
    c: &reqwest::Client,
    s: &Server,
    token: &str,
    last: u64,
    wait: Duration,
) -> String {
    let mut r = c
        .get(s.url(&format!("/api/events?last={last}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut text = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, r.chunk()).await {
        text.extend_from_slice(&chunk);
    }
    String::from_utf8(text).unwrap()
}

/// The event log hash `drill run SCENARIO --actions LOG` prints.
pub fn replay_hash(scenario: &Path, log: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_drill"))
        .arg("run")
        .arg(scenario)
        .arg("--actions")
        .arg(log)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "drill run: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines()
        .find_map(|l| l.split_once("hash ").map(|(_, h)| h.trim().to_string()))
        .expect("drill run prints the event log hash")
}
