//! Topics, places and language on hand-written articles, through the
//! annotator with the built-in models; and the topic model's scores on the
//! BBC held-out fifth (skipped without `../shared/data`).

mod common;

use common::{repo, shared};
use newsflow_core::{EnrichedArticle, Entity, RawArticle};
use newsflow_nlp::training::{
    evaluate_topics as evaluate, held_out, parse_bbc, Expected, TopicModel,
};
use newsflow_nlp::Annotator;

fn annotate(title: &str, body: &str) -> EnrichedArticle {
    let annotator = Annotator::with_default_models().expect("built-in models load");
    annotator.annotate(RawArticle::new(title, body), None)
}

fn place<'a>(article: &'a EnrichedArticle, name: &str) -> &'a Entity {
    article
        .entities
        .iter()
        .find(|e| e.kind == "LOC" && e.canonical == name)
        .unwrap_or_else(|| panic!("no LOC {name} in {:?}", article.entities))
}

fn geo<'a>(entity: &'a Entity, field: &str) -> &'a serde_json::Value {
    &entity.geo.as_ref().expect("the place is linked")[field]
}

/// Top-level topic labels, best first.
fn top_level(article: &EnrichedArticle) -> Vec<&str> {
    article
        .topics
        .iter()
        .filter(|t| t.id.ends_with("000000"))
        .map(|t| t.label.as_str())
        .collect()
}

#[test]
fn tripoli_is_in_libya_or_lebanon_by_the_company_it_keeps() {
    let libya = annotate(
        "Clashes resume south of Tripoli",
        "Forces loyal to the government in Tripoli fought rival units on Sunday, \
         Libya's interior ministry said. Libyan officials called for calm.",
    );
    let tripoli = place(&libya, "Tripoli");
    assert_eq!(geo(tripoli, "country"), "LY");
    assert_eq!(geo(tripoli, "geonames_id"), 2210247);
    assert_eq!(geo(tripoli, "kind"), "city");
    let lat = geo(tripoli, "lat").as_f64().unwrap();
    assert!((32.0..34.0).contains(&lat), "{lat}");

    let lebanon = annotate(
        "Protesters block roads in Tripoli",
        "Hundreds of protesters blocked roads in the northern city of Tripoli on Monday, \
         as Lebanon's currency fell to a new low. Lebanese troops were deployed.",
    );
    let tripoli = place(&lebanon, "Tripoli");
    assert_eq!(geo(tripoli, "country"), "LB");
    assert_eq!(geo(tripoli, "geonames_id"), 266826);
}

#[test]
fn georgia_is_a_country_in_the_caucasus_and_a_state_in_america() {
    let caucasus = annotate(
        "Georgia holds talks with Russia",
        "Officials from Georgia and Russia met in Geneva on Tuesday. The delegation \
         returned to Tbilisi in the evening.",
    );
    let georgia = place(&caucasus, "Georgia");
    assert_eq!(geo(georgia, "kind"), "country");
    assert_eq!(geo(georgia, "country"), "GE");

    let state = annotate(
        "Storms cut power across Georgia",
        "Thousands of homes in Atlanta lost power as storms moved across Georgia \
         on Wednesday, and the United States weather service warned of more rain.",
    );
    let georgia = place(&state, "Georgia");
    assert_eq!(geo(georgia, "kind"), "region");
    assert_eq!(geo(georgia, "country"), "US");
}

#[test]
fn nationality_words_carry_their_country() {
    let article = annotate(
        "Turkish and Azerbaijani ministers meet",
        "The Turkish foreign minister met his Azerbaijani counterpart in Baku on Friday.",
    );
    for (word, country) in [("Turkish", "TR"), ("Azerbaijani", "AZ")] {
        let e = article
            .entities
            .iter()
            .find(|e| e.kind == "MISC" && e.canonical == word)
            .unwrap_or_else(|| panic!("no MISC {word} in {:?}", article.entities));
        assert_eq!(e.links.as_ref().unwrap()["country"], country);
    }
    assert_eq!(geo(place(&article, "Baku"), "country"), "AZ");
}

#[test]
fn agency_world_news_is_politics_and_conflict_not_business() {
    let article = annotate(
        "Leaders discuss border clashes and refugees in phone call",
        "The two presidents discussed the recent border clashes between the \
         neighbouring countries in a phone call on Monday, the presidency said. \
         They also talked about the ceasefire in the region, where fighting between \
         government forces and militias has displaced thousands of refugees. \
         The foreign ministers will meet next week for talks on a peace deal, \
         a diplomatic source said.",
    );
    let top = top_level(&article);
    assert_eq!(top.len(), 17, "every top-level topic is scored");
    let best_two = &top[..2];
    assert!(
        best_two.contains(&"politics") && best_two.contains(&"conflict, war and peace"),
        "{top:?}"
    );
    let scores: Vec<f64> = article.topics.iter().map(|t| t.score).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "sorted: {scores:?}"
    );
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
}

