-- Recorded exceptions to the distance rule (kompensation för avstånd), with their reason. The newest
-- record per municipality is in force; `eligible` NULL returns it to the computed distance.
CREATE TABLE additional_amount_distance_overrides (
    id TEXT PRIMARY KEY NOT NULL,
    municipality TEXT NOT NULL,
    eligible BOOLEAN,
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL REFERENCES users (id),
    decided_at BIGINT NOT NULL
);
