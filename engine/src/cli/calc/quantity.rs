//! Physical quantities on the `drill calc` command line: a number with a unit, written
//! the usual ways (`3g/s`, `2 kg/s`, `120kg/min`, `7m/s`, `25km/h`, `3km`, `500kg`,
//! `1.5t`, `30min`, `2h`). Each parser returns SI units or a message naming the units it
//! accepts; clap turns that message into an exit status of 2.

use crate::limits;

/// Splits `"3.5 kg/s"` into `(3.5, "kg/s")`.
fn split(text: &str) -> Result<(f64, String), String> {
    let t = text.trim();
    let end = t
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || c == '.'
                || ((c == '-' || c == '+') && i == 0)
                || c == 'e'
                    && i > 0
                    && t[..i].chars().last().is_some_and(|p| p.is_ascii_digit())
                    && t[i + 1..].starts_with(|n: char| n.is_ascii_digit() || n == '-'))
        })
        .map_or(t.len(), |(i, _)| i);
    let number: f64 = t[..end]
        .parse()
        .map_err(|_| format!("{text:?} does not start with a number"))?;
    if !number.is_finite() {
        return Err(format!("{text:?} is not a finite number"));
    }
    Ok((number, t[end..].trim().to_ascii_lowercase()))
}

/// The largest value a parser takes, in SI units and as shown in its message.
struct Max(f64, &'static str);

fn with_units(
    text: &str,
    what: &str,
    units: &[(&str, f64)],
    default_unit: Option<f64>,
    max: Max,
) -> Result<f64, String> {
    let (value, unit) = split(text)?;
    let factor = if unit.is_empty() {
        default_unit.ok_or_else(|| format!("{text:?}: give a unit for the {what}"))?
    } else {
        units
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|u| u.1)
            .ok_or_else(|| {
                let names: Vec<&str> = units.iter().map(|u| u.0).collect();
                format!(
                    "{text:?}: unknown {what} unit {unit:?} (use {})",
                    names.join(", ")
                )
            })?
    };
    if value < 0.0 {
        return Err(format!("{text:?}: the {what} cannot be negative"));
    }
    let si = value * factor;
    if si > max.0 {
        return Err(format!(
            "{text:?}: the {what} must be at most {} (see the limits in docs/LANGUAGE.md)",
            max.1
        ));
    }
    Ok(si)
}

/// Mass release rate → kg/s.
pub fn mass_rate_kg_s(text: &str) -> Result<f64, String> {
    with_units(
        text,
        "release rate",
        &[
            ("kg/s", 1.0),
            ("g/s", 1e-3),
            ("kg/min", 1.0 / 60.0),
            ("kg/h", 1.0 / 3600.0),
            ("t/h", 1000.0 / 3600.0),
        ],
        None,
        Max(limits::MAX_RELEASE_KG_S, "100 t/s"),
    )
}

/// Mass → kg.
pub fn mass_kg(text: &str) -> Result<f64, String> {
    with_units(
        text,
        "mass",
        &[("kg", 1.0), ("g", 1e-3), ("t", 1000.0)],
        None,
        Max(limits::MAX_RELEASE_KG, "100000t"),
    )
}

/// Speed → m/s. A unit is required: a bare "5" could be m/s or mph (BehavePlus users
/// think in mph), and guessing wrong changes a fire's spread several-fold.
pub fn speed_m_s(text: &str) -> Result<f64, String> {
    with_units(
        text,
        "speed",
        &[
            ("m/s", 1.0),
            ("mps", 1.0),
            ("km/h", 1.0 / 3.6),
            ("kmh", 1.0 / 3.6),
            ("kph", 1.0 / 3.6),
            ("mph", 0.44704),
            ("mi/h", 0.44704),
            ("ft/min", 0.00508),
            ("fpm", 0.00508),
            ("kn", 1852.0 / 3600.0),
            ("kt", 1852.0 / 3600.0),
        ],
        None,
        Max(limits::MAX_WIND_M_S, "100m/s"),
    )
}

/// A slope as percent ("30%") or degrees ("16.7deg", "16.7°") → rise over run.
pub fn slope_rise_run(text: &str) -> Result<f64, String> {
    let (value, unit) = split(text)?;
    if value < 0.0 {
        return Err(format!("{text:?}: the slope cannot be negative"));
    }
    match unit.as_str() {
        "%" => Ok(value / 100.0),
        "deg" | "°" | "degrees" => {
            if value >= 90.0 {
                return Err(format!("{text:?}: a slope must be under 90°"));
            }
            Ok(value.to_radians().tan())
        }
        "" => Err(format!("{text:?}: give a unit for the slope (% or deg)")),
        other => Err(format!(
            "{text:?}: unknown slope unit {other:?} (use %, deg)"
        )),
    }
}

/// A compass direction in degrees clockwise from north ("270", "270deg"), in [0, 360).
pub fn direction_deg(text: &str) -> Result<f64, String> {
    let (value, unit) = split(text)?;
    if !matches!(unit.as_str(), "" | "deg" | "°") {
        return Err(format!(
            "{text:?}: a direction is in degrees clockwise from north"
        ));
    }
    Ok(value.rem_euclid(360.0))
}

/// Length → m (a bare number is metres).
pub fn length_m(text: &str) -> Result<f64, String> {
    with_units(
        text,
        "length",
        &[("m", 1.0), ("km", 1000.0), ("cm", 0.01)],
        Some(1.0),
        Max(limits::MAX_LENGTH_M, "1000km"),
    )
}

