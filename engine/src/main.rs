//! `drill`: the command line of the drill engine.

fn main() -> std::process::ExitCode {
    drill_engine::cli::main()
}
