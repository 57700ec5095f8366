-- Stickprov i loggranskningen (HSLF-FS 2016:40 4 kap. 9 §): each draw with what it drew from,
-- its items in the order drawn, and the reviewer's finding and note on each, kept.
CREATE TABLE access_log_samples (
    id TEXT PRIMARY KEY NOT NULL,
    party TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('atkomster', 'patienter')),
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    requested_size INTEGER NOT NULL CHECK (requested_size > 0),
    population INTEGER NOT NULL CHECK (population >= 0),
    seed TEXT NOT NULL,
    drawn_by TEXT NOT NULL REFERENCES users (id),
    drawn_at BIGINT NOT NULL
);
CREATE INDEX access_log_samples_party ON access_log_samples (party, drawn_at);

CREATE TABLE access_log_sample_items (
    sample_id TEXT NOT NULL REFERENCES access_log_samples (id),
    position INTEGER NOT NULL,
    entry_id TEXT REFERENCES access_log (id),
    patient_id TEXT REFERENCES patients (id),
    finding TEXT CHECK (finding IN ('ok', 'folj-upp')),
    note TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT REFERENCES users (id),
    reviewed_at BIGINT,
    PRIMARY KEY (sample_id, position),
    CHECK ((entry_id IS NULL) <> (patient_id IS NULL)),
    CHECK ((finding IS NULL) = (reviewed_by IS NULL))
);
