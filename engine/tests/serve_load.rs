//! `drill serve` under load and after a crash: 50 simulated phones submit 10 actions
//! each over loopback, the log holds all 500 and its replay gives the live run's
//! event log; a server killed with SIGKILL and started again on the same log has
//! lost nothing it acknowledged and goes on to the replay's event log.

mod serve_common;

use serve_common::*;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const FLOOD: &str = "zhuyuan-flash-flood";
const ROLES: [&str; 5] = [
    "乡现场指挥官",
    "乡应急管理员",
    "村应急管理员",
    "网格长",
    "网格员",
];

/// Phone `i`'s `j`-th action: its role reports at minute 1..600 of the drill
/// (which starts at 20:00), spread so that phones interleave.
fn line(i: usize, j: usize) -> String {
    let minute = 1 + (i * 7 + j * 61) % 600;
    let of_day = (20 * 60 + minute) % 1440;
    format!(
        "{:02}:{:02} {} report_at_post",
        of_day / 60,
        of_day % 60,
        ROLES[i % 5]
    )
}

/// The action lines of an `actions` log (not the header, brace or comments).
fn logged(log: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| l.as_bytes().first().is_some_and(u8::is_ascii_digit))
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_phones_ten_actions_each_replay_to_the_live_event_log() {
    let dir = temp_dir("serve-load");
    let log = dir.join("load.actions.drill");
    let s = Arc::new(Server::start(&example(FLOOD), &log));
    let started = std::time::Instant::now();
    let mut phones = Vec::new();
    for i in 0..50 {
        let s = s.clone();
        phones.push(tokio::spawn(async move {
            let c = client();
            let token = join(&c, &s, &format!("r{}", i % 5)).await;
            for j in 0..10 {
                let (st, body) = act(&c, &s, &token, &line(i, j)).await;
                assert_eq!(st, 200, "phone {i} action {j}: {body}");
            }
        }));
    }
    for p in phones {
        p.await.unwrap();
    }
    let took = started.elapsed();
    eprintln!("500 actions from 50 phones acknowledged in {took:.2?}");
    let lines = logged(&log);
    assert_eq!(lines.len(), 500);
    let mut expected: Vec<String> = (0..50)
        .flat_map(|i| (0..10).map(move |j| line(i, j)))
        .collect();
    let mut got = lines.clone();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "every acknowledged line, once");

    let c = client();
    let end = control(&c, &s, "end").await;
    assert_eq!(end["actions"], 500);
    let live = end["log_hash"].as_str().unwrap().to_string();
    drop(s);
    assert_eq!(live, replay_hash(&example(FLOOD), &log));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_and_restart_on_the_same_log_loses_nothing() {
    let dir = temp_dir("serve-crash");
    let log = dir.join("crash.actions.drill");
    let s = Arc::new(Server::start(&example(FLOOD), &log));
    let acked = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let mut phones = Vec::new();
    for i in 0..10 {
        let (s, acked, count) = (s.clone(), acked.clone(), count.clone());
        phones.push(tokio::spawn(async move {
            let c = client();
            let token = join(&c, &s, &format!("r{}", i % 5)).await;
            for j in 0..20 {
                let l = line(i, j);
                let r = c
                    .post(s.url("/api/actions"))
                    .bearer_auth(&token)
                    .body(l.clone())
                    .send()
                    .await;
                // After the kill: no answer, so not acknowledged.
                let Ok(r) = r else { return };
                if r.status() == 200 {
                    acked.lock().unwrap().push(l);
                    count.fetch_add(1, Ordering::SeqCst);
                }
            }
        }));
    }
    // Killed while the phones are still sending.
    while count.load(Ordering::SeqCst) < 40 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    s.kill9();
    for p in phones {
        p.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let on_disk = logged(&log);
    let on_disk_set: BTreeSet<&String> = on_disk.iter().collect();
    assert!(acked.len() >= 40);
    for l in &acked {
        assert!(on_disk_set.contains(l), "acknowledged but lost: {l}");
    }
    eprintln!(
        "killed after {} acknowledged; {} on disk",
        acked.len(),
        on_disk.len()
    );

    // Started again on the same log: it resumes with every line, and goes on.
    let s = Server::start(&example(FLOOD), &log);
    let c = client();
    let state: serde_json::Value = serde_json::from_str(
        &c.get(s.url("/api/state"))
            .bearer_auth(&s.trainer)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(state["actions"], on_disk.len());
    let token = join(&c, &s, "r2").await;
    let (st, body) = act(&c, &s, &token, "07:59 村应急管理员 report_at_post").await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["number"], on_disk.len() + 1);
    let end = control(&c, &s, "end").await;
    let live = end["log_hash"].as_str().unwrap().to_string();
    drop(s);
    assert_eq!(logged(&log).len(), on_disk.len() + 1);
    assert_eq!(live, replay_hash(&example(FLOOD), &log));
}
