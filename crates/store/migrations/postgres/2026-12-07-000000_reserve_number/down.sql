ALTER TABLE measurement_activities ADD COLUMN sex_digit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE measurement_enrollments ADD COLUMN sex_digit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE measurement_assessments ADD COLUMN sex_digit INTEGER NOT NULL DEFAULT 0;
