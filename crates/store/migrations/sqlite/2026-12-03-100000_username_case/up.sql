-- A username is one account whatever its case: the code stores it trimmed and in lower case,
-- existing names are brought to that form (ASCII letters on SQLite, whose lower() folds only
-- those), and this index refuses a second spelling written around the code.
UPDATE users SET username = lower(trim(username));
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
