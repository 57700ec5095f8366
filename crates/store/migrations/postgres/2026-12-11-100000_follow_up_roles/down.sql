DELETE FROM users WHERE role IN ('chefsgrupp', 'halsoval');
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('lakare', 'sjukskoterska', 'arbetsterapeut', 'fysioterapeut', 'enhetschef', 'samordnare', 'ekonom', 'logggranskare', 'administrator', 'lansgrupp'));
