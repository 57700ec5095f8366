-- Skyddad identitet (skyddad folkbokföring or sekretessmarkering): the person's address and
-- telephone are shown only to the staff working a case. A request can mark a person; it never
-- removes the mark.
ALTER TABLE patients ADD COLUMN protected_identity BOOLEAN NOT NULL DEFAULT 0;
-- Where the care is given and how the person is reached, as each request states it.
ALTER TABLE case_patients ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE case_patients ADD COLUMN phone TEXT NOT NULL DEFAULT '';
