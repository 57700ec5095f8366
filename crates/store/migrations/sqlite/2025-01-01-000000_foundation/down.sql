DROP TABLE access_log;
DROP TABLE care_requests;
DROP TABLE patients;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE units;
DROP TABLE meta;
