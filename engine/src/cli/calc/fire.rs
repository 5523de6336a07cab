//! `drill calc fire` — surface fire behaviour at a point: Rothermel (1972) as BehavePlus
//! computes it, for one standard fuel model, moisture set, wind and slope.

use super::quantity::{direction_deg, slope_rise_run, speed_m_s};
use crate::hazard::fire::rothermel::wind_adjustment_factor;
use crate::hazard::fire::{FuelCatalog, Fuelbed, SpreadConditions, WindLimit};
use crate::model::FuelMoisture;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
#[command(
    after_help = "Examples:\n  drill calc fire --fuel GS4 --wind 5mph --slope 30% --moisture 6,7,8,60,90\n  drill calc fire --fuel TL3 --wind 3m/s --midflame --slope 20deg --aspect 180 --wind-from 90 --moisture 4,4,6,75,70 --json"
)]
pub struct FireArgs {
    /// Fuel model: Scott & Burgan code (GR2, GS4, TL3 ...), FM1-FM13, or Anderson number 1-13.
    #[arg(long)]
    fuel: String,
    /// Wind speed with unit (5mph, 8km/h, 2.2m/s, 440ft/min): at 6.1 m (20 ft) unless --midflame.
    #[arg(long, value_parser = speed_m_s, default_value = "0m/s")]
    wind: f64,
    /// Wind adjustment factor from 20-ft to midflame wind (default: Albini & Baughman 1979,
    /// unsheltered, from the fuel bed depth).
    #[arg(long, conflicts_with = "midflame")]
    waf: Option<f64>,
    /// The --wind speed is already the midflame wind.
    #[arg(long)]
    midflame: bool,
    /// Direction the wind blows from, degrees clockwise from north (default: straight upslope).
    #[arg(long, value_parser = direction_deg)]
    wind_from: Option<f64>,
    /// Slope steepness: percent (30%) or degrees (16.7deg).
    #[arg(long, value_parser = slope_rise_run, default_value = "0%")]
    slope: f64,
    /// Aspect: the direction the slope faces (downslope), degrees clockwise from north.
    #[arg(long, value_parser = direction_deg, default_value = "0")]
    aspect: f64,
    /// Fuel moistures in percent: 1-h,10-h,100-h,live herb,live woody (e.g. 6,7,8,60,90).
    #[arg(long, value_parser = parse_moisture)]
    moisture: FuelMoisture,
    /// Wind limit on the wind factor.
    #[arg(long, value_enum, default_value_t = WindLimitArg::Andrews2013)]
    wind_limit: WindLimitArg,
    /// A fuel model table to use instead of the built-in one (same CSV columns).
    #[arg(long)]
    fuel_table: Option<PathBuf>,
    /// Also spread the fire for this long from one ignition on uniform fuel (3h, 90min):
    /// burnt area, head, flank and back distances, perimeter.
    #[arg(long, value_parser = super::quantity::duration_s)]
    duration: Option<f64>,
    /// Cell size of the spread run (default: the fire's extent over about 800 cells).
    #[arg(long, value_parser = super::quantity::length_m, requires = "duration")]
    cell: Option<f64>,
    /// Print JSON with unit-named keys instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum WindLimitArg {
    /// Andrews, Cruz & Rothermel (2013): 96.8 I_R^(1/3) ft/min (recommended).
    Andrews2013,
    /// Rothermel (1972): 0.9 I_R ft/min (BehavePlus 5 and the behave library).
    Rothermel1972,
    /// No limit.
    None,
}

fn parse_moisture(text: &str) -> Result<FuelMoisture, String> {
    let values: Vec<f64> = text
        .split(',')
        .map(|s| {
            let s = s.trim().trim_end_matches('%');
            s.parse::<f64>()
                .map_err(|_| format!("moisture '{s}' is not a number"))
        })
        .collect::<Result<_, _>>()?;
    if values.len() != 5 {
        return Err(format!(
            "give five moistures in percent: 1-h,10-h,100-h,live herb,live woody (got {})",
            values.len()
        ));
    }
    if values
        .iter()
        .any(|v| !v.is_finite() || *v < 0.0 || *v > 400.0)
    {
        return Err("moistures must be between 0 and 400 percent".to_string());
    }
    Ok(FuelMoisture {
        dead_1h: values[0],
        dead_10h: values[1],
        dead_100h: values[2],
        live_herb: values[3],
        live_woody: values[4],
    })
}

