-- Who moved a tilläggsbelopp version, and when, is part of the decision: never changed.
CREATE FUNCTION additional_amount_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the decision history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER additional_amount_events_no_update BEFORE UPDATE OR DELETE ON additional_amount_events
    FOR EACH ROW EXECUTE FUNCTION additional_amount_events_append_only();
