ALTER TABLE access_log DROP COLUMN emergency_access_id;
DROP TABLE emergency_accesses;
DROP FUNCTION emergency_accesses_append_only();
