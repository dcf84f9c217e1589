//! The body of `POST /v1/articles` (`produce --http`): a JSON object, a
//! JSON array or JSON lines, chosen by the first byte as by the
//! Content-Type header.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsflow_producer::sources::parse_body;
use newsflow_producer::Item;

const MAX_RECORD_BYTES: usize = 2 * 1024 * 1024;

fuzz_target!(|data: &[u8]| {
    let Some((&flag, body)) = data.split_first() else {
        return;
    };
    for item in parse_body(body, flag & 1 == 1, MAX_RECORD_BYTES) {
        if let Item::Article { article, .. } = item {
            assert!(!article.id.is_empty());
        }
    }
});
