//! The last corrections to a document's spans, after their types are
//! harmonised: where the tagger ran a name across a possessive, a place
//! across a comma, a name into a contraction or a sentence's full stop,
//! or half into brackets or quotes, or took a word that names no one thing
//! for a name.

use std::collections::HashMap;
use std::ops::Range;

use super::lists::names_a_place;
use crate::conll::CharSpan;
use crate::dates::month;
use crate::gazetteer::Gazetteer;
use crate::lowercase::with_lower;
use crate::tokenizer::{is_contraction, is_name_ending, is_possessive, period_is_stop, Token};

/// A span's type and the tokens it covers (never none).
pub(crate) type TokenRun = (usize, Range<usize>);

/// The spans of a document with the corrections below, as code points.
pub(crate) fn tidy(
    text: &str,
    tokens: &[Token],
    spans: Vec<TokenRun>,
    gazetteer: &Gazetteer,
) -> Vec<CharSpan> {
    let spans = split_at_possessives(text, tokens, spans, gazetteer);
    let spans = split_at_commas(text, tokens, spans);
    let spans = split_at_common_words(text, tokens, spans, gazetteer);
    let spans = fit_to_acronyms(text, tokens, spans, gazetteer);
    spans
        .into_iter()
        .filter_map(|(kind, run)| Some((kind, balanced(text, tokens, run)?)))
        .filter_map(|(kind, mut run)| {
            // A sum or a time ("£3m", "7.5bn", "10.38am") opens no name,
            // nor do the small words after it: "save £3m" had the
            // organisation "3m" (the gazetteer's 3M), "£7.5bn of Treasury
            // money" the organisation "7.5bn of Treasury".
            if !run.is_empty() && is_figure_with_unit(tokens[run.start].text(text)) {
                run.start += 1;
                while !run.is_empty()
                    && tokens[run.start].text(text).starts_with(char::is_lowercase)
                {
                    run.start += 1;
                }
            }
            // A pronoun with its verb ("I'm", "I've" in a quote) or a
            // negated verb ("Don't") is no name, whatever the tagger made
            // of its capital; after a name ("Roddick didn't") the name
            // ends before it.
            let last = tokens[run.end - 1].text(text);
            if last.contains(['\'', '’']) && with_lower(last, is_contraction) {
                run.end -= 1;
            }
            // nor is an acronym's plural ("PCs", "DVDs", "MSPs"): it names
            // a kind of thing, and CoNLL leaves "MPs" outside any entity;
            // nor an acronym that names a kind of thing alone ("PC", "DVD");
            // nor a word of no letter or digit ("research & development")
            let alone = (run.len() == 1).then(|| tokens[run.start].text(text));
            let kind_or_symbol = |w: &str| {
                is_plural_acronym(w) || names_a_kind(w) || !w.contains(char::is_alphanumeric)
            };
            if run.is_empty() || alone.is_some_and(kind_or_symbol) {
                return None;
            }
            let end = &tokens[run.end - 1];
            Some(CharSpan {
                kind,
                start: tokens[run.start].start,
                end: end.end - usize::from(ends_sentence_with_stop(text, tokens, run.end - 1)),
            })
        })
        .collect()
}

/// Whether a word is a figure with a unit in lower case after it: "3m",
/// "7.5bn", "10.38am", "20p". Not "3M", a company, nor "4Children" or
/// "21st", where the letters make a name or an ordinal.
fn is_figure_with_unit(word: &str) -> bool {
    use crate::keywords::is_amount;
    // a time is a figure before "am" or "pm"; as written, so that "3M"
    // is no amount
    let time = word.strip_suffix("am").or_else(|| word.strip_suffix("pm"));
    word.ends_with(|c: char| c.is_ascii_lowercase())
        && (is_amount(word) || time.is_some_and(is_amount))
}

/// Whether the name's last word, `tokens[last]`, carries the stop of the
/// sentence it ends ([`period_is_stop`]): the text or its line ends after
/// it, or a capital follows, perhaps after an opening quote.
fn ends_sentence_with_stop(text: &str, tokens: &[Token], last: usize) -> bool {
    if !period_is_stop(tokens[last].text(text)) {
        return false;
    }
    let after = &text[tokens[last].byte_end..];
    let next = after.trim_start_matches([' ', '\t']);
    let spaced = next.len() < after.len();
    let next = next.trim_start_matches(['"', '“', '\'', '‘', '(']);
    next.is_empty()
        || next.starts_with(['\n', '\r'])
        || (spaced && next.starts_with(char::is_uppercase))
}

/// How a bracket or quote token stands: it opens its pair, closes it, or
/// (a straight double quote with space on both sides, as CoNLL-2003 writes
/// them) may do either.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Opens,
    Closes,
    Either,
}

