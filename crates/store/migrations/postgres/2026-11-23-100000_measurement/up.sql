-- Hemsjukvårdsmätning. No direct identifiers: persons are keyed pseudonyms (HMAC-SHA-256) with
-- only the birth year and sex digit kept.
CREATE TABLE measurement_files (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('aktiviteter', 'inskrivningar', 'bedomningar')),
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    row_count BIGINT NOT NULL,
    imported_at BIGINT NOT NULL
);

CREATE TABLE measurement_activities (
    id TEXT PRIMARY KEY NOT NULL,
    file_id TEXT NOT NULL REFERENCES measurement_files (id),
    municipality TEXT NOT NULL,
    person TEXT NOT NULL,
    birth_year INTEGER NOT NULL,
    sex_digit INTEGER NOT NULL,
    day TEXT NOT NULL,
    code TEXT NOT NULL,
    profession TEXT NOT NULL,
    minutes INTEGER,
    delegated BOOLEAN NOT NULL
);
CREATE INDEX measurement_activities_file_id ON measurement_activities (file_id);
CREATE INDEX measurement_activities_day ON measurement_activities (day);

CREATE TABLE measurement_enrollments (
    id TEXT PRIMARY KEY NOT NULL,
    file_id TEXT NOT NULL REFERENCES measurement_files (id),
    municipality TEXT NOT NULL,
    person TEXT NOT NULL,
    birth_year INTEGER NOT NULL,
    sex_digit INTEGER NOT NULL,
    enrolled_from TEXT NOT NULL,
    enrolled_to TEXT,
    housing TEXT NOT NULL CHECK (housing IN ('ordinart', 'sarskilt')),
    palliative BOOLEAN NOT NULL
);
CREATE INDEX measurement_enrollments_file_id ON measurement_enrollments (file_id);

-- Manual assessments (manuella bedömningar) for municipalities that assess by hand; one source per
-- municipality and period.
CREATE TABLE measurement_assessments (
    id TEXT PRIMARY KEY NOT NULL,
    file_id TEXT NOT NULL REFERENCES measurement_files (id),
    period TEXT NOT NULL,
    municipality TEXT NOT NULL,
    person TEXT NOT NULL,
    birth_year INTEGER NOT NULL,
    sex_digit INTEGER NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('1', '2a', '2b', '3', '4', '5')),
    nurse_minutes INTEGER NOT NULL,
    rehab_minutes INTEGER NOT NULL
);
CREATE INDEX measurement_assessments_file_id ON measurement_assessments (file_id);
CREATE INDEX measurement_assessments_period ON measurement_assessments (period);
