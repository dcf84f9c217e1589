//! The analysed document every step of the annotator reads.
//!
//! Title and body become one text, `title\nbody`, tokenised and split into
//! sentences once: the tagger reads the whole article (the title benefits
//! from the body's context), and spans are mapped back to their field
//! afterwards with [`Document::locate`].

use std::ops::Range;

use newsflow_core::{Mention, MentionField, TextStats};

use crate::ner::sentences_by_line;
use crate::sentences::split_sentences;
use crate::tokenizer::{tokenize, Token};

/// How much of the body language detection reads: enough for a reliable
/// guess, and it bounds the cost on very long articles.
const LANGUAGE_SAMPLE_BYTES: usize = 400;

/// One article, tokenised and split into sentences.
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
    tokens: Vec<Token>,
    /// Sentences with every line break ending one.
    sentences: Vec<Range<usize>>,
    /// The same, a dateline's end ending one too (the tagger's view).
    tagger_sentences: Vec<Range<usize>>,
    /// The body's sentences, as index ranges into `tokens[title_tokens..]`.
    body_sentences: Vec<Range<usize>>,
    /// Bytes of the title in `text`.
    title_bytes: usize,
    title_chars: usize,
    /// `tokens[..title_tokens]` are the title's.
    title_tokens: usize,
    /// End of the lead (the body's first two sentences), in body code points.
    lead_end: usize,
    /// Credits ("(AA Photo)", a dateline's "(Reuters)"), as token ranges.
    credits: Vec<Range<usize>>,
    /// Datelines' places ("Berlin, March 12 (Reuters) -"), as token ranges.
    dateline_places: Vec<Range<usize>>,
    /// Datelines without an agency ("WELLINGTON -"), before their dash.
    bare_datelines: Vec<Range<usize>>,
}

impl Document {
    /// Tokenises and splits `title` and `body` once, for every step to read.
    pub fn new(title: &str, body: &str) -> Self {
        let text = format!("{title}\n{body}");
        let tokens = tokenize(&text);
        let title_chars = title.chars().count();
        let title_tokens = tokens.iter().take_while(|t| t.end <= title_chars).count();
        let found = crate::credits::find(&text, &tokens);
        let sentences = sentences_by_line(&text, &tokens);
        // A dateline is a line of its own to the tagger, as in CoNLL-2003
        // ("MADRID 1996-05-08"): the story's first word then starts its
        // sentence, not a run after "(Reuters) -". (Key phrases read the
        // lines as written: on the project's key-phrase sets the split
        // gained as many matches as it lost.)
        let mut tagger_sentences = sentences.clone();
        for &at in &found.story_starts {
            if let Some(k) = tagger_sentences
                .iter()
                .position(|r| r.start < at && at < r.end)
            {
                let end = tagger_sentences[k].end;
                tagger_sentences[k].end = at;
                tagger_sentences.insert(k + 1, at..end);
            }
        }
        let body_tokens = &tokens[title_tokens..];
        let body_sentences = split_sentences(&text, body_tokens);
        let lead_end = body_sentences
            .get(1)
            .or(body_sentences.first())
            .map_or(0, |r| body_tokens[r.end - 1].end - title_chars - 1);
        Document {
            credits: found.credits,
            dateline_places: found.places,
            bare_datelines: found.bare_datelines,
            text,
            tokens,
            sentences,
            tagger_sentences,
            body_sentences,
            title_bytes: title.len(),
            title_chars,
            title_tokens,
            lead_end,
        }
    }

    /// `title\nbody`: what token offsets (code points) point into.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The title, as given.
    pub fn title(&self) -> &str {
        &self.text[..self.title_bytes]
    }

    /// The body, as given.
    pub fn body(&self) -> &str {
        &self.text[self.title_bytes + 1..]
    }

    /// Every token of title and body.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The title's tokens.
    pub fn title_tokens(&self) -> &[Token] {
        &self.tokens[..self.title_tokens]
    }

    /// The body's tokens.
    pub fn body_tokens(&self) -> &[Token] {
        &self.tokens[self.title_tokens..]
    }

    /// Sentences over [`Document::tokens`] (index ranges), a line break
    /// ending one.
    pub fn sentences(&self) -> &[Range<usize>] {
        &self.sentences
    }

