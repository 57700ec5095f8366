DROP TABLE person_sessions;
ALTER TABLE access_log DROP COLUMN identity_source;
ALTER TABLE sessions DROP COLUMN identity_source;
DROP TABLE sign_in_flows;
