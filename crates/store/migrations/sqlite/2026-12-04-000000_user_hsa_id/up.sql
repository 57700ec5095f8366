-- Staff are known by their HSA-id, which their organisation's identity provider gives at
-- sign-in (SITHS eID); one account per HSA-id.
ALTER TABLE users ADD COLUMN hsa_id TEXT;
CREATE UNIQUE INDEX users_hsa_id ON users (hsa_id);
