ALTER TABLE additional_amount_events DROP COLUMN minutes_ref;
ALTER TABLE additional_amount_events DROP COLUMN decided_on;
ALTER TABLE additional_amount_events DROP COLUMN decided_body;
