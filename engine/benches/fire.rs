//! Fire spread benchmark: a 1000 × 1000 raster (5 m cells, 5 km square) of GR2 grass over
//! rolling terrain, one ignition in the centre, a three-step wind timeline, 12 simulated
//! hours — by then the fire has crossed the whole grid. One core (the model is
//! single-threaded). Run: `cargo bench -p drill-engine --bench fire`.

use criterion::{Criterion, criterion_group, criterion_main};
use drill_engine::hazard::HazardField;
use drill_engine::hazard::fire::bench::{HOURS, SIDE, rolling_grass as setup};
use std::hint::black_box;

fn fire_spread(c: &mut Criterion) {
    // Report once how much of the grid burns, so the figure is read with its workload.
    let mut probe = setup();
    probe.advance_to(HOURS * 3600.0);
    eprintln!(
        "fire bench: {:.1} % of {} cells burnt after {HOURS} h",
        100.0 * probe.burnt_cells() as f64 / (SIDE * SIDE) as f64,
        SIDE * SIDE
    );
    let mut group = c.benchmark_group("fire");
    group.sample_size(10);
    group.bench_function("spread_1000x1000_12h", |b| {
        b.iter_batched(
            setup,
            |mut field| {
                // The simulation's own cadence would be every 10 s; advancing minute by
                // minute exercises the same incremental path with less loop overhead.
                let mut t = 0.0;
                while t < HOURS * 3600.0 {
                    t += 60.0;
                    field.advance_to(t);
                }
                black_box(field.burnt_cells())
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, fire_spread);
criterion_main!(benches);
