//! `drill import FILE... [--dem DEM.tif] [-o OUT.drill]`: a scenario skeleton for the
//! trainer's own village from GIS files (GeoJSON, Shapefile, OpenStreetMap XML/PBF),
//! read by `io::read_import_input`, built by [`crate::import::scenario::build`],
//! formatted, and checked as `drill check` would before it is written. Without `-o`
//! the scenario goes to stdout; the summary always goes to stderr.
//!
//! Exit codes: 0 written (warnings allowed), 1 when the result does not pass the
//! check (it is written all the same, for the trainer to repair), 2 when an input
//! cannot be read or holds nothing to import.

use crate::geo::Datum;
use crate::import::scenario::{self, Options};
use crate::io;
use crate::lang::{self, SourceMap};
use crate::model::Georef;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// GIS files: .geojson/.json, .shp (with its .dbf/.cpg/.prj beside it), .osm, .osm.pbf.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// A GeoTIFF DEM for the map's terrain (`terrain "..."`, resampled to the map's cell).
    #[arg(long)]
    pub dem: Option<PathBuf>,
    /// Where to write the scenario (default: stdout).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// The map origin as `LON,LAT` (WGS 84); default: the north-west corner of the data.
    #[arg(long, value_parser = parse_origin, allow_hyphen_values = true)]
    pub origin: Option<Georef>,
    /// The datum of lon/lat inputs: wgs84 (also CGCS2000, OpenStreetMap), gcj02
    /// (Gaode, Tencent), bd09 (Baidu).
    #[arg(long = "from", default_value = "wgs84", value_parser = parse_datum)]
    pub datum: Datum,
    /// People per household (户均人口) for the population estimate.
    #[arg(long, default_value_t = scenario::PEOPLE_PER_HOUSEHOLD)]
    pub people_per_household: f64,
    /// Homes closer than this many metres form one hamlet when no tag names it.
    #[arg(long, default_value_t = 150.0)]
    pub cluster: f64,
}

fn parse_origin(s: &str) -> Result<Georef, String> {
    let (lon, lat) = s
        .split_once(',')
        .ok_or("write the origin as LON,LAT, e.g. 119.5312,30.2451")?;
    let (lon, lat): (f64, f64) = (
        lon.trim()
            .parse()
            .map_err(|_| format!("`{lon}` is not a longitude"))?,
        lat.trim()
            .parse()
            .map_err(|_| format!("`{lat}` is not a latitude"))?,
    );
    if !crate::geo::plausible_lonlat(lon, lat) {
        return Err(format!(
            "({lon}, {lat}) is not a longitude/latitude (longitude first)"
        ));
    }
    Ok(Georef { lon, lat })
}

fn parse_datum(s: &str) -> Result<Datum, String> {
    Datum::parse(s).ok_or_else(|| format!("unknown datum `{s}`: wgs84, cgcs2000, gcj02 or bd09"))
}

/// The DEM's path as the scenario in `out_dir` will name it: relative when it lies
/// under that folder, absolute otherwise.
fn dem_as_seen_from(dem: &Path, out_dir: &Path) -> String {
    let abs = io::canonical(dem).unwrap_or_else(|| dem.to_path_buf());
    if let Some(dir) = io::canonical(out_dir)
        && let Ok(rel) = abs.strip_prefix(&dir)
    {
        return rel.to_string_lossy().replace('\\', "/");
    }
    abs.to_string_lossy().replace('\\', "/")
}

pub fn run(args: &ImportArgs) -> ExitCode {
    let sensible = (f64::MIN_POSITIVE..=20.0).contains(&args.people_per_household)
        && (f64::MIN_POSITIVE..=5000.0).contains(&args.cluster);
    if !sensible {
        eprintln!(
            "error: --people-per-household must be in (0, 20] and --cluster in (0, 5000] metres"
        );
        return ExitCode::from(2);
    }
    let mut features = Vec::new();
    for path in &args.files {
        match io::read_import_input(path, args.datum) {
            Ok(f) => {
                eprintln!("{}: {} features / 要素", path.display(), f.len());
                features.extend(f);
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let out_dir = args
        .output
        .as_deref()
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let opts = Options {
        origin: args.origin,
        people_per_household: args.people_per_household,
        cluster_m: args.cluster,
        dem: args.dem.as_deref().map(|d| dem_as_seen_from(d, out_dir)),
        sources: args
            .files
            .iter()
            .map(|p| {
                p.file_name().map_or_else(
                    || p.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
            })
            .collect(),
    };
    let (text, summary) = match scenario::build(&features, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let text = lang::format(&text).unwrap_or(text);
    eprintln!(
        "{} hamlets / 居民点, {} households / 户, {} people / 人 (estimated), {} shelters / 避灾点, {} links / 道路, {} rivers / 河流; origin ({:.7}, {:.7})",
        summary.hamlets,
        summary.households,
        summary.people,
        summary.shelters,
        summary.links,
        summary.rivers,
        summary.origin.lon,
        summary.origin.lat
    );
    // Checked as `drill check` will check it, terrain included.
    let shown = args
        .output
        .as_ref()
        .map_or_else(|| "imported.drill".to_string(), |p| p.display().to_string());
    let mut sources = SourceMap::new();
    let main = sources.add(shown, text.clone());
    let mut result = lang::check(&mut sources, main, &io::Includes);
    super::check::check_heightmap_file(&mut result, out_dir);
    let errors = result.diagnostics.iter().any(|d| d.is_error());
    if errors || !result.diagnostics.is_empty() {
        eprint!("{}", lang::render(&result.diagnostics, &sources));
    }
    match &args.output {
        Some(path) => {
            if let Err(e) = io::write_atomic(path, text.as_bytes()) {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
            eprintln!(
                "wrote {} / 已写入; next: fill in roles, plan and injects, then `drill check {}`",
                path.display(),
                path.display()
            );
        }
        None => print!("{text}"),
    }
    if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