/// Coalition talks in Berlin over how to fund pensions: politics, with
/// economy second. With one scaling shared by the five BBC topics, economy
/// came first (0.78 against 0.63).
#[test]
fn coalition_talks_are_politics_before_economy() {
    let text = std::fs::read_to_string(repo().join("samples/01-politics-coalition-talks.txt"))
        .expect("the repository's sample");
    let (title, body) = text.split_once('\n').expect("a title line");
    let article = annotate(title.trim(), body.trim());
    let top = top_level(&article);
    assert_eq!(
        top[..2],
        ["politics", "economy, business and finance"],
        "{top:?}"
    );
}

#[test]
fn unseen_topics_are_recognised() {
    for (title, body, expected) in [
        (
            "Flash floods sweep away bridge",
            "Rescue teams searched for survivors after flash floods swept away a bridge \
             and killed at least nine people, emergency services said.",
            "disaster, accident and emergency incident",
        ),
        (
            "Thunderstorms and hail forecast for the weekend",
            "Forecasters expect thunderstorms, hail and gusts of wind on Saturday, \
             with temperatures falling to 12 degrees Celsius.",
            "weather",
        ),
        (
            "Cardinal elected to lead the diocese",
            "The cardinal will celebrate his first mass as bishop in the cathedral on Sunday, \
             the church said, and meet the clergy and the congregation afterwards.",
            "religion",
        ),
    ] {
        let article = annotate(title, body);
        assert_eq!(top_level(&article)[0], expected, "{title}");
    }
}

/// "Landslide" is a disaster word of the lexicon, and an election won by
/// one had disaster at 0.85 beside politics; a landslide that buries homes
/// must stay a disaster.
#[test]
fn a_landslide_victory_is_no_disaster_and_a_landslide_on_a_village_is() {
    let disaster = "disaster, accident and emergency incident";
    let election = annotate(
        "Governing party wins landslide victory",
        "The governing party won a landslide victory in Sunday's general election, \
         taking 71 of the 96 seats in parliament, the electoral commission said. \
         The president congratulated the prime minister, and opposition leaders \
         conceded defeat before dawn.",
    );
    assert_eq!(top_level(&election)[0], "politics");
    assert!(
        topic_score(&election, disaster) < 0.5,
        "{:?}",
        election.topics
    );
    let hillside = annotate(
        "Landslide buries homes after days of rain",
        "At least 14 people died and dozens are missing after a landslide swept \
         through a hillside village early on Thursday, officials said. Rescuers \
         were digging through mud with their hands as more rain fell.",
    );
    assert_eq!(top_level(&hillside)[0], disaster);
}

/// A shooting had crime at 0.54 and politics at 0.43 beside it, before the
/// lexicon's crime entry learnt "shot dead" and "at the scene".
#[test]
fn a_shooting_is_crime_with_confidence() {
    let article = annotate(
        "Two shot dead in city centre",
        "Officers were called to the street at 9pm on Friday.",
    );
    assert!(
        topic_score(&article, "crime, law and justice") > 0.8,
        "{:?}",
        article.topics
    );
    assert!(
        topic_score(&article, "politics") < 0.5,
        "{:?}",
        article.topics
    );
}

#[test]
fn french_and_turkish_articles_keep_their_language_and_skip_the_english_models() {
    for (title, body, code) in [
        (
            "Le gouvernement présente son budget",
            "Le ministre de l'Économie a présenté mercredi à Paris un budget qui prévoit \
             des économies dans les dépenses publiques et une hausse des impôts sur les \
             grandes entreprises.",
            "fr",
        ),
        (
            "Ankara'da yeni metro hattı açıldı",
            "Ankara Büyükşehir Belediyesi, şehrin doğusunu merkeze bağlayan yeni metro \
             hattının pazartesi günü hizmete girdiğini açıkladı. Hattın günde yüz bin \
             yolcu taşıması bekleniyor.",
            "tr",
        ),
    ] {
        let article = annotate(title, body);
        assert_eq!(article.language.code, code, "{title}");
        assert!(article.language.confidence > 0.5, "{title}");
        assert!(article.entities.is_empty(), "{title}");
        assert!(article.topics.is_empty(), "{title}");
        assert!(
            article.keywords.is_empty() && article.tone.is_none(),
            "{title}"
        );
        let why = article.analysis_skipped.expect("says why it was skipped");
        assert!(why.contains(code), "{why}");
    }
}

fn model() -> TopicModel {
    let bytes = std::fs::read(repo().join("models/topics-iptc.bin")).expect("the committed model");
    TopicModel::from_bytes(&bytes).expect("it loads")
}

