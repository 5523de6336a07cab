//! `drill serve` over loopback: the API's refusals (401, 400, 403, 413, 429), the
//! line on disk before the answer, what each token sees on the live feed, and the
//! evaluators' records in their own log.

mod serve_common;

use serve_common::*;
use std::time::Duration;

const FLOOD: &str = "zhuyuan-flash-flood";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_and_a_line_on_disk_before_its_answer() {
    let dir = temp_dir("serve-api");
    let log = dir.join("live.actions.drill");
    let s = Server::start(&example(FLOOD), &log);
    let c = client();
    let line = "20:52 村应急管理员 report_at_post";

    // No token, a wrong token: 401, nothing logged.
    let r = c
        .post(s.url("/api/actions"))
        .body(line)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let (st, _) = act(&c, &s, "0123456789abcdef0123456789abcdef", line).await;
    assert_eq!(st, 401);
    let (st, _) = act(&c, &s, &format!("{}x", s.trainer), line).await;
    assert_eq!(st, 401);

    let village = join(&c, &s, "r2").await; // 村应急管理员
    let township = join(&c, &s, "r0").await; // 乡现场指挥官
    assert_eq!(village.len(), 32, "128-bit tokens as hex");
    assert_ne!(village, township);

    // A line that does not parse: 400 with the checker's message, not logged.
    let (st, body) = act(&c, &s, &village, "20:52 村应急管理员 fly_to_the_moon").await;
    assert_eq!(st, 400, "{body}");
    let msg = body["error"].as_str().unwrap();
    assert!(
        msg.contains("input line 1, col"),
        "the checker's message: {msg}"
    );
    assert!(
        !msg.contains(dir.to_str().unwrap()),
        "no file path in an answer: {msg}"
    );
    // Another role's action with a participant's token: 403, not logged.
    let (st, body) = act(&c, &s, &township, line).await;
    assert_eq!(st, 403, "{body}");
    // A participant cannot fire injects; an evaluator cannot act.
    let (st, _) = act(&c, &s, &village, "fire 3").await;
    assert_eq!(st, 403);
    let evaluator = join(&c, &s, "evaluator").await;
    let (st, _) = act(&c, &s, &evaluator, line).await;
    assert_eq!(st, 403);
    assert!(
        !std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("report_at_post"),
        "refused lines are not logged"
    );

    // Its own role's line: logged before the answer.
    let (st, body) = act(&c, &s, &village, line).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["number"], 1);
    assert_eq!(
        body["status"], "pending",
        "20:52 is after the clock (20:00)"
    );
    let on_disk = std::fs::read_to_string(&log).unwrap();
    assert!(on_disk.contains(line), "on disk when answered:\n{on_disk}");
    // The trainer acts for any role, and fires injects.
    let (st, body) = act(&c, &s, &s.trainer, "20:53 乡现场指挥官 report_at_post").await;
    assert_eq!(st, 200, "{body}");
    let (st, body) = act(&c, &s, &s.trainer, "fire 3").await;
    assert_eq!(st, 200, "{body}");
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("trainer fire inject 3")
    );

    // Too large a body: 413. Too many requests on one token: 429.
    let big = "x".repeat(20_000);
    let r = c
        .post(s.url("/api/actions"))
        .bearer_auth(&village)
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let mut limited = 0;
    for _ in 0..40 {
        let r = c
            .get(s.url("/api/view"))
            .bearer_auth(&evaluator)
            .send()
            .await
            .unwrap();
        limited += usize::from(r.status() == 429);
    }
    assert!(limited > 0, "40 requests at once meet the rate limit");

    // Evaluator's record and a participant's self-assessment in the record log.
    let r = c
        .post(s.url("/api/records"))
        .bearer_auth(&s.trainer)
        .header("Content-Type", "application/json")
        .body(r#"{"kind": "observation", "task": "T1", "started": "20:45", "note": "按时到岗", "rating": "S"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .post(s.url("/api/records"))
        .bearer_auth(&village)
        .header("Content-Type", "application/json")
        .body(r#"{"kind": "observation", "task": "T1", "rating": "P"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        403,
        "a participant files only its self-assessment"
    );
    let r = c
        .post(s.url("/api/records"))
        .bearer_auth(&village)
        .header("Content-Type", "application/json")
        .body(r#"{"kind": "self", "rating": "X"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = c
        .post(s.url("/api/records"))
        .bearer_auth(&village)
        .header("Content-Type", "application/json")
        .body(r#"{"kind": "self", "rating": "M", "improve": "预警发得太晚"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let records = std::fs::read_to_string(dir.join("live.actions.records.jsonl")).unwrap();
    assert_eq!(records.lines().count(), 2, "{records}");
    assert!(records.contains("预警发得太晚") && records.contains("\"by\":\"村应急管理员\""));

    // The drill to its end: each participant's feed holds its own injects and
    // decisions only; the trainer's all of them.
    let end = control(&c, &s, "end").await;
    assert_eq!(end["finished"], true);
    let wait = Duration::from_millis(800);
    let v_feed = events(&c, &s, &village, 0, wait).await;
    let t_feed = events(&c, &s, &township, 0, wait).await;
    let all = events(&c, &s, &s.trainer, 0, wait).await;
    // Inject 3 goes to 村应急管理员 only, inject 6 to 乡现场指挥官 only.
    let inject3 = "坑里山洪沟水位暴涨";
    let inject6 = "竹源溪水位超警戒";
    assert!(
        v_feed.contains(inject3) && !v_feed.contains(inject6),
        "{v_feed}"
    );
    assert!(
        t_feed.contains(inject6) && !t_feed.contains(inject3),
        "{t_feed}"
    );
    assert!(all.contains(inject3) && all.contains(inject6));
    assert!(v_feed.contains("event: verdict") && !v_feed.contains("乡现场指挥官 report_at_post"));
    assert!(
        all.contains("村应急管理员 report_at_post") && all.contains("乡现场指挥官 report_at_post")
    );
    assert!(
        !v_feed.contains("预警发得太晚"),
        "records go to the staff only"
    );
    assert!(all.contains("预警发得太晚"));
    assert!(
        !v_feed.contains("\"score\""),
        "no scoreboard for participants"
    );

    // Catch-up after a reconnect: from index N on, only what came after.
    let first_id: u64 = v_feed
        .lines()
        .find_map(|l| l.strip_prefix("id: ")?.trim().parse().ok())
        .unwrap();
    let later = events(&c, &s, &village, first_id, wait).await;
    assert!(!later.contains(&format!("id: {first_id}\n")), "{later}");
    assert_eq!(
        later.matches("id: ").count() + 1,
        v_feed.matches("id: ").count(),
        "all but the first again"
    );

    // The live run equals the replay of its log.
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
    drop(s);
    assert_eq!(
        state["log_hash"].as_str().unwrap(),
        replay_hash(&example(FLOOD), &log)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_writes_the_report_with_the_evaluators_beside_the_engine() {
    let dir = temp_dir("serve-report");
    let log = dir.join("r.actions.drill");
    let out = dir.join("report");
    let s = Server::start_with(&example(FLOOD), &log, &["--report", out.to_str().unwrap()]);
    let c = client();
    let village = join(&c, &s, "r2").await;
    let (st, _) = act(&c, &s, &village, "20:52 村应急管理员 report_at_post").await;
    assert_eq!(st, 200);
    let evaluator = join(&c, &s, "evaluator").await;
    let r = c
        .post(s.url("/api/records"))
        .bearer_auth(&evaluator)
        .header("Content-Type", "application/json")
        .body(r#"{"kind": "observation", "task": "T1", "finished": "21:40", "note": "广播只用了一种方式", "rating": "M"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .post(s.url("/api/records"))
        .bearer_auth(&village)
        .header("Content-Type", "application/json")
        .body(r#"{"kind": "self", "rating": "S", "well": "到岗及时"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // An open event stream must not hold the server up.
    let stream = c
        .get(s.url("/api/events"))
        .bearer_auth(&village)
        .send()
        .await
        .unwrap();
    assert!(s.interrupt(), "Ctrl-C ends drill serve cleanly");
    drop(stream);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("评估组现场记录"), "{md}");
    assert!(
        md.contains("广播只用了一种方式") && md.contains("到岗及时"),
        "{md}"
    );
    // The same report from the logs afterwards.
    let again = dir.join("again");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_drill"))
        .arg("run")
        .arg(example(FLOOD))
        .arg("--actions")
        .arg(&log)
        .arg("--records")
        .arg(dir.join("r.actions.records.jsonl"))
        .arg("--report")
        .arg(&again)
        .args(["--kind", "tabletop"])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        std::fs::read_to_string(again.join("report.md")).unwrap(),
        md
    );
}
