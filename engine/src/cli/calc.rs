//! `drill calc` — quick hazard calculations without a scenario, for trainers checking a
//! number and for verifying the models by hand. One module per model.

use clap::{Args, Subcommand};
use std::io::Write;
use std::process::ExitCode;

use super::{calc_flood, calc_plume};

#[derive(Args)]
pub struct CalcArgs {
    #[command(subcommand)]
    pub command: CalcCommand,
}

#[derive(Subcommand)]
pub enum CalcCommand {
    /// Chemical release: Gaussian plume (--release) or puff (--mass) concentrations and AEGL threat zones / 危化品扩散
    Plume(calc_plume::PlumeArgs),
    /// Flood: run the inertial shallow-water model on a built-in valley / 洪水演算
    Flood(calc_flood::FloodArgs),
}

pub fn run(args: CalcArgs) -> ExitCode {
    let result = match args.command {
        CalcCommand::Plume(a) => calc_plume::run(&a),
        CalcCommand::Flood(a) => calc_flood::run(&a),
    };
    match result {
        Ok(text) => {
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout(), "{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
