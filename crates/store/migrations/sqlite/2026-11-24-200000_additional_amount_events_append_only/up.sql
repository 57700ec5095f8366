-- Who moved a tilläggsbelopp version, and when, is part of the decision: never changed.
CREATE TRIGGER additional_amount_events_no_update BEFORE UPDATE ON additional_amount_events
BEGIN
    SELECT RAISE(ABORT, 'the decision history is append-only');
END;
CREATE TRIGGER additional_amount_events_no_delete BEFORE DELETE ON additional_amount_events
BEGIN
    SELECT RAISE(ABORT, 'the decision history is append-only');
END;
