-- Utvecklingsbudget: joint development items and each party's decision on them.
CREATE TABLE development_items (
    id TEXT PRIMARY KEY NOT NULL,
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    amount TEXT NOT NULL,
    financing TEXT NOT NULL CHECK (financing IN ('statsbidrag', 'lokalt_beslut')),
    region_percent TEXT NOT NULL,
    municipal_key TEXT NOT NULL CHECK (municipal_key IN ('befolkning', 'lika')),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX development_items_year ON development_items (year);

-- A party decides an item once; the note says where (e.g. the minutes' paragraph).
CREATE TABLE development_decisions (
    id TEXT PRIMARY KEY NOT NULL,
    item_id TEXT NOT NULL REFERENCES development_items (id),
    party TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('ja', 'nej')),
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at BIGINT NOT NULL,
    UNIQUE (item_id, party)
);
