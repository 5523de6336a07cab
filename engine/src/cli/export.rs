//! `drill export --ron FILE [-o OUT]`: the validated scenario as RON, for other
//! tools and for inspecting exactly what the engine understood.

use super::check::check_file;
use crate::io;
use crate::lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Export as RON (the only format for now).
    #[arg(long, required = true)]
    pub ron: bool,
    /// The scenario file.
    pub file: PathBuf,
    /// Write here instead of stdout (atomically).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &ExportArgs) -> ExitCode {
    let (sources, result) = match check_file(&args.file) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let Some(scenario) = result.scenario else {
        eprint!("{}", lang::render(&result.diagnostics, &sources));
        return ExitCode::from(1);
    };
    let config = ron::ser::PrettyConfig::new().struct_names(true);
    let text = match ron::ser::to_string_pretty(&scenario, config) {
        Ok(t) => t + "\n",
        Err(e) => {
            eprintln!("error: cannot serialise the scenario: {e}");
            return ExitCode::from(2);
        }
    };
    match &args.output {
        None => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Some(path) => match io::write_atomic(path, text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}
