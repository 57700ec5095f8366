-- A tilläggsbelopp decision names who decided it, on which day, and where it is minuted.
ALTER TABLE additional_amount_events ADD COLUMN decided_body TEXT;
ALTER TABLE additional_amount_events ADD COLUMN decided_on TEXT;
ALTER TABLE additional_amount_events ADD COLUMN minutes_ref TEXT;
