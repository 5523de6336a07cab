//! `drill serve` in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`) driven over WebDriver with fantoccini. Two participants join
//! from phone-sized windows (390x844) as different roles, each submits a decision
//! from its response card and sees the verdict; neither sees the other's private
//! inject; the trainer sees both decisions. Screenshots of every view are written to
//! `target/tmp/serve-shots/` for a person to look at.
//!
//! Skipped when Chromium or chromedriver is missing, unless DRILL_REQUIRE_CHROMIUM=1
//! (CI sets it, after installing them).

mod serve_common;

use fantoccini::{Client, ClientBuilder, Locator};
use serve_common::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const FLOOD: &str = "zhuyuan-flash-flood";
/// Inject 3 goes to 村应急管理员 only, inject 6 to 乡现场指挥官 only.
const INJECT3: &str = "坑里山洪沟水位暴涨";
const INJECT6: &str = "竹源溪水位超警戒";

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names
        .iter()
        .flat_map(|n| std::env::split_paths(&path).map(move |d| d.join(n)))
        .find(|p| p.is_file())
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A headless Chromium session in a 390x844 window with its own profile folder.
async fn browser(webdriver: &str, chromium: &Path, profile: &Path) -> Client {
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            // Headless windows are at least 500 px wide: the phone's viewport is
            // emulated instead.
            "mobileEmulation": {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 1.0}},
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--hide-scrollbars",
                "--window-size=390,844", "--lang=zh-CN",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(webdriver)
        .await
        .expect("chromedriver starts a Chromium session")
}

