//! Geo-linking: places found by the tagger to GeoNames entries, and
//! nationality words to their country.
//!
//! A name often fits several places (Tripoli in Libya and in Lebanon;
//! Georgia the country and the US state). Each candidate is scored by its
//! population and by whether the article's other places and nationality
//! words point at its country, so "Tripoli" next to "Libya" and "Libyan"
//! goes to Libya, and next to "Lebanon" to Lebanon.

pub mod build;
mod place;
mod place_table;

use std::collections::HashMap;

use newsflow_core::Entity;
use serde_json::{json, Map, Value};

use place::name_key;
pub use place::{Place, PlaceKind};
use place_table::PlaceTable;

/// `models/gazetteer/places.tsv`, laid out by the build (`build.rs`).
static BUILTIN_TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/places.bin"));

/// Weight of one mention of the place's country elsewhere in the article,
/// in units of ln(population): being in a country the article talks about
/// outweighs a population ratio of about e^8 ≈ 3,000.
const CONTEXT_BONUS: f64 = 8.0;
/// A name that is a country's name most likely means the country.
const COUNTRY_BONUS: f64 = 5.0;
/// Alternate names ("Kiev") count for less than main names.
const ALIAS_PENALTY: f64 = 3.0;

/// Countries whose towns are often named after British and Irish ones.
const NAMED_AFTER_BRITAIN: &[&str] = &["AU", "CA", "NZ", "US", "ZA"];
/// A town of [`NAMED_AFTER_BRITAIN`] below this population is not taken
/// for a name in an article that points at Britain or Ireland and never
/// at the town's country: the list holds towns of 15,000 and more only,
/// so the British district or village the article means is often missing
/// from it ("Easton" in a Bristol story is no town of Pennsylvania,
/// "Ashfield" in Nottinghamshire no suburb of Sydney).
const SMALL_TOWN_ABROAD: u64 = 100_000;

/// Name keys of a seat of power, a district and a planet that news names
/// far more often than the places of the list that share the name: "White
/// House" and "Whitehall" are old names of Casablanca and Atlanta there
/// (and Whitehall a town in Ohio), "West End" is Vancouver's, and
/// "Jupiter" a town in Florida (the list has no other planet's name).
/// Such a name stays unlinked rather than put on the wrong map.
/// ("Capitol Hill", "Times Square" and "Hollywood" are in the list as the
/// places news means.)
const NOT_THE_PLACE_OF_THE_LIST: &[&str] = &["jupiter", "west end", "white house", "whitehall"];

/// The place and nationality lists, indexed by normalised name.
#[derive(Debug, Clone, Default)]
pub struct Places {
    index: Index,
    nationalities: HashMap<String, String>,
}

/// Places, and by name key the places a name may mean (index, whether it
/// is their main name).
#[derive(Debug, Clone)]
enum Index {
    /// Read from TSV at run time.
    Lists {
        places: Vec<Place>,
        by_name: HashMap<String, Vec<(u32, bool)>>,
    },
    /// The build's table, read in place.
    Table(PlaceTable),
}

impl Default for Index {
    fn default() -> Self {
        Index::Lists {
            places: Vec::new(),
            by_name: HashMap::new(),
        }
    }
}

impl Places {
    /// Loads `places.tsv` and `nationalities.tsv` (see [`build`]); lines
    /// that do not parse are skipped. The built-in list is read in place
    /// instead ([`Places::builtin`]); tests load lists of their own.
    #[cfg(test)]
    pub fn from_tsv(places_tsv: &str, nationalities_tsv: &str) -> Self {
        let (places, keys) = place::index(places_tsv);
        Places {
            index: Index::Lists {
                places,
                by_name: keys.into_iter().collect(),
            },
            nationalities: nationalities(nationalities_tsv),
        }
    }

    /// The built-in place list (`models/gazetteer/places.tsv`), read in
    /// place, with these nationality words; `None` if the build's table
    /// is unreadable.
    pub fn builtin(nationalities_tsv: &str) -> Option<Self> {
        Some(Places {
            index: Index::Table(PlaceTable::read(BUILTIN_TABLE)?),
            nationalities: nationalities(nationalities_tsv),
        })
    }

