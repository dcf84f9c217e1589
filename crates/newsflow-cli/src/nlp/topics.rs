//! `newsflow nlp train-topics` and `eval-topics`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use newsflow_nlp::training::{
    calibrate, evaluate_topics as evaluate, gmb_windows, held_out, mean_sd, parse_bbc, parse_conll,
    parse_lexicon, train_topics as train, CalibrationOptions, Expected, Taxonomy, TopicEvaluation,
    TopicModel, TopicSources as Sources, TopicTrainOptions as TrainOptions, SENTENCES_PER_WINDOW,
};

use super::ag_news::{parse_items, parse_labels, score_items, score_reuters, short_as_ag_news};
use super::file_name;

/// The tuning sets written for the project: the first, nearly all single
/// topic; the second, written later with every applicable topic.
const TUNING_SETS: [&str; 2] = ["eval/topics/check.jsonl", "eval/topics/tune.jsonl"];

#[derive(Debug, Args)]
pub struct TrainTopicsArgs {
    /// The IPTC Media Topics file.
    #[arg(long, default_value = "../shared/data/iptc/media_topics.json")]
    pub taxonomy: PathBuf,
    /// BBC News articles (`{id, category, title, text}` lines); the fixed
    /// held-out fifth is left out.
    #[arg(long, default_value = "../shared/data/bbc/train.jsonl")]
    pub bbc: PathBuf,
    /// The topic lexicon.
    #[arg(long, default_value = "crates/newsflow-nlp/data/topics/lexicon.txt")]
    pub lexicon: PathBuf,
    #[arg(long, default_value = "models/topics-iptc.bin")]
    pub output: PathBuf,
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Pseudo-articles drawn per lexicon entry.
    #[arg(long, default_value_t = 300)]
    pub pseudo_per_entry: usize,
    #[arg(long, default_value_t = 1.0)]
    pub learning_rate: f32,
    /// The rate at epoch e is learning-rate / (1 + decay × e).
    #[arg(long, default_value_t = 0.2)]
    pub decay: f32,
    /// L2 penalty per step.
    #[arg(long, default_value_t = 1e-6)]
    pub l2: f32,
    /// Share of pseudo-articles that get sentences of a random BBC article
    /// as background, so that everyday news words do not point at a topic.
    #[arg(long, default_value_t = 0.7)]
    pub background: f32,
    /// Target of the background article's own topic in such a pseudo-article.
    #[arg(long, default_value_t = 0.3)]
    pub background_target: f32,
    /// Weight of a BBC article against one pseudo-article.
    #[arg(long, default_value_t = 8.0)]
    pub bbc_weight: f32,
    /// Train without the word-cluster features (to measure what they add).
    #[arg(long)]
    pub no_clusters: bool,
    /// Weight of a BBC article as a negative example for the twelve topics
    /// BBC does not label (1: as for the five it labels).
    #[arg(long, default_value_t = 0.1)]
    pub bbc_other_topics: f32,
    /// A BBC article with at least this many distinct lexicon terms of a
    /// topic BBC does not label is a weak positive for it (0: never).
    #[arg(long, default_value_t = 0)]
    pub lexicon_min_terms: usize,
    /// Target of such a weak positive.
    #[arg(long, default_value_t = 0.7)]
    pub lexicon_target: f32,
    /// Unlabelled newswire (GMB's NER CSV), read in windows of three
    /// sentences that the lexicon labels.
    #[arg(long, default_value = "../shared/data/gmb/ner_dataset.utf8.csv")]
    pub news: PathBuf,
    /// A news window is a weak positive for one of the twelve topics BBC
    /// does not label with at least this many distinct lexicon terms of
    /// it (0: the news is not read).
    #[arg(long, default_value_t = TrainOptions::default().news_min_terms)]
    pub news_min_terms: usize,
    /// …and this many more than of any other topic.
    #[arg(long, default_value_t = TrainOptions::default().news_margin)]
    pub news_margin: usize,
    /// The windows of one topic weigh this many windows at most in all.
    #[arg(long, default_value_t = TrainOptions::default().news_per_topic)]
    pub news_per_topic: f32,
    /// Weight of a labelled news window as a negative for each of the five
    /// BBC topics it holds no lexicon term of (0: none).
    #[arg(long, default_value_t = TrainOptions::default().news_bbc_negative)]
    pub news_bbc_negative: f32,
    /// Weight of a BBC article cut to its title and first sentence, an
    /// example beside the whole article (0: no cuts).
    #[arg(long, default_value_t = TrainOptions::default().bbc_cut_weight)]
    pub bbc_cut_weight: f32,
    /// Leave the lexicon terms of the twelve topics BBC does not label out
    /// of BBC articles' features.
    #[arg(long)]
    pub mask_lexicon_in_bbc: bool,
    /// The tuning sets, one of the two sources the calibration is fitted
    /// on (the other: cross-validation folds of the BBC articles);
    /// repeatable.
    #[arg(long, default_values = TUNING_SETS)]
    pub check: Vec<PathBuf>,
    /// BBC folds for the calibration; 0 leaves the scores uncalibrated.
    #[arg(long, default_value_t = 5)]
    pub calibration_folds: usize,
    /// One scaling for every topic, instead of a separate one (fitted on
    /// the tuning set alone) for the twelve topics BBC does not label.
    #[arg(long)]
    pub shared_calibration: bool,
    /// In the twelve topics' scaling, the weight of the BBC folds' scores
    /// (all negatives) against the tuning set's (0: the tuning set alone).
    #[arg(long, default_value_t = 0.0)]
    pub lexicon_calibration_bbc_weight: f64,
    /// One scaling shared by the five topics BBC labels, instead of one
    /// for each (fitted on its own pairs of the BBC folds and the tuning
    /// sets).
    #[arg(long)]
    pub one_bbc_scaling: bool,
    /// A scaling for each of the twelve topics BBC does not label too,
    /// instead of one they share (worse by cross-validation on the tuning
    /// sets, which hold 10 to 16 articles of each).
    #[arg(long)]
    pub per_lexicon_topic_calibration: bool,
    /// A BBC fold article holding this many distinct lexicon terms of
    /// another of the five BBC topics is left out of that topic's
    /// calibration (0: never).
    #[arg(long, default_value_t = 3)]
    pub cross_desk_min_terms: usize,
}

