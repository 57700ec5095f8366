-- Länsgruppen för oenighet (Principer för samverkan och ekonomisk reglering §10) is a role of its
-- own.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('lakare', 'sjukskoterska', 'arbetsterapeut', 'fysioterapeut', 'enhetschef', 'samordnare', 'ekonom', 'logggranskare', 'administrator', 'lansgrupp'));
