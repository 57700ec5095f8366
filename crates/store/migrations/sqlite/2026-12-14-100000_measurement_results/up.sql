-- Each measured month's result per municipality, computed when the measurement's files are
-- imported, so that the tilläggsbelopp and the yearly follow-up read counts instead of measuring
-- the stored rows again. A result names the rule set and the files it was computed from; one
-- that no longer matches them is not used.
CREATE TABLE measurement_results (
    period TEXT PRIMARY KEY NOT NULL,
    rule_set TEXT NOT NULL,
    files TEXT NOT NULL,
    computed_at BIGINT NOT NULL,
    persons_in_several_municipalities BIGINT NOT NULL,
    unknown_codes TEXT NOT NULL
);
CREATE TABLE measurement_result_municipalities (
    period TEXT NOT NULL REFERENCES measurement_results (period) ON DELETE CASCADE,
    municipality TEXT NOT NULL,
    patients BIGINT NOT NULL,
    category_1 BIGINT NOT NULL,
    category_2a BIGINT NOT NULL,
    category_2b BIGINT NOT NULL,
    category_3 BIGINT NOT NULL,
    category_4 BIGINT NOT NULL,
    category_5 BIGINT NOT NULL,
    nurse_minutes BIGINT NOT NULL,
    rehab_minutes BIGINT NOT NULL,
    delegated_activities BIGINT NOT NULL,
    excluded_special_housing BIGINT NOT NULL,
    PRIMARY KEY (period, municipality)
);
