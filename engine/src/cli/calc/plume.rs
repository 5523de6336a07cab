//! `drill calc plume`: concentration at a downwind distance and AEGL threat zones of a
//! continuous release (Gaussian plume) or an instantaneous one (Gaussian puff).

use clap::Args;
use serde_json::json;

use super::quantity as q;
use crate::hazard::plume::{
    AEGL_60_MIN, CoefficientSet, THREAT_SCAN_LIMIT_M, briggs_sigmas, find_substance, mg_m3_to_ppm,
    plume_concentration, plume_threat_zones, puff_concentration, puff_threat_zones,
};
use crate::model::Stability;

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("amount").required(true).args(["release", "mass"])))]
pub struct PlumeArgs {
    /// Substance key or Chinese name from assets/data/substances.ron (chlorine, ammonia,
    /// hydrogen_sulfide, ...); without it, the concentration is given in mg/m³ only, with
    /// no ppm and no AEGL threat zones
    #[arg(long)]
    pub substance: Option<String>,
    /// Continuous release rate: 3g/s, 2kg/s, 120kg/min, 5t/h
    #[arg(long, value_parser = q::mass_rate_kg_s)]
    pub release: Option<f64>,
    /// Instantaneous release mass (a puff): 500kg, 1.5t
    #[arg(long, value_parser = q::mass_kg)]
    pub mass: Option<f64>,
    /// Wind speed: 7m/s, 25km/h (values under 1 m/s are raised to 1 m/s)
    #[arg(long, value_parser = q::speed_m_s)]
    pub wind: f64,
    /// Pasquill-Gifford stability class A-F
    #[arg(long, value_parser = parse_class)]
    pub class: Stability,
    /// Downwind distance of the receptor: 3km, 800m
    #[arg(long, value_parser = q::length_m)]
    pub distance: f64,
    /// Release height above ground: 2m (default 0)
    #[arg(long, value_parser = q::length_m, default_value = "0m")]
    pub height: f64,
    /// Use the Briggs urban coefficients instead of open country
    #[arg(long)]
    pub urban: bool,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

fn parse_class(text: &str) -> Result<Stability, String> {
    match text.trim().to_ascii_uppercase().as_str() {
        "A" => Ok(Stability::A),
        "B" => Ok(Stability::B),
        "C" => Ok(Stability::C),
        "D" => Ok(Stability::D),
        "E" => Ok(Stability::E),
        "F" => Ok(Stability::F),
        _ => Err(format!(
            "{text:?} is not a Pasquill-Gifford class (A, B, C, D, E or F)"
        )),
    }
}

pub fn run(a: &PlumeArgs) -> Result<String, String> {
    let substance = match &a.substance {
        Some(name) => Some(find_substance(name.trim())?),
        None => None,
    };
    if a.distance <= 0.0 {
        return Err("--distance must be greater than zero".into());
    }
    let set = if a.urban {
        CoefficientSet::BriggsUrban
    } else {
        CoefficientSet::BriggsRural
    };
    let u = a.wind.max(crate::hazard::plume::MIN_WIND_M_S);
    let (sy, sz) = briggs_sigmas(set, a.class, a.distance);
    let (model, c_g_m3, zones) = match (a.release, a.mass) {
        (Some(rate), _) => (
            "gaussian_plume",
            plume_concentration(rate * 1000.0, u, sy, sz, 0.0, 0.0, a.height),
            substance
                .as_ref()
                .map(|s| plume_threat_zones(s, rate, u, a.class, set, a.height)),
        ),
        (None, Some(mass)) => (
            "gaussian_puff",
            puff_concentration(mass * 1000.0, sy, sy, sz, 0.0, 0.0, 0.0, a.height),
            substance
                .as_ref()
                .map(|s| puff_threat_zones(s, mass, a.class, set, a.height)),
        ),
        (None, None) => return Err("give --release RATE or --mass MASS".into()),
    };
    let zones = zones.unwrap_or_default();
    let mg = c_g_m3 * 1000.0;
    q::finite(&[("concentration", mg), ("σy", sy), ("σz", sz)])?;
    for z in &zones {
        q::finite(&[("threat zone", z.max_downwind_m + z.max_width_m + z.area_m2)])?;
    }
    let ppm = substance
        .as_ref()
        .map(|s| mg_m3_to_ppm(mg, s.molecular_weight_g_mol));
    let caveat = substance.as_ref().filter(|s| s.dense_gas).map(|s| {
        format!(
            "{} is usually released as a dense gas; a Gaussian model treats it as passive and is least reliable near the source",
            s.name
        )
    });
    if a.json {
        let value = json!({
            "model": model,
            "substance": substance.as_ref().map(|s| &s.key),
            "coefficient_set": set.label(),
            "release_kg_s": a.release,
            "mass_kg": a.mass,
            "wind_m_s": u,
            "stability_class": format!("{:?}", a.class),
            "height_m": a.height,
            "distance_m": a.distance,
            "sigma_y_m": sy,
            "sigma_z_m": sz,
            "arrival_s": a.distance / u,
            "concentration_mg_m3": mg,
            "concentration_ppm": ppm,
            "threat_zones_60min": zones.iter().map(|z| json!({
                "level": format!("AEGL-{}", z.level),
                "threshold_ppm": z.threshold_ppm,
                "max_downwind_m": z.max_downwind_m,
                "beyond_scan_limit": z.max_downwind_m >= THREAT_SCAN_LIMIT_M,
                "max_width_m": z.max_width_m,
                "area_m2": z.area_m2,
            })).collect::<Vec<_>>(),
            "caveat": caveat,
        });
        return serde_json::to_string_pretty(&value).map_err(|e| e.to_string());
    }
    let mut out = String::new();
    let what = match (a.release, a.mass) {
        (Some(r), _) => format!("continuous release {} kg/s (Gaussian plume)", fmt(r)),
        (_, Some(m)) => format!(
            "instantaneous release {} kg (Gaussian puff, peak as it passes)",
            fmt(m)
        ),
        _ => unreachable!("checked above"),
    };
    match &substance {
        Some(s) => out += &format!("{} ({}), {what}\n", s.name, s.name_zh),
        None => out += &format!("{what}, no substance given\n"),
    }
    out += &format!(
        "wind {} m/s, class {:?}, release height {} m, σ: {}\n",
        fmt(u),
        a.class,
        fmt(a.height),
        set.label()
    );
    out += &format!(
        "at {} m downwind: σy = {:.1} m, σz = {:.1} m, arrival after {:.0} s\n",
        fmt(a.distance),
        sy,
        sz,
        a.distance / u
    );
    let Some((substance, ppm)) = substance.as_ref().zip(ppm) else {
        out += &format!("ground-level centreline concentration: {mg:.4e} mg/m³\n");
        out += "threat zones: give --substance (chlorine, ammonia, ...) for ppm and the AEGL zones";
        return Ok(out);
    };
    out += &format!("ground-level centreline concentration: {mg:.4e} mg/m³ = {ppm:.4e} ppm\n");
    out += "threat zones (60-min AEGL, ground level):\n";
    for z in &zones {
        if z.max_downwind_m >= THREAT_SCAN_LIMIT_M {
            out += &format!(
                "  AEGL-{} ({} ppm): beyond {:.0} km downwind (the scan's limit), up to {:.0} m wide\n",
                z.level,
                fmt(z.threshold_ppm),
                THREAT_SCAN_LIMIT_M / 1000.0,
                z.max_width_m
            );
        } else if z.max_downwind_m > 0.0 {
            out += &format!(
                "  AEGL-{} ({} ppm): to {:.0} m downwind, up to {:.0} m wide, {:.3} km²\n",
                z.level,
                fmt(z.threshold_ppm),
                z.max_downwind_m,
                z.max_width_m,
                z.area_m2 / 1e6
            );
        } else {
            out += &format!(
                "  AEGL-{} ({} ppm): not reached\n",
                z.level,
                fmt(z.threshold_ppm)
            );
        }
    }
    if substance.aegl(1, AEGL_60_MIN).is_none() {
        out += "  AEGL-1: not recommended (NR) for this substance\n";
    }
    if let Some(c) = caveat {
        out += &format!("note: {c}\n");
    }
    Ok(out.trim_end().to_string())
}

fn fmt(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