    /// The sentences the entity tagger reads: [`Document::sentences`], with
    /// a dateline ("Madrid, May 8 (Reuters) -") a sentence of its own.
    pub fn tagger_sentences(&self) -> &[Range<usize>] {
        &self.tagger_sentences
    }

    /// The body's sentences, as index ranges into
    /// [`Document::body_tokens`].
    pub fn body_sentences(&self) -> &[Range<usize>] {
        &self.body_sentences
    }

    /// The body's first sentence as written ("" for an empty body).
    pub fn first_body_sentence(&self) -> &str {
        let tokens = self.body_tokens();
        let sentence = self.body_sentences().first().and_then(|s| {
            let (first, last) = (tokens.get(s.start)?, tokens.get(s.end.checked_sub(1)?)?);
            self.text.get(first.byte_start..last.byte_end)
        });
        sentence.unwrap_or_default()
    }

    /// Credits: photo credits such as "(AA Photo)" and a dateline's agency,
    /// "(Reuters) -", as ranges of [`Document::tokens`]. No entity or key
    /// phrase comes from them.
    pub fn credits(&self) -> &[Range<usize>] {
        &self.credits
    }

    /// The places of datelines ("Pasadena, California" before "July 25
    /// (Reuters) -"), as ranges of [`Document::tokens`].
    pub fn dateline_places(&self) -> &[Range<usize>] {
        &self.dateline_places
    }

    /// The words before the dash of datelines without an agency
    /// ("WELLINGTON - …"), as ranges of [`Document::tokens`]: a city or a
    /// desk's label ("SUMMARY - …"), which the tagger judges.
    pub fn bare_datelines(&self) -> &[Range<usize>] {
        &self.bare_datelines
    }

    /// Whether the code point at `at` of [`Document::text`] is in a credit.
    pub fn in_credit(&self, at: usize) -> bool {
        self.credits.iter().any(|r| {
            let (first, last) = (&self.tokens[r.start], &self.tokens[r.end - 1]);
            first.start <= at && at < last.end
        })
    }

    /// Code points of the title.
    pub fn title_chars(&self) -> usize {
        self.title_chars
    }

    /// End of the lead (the body's first two sentences), in body code
    /// points.
    pub fn lead_end(&self) -> usize {
        self.lead_end
    }

    /// The field a span of [`Document::text`] lies in, and its start there;
    /// `None` for a span across the line break between them.
    pub fn locate(&self, start: usize, end: usize) -> Option<(MentionField, usize)> {
        if end <= self.title_chars {
            Some((MentionField::Title, start))
        } else if start > self.title_chars {
            Some((MentionField::Body, start - self.title_chars - 1))
        } else {
            None
        }
    }

    /// The tokens a mention covers, as a range of [`Document::tokens`];
    /// `None` unless it starts and ends on token boundaries, or ends just
    /// before the full stop its last word carries ("said M&S." names
    /// "M&S", `ner::tidy`).
    pub fn token_range(&self, mention: &Mention) -> Option<Range<usize>> {
        let offset = match mention.field {
            MentionField::Title => 0,
            MentionField::Body => self.title_chars + 1,
        };
        let (start, end) = (mention.start + offset, mention.end + offset);
        let first = self.tokens.partition_point(|t| t.start < start);
        let mut last = self.tokens.partition_point(|t| t.end <= end);
        let stop_left_out = self.tokens.get(last).is_some_and(|t| {
            t.start < end && t.end == end + 1 && t.text(&self.text).ends_with('.')
        });
        last += usize::from(stop_left_out);
        let aligned = self.tokens.get(first).is_some_and(|t| t.start == start)
            && last > first
            && (self.tokens[last - 1].end == end || stop_left_out);
        aligned.then_some(first..last)
    }

    /// The title and the start of the body, for language detection.
    pub fn language_sample(&self) -> &str {
        let mut end = self
            .text
            .len()
            .min(self.title_bytes + 1 + LANGUAGE_SAMPLE_BYTES);
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        &self.text[..end]
    }

