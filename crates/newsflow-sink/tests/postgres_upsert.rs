//! The PostgreSQL writer against the local server (no broker): migrations,
//! upsert order, and what happens to the child tables. The server is the
//! one the machine runs (`NEWSFLOW_TEST_POSTGRES`, default 127.0.0.1:5432
//! with trust authentication); each test makes its own database with the
//! end-to-end suite's helper.

use std::collections::BTreeMap;
use std::time::Duration;

use newsflow_core::{EnrichedArticle, LanguageGuess, Provenance, RawArticle, Story, StoryKind};
use newsflow_kafka::SourceRecord;
use newsflow_sink::postgres::{migrations, ArticleRow, PostgresOptions, PostgresWriter};
use newsflow_tests::postgres::{connect, TestDatabase};
use tokio_postgres::Client;

fn article(id: &str, enriched_at: &str, topics_model: &str, places: &[(&str, i64)]) -> ArticleRow {
    row(&enriched(id, enriched_at, topics_model, places))
}

fn enriched(
    id: &str,
    enriched_at: &str,
    topics_model: &str,
    places: &[(&str, i64)],
) -> EnrichedArticle {
    let mut raw = RawArticle::new(format!("Story {id}"), "Body text.");
    raw.id = id.to_string();
    raw.fill_defaults();
    let mut models = BTreeMap::new();
    models.insert("topics".to_string(), topics_model.to_string());
    let mut enriched = EnrichedArticle::from_raw(
        raw,
        LanguageGuess {
            code: "en".into(),
            confidence: 1.0,
            declared: None,
            detected: None,
        },
        Provenance {
            pipeline: "0.1.0".into(),
            models,
            source: None,
            enriched_at: enriched_at.into(),
        },
    );
    enriched.entities = places
        .iter()
        .map(|(name, geonames)| {
            serde_json::from_value(serde_json::json!({
                "text": name, "type": "LOC", "canonical": name, "count": 1,
                "mentions": [{"field": "title", "start": 0, "end": 1}],
                "links": {"geonames_id": geonames, "country": "XX"}
            }))
            .expect("entity")
        })
        .collect();
    enriched.topics = vec![serde_json::from_value(serde_json::json!(
        {"id": "medtop:11000000", "label": "politics", "score": 0.9}
    ))
    .expect("topic")];
    enriched
}

fn row(enriched: &EnrichedArticle) -> ArticleRow {
    let source = SourceRecord {
        topic: "articles.enriched".into(),
        partition: 0,
        offset: 0,
        key: None,
        payload: None,
        headers: Vec::new(),
        timestamp: None,
    };
    ArticleRow::new(enriched, &source).expect("row")
}

async fn write(writer: &PostgresWriter, rows: Vec<ArticleRow>) {
    let mut acks = Vec::new();
    for row in rows {
        acks.push(writer.append(row).await.expect("queued"));
    }
    for ack in acks {
        ack.await.expect("acknowledged").expect("written");
    }
}

async fn enrichment_of(client: &Client, id: &str) -> (String, String) {
    let row = client
        .query_one(
            "SELECT to_char(enriched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), model_version \
             FROM articles WHERE id = $1",
            &[&id],
        )
        .await
        .expect("row");
    (row.get(0), row.get(1))
}

