-- Road distances (vägavstånd) are an imported input too. SQLite cannot change a CHECK, so the
-- table is rebuilt with the new kind.
CREATE TABLE additional_amount_inputs_new (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('befolkning', 'orter', 'utveckling', 'vagavstand')),
    version INTEGER NOT NULL,
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    imported_by TEXT NOT NULL REFERENCES users (id),
    imported_at BIGINT NOT NULL,
    UNIQUE (kind, version)
);
INSERT INTO additional_amount_inputs_new
    SELECT id, kind, version, filename, sha256, content, imported_by, imported_at
    FROM additional_amount_inputs;
DROP TABLE additional_amount_inputs;
ALTER TABLE additional_amount_inputs_new RENAME TO additional_amount_inputs;
