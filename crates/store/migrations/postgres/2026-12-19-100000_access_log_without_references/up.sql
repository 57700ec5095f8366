-- The access log names the user, unit, person and nödåtkomst opening as they were when the entry
-- was written; the hash chain, not a foreign key, is what guards an entry. Each foreign key was a
-- trigger per row that looked up and share-locked the named row: for a list's fifty entries, 150
-- lookups and half the cost of writing them, with every concurrent read by one user contending
-- on that user's row.
ALTER TABLE access_log
    DROP CONSTRAINT access_log_user_id_fkey,
    DROP CONSTRAINT access_log_unit_id_fkey,
    DROP CONSTRAINT access_log_patient_id_fkey,
    DROP CONSTRAINT access_log_emergency_access_id_fkey;
