//! Text as newsflow reads it from the outside.

use std::borrow::Cow;

/// Text of an HTML fragment: tags dropped, character references decoded,
/// whitespace collapsed, paragraphs kept as line breaks.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = &rest[start..];
            break;
        };
        let tag = rest[start + 1..start + end]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        if ["p", "br", "div", "li", "h1", "h2", "h3"].iter().any(|t| {
            tag == *t || tag.starts_with(&format!("{t} ")) || tag.starts_with(&format!("{t}/"))
        }) {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    htmlize::unescape(out)
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Article text with the HTML character references it still carries
/// ("Beyonc&#233;", "&pound;5m") decoded, as scraped text often arrives.
/// Plain text may hold a bare "&" ("AT&T", "P&O"), so a name without its
/// ";" is decoded only where HTML would decode it inside an attribute: not
/// before a letter, a digit or "=". Text without a reference comes back
/// as it was, with no copy.
pub fn decode_references(text: String) -> String {
    match htmlize::unescape_attribute(text.as_str()) {
        Cow::Owned(decoded) => decoded,
        Cow::Borrowed(_) => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            plain_text("a<br/>b &#8364; &#x41; &foo; x&y"),
            "a\nb € A &foo; x&y"
        );
        assert_eq!(plain_text("&pound;5m &mdash; Caf&eacute;"), "£5m — Café");
    }

    #[test]
    fn references_in_plain_text_are_decoded() {
        assert_eq!(
            decode_references("Beyonc&#233; wins &pound;5m &amp; more".into()),
            "Beyoncé wins £5m & more"
        );
        // a bare "&" before a letter is text, even where it starts a name
        assert_eq!(
            decode_references("AT&T, P&O and M&S; R&D&copy2".into()),
            "AT&T, P&O and M&S; R&D&copy2"
        );
        assert_eq!(decode_references("5 &lt 6".into()), "5 < 6");
    }
}
