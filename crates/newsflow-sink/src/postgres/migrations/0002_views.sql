-- Views for the questions people ask first. An article's day is its
-- publication day, or the day it was enriched when it has no date.

-- Named entities (people, organisations, places, other names; not dates
-- or amounts) by the number of articles of the last 7 days that mention
-- them.
CREATE VIEW top_entities_7d AS
SELECT e.entity_id, e.type, e.canonical, e.geonames_id, e.country,
       count(*) AS articles,
       sum(ae.count) AS mentions
FROM article_entities ae
JOIN entities e USING (entity_id)
JOIN articles a ON a.id = ae.article_id
WHERE coalesce(a.published_at, a.enriched_at) >= now() - interval '7 days'
  AND e.type IN ('PER', 'ORG', 'LOC', 'MISC')
GROUP BY e.entity_id
ORDER BY articles DESC, mentions DESC, e.canonical;

-- Every article with every entity it mentions; filter on `canonical`.
CREATE VIEW entity_articles AS
SELECT e.entity_id, e.type, e.canonical, a.id AS article_id, a.title, a.url,
       a.published_at, ae.count, ae.salience
FROM article_entities ae
JOIN entities e USING (entity_id)
JOIN articles a ON a.id = ae.article_id;

-- Articles per day under their best-scored IPTC topic: each article
-- counts once.
CREATE VIEW topic_counts_daily AS
SELECT date_trunc('day', coalesce(a.published_at, a.enriched_at))::date AS day,
       t.topic_id, t.label, count(*) AS articles
FROM articles a
JOIN article_topics t ON t.article_id = a.id AND t.topic_id = a.top_topics[1]
GROUP BY 1, 2, 3
ORDER BY 1, articles DESC;
