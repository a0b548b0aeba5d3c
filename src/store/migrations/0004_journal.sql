-- The hash-chained audit journal: one row per state-changing command.
-- Never updated or deleted; `agora verify` recomputes the chain.
CREATE TABLE audit_journal (
  seq AUTO_ID,
  at_us BIGINT NOT NULL,
  actor_account_id BIGINT NOT NULL,
  actor_person_id BIGINT NOT NULL,
  actor_address TEXT NOT NULL,
  command TEXT NOT NULL,
  payload_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
