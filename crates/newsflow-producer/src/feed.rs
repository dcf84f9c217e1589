//! RSS and Atom feeds: each item becomes a RawArticle.
//!
//! The id of an item is stable across readings of the feed, so that a feed
//! read every few minutes sends each story once downstream: from its link
//! (as for any article with a URL), else from its guid, else from its
//! title and text.

use std::io::Read as _;
use std::time::Duration;

use feed_rs::model::{Entry, Feed};
use newsflow_core::{derive_id, plain_text, RawArticle};

use crate::sources::{Item, Origin};

/// Parses `bytes` as RSS or Atom; one item per entry.
pub fn parse_feed(bytes: &[u8], origin: Origin, max_bytes: usize) -> Vec<Item> {
    if bytes.len() > max_bytes.saturating_mul(64) {
        return vec![Item::Failed {
            origin,
            reason: format!("feed of {} bytes is too large", bytes.len()),
        }];
    }
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(feed) => feed,
        Err(e) => {
            return vec![Item::Failed {
                origin,
                reason: format!("not an RSS or Atom feed: {e}"),
            }]
        }
    };
    feed.entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let origin = Origin::Named(format!("{origin}#{}", i + 1));
            match article(&feed, entry) {
                Some(article) => Item::Article {
                    origin,
                    article: Box::new(article),
                },
                None => Item::Failed {
                    origin,
                    reason: "feed item without a title or text".into(),
                },
            }
        })
        .collect()
}

fn article(feed: &Feed, entry: &Entry) -> Option<RawArticle> {
    let title = entry
        .title
        .as_ref()
        .map(|t| plain_text(&t.content))
        .unwrap_or_default();
    let body = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .or(entry.summary.as_ref().map(|s| s.content.as_str()))
        .map(plain_text)
        .unwrap_or_default();
    if title.trim().is_empty() && body.trim().is_empty() {
        return None;
    }
    let title = if title.trim().is_empty() {
        body.chars().take(80).collect()
    } else {
        title
    };
    let url = entry.links.first().map(|l| l.href.clone());
    let mut article = RawArticle::new(title, body);
    article.id = match (&url, entry.id.trim()) {
        (Some(_), _) => String::new(),
        // A guid is the feed's own stable name for the item.
        (None, guid) if !guid.is_empty() => derive_id(Some(&format!("urn:guid:{guid}")), "", ""),
        (None, _) => String::new(),
    };
    article.url = url;
    article.source = feed.title.as_ref().map(|t| plain_text(&t.content));
    article.published_at = entry
        .published
        .or(entry.updated)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    article.meta = Some(serde_json::json!({ "feed_guid": entry.id }));
    article.fill_defaults();
    Some(article)
}

/// Fetches a feed over HTTP(S).
pub fn fetch(url: &str, max_bytes: usize) -> Vec<Item> {
    let origin = Origin::Named(url.to_string());
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .new_agent();
    let response = match agent.get(url).call() {
        Ok(response) => response,
        Err(e) => {
            return vec![Item::Failed {
                origin,
                reason: format!("fetching the feed: {e}"),
            }]
        }
    };
    let limit = max_bytes.saturating_mul(64);
    let mut bytes = Vec::new();
    let read = response
        .into_body()
        .into_reader()
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes);
    if let Err(e) = read {
        return vec![Item::Failed {
            origin,
            reason: format!("reading the feed: {e}"),
        }];
    }
    parse_feed(&bytes, origin, max_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example News</title>
<item><title>Talks resume in Tripoli</title><link>https://example.org/a</link>
<description>&lt;p&gt;Leaders met on &lt;b&gt;Monday&lt;/b&gt;.&lt;/p&gt;&lt;p&gt;More talks &amp;amp; hope.&lt;/p&gt;</description>
<pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate><guid>a-1</guid></item>
<item><title>No link here</title><description>Text.</description><guid isPermaLink="false">guid-2</guid></item>
<item><description></description></item>
</channel></rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><id>urn:desk</id>
<updated>2026-11-24T08:00:00Z</updated>
<entry><title>Rates held</title><id>urn:e1</id><link href="https://example.org/r"/>
<updated>2026-11-24T08:00:00Z</updated><summary>The bank held rates.</summary></entry>
</feed>"#;

    fn articles(items: Vec<Item>) -> Vec<Result<RawArticle, String>> {
        items
            .into_iter()
            .map(|item| match item {
                Item::Article { article, .. } => Ok(*article),
                Item::Failed { reason, .. } | Item::Skipped { reason, .. } => Err(reason),
            })
            .collect()
    }

    #[test]
    fn rss_items_become_articles_with_stable_ids() {
        let got = articles(parse_feed(
            RSS.as_bytes(),
            Origin::Named("f".into()),
            1 << 20,
        ));
        assert_eq!(got.len(), 3);
        let first = got[0].as_ref().unwrap();
        assert_eq!(first.title, "Talks resume in Tripoli");
        assert_eq!(first.body, "Leaders met on Monday.\nMore talks & hope.");
        assert_eq!(first.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(first.source.as_deref(), Some("Example News"));
        assert_eq!(first.published_at.as_deref(), Some("2026-11-23T10:00:00Z"));
        assert_eq!(first.id, derive_id(Some("https://example.org/a"), "", ""));
        let second = got[1].as_ref().unwrap();
        assert_eq!(second.id, derive_id(Some("urn:guid:guid-2"), "", ""));
        assert!(got[2].is_err(), "an empty item is reported");
        // Reading the feed again gives the same ids.
        let again = articles(parse_feed(
            RSS.as_bytes(),
            Origin::Named("f".into()),
            1 << 20,
        ));
        assert_eq!(again[0].as_ref().unwrap().id, first.id);
        assert_eq!(again[1].as_ref().unwrap().id, second.id);
    }

    #[test]
    fn atom_entries_become_articles() {
        let got = articles(parse_feed(
            ATOM.as_bytes(),
            Origin::Named("f".into()),
            1 << 20,
        ));
        let entry = got[0].as_ref().unwrap();
        assert_eq!(entry.title, "Rates held");
        assert_eq!(entry.body, "The bank held rates.");
        assert_eq!(entry.source.as_deref(), Some("Atom Desk"));
        assert_eq!(entry.published_at.as_deref(), Some("2026-11-24T08:00:00Z"));
    }

    #[test]
    fn not_a_feed_is_one_clear_failure() {
        let got = articles(parse_feed(
            b"<html>hi</html>",
            Origin::Named("f".into()),
            1 << 20,
        ));
        assert!(got[0]
            .as_ref()
            .unwrap_err()
            .contains("not an RSS or Atom feed"));
    }
}