/// A topic set of the repository's `eval/topics`.
fn topic_set(name: &str) -> Vec<Expected> {
    let text = std::fs::read_to_string(repo().join("eval/topics").join(name)).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).expect(name))
        .collect()
}

#[test]
fn tuning_sets_score_where_the_card_puts_them() {
    // the card reports top-1 0.9647 and 0.8941, top-3 0.9882 and 0.9529
    for (name, top1, top3) in [("check.jsonl", 0.93, 0.97), ("tune.jsonl", 0.86, 0.93)] {
        let set = topic_set(name);
        assert_eq!(set.len(), 85, "{name}");
        for code in (1..=17).map(|n| format!("medtop:{n:02}000000")) {
            let main = set.iter().filter(|a| a.topics.first() == Some(&code));
            assert_eq!(main.count(), 5, "{name} {code}");
        }
        let eval = evaluate(&model(), &set);
        assert!(
            eval.top1_accuracy() >= top1,
            "{name} top-1 {}",
            eval.top1_accuracy()
        );
        assert!(
            eval.top3_accuracy() >= top3,
            "{name} top-3 {}",
            eval.top3_accuracy()
        );
    }
}

#[test]
fn the_evaluation_set_has_ten_articles_per_topic_with_valid_codes() {
    let eval = topic_set("eval.jsonl");
    assert_eq!(eval.len(), 170);
    let codes: Vec<String> = (1..=17).map(|n| format!("medtop:{n:02}000000")).collect();
    for code in &codes {
        let main = eval.iter().filter(|a| a.topics.first() == Some(code));
        assert_eq!(main.count(), 10, "{code}");
    }
    for article in &eval {
        assert!(
            article.topics.iter().all(|t| codes.contains(t)),
            "{}",
            article.id
        );
        assert!(["agency", "broadsheet", "local"].contains(&article.style.as_str()));
        assert!(
            !article.title.is_empty() && article.body.len() > 100,
            "{}",
            article.id
        );
    }
    // the model's score on it is printed by `newsflow nlp eval-topics`,
    // and gates nothing here: a test threshold would make it a tuning set
}

/// BBC labels one topic per article. Since the twelve topics BBC does not
/// label have their own calibration, a second topic that also applies
/// (labour for "Minimum wage increased", crime for a singer's bail) can
/// rank first, which this single-label count takes for a miss: the card
/// gives 0.9603, against 0.9802 with one scaling shared by all topics.
#[test]
fn bbc_held_out_fifth_top1_is_at_least_095() {
    let Some(text) = shared("data/bbc/train.jsonl") else {
        return;
    };
    let held_out = held_out(parse_bbc(&text).unwrap());
    assert!(held_out.len() > 300);
    let eval = evaluate(&model(), &held_out);
    assert!(
        eval.top1_accuracy() >= 0.95,
        "top-1 {}",
        eval.top1_accuracy()
    );
}

/// The shared agency sample (title line, then body), annotated.
fn agency_sample() -> Option<EnrichedArticle> {
    let text = shared("samples/erdogan-putin-call.txt")?;
    let (title, body) = text.trim_start().split_once('\n')?;
    Some(annotate(title.trim(), body.trim()))
}

#[test]
fn the_agency_sample_has_whole_names_as_key_phrases() {
    let Some(article) = agency_sample() else {
        return;
    };
    let phrases: Vec<&str> = article.keywords.iter().map(|k| k.text.as_str()).collect();
    // the fragments the extractor used to give
    for fragment in [
        "Russian counterpart Vladimir",
        "President Recep",
        "Putin discuss",
    ] {
        assert!(!phrases.contains(&fragment), "{phrases:?}");
    }
    assert!(phrases.contains(&"Recep Tayyip Erdoğan"), "{phrases:?}");
    // the caption's photo credit "(AA Photo)" is neither a phrase nor an
    // organisation
    assert!(!phrases.contains(&"AA Photo"), "{phrases:?}");
    assert!(
        !article.entities.iter().any(|e| e.canonical == "AA Photo"),
        "{:?}",
        article.entities
    );
    assert!(phrases.contains(&"Vladimir Putin"), "{phrases:?}");
    // a phrase is a whole name or holds no word of one
    for phrase in &phrases {
        let words: Vec<&str> = phrase.split(' ').collect();
        for entity in &article.entities {
            let name: Vec<&str> = entity.canonical.split(' ').collect();
            if *phrase != entity.canonical && name.len() > 1 {
                assert!(
                    !words.iter().any(|w| name.contains(w)),
                    "{phrase:?} cuts {:?}",
                    entity.canonical
                );
            }
        }
    }
}

