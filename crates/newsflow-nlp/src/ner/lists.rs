//! A known place in a list of places is a place: "cities including Rome,
//! Florence and Palermo" names three, though CoNLL-2003's sports pages made
//! the tagger read "Palermo" alone as a club.

use super::tags::TokenSpan;
use super::LOC;
use crate::gazetteer::LazyLabels;

/// Whether the words between two names join them in a list: a comma,
/// "and" or "or", or a comma and one of them.
pub(super) fn joins(between: &[&str]) -> bool {
    match between {
        [","] | ["and"] | ["or"] => true,
        [",", w] => *w == "and" || *w == "or",
        _ => false,
    }
}

/// Makes a place of a name in a list of three or more names (spans in
/// sentence order) most of which are places, when the gazetteer knows
/// the name as a place: "Palermo" among "Rome" and "Florence", not "Nato"
/// among "Britain" and "France". After "in", a list closed by "and" or
/// "or" that holds a place is one of places however long ("homes in
/// Appleby and Carlisle"): in CoNLL-2003's training and development sets,
/// the names after a first place there are places 31 times, people 10
/// (whom the gazetteer does not know as places), MISC names 3 times and
/// never an organisation. After "between" or "from" they are mostly places
/// too, but not in BBC's sport and business ("between Chelsea and West
/// Ham", "surveys from Nationwide and Halifax"). A comma alone does not
/// close such a list ("In Boston, Mike Stanley").
pub(super) fn places_in_lists_of_places(
    words: &[&str],
    labels: &LazyLabels,
    spans: &mut [TokenSpan],
) {
    let mut start = 0;
    while start < spans.len() {
        let mut end = start + 1;
        while end < spans.len() && joins(&words[spans[end - 1].end..spans[end].start]) {
            end += 1;
        }
        let list = start..end;
        start = end;
        let places = spans[list.clone()].iter().filter(|s| s.kind == LOC).count();
        if places == 0 || places == list.len() || list.len() < 2 {
            continue;
        }
        let after_in = spans[list.start]
            .start
            .checked_sub(1)
            .is_some_and(|w| words[w].eq_ignore_ascii_case("in"))
            && words[spans[end - 2].end..spans[end - 1].start]
                .last()
                .is_some_and(|w| *w == "and" || *w == "or");
        if !after_in && (list.len() < 3 || places * 2 <= list.len()) {
            continue;
        }
        let labels = labels.get();
        for s in &mut spans[list] {
            if s.kind != LOC && names_a_place(&labels[s.start..s.end]) {
                s.kind = LOC;
            }
        }
    }
}

/// Whether a span's gazetteer labels are one place's name, whole.
pub(super) fn names_a_place(labels: &[Option<&str>]) -> bool {
    names_one(labels, |kinds| kinds.split('+').any(|k| k == "LOC"))
}

/// Whether a span's gazetteer labels are one name, whole, whose kinds
/// ("LOC", "ORG+LOC") `of_kind` accepts.
pub(super) fn names_one(labels: &[Option<&str>], of_kind: impl Fn(&str) -> bool) -> bool {
    let part = |label: Option<&str>, part: &str| {
        label.is_some_and(|l| l.ends_with(part) && l.split('-').next().is_some_and(&of_kind))
    };
    match labels {
        [one] => part(*one, "-U"),
        [first, middle @ .., last] => {
            part(*first, "-B") && middle.iter().all(|l| part(*l, "-I")) && part(*last, "-L")
        }
        [] => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;
    use crate::ner::tests::span;
    use crate::ner::ORG;

    #[test]
    fn a_known_place_in_a_list_of_places_is_one() {
        let gazetteer = Gazetteer::from_tsv(["Palermo\tLOC\nSan Marino\tLOC\n"]);
        let listed = |text: &str, kinds: &[usize]| {
            let words: Vec<&str> = text.split(' ').collect();
            let mut spans = Vec::new();
            let mut at = 0;
            for (i, w) in words.iter().enumerate() {
                if w.starts_with(char::is_uppercase)
                    && !(i > 0 && words[i - 1].starts_with(char::is_uppercase))
                {
                    let len = words[i..]
                        .iter()
                        .take_while(|w| w.starts_with(char::is_uppercase))
                        .count();
                    spans.push(span(kinds[at], i, i + len));
                    at += 1;
                }
            }
            places_in_lists_of_places(&words, &LazyLabels::new(&gazetteer, &words), &mut spans);
            spans.iter().map(|s| s.kind).collect::<Vec<_>>()
        };
        assert_eq!(
            listed(
                "cities including Rome , Florence and Palermo",
                &[LOC, LOC, ORG]
            ),
            [LOC, LOC, LOC]
        );
        assert_eq!(
            listed("Rome , Florence and San Marino", &[LOC, LOC, ORG]),
            [LOC, LOC, LOC]
        );
        // a name the gazetteer does not know as a place, a list of two,
        // and a list of clubs stay as they are
        assert_eq!(
            listed("Britain , France and Nato", &[LOC, LOC, ORG]),
            [LOC, LOC, ORG]
        );
        assert_eq!(listed("Rome and Palermo", &[LOC, ORG]), [LOC, ORG]);
        // after "in", a list closed by "and" that holds a place is one of
        // places, however long; a comma alone does not close it
        assert_eq!(listed("homes in Rome and Palermo", &[LOC, ORG]), [LOC, LOC]);
        assert_eq!(
            listed("homes in Nato , Palermo and Rome", &[ORG, ORG, LOC]),
            [ORG, LOC, LOC]
        );
        assert_eq!(listed("In Rome , Palermo", &[LOC, ORG]), [LOC, ORG]);
        assert_eq!(
            listed("Lazio , Roma and Palermo", &[ORG, ORG, ORG]),
            [ORG, ORG, ORG]
        );
    }
}
