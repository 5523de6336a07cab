//! Flood model speed: `Valley::bench(512)`, a 512 × 512 raster of 30 m cells: a valley
//! falling east at 1:500 with 1:20 side slopes, 20 mm/h rain on every cell and a
//! 300 m³/s river inflow, open edges, twelve simulated hours from a dry start. Rain
//! keeps the whole grid wet, so the wet box saves nothing here: this is the worst case
//! per cell. Run: `cargo bench -p drill-engine --bench flood`.

use criterion::{Criterion, criterion_group, criterion_main};
use drill_engine::hazard::flood::{FloodModel, Valley};
use std::hint::black_box;

const HOURS: f64 = 12.0;

fn valley() -> FloodModel {
    Valley::bench(512).model().expect("valid valley")
}

fn flood(c: &mut Criterion) {
    // Report the workload once, so the time is read with it.
    let mut probe = valley();
    probe.run_to(HOURS * 3600.0);
    eprintln!(
        "flood 512x512 @30 m, {HOURS} h: {} adaptive steps, max depth {:.2} m, mass error {:.1e}",
        probe.steps(),
        probe.depths().iter().copied().fold(0.0, f64::max),
        probe.mass_error_relative()
    );
    let mut group = c.benchmark_group("flood");
    group.sample_size(10);
    group.bench_function("512x512_30m_12_simulated_hours", |b| {
        b.iter_batched(
            valley,
            |mut m| {
                m.run_to(HOURS * 3600.0);
                black_box(m.stored_m3())
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, flood);
criterion_main!(benches);
