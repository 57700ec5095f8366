ALTER TABLE decisions DROP COLUMN confirmed_unit_id;
ALTER TABLE decisions DROP COLUMN confirmed_by;
ALTER TABLE decisions DROP COLUMN confirmed_at;
