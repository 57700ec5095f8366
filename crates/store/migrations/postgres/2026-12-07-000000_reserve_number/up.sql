-- Reservnummer: a person's identity may now be the region's reservnummer, whose format tells no
-- sex. Measurement data kept the sex digit of the personnummer for breakdowns no report makes;
-- it is dropped rather than guessed for persons with a reservnummer (data minimisation).
ALTER TABLE measurement_activities DROP COLUMN sex_digit;
ALTER TABLE measurement_enrollments DROP COLUMN sex_digit;
ALTER TABLE measurement_assessments DROP COLUMN sex_digit;
