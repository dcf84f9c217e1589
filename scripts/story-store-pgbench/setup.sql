-- The PostgreSQL side of the story store's measurement (docs/stories.md):
-- the tables a story index in PostgreSQL would need.
--   psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE storebench'
--   psql -h 127.0.0.1 -U postgres storebench -f setup.sql
--   pgbench -h 127.0.0.1 -U postgres -n -M prepared -c 16 -j 2 -T 20 -f decide.sql storebench
-- ANALYZE once the first run has filled the tables: the planner of an
-- empty table scans where it should use the indexes. The figures in
-- docs/stories.md are from runs after that.
DROP TABLE IF EXISTS story_band, story_decision;
CREATE TABLE story_decision (id text PRIMARY KEY, story jsonb NOT NULL, sig bytea NOT NULL,
  story_id text NOT NULL, t bigint NOT NULL, seq bigserial UNIQUE);
CREATE TABLE story_band (band bigint, seq bigint, id text NOT NULL, PRIMARY KEY (band, seq));
