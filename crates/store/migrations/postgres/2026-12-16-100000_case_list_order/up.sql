-- The case list in the inbox's order a page at a time: one index per open deadline, each in the
-- order the list reads it, and one by creation for the cases without a deadline, the newest-first
-- order and a state filter.
CREATE INDEX case_list_entries_due ON case_list_entries (unit_id, due_on, created_at DESC, case_id);
CREATE INDEX case_list_entries_discharge ON case_list_entries (unit_id, discharge_on, created_at DESC, case_id);
CREATE INDEX case_list_entries_follow_up ON case_list_entries (unit_id, follow_up_on, created_at DESC, case_id);
CREATE INDEX case_list_entries_created ON case_list_entries (unit_id, created_at DESC, case_id);
CREATE INDEX case_list_entries_state ON case_list_entries (unit_id, state, created_at DESC, case_id);
-- The counts by state, kvittens and whether a deadline is open, from the index alone.
CREATE INDEX case_list_entries_counted ON case_list_entries (unit_id, state, acknowledged_on,
    acknowledgement_due, due_on, discharge_on, follow_up_on);
