//! The `drill` command line: argument parsing with clap and one module per
//! subcommand. Subcommands print to stdout/stderr and return an exit code; they
//! never panic on bad input.

mod calc;
mod calc_flood;
mod calc_plume;
mod calc_quantity;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "drill", version, about = "Drill and training simulation engine for emergency management / 应急演练推演引擎")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Quick hazard calculations: plume, flood / 灾害快速计算
    Calc(calc::CalcArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Calc(args) => calc::run(args),
    }
}
