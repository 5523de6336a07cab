//! Parse + validate throughput of the scenario language on a generated
//! 10,000-line scenario (`lang::generate::large_scenario`), one core, in decimal
//! MB/s as issue 3 states its target; then `check` at 2,500 to 40,000 lines to show
//! how the cost grows with the file.
//!
//! Run: `cargo bench -p drill-engine --bench parse`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use drill_engine::lang;
use std::hint::black_box;

fn parse_and_validate(c: &mut Criterion) {
    let text = lang::generate::large_scenario(10_000);
    let mut group = c.benchmark_group("lang");
    group.throughput(Throughput::BytesDecimal(text.len() as u64));
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

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("lang check scaling");
    group.sample_size(10);
    for lines in [2_500, 10_000, 40_000] {
        let text = lang::generate::large_scenario(lines);
        group.throughput(Throughput::BytesDecimal(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(lines), &text, |b, text| {
            b.iter(|| lang::check_text("large.drill", black_box(text)).1)
        });
    }
    group.finish();
}

criterion_group!(benches, parse_and_validate, scaling);
criterion_main!(benches);
