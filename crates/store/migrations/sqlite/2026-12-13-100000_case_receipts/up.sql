-- The local day of each kvittens, so that a list can filter "kvitterad i tid / för sent" in the
-- database. Kvittenser given before this table existed get their UTC day.
CREATE TABLE case_receipts (
    case_id TEXT PRIMARY KEY NOT NULL REFERENCES care_requests (id),
    acknowledged_on TEXT NOT NULL
);
INSERT INTO case_receipts (case_id, acknowledged_on)
SELECT id, date(acknowledged_at / 1000, 'unixepoch') FROM care_requests
WHERE acknowledged_at IS NOT NULL;
CREATE INDEX care_requests_created_at ON care_requests (created_at);
CREATE INDEX case_events_user_case ON case_events (user_id, case_id);