#[derive(Debug, Args)]
pub struct EvalTopicsArgs {
    #[arg(long, default_value = "models/topics-iptc.bin")]
    pub model: PathBuf,
    /// BBC News articles; only the held-out fifth is scored.
    #[arg(long, default_value = "../shared/data/bbc/train.jsonl")]
    pub bbc: PathBuf,
    /// Hand-written articles with their expected topics (JSON lines), each
    /// file scored on its own; repeatable.
    #[arg(long, default_values = TUNING_SETS)]
    pub check: Vec<PathBuf>,
    /// The evaluation set (JSON lines, written for the project, never
    /// trained or tuned on): only its totals are printed.
    #[arg(long, default_value = "eval/topics/eval.jsonl")]
    pub eval: PathBuf,
    /// CoNLL-2003 documents (Reuters, 1996), scored as AG News is against
    /// the classes `--reuters-labels` gives them.
    #[arg(long, default_value = "../shared/data/conll2003/eng.testa")]
    pub reuters: PathBuf,
    /// `index<TAB>AG News class<TAB>headline` of documents of `--reuters`,
    /// labelled for the project.
    #[arg(long, default_value = "eval/topics/reuters-ag.tsv")]
    pub reuters_labels: PathBuf,
    /// `AG News class<TAB>title<TAB>summary` of items written for the
    /// project in AG News' style, scored as AG News is.
    #[arg(long, default_value = "eval/topics/ag-style.tsv")]
    pub ag_style: PathBuf,
    /// List every miss of the BBC fifth, the Reuters documents and the
    /// tuning sets.
    #[arg(long)]
    pub verbose: bool,
    /// Also print the five best top-level topics of this article (a text
    /// file, title line first; repeatable), e.g. the agency sample.
    #[arg(long)]
    pub article: Vec<PathBuf>,
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

pub fn train_topics(args: TrainTopicsArgs) -> anyhow::Result<ExitCode> {
    let taxonomy = Taxonomy::parse(&read(&args.taxonomy)?).map_err(anyhow::Error::msg)?;
    let bbc =
        parse_bbc(&read(&args.bbc)?).map_err(|e| anyhow::anyhow!("{}: {e}", args.bbc.display()))?;
    let lexicon = parse_lexicon(&read(&args.lexicon)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.lexicon.display()))?;
    let options = TrainOptions {
        epochs: args.epochs,
        seed: args.seed,
        pseudo_per_entry: args.pseudo_per_entry,
        learning_rate: args.learning_rate,
        decay: args.decay,
        l2: args.l2,
        background: args.background,
        background_target: args.background_target,
        bbc_weight: args.bbc_weight,
        clusters: !args.no_clusters,
        bbc_other_topics: args.bbc_other_topics,
        lexicon_min_terms: args.lexicon_min_terms,
        lexicon_target: args.lexicon_target,
        news_min_terms: args.news_min_terms,
        news_margin: args.news_margin,
        news_per_topic: args.news_per_topic,
        news_bbc_negative: args.news_bbc_negative,
        bbc_cut_weight: args.bbc_cut_weight,
        bbc_mask_lexicon: args.mask_lexicon_in_bbc,
        ..TrainOptions::default()
    };
    let news = if args.news_min_terms > 0 {
        gmb_windows(&read(&args.news)?, SENTENCES_PER_WINDOW)
    } else {
        Vec::new()
    };
    let sources = Sources {
        taxonomy: &taxonomy,
        bbc: &bbc,
        lexicon: &lexicon,
        news: &news,
    };
    let started = Instant::now();
    let (mut model, report) = train(sources, &options).map_err(anyhow::Error::msg)?;
    if args.calibration_folds > 1 {
        let mut check = Vec::new();
        for path in &args.check {
            check.extend(read_expected(path)?);
        }
        let tuning_names = args
            .check
            .iter()
            .map(|p| file_name(p))
            .collect::<Vec<_>>()
            .join(" and ");
        let fit = calibrate(
            &model,
            sources,
            &options,
            &check,
            CalibrationOptions {
                folds: args.calibration_folds,
                separate_lexicon_topics: !args.shared_calibration,
                lexicon_topics_bbc_weight: args.lexicon_calibration_bbc_weight,
                per_bbc_topic: !args.shared_calibration && !args.one_bbc_scaling,
                per_lexicon_topic: args.per_lexicon_topic_calibration,
                cross_desk_min_terms: args.cross_desk_min_terms,
            },
        )
        .map_err(anyhow::Error::msg)?;
        let folds = |top1: &[f64]| {
            let (mean, sd) = mean_sd(top1.iter().copied());
            let each: Vec<String> = top1.iter().map(|a| format!("{a:.4}")).collect();
            format!("{mean:.4} ± {sd:.4} (folds {})", each.join(", "))
        };
        eprintln!(
            "BBC {}-fold cross-validation, top-1 accuracy of the raw scores {}, of the calibrated \
             scores {}",
            args.calibration_folds,
            folds(&fit.fold_top1),
            folds(&fit.fold_top1_calibrated)
        );
        let cv = &fit.tuning_cv;
        let (loss, loss_sd) = mean_sd(cv.log_loss.iter().copied());
        let (top1, top1_sd) = mean_sd(cv.top1.iter().copied());
        eprintln!(
            "the scalings fitted without each of {} folds of {}, scored on it: log loss per \
             (article, topic) {loss:.4} ± {loss_sd:.4}, best topic applies {top1:.4} ± \
             {top1_sd:.4}, calibration error of the best topic {:.3}",
            cv.log_loss.len(),
            tuning_names,
            cv.best_ece()
        );
        let scaling = |p: &newsflow_nlp::training::Platt| {
            let sign = if p.b < 0.0 { '−' } else { '+' };
            format!(
                "probability = sigmoid({:.3} × score {sign} {:.3})",
                p.a,
                p.b.abs()
            )
        };
        match &fit.lexicon_only {
            None => eprintln!(
                "calibration: {}, fitted on {} (article, topic) pairs of the BBC folds and {} of {}",
                scaling(&fit.platt),
                fit.bbc_pairs,
                fit.tuning_pairs,
                tuning_names
            ),
            Some(other) => eprintln!(
                "calibration of the five topics BBC labels: {}, fitted on their pairs of the \
                 BBC folds{} and {}; of the other twelve: {}, fitted on their pairs of {}{}",
                if args.one_bbc_scaling {
                    scaling(&fit.platt)
                } else {
                    "one scaling for each (below)".to_string()
                },
                if args.cross_desk_min_terms > 0 {
                    format!(
                        " ({} pairs of an article and another of the five left out, where it \
                         holds {} of that topic's lexicon terms)",
                        fit.cross_desk_pairs, args.cross_desk_min_terms
                    )
                } else {
                    String::new()
                },
                tuning_names,
                scaling(other),
                tuning_names,
                if args.lexicon_calibration_bbc_weight > 0.0 {
                    format!(
                        " and of the BBC folds at {} of its weight",
                        args.lexicon_calibration_bbc_weight
                    )
                } else {
                    " alone".to_string()
                }
            ),
        }
        if fit.lexicon_only.is_some() && !args.one_bbc_scaling {
            for (label, p) in model.top.labels.iter().zip(&fit.per_topic) {
                eprintln!("  {}: {}", label.label, scaling(p));
            }
        }
        model = model.with_calibration(fit.per_topic);
    }
    let bytes = model.to_bytes();
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("writing {}", args.output.display()))?;
    eprintln!(
        "trained on {} BBC articles (held-out fifth left out) and {} cut to title and first \
         sentence, {} taxonomy definitions, {} lexicon pseudo-articles, {} lexicon labels of BBC \
         articles, {} of {} news windows labelled by the lexicon; {} epochs, seed {}, {:.1} s",
        report.bbc_articles,
        report.bbc_cuts,
        report.taxonomy_documents,
        report.pseudo_articles,
        report.lexicon_labels,
        report.news_windows,
        report.news_given,
        options.epochs,
        options.seed,
        started.elapsed().as_secs_f64()
    );
    if !report.news_by_topic.is_empty() {
        let by_topic: Vec<String> = report
            .news_by_topic
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        eprintln!("news windows by topic: {}", by_topic.join(", "));
    }
    eprintln!(
        "wrote {} ({:.1} MB; {} top-level features, {} second-level)",
        args.output.display(),
        bytes.len() as f64 / 1e6,
        report.top_features,
        report.child_features
    );
    Ok(ExitCode::SUCCESS)
}

