-- The cases without an open deadline, newest first, for the last part of a page in the inbox's
-- order. The predicate is the list query's own expression, so the planner uses this index for it,
-- reads it in order and stops after a page, instead of guessing how many rows have no deadline
-- and sorting the whole unit.
CREATE INDEX case_list_entries_no_deadline ON case_list_entries (unit_id, created_at DESC, case_id)
    WHERE COALESCE(due_on, discharge_on, follow_up_on) IS NULL;
