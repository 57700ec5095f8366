ALTER TABLE units DROP COLUMN notice_email;
