-- A joint decision: one party proposes (inskriven or ej inskriven) and the other confirms. While
-- the proposal waits the case stays `under_bedomning` and `case_proposals` holds the proposed
-- outcome and side. The decision row is the proposal; the other party's confirmation is written
-- on it.
ALTER TABLE decisions ADD COLUMN confirmed_at BIGINT;
ALTER TABLE decisions ADD COLUMN confirmed_by TEXT REFERENCES users (id);
ALTER TABLE decisions ADD COLUMN confirmed_unit_id TEXT REFERENCES units (id);
