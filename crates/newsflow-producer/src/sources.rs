//! Inputs of `newsflow produce`.
//!
//! | input | read as |
//! |---|---|
//! | `*.txt` | one article: first non-empty line is the title, the rest the body |
//! | `*.json` | one RawArticle object |
//! | `*.jsonl`, `*.ndjson` | one RawArticle object per line |
//! | `*.xml`, `*.rss`, `*.atom`, an `http(s)://` URL | an RSS or Atom feed: one article per item |
//! | a directory | every file of those types below it, in name order; others are skipped |
//! | `-` | stdin: JSON lines if it starts with `{`, else one `.txt` article |
//!
//! Missing `id`, `schema` and `ingested_at` are filled in; everything else is
//! validated as the enricher will validate it, so bad input is reported
//! here, with the file (and line) it came from.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use newsflow_core::{decode_raw, RawArticle};

/// Where an item came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    Line(PathBuf, usize),
    Named(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::Line(path, line) => write!(f, "{}:{line}", path.display()),
            Origin::Named(name) => f.write_str(name),
        }
    }
}

/// One unit of input.
#[derive(Debug)]
pub enum Item {
    Article {
        origin: Origin,
        article: Box<RawArticle>,
    },
    Skipped {
        origin: Origin,
        reason: String,
    },
    Failed {
        origin: Origin,
        reason: String,
    },
}

impl Item {
    fn failed(origin: Origin, reason: impl Into<String>) -> Self {
        Item::Failed {
            origin,
            reason: reason.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    JsonLines,
    Feed,
}

fn format_of(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "txt" => Some(Format::Text),
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::JsonLines),
        "xml" | "rss" | "atom" => Some(Format::Feed),
        _ => None,
    }
}

/// Reads every input in order. Files are read one at a time, so memory
/// stays bounded by the largest file, not the whole input.
pub fn read_inputs(paths: Vec<PathBuf>, max_bytes: usize) -> impl Iterator<Item = Item> {
    paths
        .into_iter()
        .flat_map(move |path| -> Box<dyn Iterator<Item = Item>> {
            let text = path.to_string_lossy();
            if path.as_os_str() == "-" {
                Box::new(read_stdin(max_bytes).into_iter())
            } else if text.starts_with("http://") || text.starts_with("https://") {
                Box::new(crate::feed::fetch(&text, max_bytes).into_iter())
            } else if path.is_dir() {
                let files = walk(&path);
                Box::new(files.into_iter().flat_map(move |file| match file {
                    Ok(file) if format_of(&file).is_some() => read_file(&file, max_bytes),
                    Ok(file) => vec![Item::Skipped {
                        origin: Origin::File(file),
                        reason: "not a .txt, .json, .jsonl or feed (.xml, .rss, .atom) file".into(),
                    }],
                    Err(item) => vec![item],
                }))
            } else {
                Box::new(read_file(&path, max_bytes).into_iter())
            }
        })
}

/// Every file below `dir`, sorted, hidden ones left out.
fn walk(dir: &Path) -> Vec<Result<PathBuf, Item>> {
    let mut out = Vec::new();
    let mut entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect::<Vec<_>>(),
        Err(e) => {
            return vec![Err(Item::failed(
                Origin::File(dir.to_path_buf()),
                format!("cannot read directory: {e}"),
            ))]
        }
    };
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(Ok(path));
        }
    }
    out
}

/// Reads one file according to its extension.
pub fn read_file(path: &Path, max_bytes: usize) -> Vec<Item> {
    let origin = Origin::File(path.to_path_buf());
    let Some(format) = format_of(path) else {
        return vec![Item::failed(
            origin,
            "unknown file type: expected .txt, .json, .jsonl or .ndjson",
        )];
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return vec![Item::failed(origin, format!("cannot read: {e}"))],
    };
    parse(&bytes, format, origin, max_bytes)
}

