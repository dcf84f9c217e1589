//! Date expressions, normalised against the publication date.
//!
//! Recognised: full dates ("March 6, 2020", "6 March 2020", "2020-03-06"),
//! month and day ("March 6", year from the publication date), month and
//! year ("April 2019" → `2019-04`), years after a preposition ("since
//! 2011" → `2011`), weekdays ("Monday": the last such day on or before
//! publication, as news copy uses them) and "today", "yesterday",
//! "tomorrow", and holidays ("Christmas", "Easter Monday", "Thanksgiving":
//! that day in the year of publication). Without a publication date,
//! relative expressions are found but not normalised.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::lowercase::with_lower;

use crate::tokenizer::Token;

/// A date expression: code-point span, text and ISO value if known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub value: Option<String>,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether `word` can be a word of a short list whose words are `lengths`
/// long and start with one of `initials` (lower-case ASCII): checked
/// before lower-casing, which most words of an article then skip.
fn may_be(word: &str, lengths: std::ops::RangeInclusive<usize>, initials: &[u8]) -> bool {
    lengths.contains(&word.len())
        && word
            .as_bytes()
            .first()
            .is_some_and(|b| initials.contains(&b.to_ascii_lowercase()))
}

pub(crate) fn month(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    if !may_be(word, 3..=9, b"jfmasond") {
        return None;
    }
    with_lower(word, |w| {
        MONTHS
            .iter()
            .position(|m| *m == w || ((3..=4).contains(&w.len()) && m.starts_with(w)))
            .map(|i| i as u32 + 1)
    })
}

pub(crate) fn weekday(word: &str) -> Option<Weekday> {
    if !may_be(word, 6..=9, b"mtwfs") {
        return None;
    }
    with_lower(word, |w| match w {
        "monday" => Some(Weekday::Mon),
        "tuesday" => Some(Weekday::Tue),
        "wednesday" => Some(Weekday::Wed),
        "thursday" => Some(Weekday::Thu),
        "friday" => Some(Weekday::Fri),
        "saturday" => Some(Weekday::Sat),
        "sunday" => Some(Weekday::Sun),
        _ => None,
    })
}

fn day(word: &str) -> Option<u32> {
    // most words start with a letter: told apart before any parse, as this
    // runs for each word
    if !word.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let digits = word.trim_end_matches(|c: char| c.is_alphabetic());
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year(word: &str) -> Option<i32> {
    if word.len() != 4 {
        return None;
    }
    let y: i32 = word.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

const YEAR_PREPOSITIONS: &[&str] = &[
    "in",
    "since",
    "from",
    "until",
    "till",
    "by",
    "of",
    "before",
    "after",
    "early",
    "late",
    "mid",
    "during",
    "throughout",
];

/// Holidays by name, longest first, and their day in a year.
const HOLIDAYS: &[(&[&str], Holiday)] = &[
    (&["New", "Year", "'s", "Day"], Holiday::Fixed(1, 1)),
    (&["New", "Year", "’s", "Day"], Holiday::Fixed(1, 1)),
    (&["New", "Year", "'s", "Eve"], Holiday::Fixed(12, 31)),
    (&["New", "Year", "’s", "Eve"], Holiday::Fixed(12, 31)),
    (&["Christmas", "Eve"], Holiday::Fixed(12, 24)),
    (&["Christmas", "Day"], Holiday::Fixed(12, 25)),
    (&["Christmas"], Holiday::Fixed(12, 25)),
    (&["Boxing", "Day"], Holiday::Fixed(12, 26)),
    (&["Halloween"], Holiday::Fixed(10, 31)),
    (&["Good", "Friday"], Holiday::FromEaster(-2)),
    (&["Easter", "Sunday"], Holiday::FromEaster(0)),
    (&["Easter", "Monday"], Holiday::FromEaster(1)),
    (&["Easter"], Holiday::FromEaster(0)),
    (&["Thanksgiving", "Day"], Holiday::Thanksgiving),
    (&["Thanksgiving"], Holiday::Thanksgiving),
];

#[derive(Debug, Clone, Copy)]
enum Holiday {
    /// Month and day.
    Fixed(u32, u32),
    /// Days after Easter Sunday.
    FromEaster(i64),
    /// The fourth Thursday of November (the United States').
    Thanksgiving,
}

impl Holiday {
    fn in_year(self, year: i32) -> Option<NaiveDate> {
        match self {
            Holiday::Fixed(month, day) => NaiveDate::from_ymd_opt(year, month, day),
            Holiday::FromEaster(days) => easter(year).map(|e| e + Duration::days(days)),
            Holiday::Thanksgiving => {
                NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Thu, 4)
            }
        }
    }
}

/// Easter Sunday of a year in the Gregorian calendar, by the anonymous
/// algorithm printed in Meeus, *Astronomical Algorithms* (1991), ch. 8.
fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The holiday named at `words[i..]`: how many words, and the holiday;
/// none where a capitalised word follows, which makes it part of another
/// name ("Easter Island", "Christmas Special").
fn holiday_at(words: &[&str], i: usize) -> Option<(usize, Holiday)> {
    HOLIDAYS.iter().find_map(|(name, holiday)| {
        let end = i + name.len();
        let named = words.get(i..end)? == *name;
        let more = words
            .get(end)
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
        (named && !more).then_some((name.len(), *holiday))
    })
}

/// Whether a date's text names a holiday ("Christmas", "Good Friday"):
/// such a date is also a key phrase ("Christmas" sales), unlike "Monday".
pub fn is_holiday(text: &str) -> bool {
    let tokens = crate::tokenizer::tokenize(text);
    let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
    holiday_at(&words, 0).is_some_and(|(len, _)| len == words.len())
}

/// Finds date expressions among `tokens` of `text`.
pub fn find_dates(text: &str, tokens: &[Token], published: Option<NaiveDate>) -> Vec<FoundDate> {
    let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (len, value) = match_at(&words, i, published);
        if len == 0 {
            i += 1;
            continue;
        }
        let (start, end) = (tokens[i].start, tokens[i + len - 1].end);
        out.push(FoundDate {
            start,
            end,
            text: text[tokens[i].byte_start..tokens[i + len - 1].byte_end].to_string(),
            value,
        });
        i += len;
    }
    out
}

