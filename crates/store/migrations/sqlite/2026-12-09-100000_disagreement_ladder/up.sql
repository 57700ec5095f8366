-- The oenighet ladder (Principer för samverkan och ekonomisk reglering §10): the steps of one
-- disagreement in order — who was asked on each side and when, what the step came to (overens,
-- inte-overens, inga-kostnader) and by which side, and the other side's confirmation of an
-- agreement.
CREATE TABLE disagreement_rungs (
    disagreement_id TEXT NOT NULL REFERENCES disagreements (id),
    position BIGINT NOT NULL,
    level TEXT NOT NULL,
    region_manager TEXT NOT NULL,
    municipality_manager TEXT NOT NULL,
    raised_on TEXT NOT NULL,
    outcome TEXT,
    outcome_text TEXT NOT NULL,
    recorded_by_side TEXT,
    recorded_on TEXT,
    confirmed_by_side TEXT,
    confirmed_on TEXT,
    PRIMARY KEY (disagreement_id, position)
);
