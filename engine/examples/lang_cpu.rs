//! CPU time of the scenario-language check, for `perf stat -e task-clock`: runs
//! `lang::check_text` (or, with `parse`, `lang::parse::parse` alone) N times on the
//! generated 10,000-line scenario the `parse` bench uses. Criterion's wall-clock times
//! include waiting for a core on a shared machine; task-clock counts only the time
//! this process ran, so CPU time per run = task-clock / N (the one-off generation of
//! the text is under 1 % of it).
//!
//! ```sh
//! cargo build --release -p drill-engine --example lang_cpu
//! perf stat -e task-clock -r 3 target/release/examples/lang_cpu check 40
//! perf stat -e task-clock -r 3 target/release/examples/lang_cpu parse 40
//! target/release/examples/lang_cpu print > large.drill   # the text, for `drill check`
//! ```

use drill_engine::lang;
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "check".into());
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(40);
    let text = lang::generate::large_scenario(10_000);
    if mode == "print" {
        print!("{text}");
        return;
    }
    let mut diagnostics = 0usize;
    for _ in 0..runs {
        diagnostics += if mode == "parse" {
            lang::parse::parse(black_box(&text), 0).1.len()
        } else {
            lang::check_text("large.drill", black_box(&text))
                .1
                .diagnostics
                .len()
        };
    }
    eprintln!(
        "{runs} × {mode} of {} bytes, {diagnostics} diagnostics",
        text.len()
    );
}