/// Duration → s (a bare number is seconds).
pub fn duration_s(text: &str) -> Result<f64, String> {
    with_units(
        text,
        "duration",
        &[("s", 1.0), ("min", 60.0), ("h", 3600.0)],
        Some(1.0),
        Max(limits::MAX_DURATION_S, "30 days"),
    )
}

/// Discharge → m³/s (a bare number is m³/s).
pub fn discharge_m3_s(text: &str) -> Result<f64, String> {
    with_units(
        text,
        "discharge",
        &[("m3/s", 1.0), ("m³/s", 1.0)],
        Some(1.0),
        Max(limits::MAX_DISCHARGE_M3_S, "500000m3/s"),
    )
}

/// Rain intensity → mm/h (a bare number is mm/h).
pub fn rain_mm_h(text: &str) -> Result<f64, String> {
    with_units(
        text,
        "rain intensity",
        &[("mm/h", 1.0)],
        Some(1.0),
        Max(limits::MAX_RAIN_MM_H, "1000mm/h"),
    )
}

/// Refuses results that are not finite numbers, naming the first: inputs within
/// each parser's range can still combine beyond what a model covers.
pub fn finite(results: &[(&str, f64)]) -> Result<(), String> {
    match results.iter().find(|(_, v)| !v.is_finite()) {
        Some((name, v)) => Err(format!(
            "the model gives {v} for the {name} with these inputs: they are beyond what it covers; check the units"
        )),
        None => Ok(()),
    }
}

/// A plain number given with a flag (`--slope 0.002`) within `range`.
pub fn plain_within(
    flag: &str,
    value: f64,
    range: std::ops::RangeInclusive<f64>,
) -> Result<f64, String> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "{flag} must be between {} and {} (got {value})",
            range.start(),
            range.end()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_forms_are_accepted() {
        assert_eq!(mass_rate_kg_s("3g/s").unwrap(), 0.003);
        assert_eq!(mass_rate_kg_s("120 kg/min").unwrap(), 2.0);
        assert!((speed_m_s("36km/h").unwrap() - 10.0).abs() < 1e-12);
        assert_eq!(speed_m_s("7m/s").unwrap(), 7.0);
        assert_eq!(length_m("3km").unwrap(), 3000.0);
        assert_eq!(length_m("2m").unwrap(), 2.0);
        assert_eq!(mass_kg("1.5t").unwrap(), 1500.0);
        assert_eq!(duration_s("30min").unwrap(), 1800.0);
        assert_eq!(length_m("1e3m").unwrap(), 1000.0);
        assert!((speed_m_s("5mph").unwrap() - 2.2352).abs() < 1e-12);
        assert!((speed_m_s("440ft/min").unwrap() - 2.2352).abs() < 1e-12);
        assert!((slope_rise_run("30%").unwrap() - 0.3).abs() < 1e-12);
        assert!((slope_rise_run("45deg").unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(direction_deg("370").unwrap(), 10.0);
        assert_eq!(direction_deg("-90deg").unwrap(), 270.0);
    }

    /// Issue 19, item 11: `--wind 1e308m/s` and the like printed NaN or inf.
    #[test]
    fn quantities_beyond_any_real_one_are_refused() {
        for (parsed, text) in [
            (speed_m_s("1e308m/s"), "at most 100m/s"),
            (speed_m_s("400km/h"), "at most 100m/s"),
            (mass_rate_kg_s("1e308kg/s"), "at most 100 t/s"),
            (mass_kg("1e9t"), "at most 100000t"),
            (rain_mm_h("1e308mm/h"), "at most 1000mm/h"),
            (discharge_m3_s("1e7"), "at most 500000m3/s"),
            (length_m("1e308km"), "at most 1000km"),
            (duration_s("800h"), "at most 30 days"),
        ] {
            assert!(parsed.as_ref().unwrap_err().contains(text), "{parsed:?}");
        }
        assert_eq!(speed_m_s("100m/s"), Ok(100.0));
        assert_eq!(rain_mm_h("1000mm/h"), Ok(1000.0));
    }

    /// A result that is still not finite is refused, naming what.
    #[test]
    fn non_finite_results_are_refused() {
        assert_eq!(finite(&[("a", 1.0), ("b", 0.0)]), Ok(()));
        let err = finite(&[("a", 1.0), ("flame length", f64::INFINITY)]).unwrap_err();
        assert!(err.contains("flame length"), "{err}");
        assert!(finite(&[("x", f64::NAN)]).is_err());
    }

    #[test]
    fn bad_input_names_the_problem() {
        assert!(mass_rate_kg_s("3").unwrap_err().contains("give a unit"));
        assert!(mass_rate_kg_s("3 lb/s").unwrap_err().contains("use kg/s"));
        assert!(
            length_m("far")
                .unwrap_err()
                .contains("does not start with a number")
        );
        assert!(length_m("-2km").unwrap_err().contains("negative"));
        assert!(speed_m_s("5").unwrap_err().contains("give a unit"));
        assert!(speed_m_s("5 furlongs").unwrap_err().contains("use m/s"));
        assert!(slope_rise_run("95deg").is_err());
        assert!(slope_rise_run("30").unwrap_err().contains("give a unit"));
        assert!(direction_deg("90mph").is_err());
    }
}
