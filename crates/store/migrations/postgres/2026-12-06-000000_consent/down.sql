DROP TABLE case_consents;
