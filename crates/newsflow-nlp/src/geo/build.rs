//! Builds `places.tsv` and `nationalities.tsv` from the public data sets.
//!
//! `places.tsv`: one place per line,
//! `geonames_id<TAB>kind<TAB>country<TAB>lat<TAB>lon<TAB>population<TAB>name<TAB>aliases`
//! with aliases separated by `|`. `nationalities.tsv`: `word<TAB>country`.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::gazetteer::{elements, members, strings, Parsed};

/// Cities below this population keep only their main name: their
/// alternate names are mostly transliterations that would collide with
/// better-known places.
const ALIAS_MIN_POPULATION: u64 = 500_000;

/// Country names common in English news that the sources lack. "Congo"
/// alone is both Congos: the sources give it to the Republic of the Congo
/// only, while the agencies write it for the far larger Democratic
/// Republic (and "Republic of Congo" for the other), so the two share it
/// and the population and the article's other places choose.
const EXTRA_COUNTRY_ALIASES: &[(&str, &str)] = &[
    ("GB", "Britain"),
    ("TR", "Turkey"),
    ("CD", "DR Congo"),
    ("CD", "Democratic Republic of Congo"),
    ("CD", "Congo"),
    ("CG", "Republic of Congo"),
    ("CZ", "Czech Republic"),
];

/// The nations of the United Kingdom, which the sources list neither as
/// countries nor as regions: (GeoNames id, name, lat, lon, population),
/// from GeoNames.
const UK_NATIONS: &[(u64, &str, f64, f64, u64)] = &[
    (6269131, "England", 52.16045, -0.70312, 54_224_000),
    (2638360, "Scotland", 56.5, -4.0, 5_295_000),
    (2634895, "Wales", 52.5, -3.5, 3_125_000),
    (2641364, "Northern Ireland", 54.58333, -6.5, 1_811_000),
];

struct PlaceRow {
    id: u64,
    kind: &'static str,
    country: String,
    lat: f64,
    lon: f64,
    population: u64,
    name: String,
    aliases: Vec<String>,
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str()?.parse().ok())
}

fn clean(name: &str) -> Option<String> {
    let name = name.trim();
    (!name.is_empty() && !name.contains(['\t', '\n', '|'])).then(|| name.to_string())
}

/// An alternate name worth matching: Latin script, written like a name
/// ("Kiev", not "KBP" or "kiev osh").
fn usable_alias(alias: &str) -> bool {
    alias.is_ascii()
        && alias.chars().count() >= 4
        && alias.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && alias.chars().any(|c| c.is_ascii_lowercase())
        && !alias.contains(['(', ')', ','])
}

/// Whether `alias` is the short name of a town named after its river or
/// the sea ("Newcastle" of "Newcastle upon Tyne", "Hull" of "Kingston upon
/// Hull", "Southend" of "Southend-on-Sea", "Rostov" of "Rostov-on-Don"):
/// the name news writes, which a town under [`ALIAS_MIN_POPULATION`] would
/// otherwise lose, leaving "Newcastle" to Australia's and South Africa's.
fn is_short_name(alias: &str, name: &str) -> bool {
    [" upon ", "-upon-", " on ", "-on-", " under ", "-under-"]
        .iter()
        .filter_map(|joint| name.split_once(joint))
        .any(|(town, river)| alias == town || alias == river)
}

