//! `drill import` speed: a synthetic township extract of 5,000 buildings (50 hamlets
//! of 100 homes, a road grid, schools, a river; `import::synthetic`) read from its
//! OpenStreetMap XML and turned into a scenario, then that scenario checked. Run:
//! `cargo bench -p drill-engine --bench import`.

use criterion::{Criterion, criterion_group, criterion_main};
use drill_engine::geo::Datum;
use drill_engine::import::{Format, read_input, scenario, synthetic};
use drill_engine::lang::{self, SourceMap};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let xml = synthetic::township_osm(5000);
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.bench_function("osm_5000_buildings", |b| {
        b.iter(|| {
            let features = read_input(
                Format::OsmXml,
                black_box(xml.as_bytes()),
                None,
                Datum::Wgs84,
            )
            .unwrap();
            scenario::build(&features, &scenario::Options::default()).unwrap()
        })
    });
    let features = read_input(Format::OsmXml, xml.as_bytes(), None, Datum::Wgs84).unwrap();
    let (text, _) = scenario::build(&features, &scenario::Options::default()).unwrap();
    g.bench_function("osm_5000_buildings_and_check", |b| {
        b.iter(|| {
            let features = read_input(
                Format::OsmXml,
                black_box(xml.as_bytes()),
                None,
                Datum::Wgs84,
            )
            .unwrap();
            let (text, _) = scenario::build(&features, &scenario::Options::default()).unwrap();
            let text = lang::format(&text).unwrap();
            let mut sources = SourceMap::new();
            let main = sources.add("imported.drill", text);
            let r = lang::check(&mut sources, main, &|_: &str| {
                Err::<String, String>("no includes".into())
            });
            assert!(!r.has_errors());
        })
    });
    black_box(text);
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
