-- One decision as the Redis scripts make it: the stored decision, the
-- window's articles sharing one of 32 bands, then in one transaction the
-- check for a newer band member and the inserts. Without the arbitration
-- of racing replicas and without the window's eviction: a lower bound.
\set n random(1, 1000000000)
\set b random(1, 40000)
SELECT story FROM story_decision WHERE id = 'a' || :n;
SELECT d.id, d.story_id, d.t, d.sig FROM story_band s JOIN story_decision d USING (id)
  WHERE s.band = ANY (ARRAY(SELECT :b * 32 + g FROM generate_series(1, 32) g));
BEGIN;
SELECT 1 FROM story_band WHERE band = ANY (ARRAY(SELECT :b * 32 + g FROM generate_series(1, 32) g)) AND seq > 0 LIMIT 1;
INSERT INTO story_decision (id, story, sig, story_id, t)
  VALUES ('a' || :n, '{"id":"x","kind":"original","similarity":0}', decode(repeat('ab', 640), 'hex'), 'a' || :n, 0)
  ON CONFLICT DO NOTHING;
INSERT INTO story_band SELECT :b * 32 + g, currval('story_decision_seq_seq'), 'a' || :n FROM generate_series(1, 32) g
  ON CONFLICT DO NOTHING;
COMMIT;