/// A bracket or quote token: which pair it belongs to, and its side. A
/// straight double quote opens when it leans on the word after it and
/// closes when it leans on the word before it.
fn bracket(text: &str, token: &Token) -> Option<(char, Side)> {
    let side = match token.text(text) {
        "(" | "[" | "{" | "\u{201c}" => Side::Opens,
        ")" | "]" | "}" | "\u{201d}" => Side::Closes,
        "\"" => {
            let spaced = |c: Option<char>| c.is_none_or(char::is_whitespace);
            let before = spaced(text[..token.byte_start].chars().next_back());
            let after = spaced(text[token.byte_end..].chars().next());
            match (before, after) {
                (true, false) => Side::Opens,
                (false, true) => Side::Closes,
                _ => Side::Either,
            }
        }
        _ => return None,
    };
    let pair = match token.text(text) {
        "(" | ")" => '(',
        "[" | "]" => '[',
        "{" | "}" => '{',
        "\"" => '"',
        _ => '\u{201c}',
    };
    Some((pair, side))
}

/// The first bracket or quote in `run` left without its partner inside it:
/// (token, pair, whether it opens).
fn unmatched(text: &str, tokens: &[Token], run: &Range<usize>) -> Option<(usize, char, bool)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    for i in run.clone() {
        let Some((pair, side)) = bracket(text, &tokens[i]) else {
            continue;
        };
        let closes_top = open.last().is_some_and(|&(_, top)| top == pair);
        match side {
            Side::Opens => open.push((i, pair)),
            Side::Either if !closes_top => open.push((i, pair)),
            _ if closes_top => {
                open.pop();
            }
            _ => return Some((i, pair, false)),
        }
    }
    open.first().map(|&(i, pair)| (i, pair, true))
}

/// A name the tagger ran half into brackets or quotes ("Mike [Ruddock",
/// "(Jon Dahl) Tomasson" without its opening bracket, "Dirty\" Den
/// Watts") takes in the partner right next to it, or else ends at the
/// stray mark. CoNLL-2003 puts whole bracketed or quoted parts inside
/// names ("E.F. ( Fritz ) Schumacher", "Roberto \" Hands of Stone \"
/// Duran"), never half of one. `None` when nothing is left.
fn balanced(text: &str, tokens: &[Token], mut run: Range<usize>) -> Option<Range<usize>> {
    let partner = |i: usize, pair: char, opens: bool| {
        let wanted = if opens { Side::Opens } else { Side::Closes };
        tokens
            .get(i)
            .and_then(|t| bracket(text, t))
            .is_some_and(|(p, side)| p == pair && (side == wanted || side == Side::Either))
    };
    // each step mends one mark, and a run holds few
    for _ in 0..run.len() {
        let Some((at, pair, opens)) = unmatched(text, tokens, &run) else {
            break;
        };
        if opens {
            if partner(run.end, pair, false) {
                run.end += 1;
            } else if at == run.start {
                run.start += 1;
            } else {
                run.end = at;
            }
        } else if run.start > 0 && partner(run.start - 1, pair, true) {
            run.start -= 1;
        } else if at + 1 == run.end {
            run.end = at;
        } else {
            run.start = at + 1;
        }
        if run.is_empty() {
            return None;
        }
    }
    Some(run)
}

/// The spans with the possessives the tagger ran them across taken out: a
/// span that starts on one ("'s Open", its owner left outside) starts
/// after it, and "BBC's Newsnight" or "Sony's PlayStation" becomes two
/// names when the part before the "'s" is a name of its own elsewhere in
/// the article, taking that name's type (and the part after it too, when
/// it is a name elsewhere: "BBC's Jonathan Beale"). An owner that is a
/// place the gazetteer knows ("UK's Office of Fair Trading") or an acronym
/// ("ITV's London Studios") is a name of its own wherever it stands, as
/// CoNLL-2003 writes "Britain 's Office of Fair Trading". Names that hold
/// a possessive ("New Year's Day", "Lloyd's of London") stay whole.
fn split_at_possessives(
    text: &str,
    tokens: &[Token],
    spans: Vec<TokenRun>,
    gazetteer: &Gazetteer,
) -> Vec<TokenRun> {
    let words = |run: &Range<usize>| run_text(text, tokens, run);
    // the first possessive inside a run, with a word after it
    let possessive = |run: &Range<usize>| {
        (run.start..run.end - 1).find(|&i| is_possessive(tokens[i].text(text)))
    };
    let mut spans: Vec<TokenRun> = spans
        .into_iter()
        .map(|(kind, mut run)| {
            if possessive(&run) == Some(run.start) {
                run.start += 1;
            }
            (kind, run)
        })
        .collect();
    // most articles have no name across a possessive
    if !spans.iter().any(|(_, run)| possessive(run).is_some()) {
        return spans;
    }
    let alone: HashMap<&str, usize> = spans
        .iter()
        .filter(|(_, run)| possessive(run).is_none())
        .map(|(kind, run)| (words(run), *kind))
        .collect();
    let mut i = 0;
    while i < spans.len() {
        let (kind, run) = spans[i].clone();
        let Some(at) = possessive(&run).filter(|&at| at > run.start) else {
            i += 1;
            continue;
        };
        let rest = at + 1..run.end;
        let rest_words = words(&rest);
        // A single word after the "'s" is a name only when the article
        // names it alone too ("BMW's Mini"); "New Year's Day" and
        // "Foster's Lager" stay whole, as does a span that runs on into
        // small words ("Parkinson's and Motor Neurone").
        let named = rest_words.starts_with(char::is_uppercase)
            && (rest_words.contains(' ') || alone.contains_key(rest_words));
        let owner = run.start..at;
        let owner_kind = || {
            if let Some(&kind) = alone.get(words(&owner)) {
                return Some(kind);
            }
            let owner_words: Vec<&str> = owner.clone().map(|i| tokens[i].text(text)).collect();
            match owner_words[..] {
                _ if is_place(gazetteer, &owner_words) => Some(super::LOC),
                [word] if is_acronym(word) => Some(super::ORG),
                _ => None,
            }
        };
        if let Some(owner_kind) = owner_kind().filter(|_| named) {
            let rest_kind = alone.get(rest_words).copied().unwrap_or(kind);
            spans[i] = (owner_kind, owner);
            spans.insert(i + 1, (rest_kind, rest));
        }
        i += 1;
    }
    spans
}

