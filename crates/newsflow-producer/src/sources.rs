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
//! here, with the file (and line) it came from. HTML character references
//! left in the title or body ("Beyonc&#233;", "&pound;5m") are decoded, as a
//! feed's text is: scraped text often carries them, and the models read
//! words, not escapes. A derived id is the one of the text as it came.
//!
//! JSON lines are read a line at a time, from files and stdin alike, and a
//! line over the size limit is passed over without being held: a file of
//! any size costs the memory of one article.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use newsflow_core::{decode_raw, decode_references, RawArticle};

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

/// Items of one input, read as they are asked for.
pub type Items = Box<dyn Iterator<Item = Item> + Send>;

/// Reads every input in order, one item at a time: JSON lines stream, and
/// a `.txt`, `.json` or feed file is held only while its items are read.
pub fn read_inputs(paths: Vec<PathBuf>, max_bytes: usize) -> impl Iterator<Item = Item> + Send {
    paths.into_iter().flat_map(move |path| -> Items {
        let text = path.to_string_lossy();
        if path.as_os_str() == "-" {
            read_stdin(max_bytes)
        } else if text.starts_with("http://") || text.starts_with("https://") {
            Box::new(crate::feed::fetch(&text, max_bytes).into_iter())
        } else if path.is_dir() {
            let files = walk(&path);
            Box::new(files.into_iter().flat_map(move |file| -> Items {
                match file {
                    Ok(file) if format_of(&file).is_some() => read_file(&file, max_bytes),
                    Ok(file) => Box::new(std::iter::once(Item::Skipped {
                        origin: Origin::File(file),
                        reason: "not a .txt, .json, .jsonl or feed (.xml, .rss, .atom) file".into(),
                    })),
                    Err(item) => Box::new(std::iter::once(item)),
                }
            }))
        } else {
            read_file(&path, max_bytes)
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
pub fn read_file(path: &Path, max_bytes: usize) -> Items {
    let origin = Origin::File(path.to_path_buf());
    let fail = |origin, reason: String| -> Items {
        Box::new(std::iter::once(Item::failed(origin, reason)))
    };
    let Some(format) = format_of(path) else {
        return fail(
            origin,
            "unknown file type: expected .txt, .json, .jsonl or .ndjson".into(),
        );
    };
    if format == Format::JsonLines {
        return match File::open(path) {
            Ok(file) => Box::new(JsonLines::new(BufReader::new(file), origin, max_bytes)),
            Err(e) => fail(origin, format!("cannot read: {e}")),
        };
    }
    match std::fs::read(path) {
        Ok(bytes) => Box::new(parse(&bytes, format, origin, max_bytes).into_iter()),
        Err(e) => fail(origin, format!("cannot read: {e}")),
    }
}

/// JSON lines if stdin starts with `{`, else one text article.
fn read_stdin(max_bytes: usize) -> Items {
    let origin = Origin::Named("stdin".into());
    let mut stdin = BufReader::new(std::io::stdin());
    // Look past leading whitespace without losing what is read.
    let starts_with_brace = loop {
        let buffer = match stdin.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) => {
                return Box::new(std::iter::once(Item::failed(
                    origin,
                    format!("cannot read: {e}"),
                )))
            }
        };
        if buffer.is_empty() {
            break false;
        }
        match buffer.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => {
                let brace = buffer[at] == b'{';
                stdin.consume(at);
                break brace;
            }
            None => {
                let all = buffer.len();
                stdin.consume(all);
            }
        }
    };
    if starts_with_brace {
        return Box::new(JsonLines::new(stdin, origin, max_bytes));
    }
    let mut bytes = Vec::new();
    if let Err(e) = stdin.read_to_end(&mut bytes) {
        return Box::new(std::iter::once(Item::failed(
            origin,
            format!("cannot read: {e}"),
        )));
    }
    Box::new(parse(&bytes, Format::Text, origin, max_bytes).into_iter())
}

/// One article per line, read as asked for. A line longer than the limit
/// fails without being kept in memory; an error reading ends the input.
struct JsonLines<R> {
    reader: R,
    origin: Origin,
    max_bytes: usize,
    line: usize,
    ended: bool,
}

impl<R: BufRead> JsonLines<R> {
    fn new(reader: R, origin: Origin, max_bytes: usize) -> Self {
        JsonLines {
            reader,
            origin,
            max_bytes,
            line: 0,
            ended: false,
        }
    }

    /// Passes over the rest of a line; returns its length, without the
    /// newline.
    fn skip_line(&mut self) -> std::io::Result<usize> {
        let mut skipped = 0;
        loop {
            let buffer = self.reader.fill_buf()?;
            if buffer.is_empty() {
                return Ok(skipped);
            }
            match buffer.iter().position(|&b| b == b'\n') {
                Some(at) => {
                    self.reader.consume(at + 1);
                    return Ok(skipped + at);
                }
                None => {
                    let all = buffer.len();
                    self.reader.consume(all);
                    skipped += all;
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.ended {
            self.line += 1;
            let origin = line_origin(&self.origin, self.line);
            // One byte over the limit is enough to know the line is too
            // long; the limit counts the line without its newline.
            let limit = self.max_bytes as u64 + 2;
            let mut line = Vec::new();
            let read = (&mut self.reader).take(limit).read_until(b'\n', &mut line);
            match read {
                Ok(0) => self.ended = true,
                Err(e) => {
                    self.ended = true;
                    return Some(Item::failed(origin, format!("cannot read: {e}")));
                }
                Ok(_) => {
                    if line.last() == Some(&b'\n') {
                        line.pop();
                    } else if line.len() > self.max_bytes {
                        let rest = match self.skip_line() {
                            Ok(rest) => rest,
                            Err(e) => {
                                self.ended = true;
                                return Some(Item::failed(origin, format!("cannot read: {e}")));
                            }
                        };
                        let size = line.len() + rest;
                        return Some(Item::failed(
                            origin,
                            format!(
                                "record is {size} bytes, more than the limit of {} bytes",
                                self.max_bytes
                            ),
                        ));
                    }
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(parse_json(&line, origin, self.max_bytes));
                }
            }
        }
        None
    }
}

/// The origin of line `line` of an input.
fn line_origin(origin: &Origin, line: usize) -> Origin {
    match origin {
        Origin::File(path) | Origin::Line(path, _) => Origin::Line(path.clone(), line),
        Origin::Named(name) => Origin::Named(format!("{name}:{line}")),
    }
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
            .map(|(i, line)| parse_json(line, line_origin(&origin, i + 1), max_bytes))
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
        Some(article) => read(origin, article),
        None => Item::failed(origin, "empty: a .txt article needs a title line"),
    }
}

fn parse_json(bytes: &[u8], origin: Origin, max_bytes: usize) -> Item {
    match decode_raw(bytes, max_bytes) {
        Ok(article) => read(origin, article),
        Err(e) => Item::failed(origin, e.message),
    }
}

/// An article read, its text's character references decoded.
fn read(origin: Origin, mut article: RawArticle) -> Item {
    article.title = decode_references(std::mem::take(&mut article.title));
    article.body = decode_references(std::mem::take(&mut article.body));
    Item::Article {
        origin,
        article: Box::new(article),
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
    fn character_references_are_decoded_and_the_id_is_of_the_text_as_it_came() {
        let json = br#"{"title": "Beyonc&#233; wins &pound;2m", "body": "AT&T &amp; P&O"}"#;
        let Item::Article { article, .. } = parse_json(json, Origin::Named("j".into()), 1 << 20)
        else {
            panic!("expected an article")
        };
        assert_eq!(article.title, "Beyoncé wins £2m");
        assert_eq!(article.body, "AT&T & P&O");
        assert_eq!(
            article.id,
            newsflow_core::derive_id(None, "Beyonc&#233; wins &pound;2m", "AT&T &amp; P&O")
        );
        let Item::Article { article, .. } = parse_text(
            b"Caf&eacute; opens\nIn Paris.",
            Origin::Named("t".into()),
            100,
        ) else {
            panic!("expected an article")
        };
        assert_eq!(article.title, "Café opens");
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

    #[test]
    fn json_lines_stream_and_pass_over_a_line_too_long_without_holding_it() {
        let article = |title: &str| format!("{{\"title\":\"{title}\",\"body\":\"b\"}}");
        let long = format!("{{\"title\":\"L\",\"body\":\"{}\"}}", "x".repeat(500));
        let input = format!(
            "{}\n\n{long}\n{}\n{}",
            article("A"),
            article("B"),
            article("C")
        );
        // A reader with a tiny buffer: the long line crosses many fills.
        let reader = BufReader::with_capacity(7, input.as_bytes());
        let got = summarise(JsonLines::new(reader, Origin::Named("in".into()), 100).collect());
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0], "ok in:1 A");
        assert_eq!(
            got[1],
            format!(
                "fail in:3 record is {} bytes, more than the limit of 100 bytes",
                long.len()
            )
        );
        assert_eq!(got[2], "ok in:4 B");
        // The last line has no newline.
        assert_eq!(got[3], "ok in:5 C");
    }

    #[test]
    fn a_line_at_the_limit_is_read_and_one_byte_more_is_not() {
        let line = |size: usize| {
            let head = "{\"title\":\"T\",\"body\":\"";
            let pad = size - head.len() - 2;
            format!("{head}{}\"}}", "x".repeat(pad))
        };
        let input = format!("{}\n{}\n", line(100), line(101));
        let got =
            summarise(JsonLines::new(input.as_bytes(), Origin::Named("in".into()), 100).collect());
        assert_eq!(got[0], "ok in:1 T");
        assert!(
            got[1].starts_with("fail in:2") && got[1].contains("101 bytes"),
            "{got:?}"
        );
    }
}
