-- A unit's address for the e-mail notice of a new request (no patient data in it); empty: no notice.
ALTER TABLE units ADD COLUMN notice_email TEXT;