    /// Places a name may refer to, with whether it is their main name.
    ///
    /// A name of three letters or fewer not written in capitals matches
    /// main names only: the aliases that short are codes ("US", "IO"),
    /// and "Io", Jupiter's moon, had been the British Indian Ocean
    /// Territory.
    fn candidates(&self, name: &str) -> Vec<(u32, bool)> {
        let key = name_key(name);
        if NOT_THE_PLACE_OF_THE_LIST.contains(&key.as_str()) {
            return Vec::new();
        }
        let mut candidates = match &self.index {
            Index::Lists { by_name, .. } => by_name.get(&key).cloned().unwrap_or_default(),
            Index::Table(table) => table.candidates(&key),
        };
        if name.chars().count() <= 3 && name.chars().any(char::is_lowercase) {
            candidates.retain(|&(_, main)| main);
        }
        candidates
    }

    /// Place `index` of the list.
    fn place(&self, index: u32) -> Option<Place> {
        match &self.index {
            Index::Lists { places, .. } => places.get(index as usize).cloned(),
            Index::Table(table) => table.place(index),
        }
    }

    /// The country a nationality word ("Turkish", "Azerbaijanis") names.
    pub fn nationality(&self, word: &str) -> Option<&str> {
        self.nationalities.get(&name_key(word)).map(String::as_str)
    }

    /// The best place for `name` given how often each country is
    /// mentioned in the article (`context`, already without this name's
    /// own mentions).
    pub fn resolve(&self, name: &str, context: &HashMap<String, f64>) -> Option<Place> {
        // A British county's name ("Kent", "Norfolk", "Surrey") is the
        // county, which the list lacks, not the American or Canadian town
        // named after it, unless the article points at that town's
        // country; a British town of the name may stand for it ("Durham").
        // One word: "New Hampshire" is a state.
        let county = !name.contains(' ') && crate::ner::is_county(name);
        self.candidates(name)
            .into_iter()
            .filter_map(|(i, main)| Some((self.place(i)?, main)))
            .filter(|(place, _)| {
                !county
                    || place.country == "GB"
                    || context
                        .get(&place.country)
                        .is_some_and(|&weight| weight > 0.0)
            })
            .map(|(place, main)| {
                let mut score = (1.0 + place.population as f64).ln();
                if place.kind == PlaceKind::Country {
                    score += COUNTRY_BONUS;
                }
                if !main {
                    score -= ALIAS_PENALTY;
                }
                if let Some(weight) = context.get(&place.country) {
                    score += CONTEXT_BONUS * weight.min(1.0);
                }
                (score, place)
            })
            .max_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(b.1.geonames_id.cmp(&a.1.geonames_id))
            })
            .map(|(_, place)| place)
            .filter(|place| {
                let points_at = |country: &str| context.get(country).is_some_and(|&w| w > 0.0);
                place.kind != PlaceKind::City
                    || place.population >= SMALL_TOWN_ABROAD
                    || !NAMED_AFTER_BRITAIN.contains(&place.country.as_str())
                    || points_at(&place.country)
                    || !(points_at("GB") || points_at("IE"))
            })
    }

    /// Adds `geo` and `links` to the LOC entities that name a known place
    /// and `links.country` to nationality words (MISC).
    pub fn link(&self, entities: &mut [Entity]) {
        // Countries the article points at without ambiguity: nationality
        // words and names with a single candidate (or naming a country).
        let mut evidence: Vec<Option<String>> = Vec::with_capacity(entities.len());
        for e in entities.iter() {
            let country = match e.kind.as_str() {
                "MISC" => self.nationality(&e.canonical).map(str::to_string),
                "LOC" => self.unambiguous_country(e),
                _ => None,
            };
            evidence.push(country);
        }
        // How often the article points at each country, counted once; each
        // place then sees the counts without its own evidence.
        let mut context: HashMap<String, f64> = HashMap::new();
        for country in evidence.iter().flatten() {
            *context.entry(country.clone()).or_default() += 1.0;
        }
        for i in 0..entities.len() {
            match entities[i].kind.as_str() {
                "MISC" => {
                    if let Some(country) = &evidence[i] {
                        let mut links = entities[i].links.take().unwrap_or_default();
                        links.insert("country".into(), Value::String(country.clone()));
                        entities[i].links = Some(links);
                    }
                }
                "LOC" => {
                    let own = evidence[i].as_ref().and_then(|c| context.get_mut(c));
                    if let Some(count) = own {
                        *count -= 1.0;
                    }
                    let place = self
                        .resolve(&entities[i].canonical, &context)
                        .or_else(|| self.resolve(&entities[i].text, &context));
                    if let Some(place) = place {
                        attach(&mut entities[i], &place);
                    }
                    if let Some(count) = evidence[i].as_ref().and_then(|c| context.get_mut(c)) {
                        *count += 1.0;
                    }
                }
                _ => {}
            }
        }
    }

    /// The country of a place name when the name leaves no doubt: it
    /// names a country, or only one place is called so.
    fn unambiguous_country(&self, e: &Entity) -> Option<String> {
        let candidates: Vec<Place> = self
            .candidates(&e.canonical)
            .into_iter()
            .filter_map(|(i, _)| self.place(i))
            .collect();
        let countries: Vec<&Place> = candidates
            .iter()
            .filter(|p| p.kind == PlaceKind::Country)
            .collect();
        match (countries.as_slice(), candidates.as_slice()) {
            ([country], _) => Some(country.country.clone()),
            (_, [only]) => (only.kind != PlaceKind::Continent).then(|| only.country.clone()),
            _ => None,
        }
    }
}