async fn count(client: &Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).await.expect(sql).get(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn newest_enrichment_wins_whatever_the_order_of_arrival() {
    let db = TestDatabase::create().await;
    let url = db.url();
    let options = PostgresOptions::new(&url);
    let pool = options.pool().expect("pool");
    let mut client = connect(&url).await;
    assert_eq!(
        migrations::migrate(&mut client).await.expect("migrate"),
        [1, 2, 3, 4]
    );
    assert!(migrations::migrate(&mut client)
        .await
        .expect("again")
        .is_empty());

    let writer = PostgresWriter::start(pool, options.writer.clone());
    // In one batch: a, then a newer a, then an older a.
    write(
        &writer,
        vec![
            article("a", "2026-11-01T00:00:00Z", "t1", &[("Tripoli", 1)]),
            article("a", "2026-11-02T00:00:00Z", "t1", &[("Tripoli", 2)]),
            article("a", "2026-10-01T00:00:00Z", "t1", &[("Tripoli", 3)]),
            article("b", "2026-11-01T00:00:00Z", "t1", &[("Tripoli", 1)]),
        ],
    )
    .await;
    assert_eq!(enrichment_of(&client, "a").await.0, "2026-11-02 00:00:00");
    // In later batches: older loses, same time with a newer model wins.
    write(
        &writer,
        vec![article("a", "2026-11-01T12:00:00Z", "t9", &[])],
    )
    .await;
    assert_eq!(enrichment_of(&client, "a").await.0, "2026-11-02 00:00:00");
    write(
        &writer,
        vec![article(
            "a",
            "2026-11-02T00:00:00Z",
            "t2",
            &[("Tripoli", 1)],
        )],
    )
    .await;
    assert_eq!(
        enrichment_of(&client, "a").await,
        ("2026-11-02 00:00:00".into(), "0.1.0 topics=t2".into())
    );
    writer.close(Duration::from_secs(5)).await;

    assert_eq!(count(&client, "SELECT count(*) FROM articles").await, 2);
    // a's entity rows are those of its newest enrichment only.
    assert_eq!(
        count(
            &client,
            "SELECT count(*) FROM article_entities ae JOIN entities e USING (entity_id) \
             WHERE ae.article_id = 'a' AND e.geonames_id = 1"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &client,
            "SELECT count(*) FROM article_entities WHERE article_id = 'a'"
        )
        .await,
        1
    );
    // Places named Tripoli with GeoNames ids 1 and 2 were kept: two entities.
    assert_eq!(
        count(
            &client,
            "SELECT count(*) FROM entities WHERE canonical = 'Tripoli'"
        )
        .await,
        2
    );
    assert_eq!(
        count(&client, "SELECT count(*) FROM article_topics").await,
        2
    );
    let top: Vec<String> = client
        .query_one("SELECT top_topics FROM articles WHERE id = 'b'", &[])
        .await
        .expect("b")
        .get(0);
    assert_eq!(top, ["medtop:11000000"]);
}

/// Article `id` of story `story_id`, as `kind`.
fn in_story(id: &str, story_id: &str, kind: StoryKind) -> ArticleRow {
    let mut article = enriched(id, "2026-11-01T00:00:00Z", "t1", &[]);
    article.story = Some(Story {
        id: story_id.into(),
        kind,
        duplicate_of: (kind != StoryKind::Original).then(|| story_id.into()),
        similarity: 0.9,
    });
    row(&article)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_stories_view_counts_stories_not_articles() {
    let db = TestDatabase::create().await;
    let url = db.url();
    let options = PostgresOptions::new(&url);
    let mut client = connect(&url).await;
    migrations::migrate(&mut client).await.expect("migrate");
    let writer = PostgresWriter::start(options.pool().expect("pool"), options.writer.clone());
    write(
        &writer,
        vec![
            in_story("a", "a", StoryKind::Original),
            in_story("b", "a", StoryKind::Duplicate),
            in_story("c", "a", StoryKind::SameStory),
            in_story("d", "d", StoryKind::Original),
            // written before stories were decided
            article("e", "2026-11-01T00:00:00Z", "t1", &[]),
        ],
    )
    .await;
    assert_eq!(count(&client, "SELECT count(*) FROM articles").await, 5);
    assert_eq!(count(&client, "SELECT count(*) FROM stories").await, 3);
    let row = client
        .query_one(
            "SELECT articles, duplicates, same_story, title FROM stories WHERE story_id = 'a'",
            &[],
        )
        .await
        .expect("story a");
    let (articles, duplicates, same_story, title): (i64, i64, i64, String) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    assert_eq!((articles, duplicates, same_story), (3, 1, 1));
    assert_eq!(title, "Story a", "the story's first article's title");
    assert_eq!(
        count(
            &client,
            "SELECT count(*) FROM articles WHERE story_kind = 'duplicate'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&client, "SELECT sum(stories)::int8 FROM story_counts_daily").await,
        3
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_database_is_retried_not_refused() {
    // Nothing listens on port 1: every attempt fails to connect.
    let mut options = PostgresOptions::new("postgres://postgres@127.0.0.1:1/none");
    options.connect_timeout = Duration::from_millis(200);
    options.writer.min_backoff = Duration::from_millis(20);
    options.writer.max_backoff = Duration::from_millis(50);
    let writer = PostgresWriter::start(options.pool().expect("pool"), options.writer.clone());
    let mut health = writer.health();
    let mut ack = writer
        .append(article("x", "2026-11-01T00:00:00Z", "t1", &[]))
        .await
        .expect("queued");
    tokio::time::timeout(Duration::from_secs(10), health.wait_for(|healthy| !healthy))
        .await
        .expect("health turns false")
        .expect("health channel");
    // Still waiting, not failed: the row is neither written nor refused.
    assert!(
        tokio::time::timeout(Duration::from_millis(500), &mut ack)
            .await
            .is_err(),
        "the row was answered while the database was down"
    );
    writer.close(Duration::from_millis(100)).await;
    let answer = ack.await.expect("answered at close");
    assert!(
        matches!(answer, Err(newsflow_kafka::DeliveryFailure::Fatal(_))),
        "{answer:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sslmode_require_encrypts_and_a_foreign_ca_is_refused() {
    let db = TestDatabase::create().await;
    let url = db.url();
    let client = connect(&url).await;
    let mut options = PostgresOptions::new(format!("{url}?sslmode=require"));
    let pool = options.pool().expect("pool");
    let pooled = pool.get().await.expect("a TLS connection");
    let encrypted: bool = client
        .query_one(
            "SELECT bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE a.application_name = 'newsflow-sink' AND a.datname = current_database()",
            &[],
        )
        .await
        .expect("pg_stat_ssl")
        .get(0);
    assert!(encrypted, "the sink's connection is encrypted");
    drop(pooled);

    // A CA that did not sign the server's certificate: no connection.
    let dir = std::env::temp_dir().join(format!("nf-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, foreign_ca_pem()).unwrap();
    options.ca = Some(ca);
    let refused = options.pool().expect("pool").get().await;
    assert!(
        refused.is_err(),
        "a server the CA does not vouch for is refused"
    );
}

/// A self-signed CA certificate made on the spot, which signed nothing.
fn foreign_ca_pem() -> Vec<u8> {
    use openssl::asn1::Asn1Time;
    use openssl::hash::MessageDigest;
    use openssl::pkey::PKey;
    use openssl::rsa::Rsa;
    use openssl::x509::{X509NameBuilder, X509};
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "not-the-server-ca")
        .unwrap();
    let name = name.build();
    let mut cert = X509::builder().unwrap();
    cert.set_version(2).unwrap();
    cert.set_subject_name(&name).unwrap();
    cert.set_issuer_name(&name).unwrap();
    cert.set_pubkey(&key).unwrap();
    cert.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    cert.set_not_after(&Asn1Time::days_from_now(1).unwrap())
        .unwrap();
    cert.sign(&key, MessageDigest::sha256()).unwrap();
    cert.build().to_pem().unwrap()
}
