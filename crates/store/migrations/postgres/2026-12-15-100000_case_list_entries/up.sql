-- The list's own copy of what orders and filters a unit's cases: one row per unit that sees a
-- case, filled below from the cases already there and kept in step by every write to a case.
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
);
CREATE INDEX case_list_entries_case ON case_list_entries (case_id);
CREATE INDEX case_list_entries_patient ON case_list_entries (unit_id, patient_id);
-- The rows the cases already call for: the units that sent, receive (once sent) or handed on
-- (vidarebefordra, lämna över) each case, with its state as listed and its open deadlines.
INSERT INTO case_list_entries (unit_id, case_id, patient_id, created_at, state,
    acknowledgement_due, acknowledged_on, due_on, discharge_on, follow_up_on)
SELECT m.unit_id, k.case_id, k.patient_id, k.created_at, k.state, k.acknowledgement_due,
    k.acknowledged_on, k.due_on, k.discharge_on, k.follow_up_on
FROM (
    SELECT cr.id AS case_id, cr.sender_unit_id AS unit_id FROM care_requests cr
    UNION SELECT cr.id, cr.receiver_unit_id FROM care_requests cr WHERE cr.state <> 'utkast'
    UNION SELECT ce.case_id, ce.unit_id FROM case_events ce
        WHERE ce.kind IN ('vidarebefordra', 'lamna-over-till-vardcentral')
) AS m JOIN (
    SELECT cr.id AS case_id, cr.patient_id AS patient_id, cr.created_at AS created_at,
        CASE WHEN pr.case_id IS NOT NULL AND cr.state = 'under_bedomning' THEN 'beslut_foreslaget'
             WHEN pr.case_id IS NOT NULL AND cr.state = 'pagaende' THEN 'avslut_foreslaget'
             ELSE cr.state END AS state,
        cr.acknowledgement_due AS acknowledgement_due, rec.acknowledged_on AS acknowledged_on,
        CASE WHEN cr.state IN ('skickad', 'vidarebefordrad') THEN cr.acknowledgement_due
             WHEN cr.state = 'beslutad' AND cr.decision_outcome = 'inskriven' THEN cr.planning_due
             END AS due_on,
        CASE WHEN cr.track = 'utskrivning' AND cr.state NOT IN ('utkast', 'avslutad', 'aterkallad')
             AND (cr.track_details::jsonb #>> '{Discharge,plan_available_on}') IS NULL THEN cr.track_details::jsonb #>> '{Discharge,discharge_date}' END AS discharge_on,
        CASE WHEN cr.state IN ('planerad', 'pagaende')
             OR (cr.state = 'beslutad' AND cr.decision_outcome = 'inskriven') THEN fu.due_on
             END AS follow_up_on
    FROM care_requests cr
    LEFT JOIN follow_up_due fu ON fu.case_id = cr.id
    LEFT JOIN case_receipts rec ON rec.case_id = cr.id
    LEFT JOIN case_proposals pr ON pr.case_id = cr.id
) AS k ON k.case_id = m.case_id;
