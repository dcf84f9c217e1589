-- newsflow schema, version 1.
--
-- One row per article in `articles`, whatever how often it was enriched or
-- replayed: the sink upserts by id and keeps the newest enrichment. The
-- entity and topic rows of an article are replaced together with it.

CREATE TABLE articles (
    id               text PRIMARY KEY,
    title            text NOT NULL,
    url              text,
    source           text,
    published_at     timestamptz,
    language         text NOT NULL,
    -- IPTC Media Topic ids of the best-scored topics, best first.
    top_topics       text[] NOT NULL DEFAULT '{}',
    tone             real,
    -- The whole EnrichedArticle as the sink received it.
    record           jsonb NOT NULL,
    pipeline_version text NOT NULL,
    model_versions   jsonb NOT NULL,
    -- Pipeline and model versions in one comparable string: when two
    -- enrichments share `enriched_at`, the greater one wins.
    model_version    text NOT NULL,
    enriched_at      timestamptz NOT NULL,
    -- Where the sink read the record: topic, partition and offset.
    source_topic     text NOT NULL,
    source_partition integer NOT NULL,
    source_offset    bigint NOT NULL,
    written_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX articles_published_at ON articles (published_at);
CREATE INDEX articles_enriched_at ON articles (enriched_at);

CREATE TABLE entities (
    entity_id   bigserial PRIMARY KEY,
    -- type, canonical name and GeoNames id: "LOC|Tripoli|2210247", so that
    -- two places of one name stay two entities.
    key         text NOT NULL UNIQUE,
    type        text NOT NULL,
    canonical   text NOT NULL,
    geonames_id bigint,
    country     text
);
CREATE INDEX entities_canonical ON entities (lower(canonical));

CREATE TABLE article_entities (
    article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id  bigint NOT NULL REFERENCES entities (entity_id),
    text       text NOT NULL,
    count      integer NOT NULL,
    salience   real,
    mentions   jsonb NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX article_entities_entity ON article_entities (entity_id);

CREATE TABLE article_topics (
    article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    topic_id   text NOT NULL,
    label      text NOT NULL,
    score      real NOT NULL,
    PRIMARY KEY (article_id, topic_id)
);
CREATE INDEX article_topics_topic ON article_topics (topic_id);