/// `word<TAB>country` lines by the word's name key.
fn nationalities(tsv: &str) -> HashMap<String, String> {
    tsv.lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(word, country)| (name_key(word), country.trim().to_string()))
        .collect()
}

fn attach(entity: &mut Entity, place: &Place) {
    // A name the article writes only in capitals (a dateline's "BERLIN")
    // is written as the place list writes it, or, found by another of its
    // names ("HERAT" for "Herāt"), as a word of letters alone is written;
    // not a short one, which may be an abbreviation ("DPRK")
    let shouted = entity.canonical.chars().any(char::is_alphabetic)
        && !entity.canonical.chars().any(char::is_lowercase);
    if shouted {
        if entity.canonical.to_lowercase() == place.name.to_lowercase() {
            entity.canonical = place.name.clone();
        } else if entity.canonical.chars().count() > 4
            && entity.canonical.chars().all(char::is_alphabetic)
        {
            entity.canonical = crate::gazetteer::title_case(&entity.canonical.to_lowercase());
        }
    }
    entity.geo = Some(json!({
        "geonames_id": place.geonames_id,
        "name": place.name,
        "kind": place.kind.as_str(),
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
    }));
    let mut links: Map<String, Value> = entity.links.take().unwrap_or_default();
    links.insert("geonames_id".into(), json!(place.geonames_id));
    // A continent's code is no country's, and some are other countries'
    // ISO codes ("AS" is American Samoa, "AF" Afghanistan): `geo` keeps
    // it beside its kind, the links leave it out.
    if place.kind != PlaceKind::Continent {
        links.insert("country".into(), json!(place.country));
    }
    entity.links = Some(links);
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsflow_core::{Mention, MentionField};

    const PLACES: &str = "\
2210247\tcity\tLY\t32.8925\t13.1800\t1302947\tTripoli\tTarabulus|Trablus
266826\tcity\tLB\t34.4367\t35.8497\t229398\tTripoli\tTripoli i Libanon
2215636\tcountry\tLY\t25.0000\t17.0000\t6461454\tLibya\tState of Libya
272103\tcountry\tLB\t33.8333\t35.8333\t4125247\tLebanon\tLebanese Republic
614540\tcountry\tGE\t42.0000\t43.5000\t3704500\tGeorgia\t
4197000\tregion\tUS\t33.5\t-84.0\t4000000\tGeorgia\t
6252001\tcountry\tUS\t38.0000\t-97.0000\t310232863\tUnited States\tUS|USA|United States of America
4180439\tcity\tUS\t33.7490\t-84.3880\t510823\tAtlanta\t
611717\tcity\tGE\t41.6941\t44.8337\t1049498\tTbilisi\t
6255147\tcontinent\tAS\t29.8406\t89.2969\t3812366000\tAsia\t
1873107\tcountry\tKP\t40.0000\t127.0000\t22912177\tNorth Korea\tDPRK
";
    const NATIONALITIES: &str = "Libyan\tLY\nLebanese\tLB\nGeorgian\tGE\nAmerican\tUS\n";

    fn entity(kind: &str, name: &str) -> Entity {
        Entity {
            text: name.into(),
            kind: kind.into(),
            canonical: name.into(),
            count: 1,
            salience: None,
            mentions: vec![Mention {
                field: MentionField::Body,
                start: 0,
                end: name.chars().count(),
            }],
            links: None,
            geo: None,
        }
    }

    fn linked(names: &[(&str, &str)]) -> Vec<Entity> {
        let places = Places::from_tsv(PLACES, NATIONALITIES);
        let mut entities: Vec<Entity> = names.iter().map(|(k, n)| entity(k, n)).collect();
        places.link(&mut entities);
        entities
    }

    /// Places named `names` (LOC entities), linked by the built-in list.
    fn linked_by_builtin(names: &[&str]) -> Vec<Entity> {
        let table = Places::builtin(NATIONALITIES).expect("the build's table reads");
        let mut entities: Vec<Entity> = names.iter().map(|n| entity("LOC", n)).collect();
        table.link(&mut entities);
        entities
    }

    /// The country the built-in list links the first of `names` to.
    fn country(names: &[&str]) -> Option<String> {
        let e = linked_by_builtin(names);
        geo_field(&e[0], "country").map(str::to_string)
    }

    /// A linked place's field.
    fn geo_field<'a>(e: &'a Entity, field: &str) -> Option<&'a str> {
        e.geo.as_ref()?[field].as_str()
    }

    fn geonames_id(e: &Entity) -> Option<u64> {
        e.geo.as_ref()?["geonames_id"].as_u64()
    }

    #[test]
    fn the_built_in_table_holds_what_places_tsv_holds() {
        const TSV: &str = include_str!("../../../../models/gazetteer/places.tsv");
        let table = Places::builtin(NATIONALITIES).expect("the build's table reads");
        let lists = Places::from_tsv(TSV, NATIONALITIES);
        let (Index::Table(built), Index::Lists { places, by_name }) = (&table.index, &lists.index)
        else {
            panic!("builtin reads the table, from_tsv the lists")
        };
        assert_eq!(built.len(), places.len());
        for (i, place) in places.iter().enumerate() {
            assert_eq!(built.place(i as u32).as_ref(), Some(place));
        }
        for (key, candidates) in by_name {
            assert_eq!(&built.candidates(key), candidates, "{key}");
        }
        assert!(built.candidates("no such place anywhere").is_empty());
        assert_eq!(built.place(places.len() as u32), None);
        // And the linking agrees.
        let names = [("LOC", "Tripoli"), ("LOC", "Georgia"), ("MISC", "Lebanese")];
        let mut a: Vec<Entity> = names.iter().map(|(k, n)| entity(k, n)).collect();
        let mut b = a.clone();
        table.link(&mut a);
        lists.link(&mut b);
        assert_eq!(a, b);
        assert!(a[0].geo.is_some());
    }

    #[test]
    fn a_british_county_is_no_town_abroad_unless_the_article_is_there() {
        let country = |names: &[&str]| -> Vec<Option<String>> {
            linked_by_builtin(names)
                .iter()
                .map(|e| geo_field(e, "country").map(str::to_string))
                .collect()
        };
        // Norfolk, Virginia and Surrey, British Columbia were chosen alone
        assert_eq!(country(&["Norfolk", "Surrey"]), [None, None]);
        // the British town of the name
        assert_eq!(country(&["Durham"]), [Some("GB".to_string())]);
        // a state in "-shire" is no county
        assert_eq!(country(&["New Hampshire"]), [Some("US".to_string())]);
        // and the town abroad where the article is about its country
        assert_eq!(
            country(&["Norfolk", "Virginia", "United States"])[0].as_deref(),
            Some("US")
        );
    }

    #[test]
    fn seats_of_power_districts_and_planets_are_not_the_towns_of_the_list() {
        let e = linked_by_builtin(&[
            "White House",
            "Whitehall",
            "West End",
            "Jupiter",
            "Casablanca",
        ]);
        assert!(e[..4].iter().all(|e| e.geo.is_none()), "{e:?}");
        assert_eq!(geo_field(&e[4], "country"), Some("MA"));
    }

    #[test]
    fn a_code_matches_only_in_capitals() {
        assert_eq!(country(&["Io"]), None);
        assert_eq!(country(&["IO"]).as_deref(), Some("IO"));
        assert_eq!(country(&["US"]).as_deref(), Some("US"));
        // a short main name in any case
        assert_eq!(country(&["Ufa"]).as_deref(), Some("RU"));
    }

    #[test]
    fn a_small_american_town_is_no_district_of_a_british_story() {
        // "Easton" of Bristol is not in the list, Easton, Pennsylvania is
        assert_eq!(country(&["Easton", "England"]), None);
        assert_eq!(country(&["Easton", "Scotland", "Wales"]), None);
        assert_eq!(country(&["Easton"]).as_deref(), Some("US"));
        assert_eq!(
            country(&["Easton", "England", "Pennsylvania"]).as_deref(),
            Some("US")
        );
        // a city is a city, and a small town elsewhere stays found
        assert_eq!(country(&["Toronto", "England"]).as_deref(), Some("CA"));
        assert_eq!(country(&["Narbonne", "England"]).as_deref(), Some("FR"));
    }

    #[test]
    fn a_british_story_s_newcastle_and_hull_are_the_towns_on_the_tyne_and_the_humber() {
        let e = linked_by_builtin(&["Newcastle", "Hull", "Stoke", "England"]);
        let names: Vec<_> = e[..3].iter().map(|e| geo_field(e, "name")).collect();
        assert_eq!(
            names,
            [
                Some("Newcastle upon Tyne"),
                Some("Kingston upon Hull"),
                Some("Stoke-on-Trent")
            ]
        );
        // elsewhere the larger Newcastle, in Australia
        assert_eq!(country(&["Newcastle"]).as_deref(), Some("AU"));
        assert_eq!(country(&["Newcastle", "Sydney"]).as_deref(), Some("AU"));
    }

    #[test]
    fn congo_alone_is_the_democratic_republic_unless_the_article_is_in_the_other() {
        assert_eq!(country(&["Congo"]).as_deref(), Some("CD"));
        assert_eq!(country(&["Congo", "Goma"]).as_deref(), Some("CD"));
        assert_eq!(country(&["Congo", "Brazzaville"]).as_deref(), Some("CG"));
        assert_eq!(country(&["Republic of Congo"]).as_deref(), Some("CG"));
    }

    #[test]
    fn a_place_s_name_written_without_its_accents_finds_the_place() {
        let e = linked_by_builtin(&["Reykjavik", "GDANSK", "Zurich", "Tromso"]);
        let names: Vec<Option<&str>> = e.iter().map(|e| geo_field(e, "name")).collect();
        assert_eq!(
            names,
            [
                Some("Reykjavík"),
                Some("Gdańsk"),
                Some("Zürich"),
                Some("Tromsø")
            ]
        );
        // the article's own spelling stays its text
        assert_eq!(e[0].text, "Reykjavik");
    }

    #[test]
    fn a_place_written_in_capitals_takes_the_place_list_s_spelling() {
        let linked = linked(&[
            ("LOC", "TBILISI"),
            ("LOC", "US"),
            ("LOC", "TARABULUS"),
            ("LOC", "USA"),
            ("LOC", "DPRK"),
        ]);
        assert_eq!(linked[0].canonical, "Tbilisi");
        assert_eq!(linked[0].text, "TBILISI");
        assert_eq!(geonames_id(&linked[0]), Some(611717));
        // an abbreviation is no spelling of the place's name
        assert_eq!(linked[1].canonical, "US");
        // found by another of its names: the word as it is written
        assert_eq!(linked[2].canonical, "Tarabulus");
        assert_eq!(geonames_id(&linked[2]), Some(2210247));
        assert_eq!(linked[3].canonical, "USA");
        assert_eq!(geonames_id(&linked[3]), Some(6252001));
        assert_eq!(linked[4].canonical, "DPRK");
        assert_eq!(geonames_id(&linked[4]), Some(1873107));
    }

    #[test]
    fn a_continent_is_on_the_map_but_links_to_no_country() {
        let linked = linked(&[("LOC", "Asia")]);
        let asia = &linked[0];
        assert_eq!(geonames_id(asia), Some(6255147));
        let geo = asia.geo.as_ref().expect("placed");
        assert_eq!(geo["kind"], "continent");
        let links = asia.links.as_ref().expect("linked");
        assert_eq!(links.get("geonames_id"), Some(&json!(6255147)));
        // "AS" would read as American Samoa
        assert_eq!(links.get("country"), None);
    }

    #[test]
    fn tripoli_follows_the_country_of_the_article() {
        let libya = linked(&[("LOC", "Tripoli"), ("LOC", "Libya")]);
        assert_eq!(geonames_id(&libya[0]), Some(2210247));
        let lebanon = linked(&[("LOC", "Tripoli"), ("LOC", "Lebanon")]);
        assert_eq!(geonames_id(&lebanon[0]), Some(266826));
        assert_eq!(lebanon[0].geo.as_ref().unwrap()["country"], "LB");
        // a nationality word is context too
        let lebanese = linked(&[("LOC", "Tripoli"), ("MISC", "Lebanese")]);
        assert_eq!(geonames_id(&lebanese[0]), Some(266826));
        // alone, the larger city
        assert_eq!(
            geonames_id(&linked(&[("LOC", "Tripoli")])[0]),
            Some(2210247)
        );
    }

    #[test]
    fn georgia_is_the_country_unless_the_article_is_american() {
        let alone = linked(&[("LOC", "Georgia")]);
        assert_eq!(alone[0].geo.as_ref().unwrap()["kind"], "country");
        let caucasus = linked(&[("LOC", "Georgia"), ("LOC", "Tbilisi")]);
        assert_eq!(geonames_id(&caucasus[0]), Some(614540));
        let state = linked(&[("LOC", "Georgia"), ("LOC", "Atlanta"), ("LOC", "US")]);
        assert_eq!(state[0].geo.as_ref().unwrap()["kind"], "region");
        assert_eq!(state[0].geo.as_ref().unwrap()["country"], "US");
    }

    #[test]
    fn abbreviations_and_aliases_resolve() {
        let e = linked(&[("LOC", "U.S."), ("LOC", "the United States")]);
        assert_eq!(geonames_id(&e[0]), Some(6252001));
        assert_eq!(geonames_id(&e[1]), Some(6252001));
        let links = e[0].links.as_ref().unwrap();
        assert_eq!(links["country"], "US");
        assert_eq!(links["geonames_id"], 6252001);
    }

    #[test]
    fn nationality_words_link_to_their_country_and_others_stay_bare() {
        let e = linked(&[
            ("MISC", "Libyan"),
            ("MISC", "Olympics"),
            ("LOC", "Atlantis"),
        ]);
        assert_eq!(e[0].links.as_ref().unwrap()["country"], "LY");
        assert!(e[0].geo.is_none());
        assert!(e[1].links.is_none());
        assert!(e[2].geo.is_none() && e[2].links.is_none());
    }
}
