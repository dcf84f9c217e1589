//! What the quality tests share: where the repository and `../shared` are.

use std::path::PathBuf;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/NAME` (training data, samples), or `None` outside the
/// workplace, where it is absent. Under the test script (which sets
/// `NEWSFLOW_TEST_BROKERS`) it must be there: a missing file fails the test
/// instead of skipping it.
pub fn shared(name: &str) -> Option<String> {
    let path = repo().join("../shared").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if std::env::var_os("NEWSFLOW_TEST_BROKERS").is_some() => {
            panic!("{}: {e}", path.display())
        }
        Err(_) => {
            eprintln!("skipped: {} is absent", path.display());
            None
        }
    }
}
