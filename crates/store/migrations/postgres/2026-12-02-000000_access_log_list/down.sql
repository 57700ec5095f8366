-- The log is append-only and may now hold `list` entries, which the old constraint refuses.
DO $$ BEGIN RAISE EXCEPTION 'the access log cannot be migrated back'; END $$;