/// (places.tsv, nationalities.tsv)
pub(crate) fn build(parsed: &Parsed) -> (String, String) {
    let mut rows = Vec::new();

    // US states have no coordinates in the source: place them at the
    // population-weighted centre of their cities.
    let mut state_centres: HashMap<String, (f64, f64, u64)> = HashMap::new();
    for (_, city) in members(&parsed.cities) {
        let (Some(id), Some(name), Some(country), Some(lat), Some(lon)) = (
            city["geonameid"].as_u64(),
            city["name"].as_str().and_then(clean),
            city["countrycode"].as_str(),
            number(&city["latitude"]),
            number(&city["longitude"]),
        ) else {
            continue;
        };
        let population = city["population"].as_u64().unwrap_or(0);
        if country == "US" {
            if let Some(state) = city["admin1code"].as_str() {
                let c = state_centres.entry(state.to_string()).or_default();
                c.0 += lat * population as f64;
                c.1 += lon * population as f64;
                c.2 += population;
            }
        }
        let aliases: Vec<String> = strings(&city["alternatenames"])
            .filter(|a| usable_alias(a) && *a != name)
            .filter(|a| population >= ALIAS_MIN_POPULATION || is_short_name(a, &name))
            .filter_map(clean)
            .collect();
        rows.push(PlaceRow {
            id,
            kind: "city",
            country: country.to_string(),
            lat,
            lon,
            population,
            name,
            aliases,
        });
    }

    for (code, state) in members(&parsed.us_states) {
        let (Some(id), Some(name), Some(&(lat, lon, population))) = (
            state["geonameid"].as_u64(),
            state["name"].as_str().and_then(clean),
            state_centres.get(code.as_str()),
        ) else {
            continue;
        };
        if population == 0 {
            continue;
        }
        rows.push(PlaceRow {
            id,
            kind: "region",
            country: "US".into(),
            lat: lat / population as f64,
            lon: lon / population as f64,
            population,
            name,
            aliases: Vec::new(),
        });
    }

    for (code, continent) in members(&parsed.continents) {
        let (Some(id), Some(name), Some(lat), Some(lon)) = (
            continent["geonameId"].as_u64(),
            continent["asciiName"].as_str().and_then(clean),
            number(&continent["lat"]),
            number(&continent["lng"]),
        ) else {
            continue;
        };
        rows.push(PlaceRow {
            id,
            kind: "continent",
            country: code.clone(),
            lat,
            lon,
            population: continent["population"].as_u64().unwrap_or(0),
            name,
            aliases: Vec::new(),
        });
    }

    // Countries: id and population from GeoNames, names and coordinates
    // from world-countries, joined on the ISO code.
    let geonames_countries = &parsed.countries;
    let mut population_of: HashMap<String, u64> = HashMap::new();
    for country in elements(&parsed.world_countries) {
        let Some(code) = country["cca2"].as_str() else {
            continue;
        };
        let geonames = &geonames_countries[code];
        let (Some(id), Some(name)) = (
            geonames["geonameid"].as_u64(),
            country["name"]["common"].as_str().and_then(clean),
        ) else {
            continue;
        };
        let latlng = country["latlng"].as_array();
        let (Some(lat), Some(lon)) = (
            latlng.and_then(|l| l.first()).and_then(number),
            latlng.and_then(|l| l.get(1)).and_then(number),
        ) else {
            continue;
        };
        let mut aliases: Vec<String> = Vec::new();
        let mut add = |alias: Option<&str>| {
            if let Some(a) = alias.and_then(clean) {
                if a != name && !aliases.contains(&a) {
                    aliases.push(a);
                }
            }
        };
        add(country["name"]["official"].as_str());
        add(geonames["name"].as_str());
        for alt in strings(&country["altSpellings"]) {
            // Upper-case codes ("US", "UAE") are kept: only entities the
            // tagger found are looked up, so they cannot match "us".
            let code_like = alt.len() >= 2 && alt.chars().all(|c| c.is_ascii_uppercase());
            if code_like || (alt.is_ascii() && alt.chars().count() > 3) {
                add(Some(alt));
            }
        }
        for (_, alias) in EXTRA_COUNTRY_ALIASES.iter().filter(|(c, _)| *c == code) {
            add(Some(alias));
        }
        let population = geonames["population"].as_u64().unwrap_or(0);
        population_of.insert(code.to_string(), population);
        rows.push(PlaceRow {
            id,
            kind: "country",
            country: code.to_string(),
            lat,
            lon,
            population,
            name,
            aliases,
        });
    }

    for &(id, name, lat, lon, population) in UK_NATIONS {
        rows.push(PlaceRow {
            id,
            kind: "region",
            country: "GB".into(),
            lat,
            lon,
            population,
            name: name.into(),
            aliases: Vec::new(),
        });
    }

    rows.sort_by(|a, b| (a.kind, &a.name, a.id).cmp(&(b.kind, &b.name, b.id)));
    let places: String = rows
        .iter()
        .map(|r| {
            format!(
                "{}\t{}\t{}\t{:.4}\t{:.4}\t{}\t{}\t{}\n",
                r.id,
                r.kind,
                r.country,
                r.lat,
                r.lon,
                r.population,
                r.name,
                r.aliases.join("|")
            )
        })
        .collect();

    (places, nationalities(parsed, &population_of))
}

/// Nationality words to the country they name, from the demonyms list
/// alone (one source licence per file). A word claimed by two countries
/// ("Dominican") goes to the more populous one.
fn nationalities(parsed: &Parsed, population_of: &HashMap<String, u64>) -> String {
    let mut claims: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut claim = |word: &str, code: &str| {
        let Some(word) = clean(word) else { return };
        let word = crate::gazetteer::title_case(&word);
        let codes = claims.entry(word).or_default();
        let code = code.to_ascii_uppercase();
        if !codes.contains(&code) {
            codes.push(code);
        }
    };
    for (code, word) in &parsed.demonyms {
        claim(word, code);
    }
    claims
        .into_iter()
        .filter_map(|(word, codes)| {
            let best = codes
                .iter()
                .max_by_key(|c| (population_of.get(*c).copied().unwrap_or(0), c.as_str()))?;
            Some(format!("{word}\t{best}\n"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::is_short_name;

    #[test]
    fn a_river_town_s_short_name_is_either_side_of_its_river() {
        assert!(is_short_name("Newcastle", "Newcastle upon Tyne"));
        assert!(is_short_name("Hull", "Kingston upon Hull"));
        assert!(is_short_name("Southend", "Southend-on-Sea"));
        assert!(is_short_name("Ashton", "Ashton-under-Lyne"));
        assert!(!is_short_name("Newcastle", "Newcastle"));
        assert!(!is_short_name("Kingston", "Kingston"));
        assert!(!is_short_name("Tyne", "Newcastle-upon-Tyne-and-Wear"));
        assert!(!is_short_name("Don", "London"));
    }
}
