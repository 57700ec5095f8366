-- The list's own copy of what orders and filters a unit's cases: one row per unit that sees a
-- case, kept in step in every write to the case (filled by the program after this migration).
-- Clustered by unit, so that a unit's list reads one range of one narrow table.
CREATE TABLE case_list_entries (
    unit_id TEXT NOT NULL REFERENCES units (id),
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    patient_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    acknowledgement_due TEXT,
    acknowledged_on TEXT,
    due_on TEXT,
    discharge_on TEXT,
    follow_up_on TEXT,
    PRIMARY KEY (unit_id, case_id)
) WITHOUT ROWID;
CREATE INDEX case_list_entries_case ON case_list_entries (case_id);
CREATE INDEX case_list_entries_patient ON case_list_entries (unit_id, patient_id);
