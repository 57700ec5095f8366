DROP TABLE deviations;
DROP TABLE disagreement_county_reports;
ALTER TABLE disagreements DROP COLUMN version;
ALTER TABLE disagreements DROP COLUMN interim_arrangement;
