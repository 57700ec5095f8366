-- The yearly follow-up (Principer för samverkan och ekonomisk reglering §12) brings two roles:
-- chefsgruppen for samverkan and Hälsoval.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('lakare', 'sjukskoterska', 'arbetsterapeut', 'fysioterapeut', 'enhetschef', 'samordnare', 'ekonom', 'logggranskare', 'administrator', 'lansgrupp', 'chefsgrupp', 'halsoval'));
