//! Words written mostly in lower case inside sentences, in the news the
//! project has (`models/lower-case-words.txt`, see its card): a headline's
//! or a sentence's capitalised first word that the article uses nowhere
//! else is more likely an ordinary word than a name when the corpora
//! write it in lower case ("Handset makers…", "Mobile networks…").

use std::cmp::Ordering;

/// One lower-case word a line, sorted.
const LIST: &str = include_str!("../../../models/lower-case-words.txt");

/// Whether a lower-case word is listed.
pub fn is_mostly_lower_case(lower: &str) -> bool {
    is_in_sorted_lines(LIST, lower)
}

/// Whether `word` is a line of `lines` (sorted, `\n`-separated), searched
/// by halves in the text itself: a process asks a few times only, and
/// gathering the lines first would cost more than all its look-ups.
fn is_in_sorted_lines(lines: &str, word: &str) -> bool {
    let bytes = lines.as_bytes();
    // the lines not yet ruled out start at `low` and end by `high`
    let (mut low, mut high) = (0, bytes.len());
    while low < high {
        let middle = low + (high - low) / 2;
        let start = bytes[low..middle]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(low, |p| low + p + 1);
        let end = bytes[middle..high]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(high, |p| middle + p);
        match lines.get(start..end).map(|line| line.cmp(word)) {
            Some(Ordering::Equal) => return true,
            Some(Ordering::Less) => low = end + 1,
            Some(Ordering::Greater) => high = start,
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_list_reads_whole() {
        assert_eq!(LIST.lines().count(), 9_761);
        assert!(LIST.lines().zip(LIST.lines().skip(1)).all(|(a, b)| a < b));
        assert!(LIST.lines().all(|w| !w.is_empty() && w.to_lowercase() == w));
        for word in ["handset", "mobile", "born", "sadly"] {
            assert!(is_mostly_lower_case(word), "{word}");
        }
        // names, and words mostly capitalised inside sentences
        for word in ["microsoft", "internet", "labour", "Handset", ""] {
            assert!(!is_mostly_lower_case(word), "{word}");
        }
        // every listed word is found, and none between two of them
        for line in LIST.lines() {
            assert!(is_mostly_lower_case(line), "{line}");
            assert!(!is_mostly_lower_case(&format!("{line}~")), "{line}");
        }
    }

    #[test]
    fn a_search_by_halves_finds_first_last_and_only_lines() {
        for lines in ["ant\nbee\ncat\n", "ant\nbee\ncat"] {
            for word in ["ant", "bee", "cat"] {
                assert!(is_in_sorted_lines(lines, word), "{word} in {lines:?}");
            }
            for word in ["", "a", "an", "ants", "bat", "cats", "zebra", "bee\ncat"] {
                assert!(!is_in_sorted_lines(lines, word), "{word} in {lines:?}");
            }
        }
        assert!(is_in_sorted_lines("only", "only"));
        assert!(!is_in_sorted_lines("", "only"));
        assert!(!is_in_sorted_lines("", ""));
    }
}
