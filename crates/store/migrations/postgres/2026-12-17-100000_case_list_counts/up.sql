-- How many of a unit's cases the list holds by listed state, kvittens (0 none, 1 in time, 2 late)
-- and whether a deadline is open: the inbox's counts over all of a unit's cases, kept by triggers
-- on the list's rows, so that counting costs the same in a unit of any size and cannot drift
-- from the rows it counts.
CREATE TABLE case_list_counts (
    unit_id TEXT NOT NULL,
    state TEXT NOT NULL,
    kvittens INTEGER NOT NULL,
    open_deadline INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, state, kvittens, open_deadline)
);

INSERT INTO case_list_counts (unit_id, state, kvittens, open_deadline, n)
SELECT unit_id, state,
    CASE WHEN acknowledged_on IS NULL THEN 0 WHEN acknowledged_on <= acknowledgement_due THEN 1 ELSE 2 END,
    CASE WHEN COALESCE(due_on, discharge_on, follow_up_on) IS NULL THEN 0 ELSE 1 END,
    COUNT(*)
FROM case_list_entries
GROUP BY 1, 2, 3, 4;

-- One statement's rows at a time, added (+1) or removed (-1), summed per counter and applied in
-- the counters' order, so that two writers lock counters in the same order.
CREATE FUNCTION case_list_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO case_list_counts (unit_id, state, kvittens, open_deadline, n)
        SELECT unit_id, state,
            CASE WHEN acknowledged_on IS NULL THEN 0 WHEN acknowledged_on <= acknowledgement_due THEN 1 ELSE 2 END,
            CASE WHEN COALESCE(due_on, discharge_on, follow_up_on) IS NULL THEN 0 ELSE 1 END,
            -COUNT(*)
        FROM removed GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (unit_id, state, kvittens, open_deadline)
        DO UPDATE SET n = case_list_counts.n + EXCLUDED.n;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO case_list_counts (unit_id, state, kvittens, open_deadline, n)
        SELECT unit_id, state,
            CASE WHEN acknowledged_on IS NULL THEN 0 WHEN acknowledged_on <= acknowledgement_due THEN 1 ELSE 2 END,
            CASE WHEN COALESCE(due_on, discharge_on, follow_up_on) IS NULL THEN 0 ELSE 1 END,
            COUNT(*)
        FROM added GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (unit_id, state, kvittens, open_deadline)
        DO UPDATE SET n = case_list_counts.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER case_list_counts_added AFTER INSERT ON case_list_entries
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION case_list_counts_apply();
CREATE TRIGGER case_list_counts_removed AFTER DELETE ON case_list_entries
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION case_list_counts_apply();
CREATE TRIGGER case_list_counts_changed AFTER UPDATE ON case_list_entries
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION case_list_counts_apply();
