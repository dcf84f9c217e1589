//! RawArticle decoding from a record's bytes, as the enricher reads them:
//! any bytes give an article or an error, and an article decoded once
//! decodes again to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsflow_core::decode_raw;

const MAX_RECORD_BYTES: usize = 2 * 1024 * 1024;

fuzz_target!(|data: &[u8]| {
    if let Ok(article) = decode_raw(data, MAX_RECORD_BYTES) {
        let bytes = serde_json::to_vec(&article).expect("a decoded article serialises");
        let again = decode_raw(&bytes, usize::MAX).expect("a decoded article decodes again");
        assert_eq!(again, article);
    }
});
