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

/// `--duration`: "how big in three hours". Calm and flat, the fire grows as a circle of
/// radius r₀·t (Rothermel's no-wind, no-slope rate): the burnt area must be π(r₀t)² within
/// 5 % (the 16-neighbour stencil draws a 16-gon: measured −2.8 % at 1 m cells), and head,
/// flank and back equal within a cell.
#[test]
fn a_three_hour_calm_spread_is_a_circle_of_the_point_rate() {
    let out = drill(&[
        "calc",
        "fire",
        "--fuel",
        "GR2",
        "--moisture",
        "6,7,8,60,90",
        "--duration",
        "3h",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r0 = v["head_ros_m_min"].as_f64().unwrap() / 60.0;
    let s = &v["spread"];
    let radius = r0 * 3.0 * 3600.0;
    let circle = std::f64::consts::PI * radius * radius;
    let area = s["burnt_area_m2"].as_f64().unwrap();
    assert!(
        (area / circle - 1.0).abs() < 0.05,
        "area {area} vs circle {circle}"
    );
    let cell = s["cell_m"].as_f64().unwrap();
    for key in ["head_distance_m", "flank_distance_m", "back_distance_m"] {
        let d = s[key].as_f64().unwrap();
        assert!((d - radius).abs() <= cell, "{key} {d} vs {radius}");
    }
    let perimeter = s["perimeter_m"].as_f64().unwrap();
    assert!((perimeter / (2.0 * std::f64::consts::PI * radius) - 1.0).abs() < 0.02);
}

#[test]
fn a_spread_grid_too_large_is_refused_with_what_to_do() {
    let out = drill(&[
        "calc",
        "fire",
        "--fuel",
        "GR2",
        "--wind",
        "30km/h",
        "--moisture",
        "6,7,8,60,90",
        "--duration",
        "12h",
        "--cell",
        "1m",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("give a larger --cell or a shorter --duration"),
        "{err}"
    );
}

/// Issue 18, finding 6: with wind, the spread must keep the shape of the point
/// behaviour's own ellipse (Anderson 1983; head, back and flank rates from the same
/// run), as pyretechnics does on the same cases (+0.05 to +4 %). Minimum travel time
/// over stencil moves alone burnt a polygon inscribed in it: −7.5 % at L/B 1.44, −19 %
/// at 2.2, −35 % at 3.3. Target: the burnt area within 5 % of the ellipse's from calm to
/// L/B 4 (flat uniform GR2, one hour). Measured: −0.6 % calm (the cells' rounding of a
/// circle), within ±0.1 % from L/B 1.2 to 3.97.
#[test]
fn wind_driven_spread_keeps_the_ellipse_up_to_length_to_breadth_4() {
    let mut largest = 0.0f64;
    // The default wind limit holds GR2 at L/B 3.3; a sheltered half-strength wind with
    // no limit takes it to 3.97.
    let unlimited = ["--waf", "0.5", "--wind-limit", "none"];
    let cases: [(&str, &[&str]); 7] = [
        ("0km/h", &[]),
        ("10km/h", &[]),
        ("20km/h", &[]),
        ("35km/h", &[]),
        ("50km/h", &[]),
        ("30km/h", &unlimited),
        ("42km/h", &unlimited),
    ];
    for (wind, extra) in cases {
        let mut args = vec![
            "calc",
            "fire",
            "--fuel",
            "GR2",
            "--moisture",
            "6,7,8,60,90",
            "--wind",
            wind,
            "--duration",
            "1h",
            "--json",
        ];
        args.extend_from_slice(extra);
        let out = drill(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let lb = v["length_to_breadth"].as_f64().unwrap();
        let s = &v["spread"];
        let (area, ellipse) = (
            s["burnt_area_m2"].as_f64().unwrap(),
            s["ellipse_area_m2"].as_f64().unwrap(),
        );
        let error = area / ellipse - 1.0;
        eprintln!(
            "wind {wind} {extra:?}: L/B {lb:.2}, burnt area {:+.1} % of the ellipse",
            100.0 * error
        );
        if lb <= 4.05 {
            largest = largest.max(lb);
            assert!(
                error.abs() < 0.05,
                "wind {wind} (L/B {lb:.2}): burnt area {area:.0} m² against the ellipse's {ellipse:.0} m²"
            );
        }
    }
    assert!(
        largest > 3.9,
        "no case reached L/B 3.9 (largest {largest:.2})"
    );
}
