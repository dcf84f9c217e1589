//! Every relative link in the README and the guides resolves: the file is
//! there, and a `#section` names a heading of it (GitHub's anchors).

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The targets of the Markdown links `[text](target)` in `text`, outside
/// code blocks.
fn links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            found.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    found
}

/// GitHub's anchor of a heading: lower case, punctuation dropped, spaces
/// as hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| anchor(l.trim_start_matches('#')))
        .collect()
}

fn broken_links(doc: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(doc).expect("reading a guide");
    let dir = doc.parent().expect("a folder");
    let mut broken = Vec::new();
    for link in links(&text) {
        if link.starts_with("http://") || link.starts_with("https://") {
            continue;
        }
        let (path, section) = match link.split_once('#') {
            Some((path, section)) => (path, Some(section)),
            None => (link.as_str(), None),
        };
        let target = if path.is_empty() {
            doc.to_path_buf()
        } else {
            dir.join(path)
        };
        if !target.exists() {
            broken.push(format!("{}: {link} (no such file)", doc.display()));
            continue;
        }
        if let Some(section) = section {
            let target_text = std::fs::read_to_string(&target).unwrap_or_default();
            if !anchors(&target_text).iter().any(|a| a == section) {
                broken.push(format!("{}: {link} (no such section)", doc.display()));
            }
        }
    }
    broken
}

fn guides() -> Vec<PathBuf> {
    let mut guides: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .expect("docs/")
        .map(|entry| entry.expect("a docs entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    guides.sort();
    guides
}

#[test]
fn every_link_in_the_readme_and_the_guides_resolves() {
    let mut docs = vec![repo().join("README.md")];
    docs.extend(guides());
    let broken: Vec<String> = docs.iter().flat_map(|d| broken_links(d)).collect();
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_readme_is_short_and_links_every_guide() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let lines = readme.lines().count();
    assert!(
        lines <= 150,
        "the README has {lines} lines; guides go in docs/"
    );
    let linked = links(&readme);
    for guide in guides() {
        let name = format!(
            "docs/{}",
            guide.file_name().unwrap_or_default().to_string_lossy()
        );
        assert!(
            linked
                .iter()
                .any(|l| l.split('#').next() == Some(name.as_str())),
            "the README does not link {name}"
        );
    }
}

#[test]
fn links_and_anchors_are_read_as_github_does() {
    assert_eq!(
        links("see [a](docs/a.md#dead-letters) and [b](b.md)"),
        ["docs/a.md#dead-letters", "b.md"]
    );
    assert!(links("```\n[a](nowhere.md)\n```\n").is_empty());
    assert_eq!(anchor(" Dead letters"), "dead-letters");
    assert_eq!(
        anchor("Use it with your own Kafka"),
        "use-it-with-your-own-kafka"
    );
    assert_eq!(anchor("What `/readyz` says"), "what-readyz-says");
}
