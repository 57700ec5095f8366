ALTER TABLE case_patients DROP COLUMN phone;
ALTER TABLE case_patients DROP COLUMN address;
ALTER TABLE patients DROP COLUMN protected_identity;
