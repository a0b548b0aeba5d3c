-- Participatory budgeting of a fund (DOMAIN.md §5, issue 6): the body that
-- controls an org's fund opens a round with a budget; members submit
-- projects with costs, then vote (approval or points); the round is tallied
-- by the Method of Equal Shares (Add1 completion or none) or greedy
-- (src/budget); the funded projects are paid from the fund through the
-- ledger only after a passed decision of the org on the round's result.
-- Times are BIGINT microseconds; money BIGINT minor units of the round's
-- currency.

-- state: submission -> voting -> tallied -> paid; any state before paid ->
-- cancelled. The phase ends at the times given or earlier by hand.
-- ballot: approval (max_approvals: 0 = no limit) | points (points_total
-- each voter spreads). utility: cost | approval (approval ballots) |
-- points (points ballots). result is the tally's JSON (src/budget to_json
-- with the round's project ids), set once by the tally.
CREATE TABLE budget_rounds (
  id AUTO_ID,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  fund_account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
  currency TEXT NOT NULL REFERENCES currencies(code),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  budget BIGINT NOT NULL,
  method TEXT NOT NULL,
  completion TEXT NOT NULL,
  ballot TEXT NOT NULL,
  utility TEXT NOT NULL,
  max_approvals BIGINT NOT NULL DEFAULT 0,
  points_total BIGINT NOT NULL DEFAULT 0,
  max_cost BIGINT NOT NULL DEFAULT 0,
  submission_closes_at BIGINT NOT NULL,
  voting_closes_at BIGINT NOT NULL,
  state TEXT NOT NULL DEFAULT 'submission',
  voters BIGINT NOT NULL DEFAULT 0,
  result TEXT,
  tallied_at BIGINT,
  decision_id BIGINT REFERENCES decisions(id),
  paid_at BIGINT,
  created_by_person BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (state IN ('submission', 'voting', 'tallied', 'paid', 'cancelled')),
  CHECK (method IN ('equal-shares', 'greedy')),
  CHECK (completion IN ('add1', 'none')),
  CHECK (ballot IN ('approval', 'points')),
  CHECK (utility IN ('cost', 'approval', 'points')),
  CHECK (budget > 0 AND max_approvals >= 0 AND points_total >= 0 AND max_cost >= 0),
  CHECK (submission_closes_at <= voting_closes_at)
);
CREATE INDEX budget_rounds_by_org ON budget_rounds (org_id, id);
CREATE UNIQUE INDEX budget_rounds_by_decision ON budget_rounds (decision_id);

-- A project submitted to a round. payee_org_id receives the money (its
-- operating account in the round's currency); state: submitted -> withdrawn
-- (by its proposer) | ineligible (by a coordinator, with a reason) ->
-- after the tally funded | unfunded (reason: why it lost); funded -> paid
-- (transfer_id).
CREATE TABLE budget_projects (
  id AUTO_ID,
  round_id BIGINT NOT NULL REFERENCES budget_rounds(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  cost BIGINT NOT NULL,
  payee_org_id BIGINT NOT NULL REFERENCES orgs(id),
  proposer_person_id BIGINT,
  state TEXT NOT NULL DEFAULT 'submitted',
  reason TEXT NOT NULL DEFAULT '',
  transfer_id BIGINT REFERENCES ledger_transfers(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (cost > 0),
  CHECK (state IN ('submitted', 'withdrawn', 'ineligible', 'funded', 'unfunded', 'paid'))
);
CREATE INDEX budget_projects_by_round ON budget_projects (round_id, id);

-- One ballot per member per round, replaced until voting closes. points is
-- 1 for approval ballots. Ballots are not secret from the store but are
-- never shown one by one: results show counts and payment shares only.
CREATE TABLE budget_votes (
  round_id BIGINT NOT NULL REFERENCES budget_rounds(id),
  person_id BIGINT NOT NULL,
  project_id BIGINT NOT NULL REFERENCES budget_projects(id),
  points BIGINT NOT NULL,
  PRIMARY KEY (round_id, person_id, project_id),
  CHECK (points > 0)
);
CREATE TABLE budget_voters (
  round_id BIGINT NOT NULL REFERENCES budget_rounds(id),
  person_id BIGINT NOT NULL,
  voted_at BIGINT NOT NULL,
  PRIMARY KEY (round_id, person_id)
);