pub fn run(args: FireArgs) -> ExitCode {
    match calculate(&args) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn calculate(args: &FireArgs) -> Result<String, String> {
    let catalog = match &args.fuel_table {
        Some(path) => FuelCatalog::parse(&crate::io::read_text(path)?)
            .map_err(|e| format!("{}: {e}", path.display()))?,
        None => FuelCatalog::standard(),
    };
    let model = catalog.get(&args.fuel)?;
    if let Some(waf) = args.waf
        && !(waf.is_finite() && (0.0..=1.0).contains(&waf))
    {
        return Err(format!("--waf must be between 0 and 1 (got {waf})"));
    }
    let waf = if args.midflame {
        1.0
    } else {
        args.waf
            .unwrap_or_else(|| wind_adjustment_factor(model.depth_ft, 0.0, 0.0, 0.0))
    };
    let midflame = args.wind * waf;
    let wind_limit = match args.wind_limit {
        WindLimitArg::Andrews2013 => WindLimit::AndrewsCruzRothermel2013,
        WindLimitArg::Rothermel1972 => WindLimit::Rothermel1972,
        WindLimitArg::None => WindLimit::None,
    };
    // Without a direction the wind blows straight upslope: the worst case.
    let wind_from = args.wind_from.unwrap_or(args.aspect);
    let bed = Fuelbed::new(model, &args.moisture);
    let fire = bed.fire(&SpreadConditions {
        midflame_wind_m_s: midflame,
        wind_from_deg: wind_from,
        slope_rise_run: args.slope,
        aspect_deg: args.aspect,
        wind_limit,
    });
    super::quantity::finite(&[
        (
            "rate of spread",
            fire.head_ros_m_s + fire.flank_ros_m_s + fire.back_ros_m_s,
        ),
        ("fireline intensity", fire.fireline_intensity_kw_m),
        ("flame length", fire.flame_length_m),
        ("effective wind", fire.effective_wind_m_s),
        ("length-to-breadth ratio", fire.length_to_breadth),
        ("spread direction", fire.max_spread_azimuth_deg),
    ])?;
    let per_min = 60.0;
    let spread = match args.duration {
        Some(d) => {
            if !(d > 0.0 && d <= 24.0 * 3600.0) {
                return Err("--duration must be between 0 and 24 hours".into());
            }
            Some(super::fire_spread::spread(
                bed,
                super::fire_spread::PointRates {
                    head_m_s: fire.head_ros_m_s,
                    flank_m_s: fire.flank_ros_m_s,
                    back_m_s: fire.back_ros_m_s,
                    azimuth_deg: fire.max_spread_azimuth_deg,
                },
                crate::model::Wind {
                    speed_m_s: args.wind,
                    from_deg: wind_from,
                },
                waf,
                args.slope,
                args.aspect,
                wind_limit,
                d,
                args.cell,
            )?)
        }
        None => None,
    };
    // The midflame wind above which the wind factor stops growing, for the limit in
    // force (Rothermel's I_R in BTU/ft²/min: 1 BTU/ft²/min = 0.189 27 kW/m²; ft/min to
    // m/s × 0.005 08).
    let ir_btu = fire.reaction_intensity_kw_m2 / 0.189_27;
    let (limit_key, limit_name, limit_m_s) = match args.wind_limit {
        WindLimitArg::Andrews2013 => (
            "andrews2013",
            "Andrews, Cruz & Rothermel 2013 (96.8·I_R^⅓)",
            Some(96.8 * ir_btu.cbrt() * 0.005_08),
        ),
        WindLimitArg::Rothermel1972 => (
            "rothermel1972",
            "Rothermel 1972 (0.9·I_R, as BehavePlus)",
            Some(0.9 * ir_btu * 0.005_08),
        ),
        WindLimitArg::None => ("none", "none", None),
    };
    if args.json {
        let value = serde_json::json!({
            "fuel": model.code,
            "fuel_name": model.name,
            "midflame_wind_m_s": midflame,
            "wind_adjustment_factor": waf,
            "slope_percent": args.slope * 100.0,
            "head_ros_m_min": fire.head_ros_m_s * per_min,
            "flank_ros_m_min": fire.flank_ros_m_s * per_min,
            "back_ros_m_min": fire.back_ros_m_s * per_min,
            "max_spread_azimuth_deg": fire.max_spread_azimuth_deg,
            "effective_wind_m_s": fire.effective_wind_m_s,
            "wind_limit": limit_key,
            "wind_limit_m_s": limit_m_s,
            "wind_limit_exceeded": fire.wind_limit_exceeded,
            "length_to_breadth": fire.length_to_breadth,
            "fireline_intensity_kw_m": fire.fireline_intensity_kw_m,
            "flame_length_m": fire.flame_length_m,
            "reaction_intensity_kw_m2": fire.reaction_intensity_kw_m2,
            "heat_per_unit_area_kj_m2": fire.heat_per_unit_area_kj_m2,
            "residence_time_s": fire.residence_time_s,
        });
        let mut value = value;
        if let (Some(r), Some(d)) = (spread, args.duration) {
            value["spread"] = serde_json::json!({
                "duration_s": d,
                "cell_m": r.cell_m,
                "burnt_area_m2": r.burnt_area_m2,
                "head_distance_m": r.head_m,
                "flank_distance_m": r.flank_m,
                "back_distance_m": r.back_m,
                "perimeter_m": r.perimeter_m,
                "ellipse_area_m2": r.ellipse_area_m2,
            });
        }
        return serde_json::to_string_pretty(&value).map_err(|e| e.to_string());
    }
    let ch_h = |m_s: f64| m_s * 3600.0 / (66.0 * 0.3048);
    let mut out = String::new();
    out.push_str(&format!(
        "Surface fire / 地表火 — {} ({}), Rothermel (1972) as BehavePlus\n",
        model.code, model.name
    ));
    out.push_str(&format!(
        "  midflame wind       {:>9.2} m/s  (wind {:.2} m/s × WAF {:.2}); slope {:.0} %, aspect {:.0}°, wind from {:.0}°\n",
        midflame,
        args.wind,
        waf,
        args.slope * 100.0,
        args.aspect,
        wind_from
    ));
    // Pad by display width: the Chinese labels take two columns per character.
    let row = |label: &str, value: String| {
        let pad = 20usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label));
        format!("  {label}{}{value}\n", " ".repeat(pad))
    };
    out.push_str(&row(
        "head ROS 火头",
        format!(
            "{:>9.2} m/min ({:.1} ch/h)",
            fire.head_ros_m_s * per_min,
            ch_h(fire.head_ros_m_s)
        ),
    ));
    out.push_str(&row(
        "flank ROS 火翼",
        format!("{:>9.2} m/min", fire.flank_ros_m_s * per_min),
    ));
    out.push_str(&row(
        "back ROS 火尾",
        format!("{:>9.2} m/min", fire.back_ros_m_s * per_min),
    ));
    out.push_str(&row(
        "max spread toward",
        format!("{:>9.0} ° from north", fire.max_spread_azimuth_deg),
    ));
    out.push_str(&row(
        "length-to-breadth",
        format!("{:>9.2}", fire.length_to_breadth),
    ));
    out.push_str(&row(
        "effective wind",
        format!(
            "{:>9.2} m/s{}",
            fire.effective_wind_m_s,
            if fire.wind_limit_exceeded {
                " (wind limit reached)"
            } else {
                ""
            }
        ),
    ));
    out.push_str(&row(
        "wind limit",
        match limit_m_s {
            Some(v) => format!("{v:>9.2} m/s  {limit_name}"),
            None => format!("{:>9}  (--wind-limit none)", "—"),
        },
    ));
    out.push_str(&row(
        "fireline intensity",
        format!("{:>9.0} kW/m", fire.fireline_intensity_kw_m),
    ));
    out.push_str(&row(
        "flame length",
        format!("{:>9.2} m", fire.flame_length_m),
    ));
    out.push_str(&row(
        "reaction intensity",
        format!("{:>9.0} kW/m²", fire.reaction_intensity_kw_m2),
    ));
    out.push_str(&row(
        "heat per unit area",
        format!("{:>9.0} kJ/m²", fire.heat_per_unit_area_kj_m2),
    ));
    if let (Some(r), Some(d)) = (spread, args.duration) {
        out.push_str(&format!(
            "Spread / 蔓延 — {:.1} h from one ignition, {:.0} m cells ({} cells)\n",
            d / 3600.0,
            r.cell_m,
            r.cells
        ));
        out.push_str(&row(
            "burnt area 过火面积",
            format!(
                "{:>9.1} ha  (ellipse of the point rates: {:.1} ha, {:+.1} %)",
                r.burnt_area_m2 / 1e4,
                r.ellipse_area_m2 / 1e4,
                100.0 * (r.burnt_area_m2 / r.ellipse_area_m2 - 1.0)
            ),
        ));
        out.push_str(&row("head 火头", format!("{:>9.0} m", r.head_m)));
        out.push_str(&row("flank 火翼", format!("{:>9.0} m", r.flank_m)));
        out.push_str(&row("back 火尾", format!("{:>9.0} m", r.back_m)));
        out.push_str(&row(
            "perimeter 火线长",
            format!("{:>9.0} m", r.perimeter_m),
        ));
    }
    Ok(out.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moisture_lists_need_five_numbers() {
        let m = parse_moisture("6,7,8,60%,90").unwrap();
        assert_eq!((m.dead_1h, m.live_herb, m.live_woody), (6.0, 60.0, 90.0));
        assert!(
            parse_moisture("6,7,8")
                .unwrap_err()
                .contains("five moistures")
        );
        assert!(parse_moisture("6,7,x,60,90").unwrap_err().contains("'x'"));
        assert!(parse_moisture("6,7,8,60,-1").is_err());
    }
}
