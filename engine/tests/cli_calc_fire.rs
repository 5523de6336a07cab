//! `drill calc fire` end to end: the binary's JSON output for a BehavePlus reference case,
//! its table output (snapshot), and clear errors with exit status 2 on bad input.

use std::process::Command;

fn drill(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_drill"))
        .args(args)
        .output()
        .expect("drill runs")
}

#[test]
fn json_output_reproduces_behave_gs4_upslope_case() {
    // firelab/behave src/testBehave/testBehave.cpp, GS4 upslope 5 mi/h 20-ft wind, 30 %:
    // 8.876216 ch/h. Its wind adjustment factor (50 % cover, 30 ft canopy, crown ratio
    // 0.5) is 0.555 / (sqrt(0.5 * 0.5 / 3 * 30) * ln((20 + 0.36 * 30) / (0.13 * 30))).
    let waf = 0.555
        / ((0.5f64 * 0.5 / 3.0 * 30.0).sqrt() * ((20.0 + 0.36 * 30.0) / (0.13 * 30.0f64)).ln());
    let waf_arg = format!("{waf}");
    let out = drill(&[
        "calc",
        "fire",
        "--fuel",
        "GS4",
        "--wind",
        "5mph",
        "--waf",
        &waf_arg,
        "--slope",
        "30%",
        "--moisture",
        "6,7,8,60,90",
        "--wind-limit",
        "rothermel1972",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let head_ch_h = json["head_ros_m_min"].as_f64().unwrap() / 60.0 * 3600.0 / (66.0 * 0.3048);
    assert!(
        (head_ch_h - 8.876216).abs() / 8.876216 < 1e-4,
        "{head_ch_h}"
    );
    assert_eq!(json["fuel"], "GS4");
    for key in [
        "flank_ros_m_min",
        "back_ros_m_min",
        "flame_length_m",
        "fireline_intensity_kw_m",
        "length_to_breadth",
        "reaction_intensity_kw_m2",
    ] {
        assert!(json[key].as_f64().is_some_and(|v| v > 0.0), "{key} missing");
    }
}

#[test]
fn table_output_snapshot() {
    let out = drill(&[
        "calc",
        "fire",
        "--fuel",
        "TL3",
        "--wind",
        "10km/h",
        "--slope",
        "20deg",
        "--moisture",
        "4,4,6,75,70",
    ]);
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn bad_input_exits_2_with_a_message() {
    for (args, needle) in [
        (
            vec!["--fuel", "ZZ9", "--moisture", "6,7,8,60,90"],
            "unknown fuel model",
        ),
        (
            vec!["--fuel", "GS4", "--wind", "5", "--moisture", "6,7,8,60,90"],
            "give a unit",
        ),
        (
            vec![
                "--fuel",
                "GS4",
                "--slope",
                "steep",
                "--moisture",
                "6,7,8,60,90",
            ],
            "does not start with a number",
        ),
        (vec!["--fuel", "GS4", "--moisture", "6,7"], "five moistures"),
        (
            vec!["--fuel", "GS4", "--waf", "1.5", "--moisture", "6,7,8,60,90"],
            "--waf",
        ),
    ] {
        let mut full = vec!["calc", "fire"];
        full.extend(args);
        let out = drill(&full);
        assert_eq!(out.status.code(), Some(2), "{full:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{full:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
