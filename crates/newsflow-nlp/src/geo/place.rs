//! A place and how `places.tsv` spells it: shared by the build, which lays
//! the built-in place list out as a table (`build.rs` includes this file),
//! and by geo-linking, which reads it.

// The build and the tests read `places.tsv`; the crate reads the table.
#![allow(dead_code)]

/// What kind of place an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Country,
    Region,
    City,
    Continent,
}

impl PlaceKind {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "country" => PlaceKind::Country,
            "region" => PlaceKind::Region,
            "city" => PlaceKind::City,
            "continent" => PlaceKind::Continent,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Region => "region",
            PlaceKind::City => "city",
            PlaceKind::Continent => "continent",
        }
    }

    /// Its number in the built table.
    pub fn code(self) -> u8 {
        match self {
            PlaceKind::Country => 0,
            PlaceKind::Region => 1,
            PlaceKind::City => 2,
            PlaceKind::Continent => 3,
        }
    }

    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => PlaceKind::Country,
            1 => PlaceKind::Region,
            2 => PlaceKind::City,
            3 => PlaceKind::Continent,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub geonames_id: u64,
    pub kind: PlaceKind,
    /// ISO 3166 alpha-2; a continent code for continents.
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    pub name: String,
}

/// Lower case, without accents, dots, "the" or repeated spaces: "the
/// U.S." → "us", "Reykjavík" → "reykjavik", since English copy often
/// writes a place's name without its accents ("Bogota", "Lodz").
pub fn name_key(name: &str) -> String {
    let folded;
    let name = if name.is_ascii() {
        name
    } else {
        folded = deunicode::deunicode(name);
        &folded
    };
    let lower = name.to_lowercase().replace('.', "");
    let words: Vec<&str> = lower.split_whitespace().collect();
    let words = match words.first() {
        Some(&"the") if words.len() > 1 => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

/// One line of `places.tsv`: the place, and its main name then its
/// aliases. `None` for a line that does not parse.
pub fn parse_line(line: &str) -> Option<(Place, Vec<&str>)> {
    let f: Vec<&str> = line.split('\t').collect();
    let [id, kind, country, lat, lon, population, name, aliases] = f[..] else {
        return None;
    };
    let place = Place {
        geonames_id: id.parse().ok()?,
        kind: PlaceKind::parse(kind)?,
        country: country.to_string(),
        lat: lat.parse().ok()?,
        lon: lon.parse().ok()?,
        population: population.parse().ok()?,
        name: name.to_string(),
    };
    let mut names = vec![name];
    names.extend(aliases.split('|').filter(|a| !a.is_empty()));
    Some((place, names))
}

/// A name key and the places it may mean: (index, whether it is their
/// main name).
pub type Named = (String, Vec<(u32, bool)>);

/// Every place of `places.tsv` in order, and each name key with the
/// places it may mean, in the order the keys first appear.
pub fn index(places_tsv: &str) -> (Vec<Place>, Vec<Named>) {
    let mut places = Vec::new();
    let mut keys: Vec<Named> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for line in places_tsv.lines() {
        let Some((place, names)) = parse_line(line) else {
            continue;
        };
        let index = places.len() as u32;
        places.push(place);
        for (n, name) in names.iter().enumerate() {
            let key = name_key(name);
            let slot = *at.entry(key.clone()).or_insert_with(|| {
                keys.push((key, Vec::new()));
                keys.len() - 1
            });
            let entry = &mut keys[slot].1;
            if !entry.iter().any(|(i, _)| *i == index) {
                entry.push((index, n == 0));
            }
        }
    }
    (places, keys)
}
