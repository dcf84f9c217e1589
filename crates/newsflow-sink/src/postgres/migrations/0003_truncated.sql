-- What the enricher's size bound left out of a record (entities, mentions,
-- dates), taken from the record itself; NULL when nothing was. Articles
-- written before this version have it too, from their stored record.
ALTER TABLE articles
    ADD COLUMN truncated jsonb GENERATED ALWAYS AS (record -> 'truncated') STORED;
