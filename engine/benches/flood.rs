//! Flood model speed: a 512 × 512 raster of 30 m cells (the resolution of the SRTM /
//! ASTER GDEM elevation data most county DEMs come from): a valley falling east at
//! 1:500 with 1:20 side slopes, 20 mm/h rain on every cell and a 300 m³/s river inflow,
//! open east edge, twelve simulated hours from a dry start. Rain keeps the whole grid
//! wet, so the wet box saves nothing here: this is the worst case per cell.
//! Run: `cargo bench -p drill-engine --bench flood`.

use criterion::{Criterion, criterion_group, criterion_main};
use drill_engine::hazard::flood::{FloodConfig, FloodModel};
use drill_engine::hazard::raster::Raster;
use drill_engine::model::Point;
use std::hint::black_box;

const HOURS: f64 = 12.0;

fn valley(n: usize, cell: f64) -> FloodModel {
    let mid = (n as f64 - 1.0) / 2.0;
    let z: Vec<f64> = (0..n)
        .flat_map(|r| {
            (0..n).map(move |c| {
                0.002 * cell * (n - 1 - c) as f64 + 0.05 * cell * (r as f64 - mid).abs()
            })
        })
        .collect();
    let terrain = Raster::from_grid(n, n, cell, z).expect("valid grid");
    let config = FloodConfig {
        open_boundary: true,
        ..FloodConfig::default()
    };
    let mut m = FloodModel::new(terrain, config, None).expect("valid model");
    m.set_rain(vec![(0.0, 20.0)]);
    m.add_inflow(
        Point {
            x: 0.5 * cell,
            y: (mid + 0.5) * cell,
        },
        vec![(0.0, 300.0)],
    )
    .expect("inside");
    m
}

fn flood(c: &mut Criterion) {
    // Report the workload once, so the time is read with it.
    let mut probe = valley(512, 30.0);
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
            || valley(512, 30.0),
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
