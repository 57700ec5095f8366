-- Min sida: every time a person signed in with her e-identification views or prints her own plan.
-- Kept apart from the staff access log, whose entries name a user and a unit; only inserted.
CREATE TABLE own_page_views (
    id TEXT PRIMARY KEY NOT NULL,
    at BIGINT NOT NULL,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    action TEXT NOT NULL CHECK (action IN ('read', 'print')),
    case_id TEXT NOT NULL REFERENCES care_requests (id)
);
CREATE INDEX own_page_views_patient_id ON own_page_views (patient_id);
