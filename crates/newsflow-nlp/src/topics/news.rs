//! Unlabelled news for the topic trainer: GMB's newswire sentences
//! (`../shared/data/gmb/ner_dataset.utf8.csv`) in windows of a few
//! sentences, which the lexicon labels in `train.rs`.
//!
//! GMB gives no story boundaries, and its stories are short (three to six
//! sentences), so a window of three mostly stays inside one story. One that
//! spans two is labelled by the story with the more lexicon terms, if any:
//! these are weak labels.

/// Consecutive sentences per window.
pub const SENTENCES_PER_WINDOW: usize = 3;

/// The text of GMB's `ner_dataset` CSV (`Sentence #,Word,POS,Tag`, a
/// `Sentence: N` first field opening each sentence) as windows of
/// `sentences` sentences, tokens joined by spaces.
pub fn gmb_windows(csv: &str, sentences: usize) -> Vec<String> {
    let sentences = sentences.max(1);
    let mut windows = Vec::new();
    let mut window = String::new();
    let mut in_window = 0;
    for line in csv.lines().skip(1) {
        let (first, rest) = line.split_once(',').unwrap_or(("", line));
        if first.starts_with("Sentence:") {
            if in_window == sentences {
                windows.push(std::mem::take(&mut window));
                in_window = 0;
            }
            in_window += 1;
        }
        if let Some(word) = word_of(rest) {
            if !window.is_empty() {
                window.push(' ');
            }
            window.push_str(&word);
        }
    }
    if !window.is_empty() {
        windows.push(window);
    }
    windows
}

/// The word of a row's `Word,POS,Tag` fields; a quoted word ("1,000",
/// a doubled quote mark) is unquoted.
fn word_of(fields: &str) -> Option<String> {
    match fields.strip_prefix('"') {
        Some(quoted) => {
            let end = quoted.find("\",")?;
            Some(quoted[..end].replace("\"\"", "\""))
        }
        None => fields.split(',').next().map(str::to_string),
    }
    .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "Sentence #,Word,POS,Tag\n\
        Sentence: 1,Troops,NNS,O\n,clashed,VBD,O\n,.,.,O\n\
        Sentence: 2,About,RB,O\n,\"1,000\",CD,O\n,fled,VBD,O\n\
        Sentence: 3,He,PRP,O\n,said,VBD,O\n,\"\"\"\",``,O\n\
        Sentence: 4,Rain,NN,O\n,fell,VBD,O\n";

    #[test]
    fn sentences_are_grouped_into_windows() {
        assert_eq!(
            gmb_windows(CSV, 2),
            vec!["Troops clashed . About 1,000 fled", "He said \" Rain fell"]
        );
        assert_eq!(gmb_windows(CSV, 3).len(), 2);
        assert_eq!(gmb_windows(CSV, 3)[1], "Rain fell");
        assert_eq!(gmb_windows(CSV, 0), gmb_windows(CSV, 1));
        assert_eq!(gmb_windows(CSV, 1)[0], "Troops clashed .");
    }

    #[test]
    fn an_empty_file_gives_no_window() {
        assert!(gmb_windows("Sentence #,Word,POS,Tag\n", 3).is_empty());
        assert!(gmb_windows("", 3).is_empty());
    }
}
