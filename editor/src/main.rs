//! `editor` binary: parse the command line and run the Bevy app.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = editor::args::Args::parse();
    match editor::app::run(args) {
        bevy::app::AppExit::Success => std::process::ExitCode::SUCCESS,
        bevy::app::AppExit::Error(code) => std::process::ExitCode::from(code.get()),
    }
}
