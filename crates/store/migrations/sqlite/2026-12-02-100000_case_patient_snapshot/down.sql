DROP TABLE patient_versions;
DROP TABLE case_patients;