/// Waits until the page's text in `css` satisfies `ok` (10 s at most).
async fn wait_text(c: &Client, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let text = match c.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if ok(&text) {
            return text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{what}: `{css}` reads {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// A screenshot of the window (scrolled to `css` first, when given), checked to be
/// 390 px wide, written to `dir/name.png`.
async fn shot(c: &Client, dir: &Path, name: &str, css: Option<&str>) {
    let script = "const e = arguments[0] && document.querySelector(arguments[0]); \
                  if (e) { e.scrollIntoView(); window.scrollBy(0, -70); } else { window.scrollTo(0, 0); }";
    c.execute(script, vec![serde_json::json!(css)])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let png = c.screenshot().await.unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (390, 844), "{name}: a phone-sized window");
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

async fn join_as(c: &Client, s: &Server, id: &str) {
    c.goto(&s.url("/join")).await.unwrap();
    let button = c
        .wait()
        .for_element(Locator::Css(&format!("button[data-as='{id}']")))
        .await
        .unwrap();
    button.click().await.unwrap();
    c.wait()
        .for_element(Locator::Css("#decisions"))
        .await
        .unwrap();
}

/// Picks the first task of the response card and submits its action.
async fn decide(c: &Client) {
    let select = c.find(Locator::Css("#tpl")).await.unwrap();
    select.select_by_index(1).await.unwrap();
    let line = wait_text(c, "#line", "the form is filled", |_| true).await;
    let _ = line;
    let value = c
        .execute("return document.querySelector('#line').value", vec![])
        .await
        .unwrap();
    assert!(
        value.as_str().is_some_and(|v| v.len() > 6),
        "the template filled the line: {value}"
    );
    c.find(Locator::Css("#send"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(c, "#smsg", "the decision is logged", |t| {
        t.contains("已记录")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_participants_and_a_trainer_in_headless_chromium() {
    let required = std::env::var("DRILL_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1");
    let (Some(chromium), Some(chromedriver)) = (
        find_program(&["chromium", "chromium-browser"]),
        find_program(&["chromedriver"]),
    ) else {
        assert!(
            !required,
            "DRILL_REQUIRE_CHROMIUM=1 but chromium or chromedriver is missing"
        );
        eprintln!("skipped: chromium and chromedriver are not installed");
        return;
    };
    let dir = temp_dir("serve-browser");
    let shots = temp_dir("serve-shots");
    let log = dir.join("browser.actions.drill");
    let s = Server::start(&example(FLOOD), &log);

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs"),
    );
    let webdriver = format!("http://127.0.0.1:{port}");
    let http = client();
    let start = Instant::now();
    while http
        .get(format!("{webdriver}/status"))
        .send()
        .await
        .is_err()
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver answers"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let village = browser(&webdriver, &chromium, &dir.join("profile-village")).await;
    let township = browser(&webdriver, &chromium, &dir.join("profile-township")).await;
    let trainer = browser(&webdriver, &chromium, &dir.join("profile-trainer")).await;

    village.goto(&s.url("/join")).await.unwrap();
    wait_text(&village, "h1", "the join page", |t| {
        t.contains("选择您的角色")
    })
    .await;
    shot(&village, &shots, "1-join", None).await;
    join_as(&village, &s, "r2").await; // 村应急管理员
    join_as(&township, &s, "r0").await; // 乡现场指挥官
    trainer
        .goto(&s.url(&format!("/trainer?token={}", s.trainer)))
        .await
        .unwrap();
    trainer
        .wait()
        .for_element(Locator::Css("#upcoming"))
        .await
        .unwrap();

    // The trainer fires the two private injects, and runs the clock a little.
    for cmd in ["fire 3", "fire 6"] {
        let (st, body) = act(&http, &s, &s.trainer, cmd).await;
        assert_eq!(st, 200, "{body}");
    }
    control(&http, &s, "play").await;
    let v = wait_text(
        &village,
        "#injects",
        "inject 3 reaches 村应急管理员",
        |t| t.contains(INJECT3),
    )
    .await;
    let t = wait_text(
        &township,
        "#injects",
        "inject 6 reaches 乡现场指挥官",
        |t| t.contains(INJECT6),
    )
    .await;
    control(&http, &s, "pause").await;
    assert!(
        !v.contains(INJECT6),
        "村应急管理员 does not see inject 6: {v}"
    );
    assert!(
        !t.contains(INJECT3),
        "乡现场指挥官 does not see inject 3: {t}"
    );
    shot(&village, &shots, "2-participant-injects", None).await;

    decide(&village).await;
    decide(&township).await;
    shot(&village, &shots, "3-participant-decision", Some("#decide")).await;
    // The drill runs on; each sees its decision's verdict.
    control(&http, &s, "end").await;
    let verdict = |t: &str| t.contains("#1") && !t.contains("待执行");
    let mine = wait_text(
        &village,
        "#decisions",
        "村应急管理员 sees its verdict",
        verdict,
    )
    .await;
    assert!(
        mine.contains("村应急管理员") && !mine.contains("乡现场指挥官"),
        "{mine}"
    );
    let verdict2 = |t: &str| t.contains("#2") && !t.contains("待执行");
    let theirs = wait_text(
        &township,
        "#decisions",
        "乡现场指挥官 sees its verdict",
        verdict2,
    )
    .await;
    assert!(
        theirs.contains("乡现场指挥官") && !theirs.contains("村应急管理员"),
        "{theirs}"
    );
    shot(&village, &shots, "4-participant-verdict", Some("#mine")).await;
    shot(&township, &shots, "5-participant-map", Some("#mapsec")).await;

    // The trainer sees both decisions, the injects and the scoreboard.
    let all = wait_text(
        &trainer,
        "#decisions",
        "the trainer sees both decisions",
        |t| t.contains("#1") && t.contains("#2"),
    )
    .await;
    assert!(
        all.contains("村应急管理员") && all.contains("乡现场指挥官"),
        "{all}"
    );
    let fired = wait_text(&trainer, "#injects", "the trainer sees every inject", |t| {
        t.contains(INJECT3) && t.contains(INJECT6)
    })
    .await;
    let _ = fired;
    wait_text(&trainer, "#scoreboard", "the live scoreboard", |t| {
        t.contains("总分")
    })
    .await;
    shot(&trainer, &shots, "6-trainer", None).await;
    shot(&trainer, &shots, "7-trainer-decisions", Some("#all")).await;
    shot(&trainer, &shots, "8-trainer-score", Some("#score")).await;

    // An evaluator records an observation; the trainer's scoreboard shows it.
    let evaluator = village;
    evaluator.goto(&s.url("/join")).await.unwrap();
    evaluator
        .wait()
        .for_element(Locator::Css("#ename"))
        .await
        .unwrap()
        .send_keys("李评估")
        .await
        .unwrap();
    evaluator
        .find(Locator::Css("button[data-as='evaluator']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let card = evaluator
        .wait()
        .for_element(Locator::Css(".task[data-task='T1']"))
        .await
        .unwrap();
    card.find(Locator::Css(".note"))
        .await
        .unwrap()
        .send_keys("20:45 到岗, 预警偏晚")
        .await
        .unwrap();
    card.find(Locator::Css("input[value='S']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    card.find(Locator::Css(".save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(
        &evaluator,
        ".task[data-task='T1'] .msgbox",
        "the record is saved",
        |t| t.contains("已保存"),
    )
    .await;
    shot(
        &evaluator,
        &shots,
        "9-evaluator",
        Some(".task[data-task='T1']"),
    )
    .await;
    wait_text(&trainer, "#records", "the trainer sees the record", |t| {
        t.contains("预警偏晚")
    })
    .await;

    for c in [evaluator, township, trainer] {
        let _ = c.close().await;
    }
    eprintln!("screenshots in {}", shots.display());
}
