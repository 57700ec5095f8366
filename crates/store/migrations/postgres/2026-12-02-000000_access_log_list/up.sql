-- A list shows patients without opening their cases: the action `list`, apart from `read`.
ALTER TABLE access_log DROP CONSTRAINT access_log_action_check;
ALTER TABLE access_log ADD CONSTRAINT access_log_action_check
    CHECK (action IN ('read', 'list', 'create', 'update', 'print', 'export'));
