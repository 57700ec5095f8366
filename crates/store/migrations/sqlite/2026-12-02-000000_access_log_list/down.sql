-- The log is append-only and may now hold `list` entries, which the old constraint refuses.
SELECT RAISE(ABORT, 'the access log cannot be migrated back');
