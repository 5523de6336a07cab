//! Simulation benchmarks: the generated village (~1,000 people) and county (50,000
//! people on 2,000 road links) over a 12 h drill, plus how the cost grows with the
//! population (1k → 10k → 100k people on the same 2,000-link county grid).
//!
//! Run: `cargo bench -p drill-engine --bench sim` (figures in docs/BENCHMARKS.md, Simulation).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use drill_engine::sim::{Simulation, generate};
use std::hint::black_box;
use std::time::Duration;

fn run_12h(scenario: &drill_engine::model::Scenario) -> usize {
    let mut sim = Simulation::new(scenario, 7, Vec::new()).expect("generated scenarios are valid");
    sim.run_until(12.0 * 3600.0);
    sim.events().len()
}

fn village(c: &mut Criterion) {
    let scenario = generate::village(1);
    c.bench_function("village_12h", |b| b.iter(|| black_box(run_12h(&scenario))));
}

fn county(c: &mut Criterion) {
    let mut group = c.benchmark_group("county_12h");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(1));
    for people in [1_000u32, 10_000, 50_000, 100_000] {
        let scenario = generate::county(people, 2_000, 1);
        group.bench_with_input(BenchmarkId::from_parameter(people), &scenario, |b, s| {
            b.iter(|| black_box(run_12h(s)))
        });
    }
    group.finish();
}

criterion_group!(benches, village, county);
criterion_main!(benches);