#[test]
fn a_dateline_s_place_and_agency_are_no_key_phrases_unless_the_story_names_them() {
    let phrases = |article: &EnrichedArticle| -> Vec<String> {
        article.keywords.iter().map(|k| k.text.clone()).collect()
    };
    let article = annotate(
        "German factory output falls for a third month",
        "BERLIN (Reuters) - German industrial output fell for a third month in \
         October, the statistics office said on Thursday, as carmakers cut \
         production.\n\nEconomists had expected output to rise by 0.2%. The \
         energy-intensive chemicals sector was hit hardest.",
    );
    // where the copy was filed is still a place of the article
    place(&article, "Berlin");
    assert!(
        !phrases(&article).contains(&"Berlin".to_string()),
        "{:?}",
        phrases(&article)
    );
    let article = annotate(
        "Earthquake kills dozens in western Afghanistan",
        "HERAT, Afghanistan (AP) - A magnitude 6.3 earthquake killed at least 40 \
         people in western Afghanistan on Saturday, officials said, flattening \
         villages near the city of Herat.\n\nRescue teams dug through rubble.",
    );
    let got = phrases(&article);
    assert!(!got.contains(&"AP".to_string()), "{got:?}");
    for named_again in ["Afghanistan", "Herat"] {
        assert!(got.contains(&named_again.to_string()), "{got:?}");
    }
    // a dateline with no agency, where the body opens
    let article = annotate(
        "Nurses walk out over pay and staffing",
        "WELLINGTON - Thousands of nurses in New Zealand walked off the job on \
         Tuesday in a 24-hour strike over staffing and pay, their union said. \
         Hospitals postponed planned surgery.",
    );
    place(&article, "Wellington");
    let got = phrases(&article);
    assert!(
        !got.iter().any(|p| p.eq_ignore_ascii_case("wellington")),
        "{got:?}"
    );
}

#[test]
fn the_agency_sample_is_politics_and_conflict() {
    let Some(article) = agency_sample() else {
        return;
    };
    let top = top_level(&article);
    assert!(
        top[..2].contains(&"politics") && top[..2].contains(&"conflict, war and peace"),
        "{top:?}"
    );
    // both apply, so each is scored more likely than not
    let best_two = article
        .topics
        .iter()
        .filter(|t| t.id.ends_with("000000"))
        .take(2);
    for topic in best_two {
        assert!(topic.score >= 0.5, "{:?}", article.topics);
    }
    let tripoli = place(&article, "Tripoli");
    assert_eq!(geo(tripoli, "country"), "LY");
}

/// The score of the article's topic with `label`, 0 if it has none.
fn topic_score(article: &EnrichedArticle, label: &str) -> f64 {
    article
        .topics
        .iter()
        .find(|t| t.label == label)
        .map_or(0.0, |t| t.score)
}

/// A central bank's rate decision had politics first (0.87, economy 0.84):
/// "England", "Governor", "voting" and "committee" are BBC politics words.
/// The lexicon's economy entry has the central banks and their words.
#[test]
fn a_central_bank_s_rate_decision_is_economy_first() {
    let article = annotate(
        "Bank of England keeps rates on hold",
        "The Bank of England kept interest rates unchanged on Thursday, its \
         monetary policy committee voting 6-3 to hold borrowing costs. The \
         governor said price rises were slowing.",
    );
    let economy = topic_score(&article, "economy, business and finance");
    assert!(economy > 0.8, "{:?}", article.topics);
    assert!(
        economy > topic_score(&article, "politics"),
        "{:?}",
        article.topics
    );
}

/// Hospital news had health at 0.16 ("waiting times") or below a crime or
/// politics score; the lexicon's health entry has the words of hospitals'
/// services.
#[test]
fn hospital_waiting_times_and_maternity_care_are_health() {
    for (title, body) in [
        (
            "A&E waiting times at their worst on record",
            "Thousands of patients waited more than 12 hours in A&E last \
             month, and hospital beds were full in most trusts, figures show.",
        ),
        (
            "Trust fined over failings in maternity care",
            "A hospital trust was fined £500,000 after failings in its \
             maternity unit, where midwives were short-staffed for months.",
        ),
    ] {
        let article = annotate(title, body);
        assert_eq!(
            article.topics.first().map(|t| t.label.as_str()),
            Some("health"),
            "{title}: {:?}",
            article.topics
        );
    }
}

/// A president's swearing-in had economy first (0.35, politics 0.13): the
/// lexicon's politics entry had no words for taking office.
#[test]
fn a_president_sworn_in_is_politics_first() {
    let article = annotate(
        "Economist Varga sworn in as president",
        "Tomas Varga was sworn in as president on Sunday, promising deep \
         spending cuts to tackle inflation of more than 100%. The economist \
         won last month's run-off with 55% of the vote.",
    );
    assert_eq!(top_level(&article)[0], "politics", "{:?}", article.topics);
}
