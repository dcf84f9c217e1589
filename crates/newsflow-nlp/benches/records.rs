//! What a record costs outside the models: decoding a raw article as the
//! enricher does, decoding an enriched one as the sinks do, and writing an
//! enriched one back to JSON. The enriched records are the annotator's own
//! output for the bundled samples, so they carry real entities, topics and
//! key phrases.
//!
//!     cargo bench -p newsflow-nlp --bench records

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsflow_core::{decode_enriched, decode_raw};
use newsflow_nlp::Annotator;

mod common;
use common::samples;

const LIMIT: usize = 1 << 24;

fn bench(c: &mut Criterion) {
    let articles = samples();
    let annotator = Annotator::with_default_models().expect("built-in models load");
    let raw: Vec<Vec<u8>> = articles
        .iter()
        .map(|a| serde_json::to_vec(a).expect("raw record"))
        .collect();
    let enriched: Vec<_> = articles
        .iter()
        .map(|a| annotator.annotate(a.clone(), None))
        .collect();
    let enriched_bytes: Vec<Vec<u8>> = enriched
        .iter()
        .map(|a| serde_json::to_vec(a).expect("enriched record"))
        .collect();

    let mut group = c.benchmark_group("records");
    group.throughput(Throughput::Elements(articles.len() as u64));
    group.bench_function("decode_raw", |b| {
        b.iter(|| {
            for bytes in &raw {
                black_box(decode_raw(black_box(bytes), LIMIT).expect("valid"));
            }
        })
    });
    group.bench_function("decode_enriched", |b| {
        b.iter(|| {
            for bytes in &enriched_bytes {
                black_box(decode_enriched(black_box(bytes), LIMIT).expect("valid"));
            }
        })
    });
    group.bench_function("serialize_enriched", |b| {
        b.iter(|| {
            for article in &enriched {
                black_box(serde_json::to_vec(black_box(article)).expect("serialise"));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
