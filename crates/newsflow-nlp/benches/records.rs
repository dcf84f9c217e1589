//! What a record costs outside the models: decoding a raw article as the
//! enricher does, decoding an enriched one as the sinks do, and writing an
//! enriched one back to JSON. The enriched records are the annotator's own
//! output for the bundled samples, so they carry real entities, topics and
//! key phrases.
//!
//!     cargo bench -p newsflow-nlp --bench records

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsflow_core::{decode_enriched, decode_raw, RawArticle};
use newsflow_nlp::Annotator;

const LIMIT: usize = 1 << 24;

fn samples() -> Vec<RawArticle> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("samples folder")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| RawArticle::from_text(&std::fs::read_to_string(p).expect("sample")))
        .collect()
}

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