fn read_stdin(max_bytes: usize) -> Vec<Item> {
    let origin = Origin::Named("stdin".into());
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
        return vec![Item::failed(origin, format!("cannot read: {e}"))];
    }
    let starts_with_brace = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let format = if starts_with_brace {
        Format::JsonLines
    } else {
        Format::Text
    };
    parse(&bytes, format, origin, max_bytes)
}

/// Articles in a request body: a JSON object, a JSON array of objects, or
/// JSON lines (`ndjson` says so, or a body of several lines).
pub fn parse_body(bytes: &[u8], ndjson: bool, max_bytes: usize) -> Vec<Item> {
    let origin = Origin::Named("body".into());
    let text = String::from_utf8_lossy(bytes);
    let trimmed = text.trim();
    if !ndjson && trimmed.starts_with('[') {
        return match serde_json::from_str::<Vec<serde_json::Value>>(trimmed) {
            Ok(values) => values
                .iter()
                .enumerate()
                .map(|(i, value)| {
                    let origin = Origin::Named(format!("body[{i}]"));
                    parse_json(value.to_string().as_bytes(), origin, max_bytes)
                })
                .collect(),
            Err(e) => vec![Item::failed(origin, format!("not a JSON array: {e}"))],
        };
    }
    let lines = trimmed.lines().filter(|l| !l.trim().is_empty()).count();
    let format = if ndjson
        || lines > 1
            && trimmed.starts_with('{')
            && trimmed.lines().all(|l| {
                let l = l.trim();
                l.is_empty() || (l.starts_with('{') && l.ends_with('}'))
            }) {
        Format::JsonLines
    } else {
        Format::Json
    };
    parse(bytes, format, origin, max_bytes)
}

fn parse(bytes: &[u8], format: Format, origin: Origin, max_bytes: usize) -> Vec<Item> {
    match format {
        Format::Text => vec![parse_text(bytes, origin, max_bytes)],
        Format::Json => vec![parse_json(bytes, origin, max_bytes)],
        Format::Feed => crate::feed::parse_feed(bytes, origin, max_bytes),
        Format::JsonLines => bytes
            .split(|&b| b == b'\n')
            .enumerate()
            .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
            .map(|(i, line)| {
                let origin = match &origin {
                    Origin::File(path) => Origin::Line(path.clone(), i + 1),
                    Origin::Named(name) => Origin::Named(format!("{name}:{}", i + 1)),
                    Origin::Line(path, _) => Origin::Line(path.clone(), i + 1),
                };
                parse_json(line, origin, max_bytes)
            })
            .collect(),
    }
}

fn parse_text(bytes: &[u8], origin: Origin, max_bytes: usize) -> Item {
    if bytes.len() > max_bytes {
        return Item::failed(
            origin,
            format!(
                "{} bytes is more than the limit of {max_bytes}",
                bytes.len()
            ),
        );
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return Item::failed(origin, format!("not valid UTF-8: {e}")),
    };
    match RawArticle::from_text(text) {
        Some(article) => Item::Article {
            origin,
            article: Box::new(article),
        },
        None => Item::failed(origin, "empty: a .txt article needs a title line"),
    }
}