/// Articles with their expected topics, one JSON object a line.
fn read_expected(path: &Path) -> anyhow::Result<Vec<Expected>> {
    let mut out = Vec::new();
    for (i, line) in read(path)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let article: Expected = serde_json::from_str(line)
            .with_context(|| format!("{} line {}", path.display(), i + 1))?;
        out.push(article);
    }
    Ok(out)
}

fn print(name: &str, eval: &TopicEvaluation, verbose: bool) {
    println!(
        "{name}: {} articles, top-1 accuracy {:.4} ({}), top-1 = main topic {:.4}, top-3 accuracy {:.4} ({})",
        eval.articles,
        eval.top1_accuracy(),
        eval.top1,
        eval.main1 as f64 / eval.articles.max(1) as f64,
        eval.top3_accuracy(),
        eval.top3
    );
    if eval.articles == 0 {
        return;
    }
    let (best, all) = (eval.best_topic_ece(), eval.all_topics_ece());
    println!(
        "{name}: calibration error (ECE, 95% bootstrap interval) of the best topic {:.3} [{:.3}, {:.3}], of every topic {:.3} [{:.3}, {:.3}]",
        best.value, best.low, best.high, all.value, all.low, all.high
    );
    if verbose {
        for (id, title, expected, best) in &eval.misses {
            println!(
                "  miss {id} {title:?}: expected {} got {}",
                expected.join(","),
                best.join(",")
            );
        }
    }
}

