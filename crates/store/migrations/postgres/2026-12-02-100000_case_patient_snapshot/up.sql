-- A case keeps the person's name and home municipality as its request stated them, so that a
-- request written elsewhere (another party, even an unsent draft) never changes what the
-- parties to this case see. Cases from before are given the person's data as it stands now.
CREATE TABLE case_patients (
    case_id TEXT PRIMARY KEY NOT NULL REFERENCES care_requests (id),
    name TEXT NOT NULL,
    home_municipality TEXT NOT NULL
);
INSERT INTO case_patients (case_id, name, home_municipality)
    SELECT care_requests.id, patients.name, patients.home_municipality
    FROM care_requests JOIN patients ON patients.id = care_requests.patient_id;

-- Every version of a person's registered data, with who changed it and when (append-only).
-- Versions from before this table have no author.
CREATE TABLE patient_versions (
    patient_id TEXT NOT NULL REFERENCES patients (id),
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    home_municipality TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT REFERENCES users (id),
    changed_by_unit TEXT REFERENCES units (id),
    PRIMARY KEY (patient_id, version)
);
INSERT INTO patient_versions (patient_id, version, name, home_municipality, changed_at)
    SELECT id, version, name, home_municipality, created_at FROM patients;
CREATE FUNCTION patient_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'patient_versions is append-only';
END;
$$;
CREATE TRIGGER patient_versions_no_update BEFORE UPDATE OR DELETE ON patient_versions
    FOR EACH ROW EXECUTE FUNCTION patient_versions_append_only();