fn parse_json(bytes: &[u8], origin: Origin, max_bytes: usize) -> Item {
    match decode_raw(bytes, max_bytes) {
        Ok(article) => Item::Article {
            origin,
            article: Box::new(article),
        },
        Err(e) => Item::failed(origin, e.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summarise(items: Vec<Item>) -> Vec<String> {
        items
            .into_iter()
            .map(|item| match item {
                Item::Article { origin, article } => format!("ok {origin} {}", article.title),
                Item::Skipped { origin, .. } => format!("skip {origin}"),
                Item::Failed { origin, reason } => format!("fail {origin} {reason}"),
            })
            .collect()
    }

    #[test]
    fn reads_a_directory_tree_reporting_bad_files_and_skipping_others() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(
            root.join("a.txt"),
            "\n\n  Title A \nBody line 1\nBody line 2\n",
        )
        .unwrap();
        std::fs::write(root.join("b.json"), r#"{"title":"B","body":"b"}"#).unwrap();
        std::fs::write(
            root.join("sub/c.jsonl"),
            "{\"title\":\"C1\",\"body\":\"x\"}\n\n{bad\n{\"title\":\"C3\",\"body\":\"z\"}\n",
        )
        .unwrap();
        std::fs::write(root.join("sub/d.csv"), "x").unwrap();
        std::fs::write(root.join("sub/e.txt"), b"\xff\xfe").unwrap();
        std::fs::write(root.join(".hidden.txt"), "H\nh").unwrap();
        let got = summarise(read_inputs(vec![root.to_path_buf()], 1 << 20).collect());
        let r = root.display();
        assert_eq!(got.len(), 7, "{got:?}");
        assert_eq!(got[0], format!("ok {r}/a.txt Title A"));
        assert_eq!(got[1], format!("ok {r}/b.json B"));
        assert_eq!(got[2], format!("ok {r}/sub/c.jsonl:1 C1"));
        assert!(
            got[3].starts_with(&format!("fail {r}/sub/c.jsonl:3 record is not valid JSON")),
            "{}",
            got[3]
        );
        assert_eq!(got[4], format!("ok {r}/sub/c.jsonl:4 C3"));
        assert_eq!(got[5], format!("skip {r}/sub/d.csv"));
        assert!(got[6].starts_with(&format!("fail {r}/sub/e.txt not valid UTF-8")));
    }

    #[test]
    fn request_bodies_hold_an_object_an_array_or_json_lines() {
        let one = br#"{"title": "T", "body": "B"}"#;
        assert_eq!(summarise(parse_body(one, false, 1 << 20)), ["ok body T"]);
        let pretty = b"{\n  \"title\": \"T\",\n  \"body\": \"B\"\n}";
        assert_eq!(summarise(parse_body(pretty, false, 1 << 20)), ["ok body T"]);
        let array = br#"[{"title": "A", "body": "x"}, {"title": "B", "body": "y"}]"#;
        assert_eq!(
            summarise(parse_body(array, false, 1 << 20)),
            ["ok body[0] A", "ok body[1] B"]
        );
        let lines = b"{\"title\": \"A\", \"body\": \"x\"}\n{\"title\": \"B\"}\n";
        let got = summarise(parse_body(lines, true, 1 << 20));
        assert_eq!(got[0], "ok body:1 A");
        assert!(got[1].starts_with("fail body:2"), "{got:?}");
        assert!(summarise(parse_body(b"[1, 2", false, 1 << 20))[0].starts_with("fail body"));
    }

    #[test]
    fn text_article_splits_title_and_body() {
        let Item::Article { article, .. } = parse_text(
            b"Headline\n\nFirst para.\n\nSecond.",
            Origin::Named("t".into()),
            100,
        ) else {
            panic!("expected an article")
        };
        assert_eq!(article.title, "Headline");
        assert_eq!(article.body, "First para.\n\nSecond.");
    }

    #[test]
    fn same_text_gets_same_id_twice() {
        let a = parse_text(b"T\nbody", Origin::Named("1".into()), 100);
        let b = parse_text(b"T\nbody", Origin::Named("2".into()), 100);
        match (a, b) {
            (Item::Article { article: a, .. }, Item::Article { article: b, .. }) => {
                assert_eq!(a.id, b.id)
            }
            _ => panic!("expected articles"),
        }
    }

    #[test]
    fn empty_and_oversized_text_fail_with_reason() {
        assert!(
            matches!(parse_text(b"  \n\n", Origin::Named("e".into()), 100), Item::Failed { reason, .. } if reason.contains("empty"))
        );
        assert!(
            matches!(parse_text(&[b'a'; 101], Origin::Named("e".into()), 100), Item::Failed { reason, .. } if reason.contains("limit"))
        );
    }
}
