//! Plume model speed: ground-level concentration on a 1000 × 1000 receptor grid (10 m
//! spacing, 10 km × 10 km around the source) as the simulation samples it. Chlorine,
//! 2 kg/s for 12 h, class D, with the wind turning every 2 h.
//!
//! The simulation's default step is 10 s (docs/LANGUAGE.md, `step`), so 12 simulated
//! hours are 4320 samples of the whole grid; the benchmark runs all of them. Run:
//! `cargo bench -p drill-engine --bench plume`.

use criterion::{Criterion, criterion_group, criterion_main};
use drill_engine::hazard::HazardField;
use drill_engine::hazard::plume::{PlumeModel, ReceptorGrid, find_substance};
use drill_engine::model::{ChemicalSpec, PlumeWeather, Point, Release, Stability, Wind};
use std::hint::black_box;

fn model() -> PlumeModel {
    let weather = (0..6)
        .map(|k| {
            let w = Wind {
                speed_m_s: 3.0,
                from_deg: 200.0 + 25.0 * k as f64,
            };
            (
                k as f64 * 7200.0,
                PlumeWeather {
                    wind: w,
                    stability: Stability::D,
                },
            )
        })
        .collect();
    let spec = ChemicalSpec {
        source: Point {
            x: 5000.0,
            y: 5000.0,
        },
        substance: "chlorine".into(),
        release: Release::Rate {
            kg_s: 2.0,
            duration_s: 12.0 * 3600.0,
        },
        start_s: 0.0,
        height_m: 2.0,
        weather,
        urban: false,
    };
    PlumeModel::new(&spec, find_substance("chlorine").expect("shipped")).expect("valid")
}

fn plume(c: &mut Criterion) {
    let mut group = c.benchmark_group("plume");
    group.sample_size(10);
    group.bench_function("1000x1000_receptors_12_simulated_hours_10s_step", |b| {
        b.iter(|| {
            let mut m = model();
            let mut grid = ReceptorGrid::new(Point::default(), 1000, 1000, 10.0);
            let mut total = 0.0;
            for k in 1..=4320 {
                m.advance_to(k as f64 * 10.0);
                m.sample_receptors(&mut grid);
                total += grid.ppm[500_500];
            }
            black_box(total)
        })
    });
    group.finish();
}

criterion_group!(benches, plume);
criterion_main!(benches);
