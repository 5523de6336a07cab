//! Parse + validate throughput of the scenario language on a generated
//! 10,000-line scenario (`lang::generate::large_scenario`), one core.
//!
//! Run: `cargo bench -p drill-engine --bench parse`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use drill_engine::lang;
use std::hint::black_box;

fn parse_and_validate(c: &mut Criterion) {
    let text = lang::generate::large_scenario(10_000);
    let mut group = c.benchmark_group("lang");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("check 10k lines", |b| {
        b.iter(|| {
            let (_, result) = lang::check_text("large.drill", black_box(&text));
            assert!(!result.has_errors());
            result
        })
    });
    group.bench_function("parse only 10k lines", |b| {
        b.iter(|| lang::parse::parse(black_box(&text), 0))
    });
    group.bench_function("format 10k lines", |b| {
        b.iter(|| lang::format(black_box(&text)))
    });
    group.finish();
}

criterion_group!(benches, parse_and_validate);
criterion_main!(benches);
