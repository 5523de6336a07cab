//! `drill calc` — one-off hazard model calculations at a point, for trainers who want to
//! check a number before putting it in a scenario (and for comparing with BehavePlus and
//! the like). One module per model under `calc/`; this file holds the group and the
//! unit parsers they share.

use clap::Subcommand;
use std::process::ExitCode;

mod fire;

#[derive(Subcommand)]
pub enum CalcCommand {
    /// Surface fire behaviour (Rothermel 1972 as BehavePlus): spread rates, intensity, flame length.
    Fire(fire::FireArgs),
}

pub fn run(command: CalcCommand) -> ExitCode {
    match command {
        CalcCommand::Fire(args) => fire::run(args),
    }
}

/// Splits "12.5km/h" into (12.5, "km/h"); the unit may be separated by spaces.
fn split_number(text: &str) -> Result<(f64, String), String> {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|(i, c)| {
            !(c.is_ascii_digit()
                || *c == '.'
                || (*i == 0 && (*c == '-' || *c == '+'))
                || *c == 'e' && *i > 0)
        })
        .map_or(text.len(), |(i, _)| i);
    let value: f64 = text[..end]
        .parse()
        .map_err(|_| format!("'{text}' does not start with a number"))?;
    if !value.is_finite() {
        return Err(format!("'{text}' is not a finite number"));
    }
    Ok((value, text[end..].trim().to_ascii_lowercase()))
}

/// A speed with its unit ("5mph", "8 km/h", "2.2m/s", "440ft/min"), in m/s.
pub fn parse_speed_m_s(text: &str) -> Result<f64, String> {
    let (value, unit) = split_number(text)?;
    let factor = match unit.as_str() {
        "m/s" | "mps" => 1.0,
        "km/h" | "kmh" | "kph" => 1.0 / 3.6,
        "mph" | "mi/h" => 0.44704,
        "ft/min" | "fpm" => 0.00508,
        "kn" | "kt" | "knots" => 1852.0 / 3600.0,
        "" => return Err(format!("'{text}' needs a unit: m/s, km/h, mph or ft/min")),
        other => {
            return Err(format!(
                "unknown speed unit '{other}' in '{text}'; use m/s, km/h, mph or ft/min"
            ));
        }
    };
    if value < 0.0 {
        return Err(format!("speed '{text}' is negative"));
    }
    Ok(value * factor)
}

/// A slope as percent ("30%") or degrees ("16.7deg", "16.7°"), as rise over run.
pub fn parse_slope_rise_run(text: &str) -> Result<f64, String> {
    let (value, unit) = split_number(text)?;
    let rise_run = match unit.as_str() {
        "%" => value / 100.0,
        "deg" | "°" | "degrees" => {
            if !(0.0..90.0).contains(&value) {
                return Err(format!("slope '{text}' must be at least 0° and under 90°"));
            }
            value.to_radians().tan()
        }
        "" => return Err(format!("'{text}' needs a unit: % or deg")),
        other => {
            return Err(format!(
                "unknown slope unit '{other}' in '{text}'; use % or deg"
            ));
        }
    };
    if rise_run < 0.0 {
        return Err(format!("slope '{text}' is negative"));
    }
    Ok(rise_run)
}

/// A compass direction in degrees ("270", "270deg"), normalised to [0, 360).
pub fn parse_direction_deg(text: &str) -> Result<f64, String> {
    let (value, unit) = split_number(text)?;
    if !matches!(unit.as_str(), "" | "deg" | "°") {
        return Err(format!(
            "direction '{text}' must be in degrees clockwise from north"
        ));
    }
    Ok(value.rem_euclid(360.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_in_the_usual_units() {
        assert!((parse_speed_m_s("5mph").unwrap() - 2.2352).abs() < 1e-12);
        assert!((parse_speed_m_s("36 km/h").unwrap() - 10.0).abs() < 1e-12);
        assert!((parse_speed_m_s("440ft/min").unwrap() - 2.2352).abs() < 1e-12);
        assert!((parse_speed_m_s("2.5m/s").unwrap() - 2.5).abs() < 1e-12);
        assert!(parse_speed_m_s("5").unwrap_err().contains("needs a unit"));
        assert!(
            parse_speed_m_s("5 furlongs")
                .unwrap_err()
                .contains("unknown speed unit")
        );
        assert!(parse_speed_m_s("-3m/s").unwrap_err().contains("negative"));
        assert!(parse_speed_m_s("fast").is_err());
    }

    #[test]
    fn slopes_in_percent_or_degrees() {
        assert!((parse_slope_rise_run("30%").unwrap() - 0.3).abs() < 1e-12);
        assert!((parse_slope_rise_run("45deg").unwrap() - 1.0).abs() < 1e-12);
        assert!(parse_slope_rise_run("95deg").is_err());
        assert!(
            parse_slope_rise_run("30")
                .unwrap_err()
                .contains("needs a unit")
        );
    }

    #[test]
    fn directions_wrap() {
        assert_eq!(parse_direction_deg("370").unwrap(), 10.0);
        assert_eq!(parse_direction_deg("-90deg").unwrap(), 270.0);
        assert!(parse_direction_deg("90mph").is_err());
    }
}
