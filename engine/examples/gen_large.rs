//! Writes a generated scenario of N lines to stdout (for timing `drill check`).
fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    print!("{}", drill_engine::lang::generate::large_scenario(n));
}