/// The text a run of tokens (never none) covers, spaces within included.
fn run_text<'a>(text: &'a str, tokens: &[Token], run: &Range<usize>) -> &'a str {
    &text[tokens[run.start].byte_start..tokens[run.end - 1].byte_end]
}

/// Countries news names by their initials, which the gazetteer does not
/// list as places ("UK" is a MISC word there).
const COUNTRY_ACRONYMS: &[&str] = &["UK", "US", "USA", "UAE", "DRC"];

/// Whether `words` name a place: a country by its initials or a place the
/// gazetteer knows.
fn is_place(gazetteer: &Gazetteer, words: &[&str]) -> bool {
    matches!(words, [w] if COUNTRY_ACRONYMS.contains(w))
        || names_a_place(&gazetteer.labels(words, false))
}

/// A word of two or more capitals, perhaps with digits: "BBC", "BBC1".
fn is_acronym(word: &str) -> bool {
    word.bytes().filter(u8::is_ascii_uppercase).count() >= 2
        && word
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Lower-case words a name may hold between capitalised ones: links
/// ("Bank of England", "Friend or Foe", "World Congress against Sexual
/// Exploitation"), a title's own small words ("Dating my Teenage
/// Daughter", "The Land was Ours") and the particles of names and of
/// foreign names ("David dal Maso", "Maarten den Bakker", "Gazzetta dello
/// Sport", "Partido contra la Pobreza"). Words of one or two letters
/// ("am", "wa", the "s" of a spaced possessive) are never split at.
const NAME_INNER_WORDS: &[&str] = &[
    "about", "across", "after", "against", "all", "among", "and", "are", "before", "behind",
    "between", "beyond", "bin", "but", "contra", "dal", "das", "degli", "del", "della", "delle",
    "dello", "den", "der", "des", "dos", "for", "from", "her", "his", "ibn", "into", "its", "les",
    "nor", "not", "off", "one", "our", "out", "over", "pour", "sur", "ten", "ter", "than", "the",
    "their", "through", "under", "und", "upon", "van", "von", "was", "were", "with", "within",
    "without", "yet", "you", "your",
];

/// Words before a work's title: "BBC comedy The Office".
const WORK_DESCRIPTORS: &[&str] = &[
    "album",
    "cartoon",
    "comedy",
    "documentary",
    "drama",
    "film",
    "hit",
    "mini-series",
    "movie",
    "musical",
    "novel",
    "programme",
    "series",
    "show",
    "single",
    "sitcom",
    "soap",
    "song",
];

/// Words before a person's name: "R&B star Keys".
const PERSON_DESCRIPTORS: &[&str] = &[
    "actor",
    "actress",
    "boss",
    "coach",
    "presenter",
    "rapper",
    "singer",
    "star",
    "striker",
];

/// A name the tagger ran over a common word in lower case between two
/// capitalised ones splits there: "BBC comedy The Office" is the BBC and
/// the comedy "The Office", "Yahoo chose Google" two companies. CoNLL-2003
/// puts hardly any such word inside a name. Each part after the first takes the type the
/// article gives its words alone, or else a work's (MISC) after "comedy",
/// "film"…, a person's after "star", "singer"…; the first part takes a
/// place's type when it is one ("US cartoon The Simpsons").
fn split_at_common_words(
    text: &str,
    tokens: &[Token],
    spans: Vec<TokenRun>,
    gazetteer: &Gazetteer,
) -> Vec<TokenRun> {
    let word = |i: usize| tokens[i].text(text);
    let capital = |i: usize| super::capitalised(word(i));
    let descriptor = |w: &str| WORK_DESCRIPTORS.contains(&w) || PERSON_DESCRIPTORS.contains(&w);
    // a common word between two capitalised ones inside `run`, where the
    // parts on either side can be names: not an initial ("J immi
    // Madsen"), not a head word alone ("Palestinian self-rule
    // Authority"), and not in a title that repeats its word around it
    // ("Cup winners Cup"). A hyphenated word splits only as a descriptor
    // ("mini-series"), not as a name's own ("self-rule").
    let splits_at = |run: &Range<usize>, i: usize| {
        let w = word(i);
        // names are mostly capitalised words: the cheap test first
        w.len() >= 3
            && w.as_bytes()[0].is_ascii_lowercase()
            && i > run.start
            && i + 1 < run.end
            && capital(i - 1)
            && capital(i + 1)
            && (w.bytes().all(|b| b.is_ascii_lowercase()) || descriptor(w))
            && !NAME_INNER_WORDS.contains(&w)
            && !(i - 1 == run.start && word(i - 1).chars().count() == 1)
            && !(i + 2 == run.end && with_lower(word(i + 1), |h| super::ORG_HEADS.contains(&h)))
            && word(run.start) != word(run.end - 1)
    };
    // most articles have no such name
    let inside = |run: &Range<usize>| (run.start..run.end).any(|i| splits_at(run, i));
    if !spans.iter().any(|(_, run)| inside(run)) {
        return spans;
    }
    let words = |run: &Range<usize>| run_text(text, tokens, run);
    let alone: HashMap<&str, usize> = spans
        .iter()
        .filter(|(_, run)| !inside(run))
        .map(|(kind, run)| (words(run), *kind))
        .collect();
    let mut out = Vec::with_capacity(spans.len() + 1);
    for (kind, run) in spans {
        if !inside(&run) {
            out.push((kind, run));
            continue;
        }
        let mut start = run.start;
        let mut before: Option<&str> = None;
        for i in run.start..=run.end {
            if i < run.end && !splits_at(&run, i) {
                continue;
            }
            let part = start..i;
            if part
                .clone()
                .any(|j| !word(j).starts_with(char::is_lowercase))
            {
                let part_kind = if let Some(&k) = alone.get(words(&part)) {
                    k
                } else if let Some(d) = before {
                    if WORK_DESCRIPTORS.contains(&d) {
                        super::MISC
                    } else if PERSON_DESCRIPTORS.contains(&d) {
                        super::PER
                    } else {
                        kind
                    }
                } else {
                    let part_words: Vec<&str> = part.clone().map(word).collect();
                    if is_place(gazetteer, &part_words) {
                        super::LOC
                    } else {
                        kind
                    }
                };
                out.push((part_kind, part));
            }
            if i < run.end {
                before = Some(word(i));
            }
            start = i + 1;
        }
    }
    out
}

/// Small words an organisation's initials skip: "Bank of England (BoE)",
/// "Securities and Exchange Commission (SEC)".
const SKIPPED_BY_INITIALS: &[&str] = &["and", "&", "of", "for", "on", "the", "de", "in"];

/// Longest run of words that initials in brackets can spell.
const MAX_INITIALS: usize = 8;

/// A name followed by its initials in brackets ("the Securities and
/// Exchange Commission (SEC)") covers just the words the initials spell:
/// the tagger split many such names at their "and" ("Exchange
/// Commission", "Curriculum Authority") or took in the word before them
/// ("Past Congressional Budget Office (CBO)"). The name grows or shrinks
/// only to capitalised words, with the small words between them, that
/// give the initials exactly, and never into another name.
fn fit_to_acronyms(
    text: &str,
    tokens: &[Token],
    mut spans: Vec<TokenRun>,
    gazetteer: &Gazetteer,
) -> Vec<TokenRun> {
    let word = |i: usize| tokens[i].text(text);
    // most articles have no name before a bracket
    if !spans
        .iter()
        .any(|(_, run)| run.end < tokens.len() && word(run.end) == "(")
    {
        return spans;
    }
    let mut taken = vec![false; tokens.len()];
    for (_, run) in &spans {
        for slot in taken.get_mut(run.clone()).into_iter().flatten() {
            *slot = true;
        }
    }
    for (_, run) in &mut spans {
        let end = run.end;
        if end + 2 >= tokens.len() || word(end) != "(" || word(end + 2) != ")" {
            continue;
        }
        let acronym = word(end + 1);
        let initials: String = acronym.chars().filter(char::is_ascii_uppercase).collect();
        let letters = acronym.trim_end_matches('s');
        if initials.len() < 2
            || !acronym.starts_with(|c: char| c.is_ascii_uppercase())
            || !letters.chars().all(|c| c.is_ascii_alphabetic())
            || letters.len() > MAX_INITIALS
        {
            continue;
        }
        // the start whose capitalised words give the initials, walking back
        let mut spelt = String::new();
        let mut fitted = None;
        let mut start = end;
        while start > 0 && end - start < MAX_INITIALS * 2 {
            start -= 1;
            let w = word(start);
            let own = run.contains(&start);
            if !own && taken[start] {
                break;
            }
            if SKIPPED_BY_INITIALS.contains(&w) {
                continue;
            }
            let Some(first) = w.chars().next().filter(|c| c.is_uppercase()) else {
                break;
            };
            spelt.insert(0, first);
            if spelt.len() > initials.len() || !initials.ends_with(&spelt) {
                break;
            }
            if spelt == initials {
                fitted = Some(start);
                break;
            }
        }
        let Some(start) = fitted else {
            continue;
        };
        // A name shrinks only by one word that opens its sentence ("Past
        // Congressional Budget Office (CBO)") or is a month ("the August
        // National Association of Purchasing Management (NAPM) index"),
        // and never by a place ("Swansea Unite Against Fascism (UAF)"):
        // CoNLL-2003 keeps a nationality or a party's word with the name
        // ("Iraqi Kurdish Patriotic Union of Kurdistan (PUK)"), as it
        // keeps an acronym ("U.N. Department of Humanitarian Affairs
        // (DHA)"), and a name with small words may have a foreign
        // language's initials ("Rally for the Return of Refugees and
        // Democracy in Rwanda (RDR)").
        let opens_sentence = run.start == 0 || {
            let before = &tokens[run.start - 1];
            matches!(before.text(text), "." | "!" | "?")
                || text
                    .get(before.byte_end..tokens[run.start].byte_start)
                    .is_some_and(|gap| gap.contains('\n'))
        };
        let first = word(run.start);
        let place = is_place(gazetteer, &[first]);
        let keeps = start > run.start
            && (start > run.start + 1 || place || !(opens_sentence || month(first).is_some()));
        if !keeps {
            run.start = start;
        }
    }
    spans
}

/// Names the tagger ran across a comma split there, unless the comma is
/// part of the name: "the Vicarage Lane, Park Mall and Station Road car
/// parks" lists places, "XDA II, Nokia 6600" products, "Moody, Back,
/// Corry" a team. CoNLL-2003 writes one place with a comma, "Washington,
/// D.C.", and organisations such as "Goldman, Sachs & Co", "Bureau of
/// Alcohol, Tobacco and Firearms" and "BioVest Research, Inc": a part that
/// is one abbreviation with full stops stays with the name before it, and
/// an organisation or other name stays whole when "and" or "&" follows its
/// first comma or its last part is a company's ending. One that stops on a
/// list's word before "and" takes in the rest ("Department for Culture,
/// Media" + "and Sport").
fn split_at_commas(text: &str, tokens: &[Token], spans: Vec<TokenRun>) -> Vec<TokenRun> {
    let word = |i: usize| tokens[i].text(text);
    let comma = |i: usize| word(i) == ",";
    // most articles have no such span
    if !spans.iter().any(|(_, run)| run.clone().any(comma)) {
        return spans;
    }
    let and = |i: usize| matches!(word(i), "and" | "&");
    let capitalised = |i: usize| i < tokens.len() && word(i).starts_with(char::is_uppercase);
    let mut out: Vec<TokenRun> = Vec::with_capacity(spans.len() + 1);
    for (kind, mut run) in spans {
        // a span the one before took in
        let taken = out.last().map_or(0, |(_, before)| before.end);
        run.start = run.start.max(taken);
        if run.is_empty() {
            continue;
        }
        let commas = || run.clone().filter(|&i| comma(i));
        let (Some(first), Some(last)) = (commas().next(), commas().next_back()) else {
            out.push((kind, run));
            continue;
        };
        if !matches!(kind, super::LOC | super::PER) {
            let tail = last + 1..run.end;
            let coordinated = (first + 1..run.end).any(and);
            let ending = tail.len() == 1 && is_name_ending(word(tail.start));
            if coordinated || ending {
                out.push((kind, run));
                continue;
            }
            if tail.len() == 1 && run.end < tokens.len() && and(run.end) && capitalised(run.end + 1)
            {
                let mut end = run.end + 1;
                while capitalised(end) {
                    end += 1;
                }
                out.push((kind, run.start..end));
                continue;
            }
        }
        let mut start = run.start;
        for i in commas() {
            let part_end = (i + 1..run.end).find(|&j| comma(j)).unwrap_or(run.end);
            let abbreviation = part_end == i + 2 && word(i + 1).contains('.');
            if !abbreviation {
                if i > start {
                    out.push((kind, start..i));
                }
                start = i + 1;
            }
        }
        if start < run.end {
            out.push((kind, start..run.end));
        }
    }
    out
}

/// Acronyms of kinds of things or of roles ("MP", as CoNLL leaves "MPs"),
/// not of organisations: the tagger learnt
/// from CoNLL-2003 that a word in capitals is mostly an organisation, and
/// on BBC's training articles made one of "PC" in 61 articles and "DVD" in
/// 40. CoNLL leaves "GDP", "VAT" and "CEO" outside any entity. Acronyms
/// CoNLL types ("CPI" and "AIDS" are MISC there, "TV" an organisation as
/// often as not) are not in the list.
const KIND_ACRONYMS: &[&str] = &[
    "3G", "AI", "CD", "CEO", "CFO", "CGI", "DNA", "DRM", "DVD", "DVR", "GDP", "GPRS", "GPS", "HD",
    "ID", "IPO", "LCD", "LNG", "MEP", "MMS", "MP", "MP3", "MSP", "PC", "PPI", "PVR", "RPG", "SMS",
    "SUV", "USB", "VAT", "VHS", "VoIP",
];

/// Whether a one-word mention is an acronym of a kind of thing ("PC").
pub(crate) fn names_a_kind(word: &str) -> bool {
    // Most one-word names are longer than any of them.
    word.len() <= 4 && KIND_ACRONYMS.contains(&word)
}

/// Whether a word, in any case, is one of those acronyms ("ai", "Pc").
pub(crate) fn is_kind_acronym(word: &str) -> bool {
    word.len() <= 4 && KIND_ACRONYMS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Whether a mention is the plural of an acronym: two or more capitals and
/// a small "s" ("PCs", "MPs"), not "NHS" or "Lib Dems".
fn is_plural_acronym(text: &str) -> bool {
    text.strip_suffix('s')
        .is_some_and(|stem| stem.len() >= 2 && stem.bytes().all(|b| b.is_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::tags::TYPES;
    use crate::tokenizer::tokenize;

    /// Asserts that `tidy` makes `want` (text, type) of the tagger's
    /// `spans`, given as (name, type) in text order.
    fn assert_tidied(text: &str, spans: &[(&str, &str)], want: &[(&str, &str)]) {
        let kind = |k: &str| TYPES.iter().position(|t| *t == k).unwrap();
        let tokens = tokenize(text);
        let mut from = 0;
        let spans = spans
            .iter()
            .map(|&(name, k)| {
                let byte = from + text[from..].find(name).unwrap();
                from = byte + name.len();
                let first = tokens.partition_point(|t| t.byte_start < byte);
                let last = tokens.partition_point(|t| t.byte_end <= from);
                (kind(k), first..last)
            })
            .collect();
        let chars: Vec<char> = text.chars().collect();
        let got: Vec<(String, &str)> = tidy(text, &tokens, spans, &Gazetteer::builtin())
            .into_iter()
            .map(|s| (chars[s.start..s.end].iter().collect(), TYPES[s.kind]))
            .collect();
        let got: Vec<(&str, &str)> = got.iter().map(|(t, k)| (t.as_str(), *k)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_sum_or_a_time_opens_no_name() {
        let text = "The council will save £3m. It spent £7.5bn of Treasury money by \
                    10.38am Monday. 3M said so.";
        assert_tidied(
            text,
            &[
                ("3m", "ORG"),
                ("7.5bn of Treasury", "ORG"),
                ("10.38am Monday", "PER"),
                ("3M", "ORG"),
            ],
            &[("Treasury", "ORG"), ("Monday", "PER"), ("3M", "ORG")],
        );
    }

    #[test]
    fn possessives_split_names_the_article_gives_alone() {
        let text = "BBC's Jonathan Beale met Jonathan Beale of the BBC on New Year's Day; \
                    Sony's PlayStation beat Parkinson's and Motor Neurone, and Sony's Open. \
                    Parkinson spoke.";
        assert_tidied(
            text,
            &[
                ("BBC's Jonathan Beale", "ORG"),
                ("Jonathan Beale", "PER"),
                ("BBC", "ORG"),
                ("New Year's Day", "MISC"),
                ("Sony's PlayStation", "ORG"),
                ("Parkinson's and Motor Neurone", "ORG"),
                ("'s Open", "MISC"),
                ("Parkinson", "PER"),
            ],
            &[
                ("BBC", "ORG"),
                ("Jonathan Beale", "PER"),
                ("Jonathan Beale", "PER"),
                ("BBC", "ORG"),
                ("New Year's Day", "MISC"),
                ("Sony's PlayStation", "ORG"),
                ("Parkinson's and Motor Neurone", "ORG"),
                ("Open", "MISC"),
                ("Parkinson", "PER"),
            ],
        );
    }

    #[test]
    fn a_place_or_an_acronym_owns_a_name_without_being_named_alone() {
        let text = "The UK's Office of Fair Trading, ITV's London Studios, South Korea's \
                    Central Bank and Pakistan People's Party met at Foster's Lager.";
        assert_tidied(
            text,
            &[
                ("UK's Office of Fair Trading", "ORG"),
                ("ITV's London Studios", "ORG"),
                ("South Korea's Central Bank", "ORG"),
                ("Pakistan People's Party", "ORG"),
                ("Foster's Lager", "ORG"),
            ],
            &[
                ("UK", "LOC"),
                ("Office of Fair Trading", "ORG"),
                ("ITV", "ORG"),
                ("London Studios", "ORG"),
                ("South Korea", "LOC"),
                ("Central Bank", "ORG"),
                ("Pakistan People's Party", "ORG"),
                ("Foster's Lager", "ORG"),
            ],
        );
    }

    #[test]
    fn names_split_at_a_comma_unless_it_is_part_of_the_name() {
        let text = "Drivers will pay at the Vicarage Lane, Park Mall, Edinburgh Road and \
                    Station Road car parks, Smith, Jones told Smith, Jones & Co in Washington, \
                    D.C. on Monday. The Department for Culture, Media and Sport, BioVest \
                    Research, Inc and the Bureau of Alcohol, Tobacco and Firearms praised \
                    the XDA II, Nokia 6600 and Windows, Service Pack 2.";
        assert_tidied(
            text,
            &[
                ("Vicarage Lane, Park Mall, Edinburgh Road", "LOC"),
                ("Station Road", "LOC"),
                ("Smith, Jones", "PER"),
                ("Smith, Jones & Co", "ORG"),
                ("Washington, D.C.", "LOC"),
                ("Department for Culture, Media", "ORG"),
                ("Sport", "ORG"),
                ("BioVest Research, Inc", "ORG"),
                ("Bureau of Alcohol, Tobacco and Firearms", "ORG"),
                ("XDA II, Nokia", "MISC"),
                ("Windows, Service Pack", "ORG"),
            ],
            &[
                ("Vicarage Lane", "LOC"),
                ("Park Mall", "LOC"),
                ("Edinburgh Road", "LOC"),
                ("Station Road", "LOC"),
                ("Smith", "PER"),
                ("Jones", "PER"),
                ("Smith, Jones & Co", "ORG"),
                ("Washington, D.C.", "LOC"),
                ("Department for Culture, Media and Sport", "ORG"),
                ("BioVest Research, Inc", "ORG"),
                ("Bureau of Alcohol, Tobacco and Firearms", "ORG"),
                ("XDA II", "MISC"),
                ("Nokia", "MISC"),
                ("Windows", "ORG"),
                ("Service Pack", "ORG"),
            ],
        );
    }

    #[test]
    fn a_name_run_over_a_common_word_splits_there() {
        let text = "The BBC comedy The Office beat the US cartoon The Simpsons, R&B star \
                    Keys sang, Yahoo chose Google. J immi Madsen, the Palestinian interim \
                    Authority, the Palestinian self-rule Areas, the Cup winners Cup, Maarten \
                    den Bakker and Bild am Sonntag.";
        // no split: an initial, a head word alone, a hyphenated word, a
        // repeated word, a particle, a word of two letters
        let kept = [
            ("J immi Madsen", "PER"),
            ("Palestinian interim Authority", "ORG"),
            ("Palestinian self-rule Areas", "LOC"),
            ("Cup winners Cup", "MISC"),
            ("Maarten den Bakker", "PER"),
            ("Bild am Sonntag", "ORG"),
        ];
        let split = [
            ("BBC comedy The Office", "ORG"),
            ("US cartoon The Simpsons", "MISC"),
            ("R&B star Keys", "ORG"),
            ("Yahoo chose Google", "ORG"),
        ];
        let parts = [
            ("BBC", "ORG"),
            ("The Office", "MISC"),
            ("US", "LOC"),
            ("The Simpsons", "MISC"),
            ("R&B", "ORG"),
            ("Keys", "PER"),
            ("Yahoo", "ORG"),
            ("Google", "ORG"),
        ];
        assert_tidied(
            text,
            &[&split[..], &kept].concat(),
            &[&parts[..], &kept].concat(),
        );
    }

    #[test]
    fn a_name_before_its_initials_covers_what_they_spell() {
        let text = "It told the Securities and Exchange Commission (SEC)\n\
                    Past Congressional Budget Office (CBO) figures and the August National \
                    Association of Purchasing Management (NAPM) index worry the US Food and \
                    Drug Administration (FDA), the Bank of England (BoE), the Iraqi Kurdish \
                    Patriotic Union of Kurdistan (PUK) and Tony Blair (UK). Called Global \
                    System for Mobiles (GSM) and\n\
                    Interactive Media Player (iMP) work with\n\
                    Swansea Unite Against Fascism (UAF), with the U.N. Department of \
                    Humanitarian Affairs (DHA) and the Rally for the Return of Refugees and \
                    Democracy in Rwanda (RDR).";
        assert_tidied(
            text,
            &[
                ("Exchange Commission", "ORG"),
                ("SEC", "ORG"),
                ("Past Congressional Budget Office", "ORG"),
                ("CBO", "ORG"),
                (
                    "August National Association of Purchasing Management",
                    "ORG",
                ),
                ("US Food and Drug Administration", "ORG"),
                ("Bank of England", "ORG"),
                ("Iraqi Kurdish Patriotic Union of Kurdistan", "ORG"),
                ("Tony Blair", "PER"),
                ("UK", "LOC"),
                ("Called Global System for Mobiles", "ORG"),
                ("Interactive Media Player", "MISC"),
                ("Swansea Unite Against Fascism", "ORG"),
                ("U.N. Department of Humanitarian Affairs", "ORG"),
                (
                    "Rally for the Return of Refugees and Democracy in Rwanda",
                    "ORG",
                ),
            ],
            &[
                ("Securities and Exchange Commission", "ORG"),
                ("SEC", "ORG"),
                // a line's or a sentence's first word or a month goes
                ("Congressional Budget Office", "ORG"),
                ("CBO", "ORG"),
                ("National Association of Purchasing Management", "ORG"),
                // a place, an acronym or a nationality stays, as CoNLL-2003
                // writes them
                ("US Food and Drug Administration", "ORG"),
                ("Bank of England", "ORG"),
                ("Iraqi Kurdish Patriotic Union of Kurdistan", "ORG"),
                ("Tony Blair", "PER"),
                ("UK", "LOC"),
                ("Global System for Mobiles", "ORG"),
                // initials that do not start with a capital spell nothing here
                ("Interactive Media Player", "MISC"),
                // a place stays, even at a line's start
                ("Swansea Unite Against Fascism", "ORG"),
                ("U.N. Department of Humanitarian Affairs", "ORG"),
                // nor do initials of some of a name's words after a small one
                (
                    "Rally for the Return of Refugees and Democracy in Rwanda",
                    "ORG",
                ),
            ],
        );
    }

    #[test]
    fn names_take_the_partner_of_a_bracket_or_quote_or_end_before_it() {
        let text = "He told Mike [Ruddock] and (Jon Dahl) Tomasson that \"Dirty\" Den Watts \
                    and E.F. (Fritz) Schumacher met Lord Goldsmith] and Shameless (Channel 4) \
                    with Roberto \" Hands of Stone \" Duran.";
        assert_tidied(
            text,
            &[
                ("Mike [Ruddock", "PER"),
                ("Jon Dahl) Tomasson", "PER"),
                ("Dirty\" Den Watts", "PER"),
                ("E.F. (Fritz) Schumacher", "PER"),
                ("Lord Goldsmith]", "PER"),
                ("Shameless (Channel", "ORG"),
                ("Roberto \" Hands of Stone \" Duran", "PER"),
            ],
            &[
                ("Mike [Ruddock]", "PER"),
                ("(Jon Dahl) Tomasson", "PER"),
                ("\"Dirty\" Den Watts", "PER"),
                ("E.F. (Fritz) Schumacher", "PER"),
                ("Lord Goldsmith", "PER"),
                ("Shameless", "ORG"),
                ("Roberto \" Hands of Stone \" Duran", "PER"),
            ],
        );
    }

    #[test]
    fn a_sentence_full_stop_leaves_the_name_and_an_abbreviation_keeps_its_own() {
        let text = "Sales fell, said M&S.\nIt was World War I. But the U.S. said \
                    sorry to Warner Bros. Then ask Norbert Ore. and Ore. officials";
        assert_tidied(
            text,
            &[
                ("M&S.", "ORG"),
                ("World War I.", "MISC"),
                ("U.S.", "LOC"),
                ("Warner Bros.", "ORG"),
                ("Norbert Ore.", "PER"),
                ("Ore.", "LOC"),
            ],
            &[
                ("M&S", "ORG"),
                ("World War I", "MISC"),
                ("U.S.", "LOC"),
                ("Warner Bros.", "ORG"),
                ("Norbert Ore.", "PER"),
                ("Ore.", "LOC"),
            ],
        );
    }

    #[test]
    fn an_acronym_of_a_kind_of_thing_alone_is_no_name() {
        let kind = |k: &str| TYPES.iter().position(|t| *t == k).unwrap();
        let text = "A PC and a DVD from PC World for the BBC";
        let tokens = tokenize(text);
        let run = |word: &str, words: usize| {
            let first = tokens.iter().position(|t| t.text(text) == word).unwrap();
            (kind("ORG"), first..first + words)
        };
        let spans = vec![
            run("PC", 1),
            run("DVD", 1),
            (kind("ORG"), 6..8),
            run("BBC", 1),
        ];
        let chars: Vec<char> = text.chars().collect();
        let got: Vec<String> = tidy(text, &tokens, spans, &Gazetteer::builtin())
            .into_iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect();
        assert_eq!(got, ["PC World", "BBC"]);
    }

    #[test]
    fn a_word_of_no_letter_or_digit_is_no_name() {
        let text = "research & development at Procter & Gamble";
        let tokens = tokenize(text);
        let at = |word: &str| tokens.iter().rposition(|t| t.text(text) == word).unwrap();
        let spans = vec![(0, 1..2), (1, at("Procter")..at("Gamble") + 1)];
        let names: Vec<(usize, usize)> = tidy(text, &tokens, spans, &Gazetteer::builtin())
            .into_iter()
            .map(|s| (s.start, s.end))
            .collect();
        // a symbol inside a name stays
        assert_eq!(names, [(26, 42)]);
    }

    #[test]
    fn an_acronym_plural_is_told_from_an_acronym_and_a_name() {
        for (text, plural) in [
            ("PCs", true),
            ("MPs", true),
            ("NHS", false),
            ("Lib Dems", false),
        ] {
            assert_eq!(is_plural_acronym(text), plural, "{text}");
        }
        assert!(!is_plural_acronym("As") && !is_plural_acronym("s"));
    }
}
