//! The `drill` command line: argument parsing with clap and one module per
//! subcommand. Subcommands print to stdout/stderr and return an exit code; they
//! never panic on bad input.

pub mod batch;
pub mod check;
pub mod compare;
pub mod exercise;
pub mod export;
pub mod fmt;
pub mod import;
pub mod report;
pub mod run;
pub mod serve;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod calc;

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
enum Command {
    /// Check scenario files: every error and warning, with line, column and help / 检查情景脚本
    Check(check::CheckArgs),
    /// Format scenario files canonically (in place, or --check) / 格式化情景脚本
    Fmt(fmt::FmtArgs),
    /// Export the validated scenario (RON) / 导出校验后的情景
    Export(export::ExportArgs),
    /// Run the drill simulation and summarise it / 运行推演
    Run(run::RunArgs),
    /// Conduct a live tabletop drill: type actions, log them, resume after a crash / 桌面推演
    Exercise(exercise::ExerciseArgs),
    /// Serve a live drill to participants' and evaluators' phones over HTTP / 手机参演
    Serve(serve::ServeArgs),
    /// Monte Carlo over seeds: distribution of scores and ratings / 多次推演统计
    Batch(batch::BatchArgs),
    /// Compare drill reports across years / 历年演练对比
    Compare(compare::CompareArgs),
    /// Quick hazard calculations: fire, plume, flood / 灾害快速计算
    Calc(calc::CalcArgs),
    /// A scenario skeleton for your village from GIS files (GeoJSON, Shapefile, OpenStreetMap) / 从地理数据导入村庄地图
    Import(import::ImportArgs),
}

pub fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Exercise(args) => exercise::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Calc(args) => calc::run(args),
        Command::Batch(args) => batch::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Import(args) => import::run(&args),
    }
}

/// `drill run --json | head -3`: once `head` has read its lines, a write to the
/// closed pipe must end the program quietly, as it ends `cat`. Rust ignores SIGPIPE,
/// so the write fails instead and `println!` panics; every subcommand prints, so the
/// signal's default (end the process) is restored for all of them.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any thread is started; setting
    // a signal's disposition to its default has no other effect on the program.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
