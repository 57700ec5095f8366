DROP TABLE measurement_assessments;
DROP TABLE measurement_enrollments;
DROP TABLE measurement_activities;
DROP TABLE measurement_files;
