ALTER TABLE decisions DROP COLUMN shared_responsibility;
ALTER TABLE decisions DROP COLUMN interventions;
ALTER TABLE decisions DROP COLUMN intervention_kind;
