-- The story an article belongs to and what it is against the articles
-- before it (`original`, `duplicate`, `same_story`), from the record's
-- `story`; NULL for records without one (detection off, or written before
-- the enricher decided stories).
ALTER TABLE articles
    ADD COLUMN story_id text GENERATED ALWAYS AS (record -> 'story' ->> 'id') STORED,
    ADD COLUMN story_kind text GENERATED ALWAYS AS (record -> 'story' ->> 'kind') STORED;
CREATE INDEX articles_story_id ON articles (story_id);

-- Stories rather than articles: one row per story (an article without a
-- story is a story of its own), with how often it was reprinted or
-- written again, and when it was first and last published.
CREATE VIEW stories AS
SELECT coalesce(a.story_id, a.id) AS story_id,
       count(*) AS articles,
       count(*) FILTER (WHERE a.story_kind = 'duplicate') AS duplicates,
       count(*) FILTER (WHERE a.story_kind = 'same_story') AS same_story,
       min(coalesce(a.published_at, a.enriched_at)) AS first_seen,
       max(coalesce(a.published_at, a.enriched_at)) AS last_seen,
       (array_agg(a.title ORDER BY coalesce(a.published_at, a.enriched_at), a.id))[1] AS title
FROM articles a
GROUP BY coalesce(a.story_id, a.id);

-- Stories per day under their best-scored IPTC topic, beside the
-- articles: what topic_counts_daily counts once per article, counted once
-- per story (on the day and topic of its first article).
CREATE VIEW story_counts_daily AS
SELECT day, topic, count(*) AS stories
FROM (
    SELECT DISTINCT ON (coalesce(a.story_id, a.id))
           date_trunc('day', coalesce(a.published_at, a.enriched_at))::date AS day,
           a.top_topics[1] AS topic
    FROM articles a
    ORDER BY coalesce(a.story_id, a.id), coalesce(a.published_at, a.enriched_at), a.id
) first_articles
GROUP BY day, topic;
