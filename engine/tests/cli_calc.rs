//! `drill calc plume|flood` end to end: the binary's output, JSON keys and exit codes.

use std::process::Command;

fn drill(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_drill"))
        .args(args)
        .output()
        .expect("run drill");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// [`drill`] with its arguments written as one line (none of them holds a space).
fn drill_line(line: &str) -> (i32, String, String) {
    drill(&line.split_whitespace().collect::<Vec<_>>())
}

/// The arguments of Turner's case below, without a substance.
const TURNER: &str = "calc plume --release 3g/s --wind 7m/s --class D --distance 3km";

/// Turner (1970) workbook example 3.1 inputs; with the Briggs open-country σ the
/// centreline value is 8.44e-3 mg/m³ (see plume_reference.rs for the derivation).
#[test]
fn plume_turner_case_in_json() {
    let (code, out, err) = drill_line(&format!("{TURNER} --substance chlorine --json"));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mg = v["concentration_mg_m3"].as_f64().unwrap();
    assert!((mg - 8.444e-3).abs() < 0.001e-3, "{mg}");
    let ppm = v["concentration_ppm"].as_f64().unwrap();
    assert!((ppm - mg * 24.45 / 70.90).abs() < 1e-12);
    assert_eq!(v["coefficient_set"], "Briggs (1973) open-country (rural)");
    assert_eq!(v["threat_zones_60min"].as_array().unwrap().len(), 3);
}

/// The issue's own example gives no substance: the concentration still comes, in mg/m³
/// only, and the output says what else `--substance` would give.
#[test]
fn plume_without_a_substance_gives_mg_per_m3_only() {
    let (code, out, err) = drill_line(TURNER);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("8.4439e-3 mg/m³\n") && out.contains("give --substance"),
        "{out}"
    );
    assert!(!out.contains("ppm ="), "{out}");
    let (code, out, err) = drill_line(&format!("{TURNER} --json"));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!((v["concentration_mg_m3"].as_f64().unwrap() - 8.444e-3).abs() < 0.001e-3);
    assert!(v["concentration_ppm"].is_null() && v["substance"].is_null());
    assert_eq!(v["threat_zones_60min"].as_array().unwrap().len(), 0);
}

#[test]
fn puff_text_output_names_model_and_caveat() {
    let (code, out, _) = drill_line(
        "calc plume --substance 氨 --mass 0.5t --wind 7.2km/h --class f --distance 1000 --urban",
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("Gaussian puff")
            && out.contains("Briggs (1973) urban")
            && out.contains("dense gas"),
        "{out}"
    );
}

#[test]
fn bad_plume_input_exits_2_with_a_message() {
    let cases = [
        format!("{TURNER} --substance chlorin"),
        format!("{TURNER} --substance chlorine").replace("3g/s", "3"),
        format!("{TURNER} --substance chlorine").replace("--class D", "--class G"),
        format!("{TURNER} --substance chlorine").replace("--release 3g/s ", ""),
    ];
    let expected = [
        "did you mean chlorine",
        "give a unit",
        "not a Pasquill-Gifford class",
        "--release",
    ];
    for (args, want) in cases.iter().zip(expected) {
        let (code, _, err) = drill_line(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn flood_valley_balances_its_volume() {
    let (code, out, err) =
        drill_line("calc flood --cols 40 --rows 20 --inflow 5m3/s --duration 20min --json");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = |k: &str| v[k].as_f64().unwrap();
    assert!((f("inflow_m3") - 5.0 * 1200.0).abs() < 1e-6);
    assert!(
        (f("rain_m3") + f("inflow_m3") - f("outflow_m3") - f("stored_m3")).abs()
            < 1e-6 * f("inflow_m3")
    );
    assert!(f("max_depth_m") > 0.0 && f("simulated_s") == 1200.0);
    // No cell size, or one no elevation model has (a millimetre cell would take days).
    for cell in ["0m", "0.1cm", "5km"] {
        let (code, _, err) = drill(&["calc", "flood", "--cell", cell]);
        assert_eq!(code, 2, "{cell}");
        assert!(err.contains("--cell must be between 1m and 1000m"), "{err}");
    }
}
