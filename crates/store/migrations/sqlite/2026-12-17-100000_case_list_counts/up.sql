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
) WITHOUT ROWID;

INSERT INTO case_list_counts (unit_id, state, kvittens, open_deadline, n)
SELECT unit_id, state,
    CASE WHEN acknowledged_on IS NULL THEN 0 WHEN acknowledged_on <= acknowledgement_due THEN 1 ELSE 2 END,
    CASE WHEN COALESCE(due_on, discharge_on, follow_up_on) IS NULL THEN 0 ELSE 1 END,
    COUNT(*)
FROM case_list_entries
GROUP BY 1, 2, 3, 4;

CREATE TRIGGER case_list_counts_added AFTER INSERT ON case_list_entries
BEGIN
    INSERT INTO case_list_counts (unit_id, state, kvittens, open_deadline, n)
    VALUES (NEW.unit_id, NEW.state,
        CASE WHEN NEW.acknowledged_on IS NULL THEN 0
             WHEN NEW.acknowledged_on <= NEW.acknowledgement_due THEN 1 ELSE 2 END,
        CASE WHEN COALESCE(NEW.due_on, NEW.discharge_on, NEW.follow_up_on) IS NULL THEN 0 ELSE 1 END,
        1)
    ON CONFLICT (unit_id, state, kvittens, open_deadline) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_list_counts_removed AFTER DELETE ON case_list_entries
BEGIN
    UPDATE case_list_counts SET n = n - 1
    WHERE unit_id = OLD.unit_id AND state = OLD.state
        AND kvittens = CASE WHEN OLD.acknowledged_on IS NULL THEN 0
                            WHEN OLD.acknowledged_on <= OLD.acknowledgement_due THEN 1 ELSE 2 END
        AND open_deadline = CASE WHEN COALESCE(OLD.due_on, OLD.discharge_on, OLD.follow_up_on) IS NULL
                                 THEN 0 ELSE 1 END;
END;

CREATE TRIGGER case_list_counts_changed AFTER UPDATE ON case_list_entries
BEGIN
    UPDATE case_list_counts SET n = n - 1
    WHERE unit_id = OLD.unit_id AND state = OLD.state
        AND kvittens = CASE WHEN OLD.acknowledged_on IS NULL THEN 0
                            WHEN OLD.acknowledged_on <= OLD.acknowledgement_due THEN 1 ELSE 2 END
        AND open_deadline = CASE WHEN COALESCE(OLD.due_on, OLD.discharge_on, OLD.follow_up_on) IS NULL
                                 THEN 0 ELSE 1 END;
    INSERT INTO case_list_counts (unit_id, state, kvittens, open_deadline, n)
    VALUES (NEW.unit_id, NEW.state,
        CASE WHEN NEW.acknowledged_on IS NULL THEN 0
             WHEN NEW.acknowledged_on <= NEW.acknowledgement_due THEN 1 ELSE 2 END,
        CASE WHEN COALESCE(NEW.due_on, NEW.discharge_on, NEW.follow_up_on) IS NULL THEN 0 ELSE 1 END,
        1)
    ON CONFLICT (unit_id, state, kvittens, open_deadline) DO UPDATE SET n = n + 1;
END;
