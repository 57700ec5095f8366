-- A username is one account whatever its case: the code stores it trimmed and in lower case,
-- and this index refuses a second spelling written around it.
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
