//! Fire spread benchmark: a 1000 × 1000 raster (5 m cells, 5 km square) of GR2 grass over
//! rolling terrain, one ignition in the centre, a three-step wind timeline, 12 simulated
//! hours — by then the fire has crossed the whole grid. One core (the model is
//! single-threaded). Run: `cargo bench -p drill-engine --bench fire`.

use criterion::{Criterion, criterion_group, criterion_main};
use drill_engine::hazard::HazardField;
use drill_engine::hazard::fire::{FireField, FireSettings, FuelCatalog, Fuelbed};
use drill_engine::hazard::raster::Raster;
use drill_engine::model::{FuelMoisture, Point, Wind};
use std::hint::black_box;

const SIDE: usize = 1000;
const CELL_M: f64 = 5.0;
const HOURS: f64 = 12.0;

fn setup() -> FireField {
    let mut grid = Raster::flat(SIDE, SIDE, CELL_M, 0.0);
    for r in 0..SIDE {
        for c in 0..SIDE {
            let (x, y) = (c as f64 * CELL_M, r as f64 * CELL_M);
            grid.elevation_m[r * SIDE + c] = 40.0 * (x / 300.0).sin() * (y / 420.0).cos();
        }
    }
    let moisture = FuelMoisture {
        dead_1h: 6.0,
        dead_10h: 7.0,
        dead_100h: 8.0,
        live_herb: 60.0,
        live_woody: 90.0,
    };
    let bed = Fuelbed::new(FuelCatalog::standard().get("GR2").unwrap(), &moisture);
    let wind = vec![
        (
            0.0,
            Wind {
                speed_m_s: 4.0,
                from_deg: 270.0,
            },
        ),
        (
            4.0 * 3600.0,
            Wind {
                speed_m_s: 6.0,
                from_deg: 300.0,
            },
        ),
        (
            8.0 * 3600.0,
            Wind {
                speed_m_s: 3.0,
                from_deg: 200.0,
            },
        ),
    ];
    let centre = Point {
        x: SIDE as f64 * CELL_M / 2.0,
        y: SIDE as f64 * CELL_M / 2.0,
    };
    FireField::uniform(
        grid,
        bed,
        wind,
        vec![(0.0, centre)],
        FireSettings::default(),
    )
    .unwrap()
}

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
