-- Accounts, sessions, granted roles and failed logins (app/auth.cc, app/authz.cc).
-- Times are BIGINT microseconds since the epoch; booleans INTEGER 0/1.

-- One login per person. The email is stored lower-case; it is the login name.
CREATE TABLE accounts (
  id AUTO_ID,
  person_id BIGINT NOT NULL UNIQUE REFERENCES persons(id),
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  admin INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

-- Only the BLAKE2b-256 hex of a session token is kept: a leaked table opens
-- no session. expires_at slides forward while the session is used.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Roles other than "member" (which follows from an active membership).
-- Revoking sets revoked_at/revoked_by; rows are never deleted.
CREATE TABLE role_grants (
  id AUTO_ID,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  role TEXT NOT NULL,
  granted_by BIGINT REFERENCES accounts(id),
  granted_at BIGINT NOT NULL,
  revoked_by BIGINT REFERENCES accounts(id),
  revoked_at BIGINT
);
CREATE INDEX role_grants_by_person ON role_grants (person_id, org_id);
CREATE INDEX role_grants_by_org ON role_grants (org_id, id);

-- Recent failed logins, counted per account and per client address over a
-- sliding window. account_id is NULL when the email has no account.
CREATE TABLE login_failures (
  id AUTO_ID,
  account_id BIGINT REFERENCES accounts(id),
  address TEXT NOT NULL,
  failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_by_account ON login_failures (account_id, failed_at);
CREATE INDEX login_failures_by_address ON login_failures (address, failed_at);