    /// Tokens, sentences and code points of title and body.
    pub fn stats(&self) -> TextStats {
        TextStats {
            title_tokens: self.title_tokens,
            body_tokens: self.tokens.len() - self.title_tokens,
            sentences: self.body_sentences.len() + usize::from(self.title_tokens > 0),
            characters: self.title_chars + self.body().chars().count(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sentence_ends_at_its_mark() {
        let first = |body: &str| {
            Document::new("A title", body)
                .first_body_sentence()
                .to_string()
        };
        assert_eq!(
            first("Shares rose 3.5% on Monday. Analysts were surprised."),
            "Shares rose 3.5% on Monday."
        );
        assert_eq!(first("Is it over? Yes."), "Is it over?");
        assert_eq!(first("No mark at all"), "No mark at all");
        assert_eq!(first(""), "");
    }

    #[test]
    fn fields_and_spans_map_back() {
        let doc = Document::new("Talks in Paris", "Leaders met. They agreed.");
        assert_eq!(doc.title(), "Talks in Paris");
        assert_eq!(doc.body(), "Leaders met. They agreed.");
        assert_eq!(doc.title_tokens().len(), 3);
        assert_eq!(doc.locate(9, 14), Some((MentionField::Title, 9)));
        assert_eq!(doc.locate(15, 22), Some((MentionField::Body, 0)));
        assert_eq!(doc.locate(12, 17), None);
        assert_eq!(doc.body_sentences().len(), 2);
        assert_eq!(doc.lead_end(), "Leaders met. They agreed.".len());
        let stats = doc.stats();
        assert_eq!((stats.title_tokens, stats.sentences), (3, 3));
        assert_eq!(stats.characters, 14 + 25);
    }

    #[test]
    fn a_dateline_is_a_sentence_of_its_own_to_the_tagger() {
        let doc = Document::new(
            "Late goal",
            "Madrid, May 8 (Reuters) - Joselu scored twice. Real won.",
        );
        let words = |sentences: &[Range<usize>]| -> Vec<String> {
            sentences
                .iter()
                .map(|r| {
                    let tokens = &doc.tokens()[r.clone()];
                    let start = tokens[0].byte_start;
                    doc.text()[start..tokens[tokens.len() - 1].byte_end].to_string()
                })
                .collect()
        };
        assert_eq!(
            words(doc.tagger_sentences()),
            [
                "Late goal",
                "Madrid, May 8 (Reuters) -",
                "Joselu scored twice.",
                "Real won."
            ]
        );
        assert_eq!(doc.sentences().len(), 3, "key phrases read it as written");
        let place = &doc.tokens()[doc.dateline_places()[0].clone()];
        assert_eq!(place.len(), 1);
        assert_eq!(place[0].text(doc.text()), "Madrid");
    }

    #[test]
    fn mentions_map_to_their_tokens() {
        let doc = Document::new("Talks in Paris", "Émile Zola met. They agreed.");
        let mention = |field, start, end| Mention { field, start, end };
        let range = doc
            .token_range(&mention(MentionField::Title, 9, 14))
            .unwrap();
        assert_eq!(range, 2..3);
        let range = doc
            .token_range(&mention(MentionField::Body, 0, 10))
            .unwrap();
        assert_eq!(doc.tokens()[range.clone()].len(), 2);
        assert_eq!(doc.tokens()[range.start].text(doc.text()), "Émile");
        // not on token boundaries
        assert_eq!(doc.token_range(&mention(MentionField::Body, 1, 10)), None);
        assert_eq!(doc.token_range(&mention(MentionField::Body, 0, 8)), None);
        assert_eq!(doc.token_range(&mention(MentionField::Body, 90, 99)), None);
    }

    #[test]
    fn a_mention_without_the_full_stop_of_its_last_word_covers_that_word() {
        let doc = Document::new("Results", "Sales rose, said M&S.\nIt grew.");
        let mention = |start, end| Mention {
            field: MentionField::Body,
            start,
            end,
        };
        // "M&S" of the tokens "M", "&", "S."
        let range = doc.token_range(&mention(17, 20)).unwrap();
        let words: Vec<&str> = doc.tokens()[range]
            .iter()
            .map(|t| t.text(doc.text()))
            .collect();
        assert_eq!(words, ["M", "&", "S."]);
        // a word cut elsewhere is still no mention of it ("gre" of "grew")
        assert_eq!(doc.token_range(&mention(25, 28)), None);
    }

    #[test]
    fn the_language_sample_stops_on_a_character_boundary() {
        let body = "é".repeat(1000);
        let doc = Document::new("Titre", &body);
        let sample = doc.language_sample();
        assert!(sample.starts_with("Titre\né"));
        assert!(sample.len() <= 6 + LANGUAGE_SAMPLE_BYTES);
        assert_eq!(Document::new("T", "short").language_sample(), "T\nshort");
    }
}
