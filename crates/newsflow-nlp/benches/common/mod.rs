//! What the benches of this crate share: the bundled sample articles.

use newsflow_core::RawArticle;

/// The articles of `samples/`, in file-name order.
pub fn samples() -> Vec<RawArticle> {
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
