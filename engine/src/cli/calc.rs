//! `drill calc` — one-off hazard model calculations without a scenario, for trainers who
//! want to check a number before putting it in a scenario, and for comparing the models
//! with BehavePlus and ALOHA by hand. One module per model under `calc/`; `quantity`
//! holds the unit parsers they share.

use clap::{Args, Subcommand};
use std::io::Write;
use std::process::ExitCode;

mod fire;
mod fire_spread;
mod flood;
mod plume;
pub(crate) mod quantity;

#[derive(Args)]
pub struct CalcArgs {
    #[command(subcommand)]
    pub command: CalcCommand,
}

#[derive(Subcommand)]
pub enum CalcCommand {
    /// Surface fire behaviour (Rothermel 1972 as BehavePlus): spread rates, intensity, flame length / 地表火行为
    Fire(fire::FireArgs),
    /// Chemical release: Gaussian plume (--release) or puff (--mass) concentrations and AEGL threat zones / 危化品扩散
    Plume(plume::PlumeArgs),
    /// Flood: run the inertial shallow-water model on a built-in valley / 洪水演算
    Flood(flood::FloodArgs),
}

pub fn run(args: CalcArgs) -> ExitCode {
    let result = match args.command {
        CalcCommand::Fire(a) => return fire::run(a),
        CalcCommand::Plume(a) => plume::run(&a),
        CalcCommand::Flood(a) => flood::run(&a),
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
