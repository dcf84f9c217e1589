//! The RSS and Atom reader of `newsflow produce`: any bytes give items or
//! a failure naming the feed, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsflow_producer::feed::parse_feed;
use newsflow_producer::{Item, Origin};

const MAX_RECORD_BYTES: usize = 2 * 1024 * 1024;

fuzz_target!(|data: &[u8]| {
    for item in parse_feed(data, Origin::Named("fuzz".into()), MAX_RECORD_BYTES) {
        if let Item::Article { article, .. } = item {
            assert!(!article.id.is_empty());
        }
    }
});
