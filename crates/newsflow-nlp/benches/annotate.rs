//! Throughput of the NLP stage, the models loaded once, over the bundled
//! sample articles: tokenising alone; entities (tokenise, tag, merge,
//! geo-link); the whole `annotate` (entities, dates, language, keywords,
//! topics, tone, statistics); and the time to load the models.
//!
//!     cargo bench -p newsflow-nlp --bench annotate

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsflow_nlp::tokenize;
use newsflow_nlp::Annotator;

mod common;
use common::samples;

fn bench(c: &mut Criterion) {
    let articles = samples();
    let tokens: usize = articles
        .iter()
        .map(|a| tokenize(&a.title).len() + tokenize(&a.body).len())
        .sum();
    let annotator = Annotator::with_default_models().expect("built-in models load");

    let mut group = c.benchmark_group("samples");
    group.throughput(Throughput::Elements(tokens as u64));
    group.bench_function("tokenize", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(tokenize(black_box(&a.title)));
                black_box(tokenize(black_box(&a.body)));
            }
        })
    });
    group.bench_function("entities", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(annotator.entities(black_box(&a.title), black_box(&a.body)));
            }
        })
    });
    group.bench_function("annotate", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(annotator.annotate(a.clone(), None));
            }
        })
    });
    group.finish();

    c.bench_function("load_models", |b| {
        b.iter(|| black_box(Annotator::with_default_models().expect("load")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
