DROP TABLE patient_versions;
DROP FUNCTION patient_versions_append_only();
DROP TABLE case_patients;
