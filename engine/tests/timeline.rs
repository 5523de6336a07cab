//! The author's timeline (`drill check --timeline`, `sim::timeline`) and the event log
//! with names next to indices (`drill run --events x.json`): a snapshot of the text
//! for a small drill whose times are known by construction, the JSON variant from the
//! command line, and the named log reading back as the typed log.

use drill_engine::io;
use drill_engine::lang::{self, SourceMap};
use drill_engine::model::Scenario;
use drill_engine::sim::events::TimedEvent;
use drill_engine::sim::setup::build_run;
use drill_engine::sim::{Mode, timeline};
use std::path::{Path, PathBuf};
use std::process::Command;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn scenario(name: &str) -> Scenario {
    let mut sources = SourceMap::new();
    let main = sources.add(name.to_string(), io::read_text(&data(name)).unwrap());
    let r = lang::check(&mut sources, main, &io::include_loader);
    r.scenario
        .unwrap_or_else(|| panic!("{}", lang::render(&r.diagnostics, &sources)))
}

fn entries(s: &Scenario) -> Vec<timeline::Entry> {
    let (sim, _) = build_run(s, None, s.header.seed, Mode::Actions, None).unwrap();
    timeline::timeline(s, sim)
}

/// Sorted by time, with every task, inject and hazard crossing by name, at the times
/// the scenario sets: the scripted zone at 21:30 (the step that reaches it), the bridge
/// by inject 2 at 21:50, T1 at the warning (20:40) with its deadline 21:00, T2 no
/// earlier than T1, T3 when the zone turns dangerous, the contingency inject at 21:00.
#[test]
fn timeline_lists_hazard_tasks_and_injects_by_name_and_time() {
    let s = scenario("timeline.drill");
    let e = entries(&s);
    let times: Vec<f64> = e.iter().map(|x| x.t_s.unwrap_or(f64::INFINITY)).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "sorted: {times:?}");
    let find = |name: &str| {
        e.iter()
            .find(|x| x.name == name)
            .unwrap_or_else(|| panic!("{name} missing: {e:#?}"))
    };
    assert_eq!(find("T1").t_s, Some(2400.0));
    assert!(find("T1").what.contains("by 21:00"), "{:?}", find("T1"));
    assert_eq!(find("T2").t_s, Some(2400.0));
    assert_eq!(find("T3").t_s, Some(5400.0));
    assert_eq!(find("T4").t_s, Some(600.0));
    assert_eq!(find("下村低洼区").t_s, Some(5400.0));
    assert_eq!(find("下村").t_s, Some(5400.0), "the place inside the zone");
    assert_eq!(find("bridge 下村 -> 桥北").t_s, Some(6600.0));
    assert_eq!(find("inject 3").t_s, Some(3600.0));
    insta::assert_snapshot!("timeline_text", timeline::render(&s, &e));
}

/// `drill check --timeline --json` prints the same entries as JSON on stdout, the
/// diagnostics' summary on stderr.
#[test]
fn check_timeline_json_from_the_command_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_drill"))
        .args(["check", "--timeline", "--json"])
        .arg(data("timeline.drill"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let items = v.as_array().expect("an array");
    let bridge = items
        .iter()
        .find(|x| x["name"] == "bridge 下村 -> 桥北")
        .expect("the bridge");
    assert_eq!(bridge["kind"], "hazard");
    assert_eq!(bridge["object"], "road");
    assert_eq!(bridge["clock"], "21:50");
    assert!(String::from_utf8_lossy(&out.stderr).contains("ok"));
    let text = Command::new(env!("CARGO_BIN_EXE_drill"))
        .args(["check", "--timeline"])
        .arg(data("timeline.drill"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("21:50"));
}

/// The named JSON keeps every index, adds names beside them, and reads back as the
/// typed event log.
#[test]
fn named_events_keep_indices_add_names_and_read_back() {
    let s = scenario("timeline.drill");
    let (mut sim, _) = build_run(&s, None, 3, Mode::PlanAsWritten, None).unwrap();
    sim.run_to_end();
    let named = timeline::named_events(&s, sim.events());
    let text = serde_json::to_string(&named).unwrap();
    assert!(
        text.contains(r#""link":1"#) && text.contains(r#""link_name":"bridge 下村 -> 桥北""#),
        "{text}"
    );
    assert!(text.contains(r#""home_name":"下村""#));
    assert!(text.contains(r#""zone_name":"下村低洼区""#));
    // Without the added `…_name` keys it is the plain log, key for key.
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            serde_json::Value::Object(m) => {
                m.retain(|k, _| !k.ends_with("_name"));
                m.values_mut().for_each(strip);
            }
            _ => {}
        }
    }
    let mut stripped = named.clone();
    strip(&mut stripped);
    assert_eq!(stripped, serde_json::to_value(sim.events()).unwrap());
    // It reads back as the typed log (serde_json's float parsing may differ from the
    // written value in the last bit, so the events are compared by kind and time).
    let back: Vec<TimedEvent> = serde_json::from_str(&text).expect("reads back");
    assert_eq!(back.len(), sim.events().len());
    for (a, b) in back.iter().zip(sim.events()) {
        assert_eq!(a.t_s, b.t_s);
        assert_eq!(
            std::mem::discriminant(&a.event),
            std::mem::discriminant(&b.event)
        );
    }
}

/// An `ignition` inject (起火点) lights the fire model where the story says: in 枫岭's
/// drill the spot fire of inject 6 (16:00, on the grass slope below 岭脚) burns up the
/// slope to the path from 茶场 to the forest station, which the fire of the story
/// (lit at 13:40 in the timber litter of the west forest) does not reach in the drill.
/// The same scenario without the effect is the control.
#[test]
fn an_ignition_inject_lights_the_fire_model_at_its_time() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/forest-edge-fire.drill");
    let with = io::read_text(&path).unwrap();
    assert!(
        with.contains("effect ignition (1000, 1150)"),
        "the example keeps its spot fire"
    );
    let without = with.replace(" effect ignition (1000, 1150)", "");
    let check = |text: String| {
        let mut sources = SourceMap::new();
        let main = sources.add(path.display().to_string(), text);
        let r = lang::check(&mut sources, main, &io::include_loader);
        r.scenario
            .unwrap_or_else(|| panic!("{}", lang::render(&r.diagnostics, &sources)))
    };
    let find = |s: &Scenario| {
        entries(s)
            .into_iter()
            .find(|e| e.name == "path 茶场 -> 林场护林站")
            .and_then(|e| e.t_s)
    };
    let lit = find(&check(with)).expect("the spot fire reaches the path");
    // Inject 6 fires at 16:00, 3 h after the 13:00 start; the grass burns 200-odd
    // metres up the slope within the afternoon.
    assert!(
        (3.0 * 3600.0..8.0 * 3600.0).contains(&lit),
        "closed at {lit} s"
    );
    assert_eq!(find(&check(without)), None, "without the spot fire");
}
