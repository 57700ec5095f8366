DROP TABLE closure_proposals;
ALTER TABLE care_requests DROP COLUMN proposed_by_side;