/// How many tokens from `i` form a date, and its value.
fn match_at(words: &[&str], i: usize, published: Option<NaiveDate>) -> (usize, Option<String>) {
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    let w = at(i);
    let capitalised = w.chars().next().is_some_and(char::is_uppercase);
    // 2020-03-06 (chrono's parser is tried only on what can start a year:
    // it is called for every word)
    let year_first = w
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b == b'+' || b == b'-');
    if let Some(d) = year_first
        .then(|| NaiveDate::parse_from_str(w, "%Y-%m-%d").ok())
        .flatten()
    {
        return (1, Some(d.to_string()));
    }
    // March 6, 2020 / March 6 / March 2020
    if let Some(m) = capitalised.then(|| month(w)).flatten() {
        if let Some(d) = day(at(i + 1)) {
            let (comma, y) = if at(i + 2) == "," {
                (1, year(at(i + 3)))
            } else {
                (0, year(at(i + 2)))
            };
            if let Some(y) = y {
                return (
                    3 + comma,
                    NaiveDate::from_ymd_opt(y, m, d).map(|d| d.to_string()),
                );
            }
            let y = published.map(|p| p.year());
            return (
                2,
                y.and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
                    .map(|d| d.to_string()),
            );
        }
        if let Some(y) = year(at(i + 1)) {
            return (2, Some(format!("{y}-{m:02}")));
        }
        // a bare month name: only unambiguous ones ("May", "March" are words too)
        if !matches!(m, 3 | 5) && w.len() > 3 {
            return (1, None);
        }
        return (0, None);
    }
    // 6 March 2020 / 6 March
    if let (Some(d), Some(m)) = (day(w), month(at(i + 1))) {
        if at(i + 1).chars().next().is_some_and(char::is_uppercase) {
            if let Some(y) = year(at(i + 2)) {
                return (3, NaiveDate::from_ymd_opt(y, m, d).map(|d| d.to_string()));
            }
            let y = published.map(|p| p.year());
            return (
                2,
                y.and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
                    .map(|d| d.to_string()),
            );
        }
    }
    // since 2011 (the year alone is the date; the preposition is not)
    if let Some(y) = year(w) {
        let before = if i > 0 {
            words[i - 1].to_lowercase()
        } else {
            String::new()
        };
        if YEAR_PREPOSITIONS.contains(&before.as_str()) {
            return (1, Some(y.to_string()));
        }
        return (0, None);
    }
    // (the first words of `HOLIDAYS`: 3 to 12 letters, these initials)
    let may_be_holiday = capitalised && may_be(w, 3..=12, b"ncbhget");
    if let Some((len, holiday)) = may_be_holiday.then(|| holiday_at(words, i)).flatten() {
        let value = published.and_then(|p| holiday.in_year(p.year()));
        return (len, value.map(|d| d.to_string()));
    }
    if let Some(wd) = capitalised.then(|| weekday(w)).flatten() {
        let value = published.map(|p| {
            let back = (7 + p.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
            (p - Duration::days(i64::from(back))).to_string()
        });
        return (1, value);
    }
    let offset = if may_be(w, 5..=9, b"ty") {
        with_lower(w, |w| match w {
            "today" => Some(0),
            "yesterday" => Some(-1),
            "tomorrow" => Some(1),
            _ => None,
        })
    } else {
        None
    };
    if let Some(offset) = offset {
        return (
            1,
            published.map(|p| (p + Duration::days(offset)).to_string()),
        );
    }
    (0, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::tokenize;

    fn dates(text: &str, published: &str) -> Vec<(String, Option<String>)> {
        let published = NaiveDate::parse_from_str(published, "%Y-%m-%d").ok();
        find_dates(text, &tokenize(text), published)
            .into_iter()
            .map(|d| (d.text, d.value))
            .collect()
    }

    fn v(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn normalises_absolute_and_relative_dates() {
        let got = dates(
            "On Monday, a press conference in Moscow, March 6, 2020. Since April 2019, attacks; since early 2011 war. Talks on 12 July and yesterday.",
            "2020-07-15",
        );
        assert_eq!(
            got,
            [
                ("Monday".to_string(), v("2020-07-13")),
                ("March 6, 2020".to_string(), v("2020-03-06")),
                ("April 2019".to_string(), v("2019-04")),
                ("2011".to_string(), v("2011")),
                ("12 July".to_string(), v("2020-07-12")),
                ("yesterday".to_string(), v("2020-07-14")),
            ]
        );
    }

    #[test]
    fn holidays_fall_in_the_year_of_publication() {
        assert_eq!(
            dates(
                "Before Easter, and by Christmas Eve; shops shut on Boxing Day and Thanksgiving.",
                "2024-03-12"
            ),
            [
                ("Easter".to_string(), v("2024-03-31")),
                ("Christmas Eve".to_string(), v("2024-12-24")),
                ("Boxing Day".to_string(), v("2024-12-26")),
                ("Thanksgiving".to_string(), v("2024-11-28")),
            ]
        );
        // Easter by the Gregorian computus in years of each kind
        for (year, sunday) in [
            (2000, "2000-04-23"),
            (2019, "2019-04-21"),
            (2025, "2025-04-20"),
        ] {
            assert_eq!(easter(year).map(|d| d.to_string()).as_deref(), Some(sunday));
        }
        assert_eq!(
            dates("Good Friday", "2025-01-01"),
            [("Good Friday".to_string(), v("2025-04-18"))]
        );
        assert!(is_holiday("Easter Monday") && !is_holiday("Easter Island"));
        assert_eq!(
            dates(
                "Fireworks on New Year's Eve and New Year’s Day",
                "2024-06-01"
            ),
            [
                ("New Year's Eve".to_string(), v("2024-12-31")),
                ("New Year’s Day".to_string(), v("2024-01-01")),
            ]
        );
        assert!(is_holiday("New Year's Day"));
        assert!(dates("A trip to Easter Island and Christmas Island", "2025-01-01").is_empty());
    }

    #[test]
    fn weekday_on_the_publication_day_is_that_day() {
        assert_eq!(
            dates("It happened on Wednesday.", "2020-07-15"),
            [("Wednesday".to_string(), v("2020-07-15"))]
        );
    }

    #[test]
    fn without_publication_date_relative_dates_have_no_value() {
        assert_eq!(
            dates("Talks resume on Thursday", "none"),
            [("Thursday".to_string(), None)]
        );
    }

    #[test]
    fn ordinary_words_and_numbers_are_not_dates() {
        assert!(dates(
            "The may be 1000 people; 250 soldiers in March formation",
            "2020-01-01"
        )
        .is_empty());
    }
}
