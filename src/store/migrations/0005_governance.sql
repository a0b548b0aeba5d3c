-- Governance (app/governance*.cc, DOMAIN.md §2): constitutions, bodies'
-- seats, decisions and their proposals, the roll of each vote, ballots and
-- proxies. Times are BIGINT microseconds since the epoch; booleans BIGINT 0/1.

-- A person's date of birth (YYYY-MM-DD), for minimum-age electorate rules.
ALTER TABLE persons ADD COLUMN birth_date TEXT;

-- Constitutions, versioned; an org's constitution in force is its highest
-- version. Version 1 is founded by a coordinator; every later version is
-- adopted by a passed proposal in the constitution.amend domain.
CREATE TABLE constitutions (
  id AUTO_ID,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  version BIGINT NOT NULL,
  toml TEXT NOT NULL,
  adopted_at BIGINT NOT NULL,
  adopted_by_account BIGINT REFERENCES accounts(id),
  adopted_by_proposal BIGINT,
  UNIQUE (org_id, version)
);

-- Seated members of boards, committees and councils, by election or
-- appointment. A seat ends when until_at is set; rows are never deleted.
CREATE TABLE body_seats (
  id AUTO_ID,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  body_key TEXT NOT NULL,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  chamber TEXT NOT NULL DEFAULT '',
  since_at BIGINT NOT NULL,
  until_at BIGINT,
  elected_by_proposal BIGINT
);
CREATE INDEX body_seats_by_body ON body_seats (org_id, body_key, person_id);

-- A member's spending at a co-op (written by the market's settlement), for
-- "active member" electorate rules.
CREATE TABLE member_spend (
  id AUTO_ID,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  at BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL,
  source TEXT NOT NULL
);
CREATE INDEX member_spend_by_person ON member_spend (org_id, person_id, at);

-- A matter to decide: one or more proposals (one per deciding body, both
-- sides of a joint decision, both stages of a two-stage one) decide it
-- together. subject names what it is about ("asset:12", "lease:3") so that
-- other capabilities can ask whether a passed decision exists.
CREATE TABLE decisions (
  id AUTO_ID,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  domain TEXT NOT NULL,
  subject TEXT NOT NULL,
  counterparty_org_id BIGINT REFERENCES orgs(id),
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  decided_at BIGINT
);
CREATE INDEX decisions_by_subject ON decisions (org_id, domain, subject, status);

-- A proposal to one body. The decision rule (method, quorum, threshold,
-- notice, window, secrecy) is copied from the constitution in force when it
-- is created, so a later amendment never changes a running vote. status is
-- stored as draft | open | closed | withdrawn; what the API shows also
-- depends on the time (governance.h).
CREATE TABLE proposals (
  id AUTO_ID,
  decision_id BIGINT NOT NULL REFERENCES decisions(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  body_key TEXT NOT NULL,
  domain TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  method TEXT NOT NULL,
  options_json TEXT NOT NULL,
  seats BIGINT NOT NULL,
  chamber TEXT NOT NULL DEFAULT '',
  elects_body TEXT,
  score_max BIGINT NOT NULL DEFAULT 5,
  dots BIGINT NOT NULL DEFAULT 10,
  quorum_num BIGINT NOT NULL,
  quorum_den BIGINT NOT NULL,
  threshold_num BIGINT NOT NULL,
  threshold_den BIGINT NOT NULL,
  threshold_of TEXT NOT NULL,
  threshold_strict BIGINT NOT NULL,
  notice_days BIGINT NOT NULL,
  voting_days BIGINT NOT NULL,
  secret BIGINT NOT NULL,
  results_hidden BIGINT NOT NULL,
  stage BIGINT NOT NULL DEFAULT 1,
  first_stage_id BIGINT REFERENCES proposals(id),
  min_gap_days BIGINT,
  max_gap_days BIGINT,
  -- A two-stage decision's confirming threshold, copied onto the first
  -- stage like the rest of its rule (NULL on every other proposal).
  second_threshold_num BIGINT,
  second_threshold_den BIGINT,
  second_threshold_of TEXT,
  second_threshold_strict BIGINT,
  amends_id BIGINT REFERENCES proposals(id),
  constitution_toml TEXT,
  status TEXT NOT NULL,
  outcome TEXT,
  outcome_statement TEXT,
  eligible_count BIGINT,
  eligible_weight BIGINT,
  voters_count BIGINT NOT NULL DEFAULT 0,
  voted_weight BIGINT NOT NULL DEFAULT 0,
  result_json TEXT,
  tie_seed BIGINT NOT NULL,
  author_person_id BIGINT REFERENCES persons(id),
  created_at BIGINT NOT NULL,
  opened_at BIGINT,
  voting_opens_at BIGINT,
  voting_closes_at BIGINT,
  closed_at BIGINT
);
CREATE INDEX proposals_by_org ON proposals (org_id, body_key, id);
CREATE INDEX proposals_by_decision ON proposals (decision_id, id);
CREATE INDEX proposals_due ON proposals (status, voting_closes_at);

CREATE TABLE proposal_comments (
  id AUTO_ID,
  proposal_id BIGINT NOT NULL REFERENCES proposals(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  text TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX proposal_comments_by_proposal ON proposal_comments (proposal_id, id);

-- Candidates standing in an election.
CREATE TABLE candidacies (
  id AUTO_ID,
  proposal_id BIGINT NOT NULL REFERENCES proposals(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  chamber TEXT NOT NULL DEFAULT '',
  statement TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  withdrawn_at BIGINT,
  UNIQUE (proposal_id, person_id)
);

-- The roll: who may vote and with what weight, fixed when notice is given.
-- represents names what a delegate's weight stands for ("Cesta Santiago, 412 members").
CREATE TABLE electorate (
  proposal_id BIGINT NOT NULL REFERENCES proposals(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  weight BIGINT NOT NULL,
  represents TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (proposal_id, person_id)
);

-- Who voted. For an open ballot the row also holds what was voted; for a
-- secret ballot it never does (see secret_ballots). The primary key refuses
-- a second vote for the same person, whoever casts it.
CREATE TABLE voters (
  proposal_id BIGINT NOT NULL REFERENCES proposals(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  cast_by_person_id BIGINT NOT NULL REFERENCES persons(id),
  weight BIGINT NOT NULL,
  voted_at BIGINT NOT NULL,
  ballot_json TEXT,
  reason TEXT,
  PRIMARY KEY (proposal_id, person_id)
);

-- What was voted in secret ballots, with nothing that names or orders the
-- voters: no person, no time, rows kept in the order of a random key (the
-- BLAKE2b-256 hash of the voter's receipt code, as 64 hex digits).
CREATE TABLE secret_ballots (
  proposal_id BIGINT NOT NULL REFERENCES proposals(id),
  receipt_hash TEXT NOT NULL,
  weight BIGINT NOT NULL,
  ballot_json TEXT NOT NULL,
  reason TEXT,
  PRIMARY KEY (proposal_id, receipt_hash)
) WITHOUT_ROWID;

-- Standing proxies for a body (or for one proposal when proposal_id is
-- set). Revoking sets revoked_at; rows are the audit trail and never deleted.
CREATE TABLE proxies (
  id AUTO_ID,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  body_key TEXT NOT NULL,
  proposal_id BIGINT REFERENCES proposals(id),
  grantor_person_id BIGINT NOT NULL REFERENCES persons(id),
  holder_person_id BIGINT NOT NULL REFERENCES persons(id),
  granted_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX proxies_by_holder ON proxies (holder_person_id, org_id, body_key);
CREATE INDEX proxies_by_grantor ON proxies (grantor_person_id, org_id, body_key);
