//! Why a model file cannot be loaded.

/// A model file newsflow cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// The bytes are not a model of this kind (another file, or another
    /// model's).
    #[error("not a newsflow {kind} model")]
    NotAModel {
        /// What the file should have been (`NER`, `topic`).
        kind: &'static str,
    },
    /// A model of this kind, but cut short or inconsistent.
    #[error("a damaged {kind} model: {reason}")]
    Damaged {
        /// What the file is (`NER`, `topic`).
        kind: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

/// Reads a model whose file starts with `magic`: another start is
/// [`ModelError::NotAModel`], and whatever `parse` finds wrong after it
/// [`ModelError::Damaged`].
pub(crate) fn load<T>(
    kind: &'static str,
    magic: &[u8],
    bytes: &[u8],
    parse: impl FnOnce(&[u8]) -> Result<T, String>,
) -> Result<T, ModelError> {
    if !bytes.starts_with(magic) {
        return Err(ModelError::NotAModel { kind });
    }
    parse(bytes).map_err(|reason| ModelError::Damaged { kind, reason })
}
