-- What a decision to enroll says besides the care level: punktinsatser or samordnad vård, the
-- insatser that pass to the municipality, and for punktinsatser whether responsibility is shared.
-- Decisions recorded before keep empty values.
ALTER TABLE decisions ADD COLUMN intervention_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN interventions TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN shared_responsibility BOOLEAN;
