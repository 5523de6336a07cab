//! The `drill` command line: argument parsing with clap and one module per
//! subcommand. Subcommands print to stdout/stderr and return an exit code; they
//! never panic on bad input.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "drill",
    version,
    about = "Drill and training simulation engine for emergency management / 应急演练推演引擎"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {}
}
