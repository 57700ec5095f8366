-- Tilläggsbelopp: stored calculations in their decision cycle, saved scenarios, pot amounts
-- entered as decisions, and imported inputs. All amounts are exact decimals stored as text.

-- One version of a year's calculation. `statement` is the whole calculation with its provenance
-- (JSON), so a decided version explains itself without recomputing.
CREATE TABLE additional_amount_versions (
    id TEXT PRIMARY KEY NOT NULL,
    year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('utkast', 'presenterat', 'beslutat', 'utbetalningsunderlag')),
    corrects TEXT REFERENCES additional_amount_versions (id),
    reason TEXT,
    rules TEXT NOT NULL,
    statement TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (year, version)
);

-- Who moved a version, and when.
CREATE TABLE additional_amount_events (
    id TEXT PRIMARY KEY NOT NULL,
    version_id TEXT NOT NULL REFERENCES additional_amount_versions (id),
    status TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX additional_amount_events_version ON additional_amount_events (version_id);

-- Named "tänk om" scenarios: parameters only (JSON), never a decision.
CREATE TABLE additional_amount_scenarios (
    id TEXT PRIMARY KEY NOT NULL,
    year INTEGER NOT NULL,
    name TEXT NOT NULL,
    parameters TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    UNIQUE (year, name)
);

-- A pot amount entered as a decision; the newest per year and pot wins over the indexation.
CREATE TABLE additional_amount_pot_decisions (
    id TEXT PRIMARY KEY NOT NULL,
    year INTEGER NOT NULL,
    pot TEXT NOT NULL,
    amount TEXT NOT NULL,
    note TEXT NOT NULL,
    decided_by TEXT NOT NULL REFERENCES users (id),
    decided_at BIGINT NOT NULL
);

-- Imported inputs, versioned per kind; the newest version of a kind is used.
CREATE TABLE additional_amount_inputs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('befolkning', 'orter', 'utveckling')),
    version INTEGER NOT NULL,
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    imported_by TEXT NOT NULL REFERENCES users (id),
    imported_at BIGINT NOT NULL,
    UNIQUE (kind, version)
);

-- A decided version never changes: only its step to utbetalningsunderlag is allowed.
CREATE FUNCTION additional_amount_decided_locked() RETURNS trigger AS $$
BEGIN
    IF OLD.status IN ('beslutat', 'utbetalningsunderlag') THEN
        IF TG_OP = 'DELETE'
           OR NEW.statement IS DISTINCT FROM OLD.statement OR NEW.rules IS DISTINCT FROM OLD.rules
           OR NEW.year IS DISTINCT FROM OLD.year OR NEW.version IS DISTINCT FROM OLD.version
           OR NEW.reason IS DISTINCT FROM OLD.reason OR NEW.corrects IS DISTINCT FROM OLD.corrects
           OR NEW.status NOT IN ('beslutat', 'utbetalningsunderlag')
           OR (OLD.status = 'utbetalningsunderlag' AND NEW.status <> OLD.status) THEN
            RAISE EXCEPTION 'a decided additional amount cannot be changed';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER additional_amount_decided_no_update BEFORE UPDATE OR DELETE ON additional_amount_versions
    FOR EACH ROW EXECUTE FUNCTION additional_amount_decided_locked();
