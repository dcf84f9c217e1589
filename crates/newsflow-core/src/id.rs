//! Stable article ids.
//!
//! The same article ingested twice must get the same id so that downstream
//! upserts collapse it. An id derived from the URL survives edits to the
//! text; without a URL the normalised title and body are hashed instead.

use sha2::{Digest, Sha256};

/// Derives the id of an article that arrived without one: from its URL when
/// it has one, else from its normalised title and body. 32 hex digits.
pub fn derive_id(url: Option<&str>, title: &str, body: &str) -> String {
    let mut hasher = Sha256::new();
    match url.map(normalise_url).filter(|u| !u.is_empty()) {
        Some(url) => {
            hasher.update(b"url\0");
            hasher.update(url.as_bytes());
        }
        None => {
            hasher.update(b"text\0");
            hasher.update(normalise_text(title).as_bytes());
            hasher.update(b"\0");
            hasher.update(normalise_text(body).as_bytes());
        }
    }
    let digest = hasher.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower-cases the scheme and host, drops the fragment and a trailing slash,
/// so that trivially different spellings of one URL agree.
pub fn normalise_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => (String::new(), url),
    };
    let (host, path) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let path = path.strip_suffix('/').unwrap_or(path);
    let host = host.to_ascii_lowercase();
    if scheme.is_empty() {
        format!("{host}{path}")
    } else {
        format!("{scheme}://{host}{path}")
    }
}

/// Lower-cases and folds every run of white space into one space.
pub fn normalise_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_url_in_other_spelling_gives_same_id() {
        let a = derive_id(Some("HTTPS://News.Example.com/a/b/#top"), "x", "y");
        let b = derive_id(Some("https://news.example.com/a/b"), "other", "text");
        assert_eq!(a, b);
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn text_id_ignores_case_and_spacing_but_not_words() {
        let a = derive_id(None, "Big  News", "It happened.\n\nToday.");
        let b = derive_id(None, "big news", "it happened. today.");
        let c = derive_id(None, "big news", "it happened. yesterday.");
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn url_and_text_ids_differ() {
        assert_ne!(derive_id(Some("a"), "", ""), derive_id(None, "a", ""));
    }

    #[test]
    fn empty_url_falls_back_to_text() {
        assert_eq!(derive_id(Some("  "), "t", "b"), derive_id(None, "t", "b"));
    }
}
