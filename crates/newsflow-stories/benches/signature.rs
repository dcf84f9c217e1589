//! Cost of an article's signature, over the bundled sample articles: the
//! enricher computes one per article, within 5% of the enrichment's time.
//!
//!     cargo bench -p newsflow-stories --bench signature

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsflow_stories::Signature;

fn samples() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("samples folder")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("sample"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = samples();
    let mut group = c.benchmark_group("samples");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("signature", |b| {
        b.iter(|| {
            for text in &texts {
                black_box(Signature::of(black_box(text)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