pub fn eval_topics(args: EvalTopicsArgs) -> anyhow::Result<ExitCode> {
    let bytes =
        std::fs::read(&args.model).with_context(|| format!("reading {}", args.model.display()))?;
    let model = TopicModel::from_bytes(&bytes).with_context(|| args.model.display().to_string())?;
    println!("{}", file_name(&args.model));

    let held_out = held_out(
        parse_bbc(&read(&args.bbc)?).map_err(|e| anyhow::anyhow!("{}: {e}", args.bbc.display()))?,
    );
    print(
        "BBC held-out fifth",
        &evaluate(&model, &held_out),
        args.verbose,
    );
    let (hits, n) = short_as_ag_news(&model, &held_out);
    println!(
        "BBC held-out fifth, title and first sentence, scored as AG News is (sport, economy, \
         science and technology, the rest World): {:.4} ({hits} of {n})",
        hits as f64 / n.max(1) as f64
    );

    let labels = parse_labels(&read(&args.reuters_labels)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.reuters_labels.display()))?;
    let reuters = score_reuters(&model, &parse_conll(&read(&args.reuters)?), &labels)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.reuters.display()))?;
    let share = |hits: usize| hits as f64 / reuters.labelled.max(1) as f64;
    println!(
        "Reuters documents of {} labelled with AG News classes, scored as AG News is: whole \
         {:.4} ({} of {}), headline and first sentence {:.4} ({})",
        file_name(&args.reuters),
        share(reuters.whole),
        reuters.whole,
        reuters.labelled,
        share(reuters.short),
        reuters.short
    );
    if args.verbose {
        for miss in &reuters.misses {
            println!("  miss {miss}");
        }
    }
    let items = parse_items(&read(&args.ag_style)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.ag_style.display()))?;
    let scores = score_items(&model, &items);
    let hits: usize = scores.iter().map(|s| s.hits).sum();
    let classes: Vec<String> = scores
        .iter()
        .map(|s| {
            let misses: Vec<String> = s.misses.iter().map(|(c, n)| format!("{c} {n}")).collect();
            let given = if misses.is_empty() {
                String::new()
            } else {
                format!(" (given {})", misses.join(", "))
            };
            format!("{} {} of {}{given}", s.class, s.hits, s.items)
        })
        .collect();
    println!(
        "items of {} written in AG News' style, scored as AG News is: {:.4} ({hits} of {}); {}",
        file_name(&args.ag_style),
        hits as f64 / items.len().max(1) as f64,
        items.len(),
        classes.join("; ")
    );

    for path in &args.check {
        print(
            &format!("{} (tuning)", file_name(path)),
            &evaluate(&model, &read_expected(path)?),
            args.verbose,
        );
    }
    // The evaluation set's misses are never listed: reading them would
    // make it a tuning set.
    let eval = read_expected(&args.eval)?;
    print("evaluation set", &evaluate(&model, &eval), false);
    let mut styles: Vec<&str> = eval.iter().map(|a| a.style.as_str()).collect();
    styles.sort_unstable();
    styles.dedup();
    for style in styles {
        let part: Vec<Expected> = eval.iter().filter(|a| a.style == style).cloned().collect();
        print(&format!("  {style}"), &evaluate(&model, &part), false);
    }
    for path in &args.article {
        let text = read(path)?;
        let article = newsflow_core::RawArticle::from_text(&text)
            .with_context(|| format!("{}: no title line", path.display()))?;
        let features = model.featurizer().features(&article.title, &article.body);
        let best: Vec<String> = model
            .top_level(&features)
            .iter()
            .take(5)
            .map(|t| format!("{} {:.2}", t.label, t.score))
            .collect();
        println!("{}: {}", file_name(path), best.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
