-- The ledger (app/ledger*.cc, DOMAIN.md §3): currencies, accounts with
-- balances kept in constant time, immutable double-entry transfers with
-- two-phase holds, payment requests, and year-end closings. Amounts are
-- BIGINT minor units; times BIGINT microseconds since the epoch; booleans
-- BIGINT 0/1.

-- Official currencies (ISO 4217, seeded below) and community currencies
-- issued by a co-op or a federation (issuer_org_id). A mutual-credit
-- currency's accounts start at zero and range between their limits; the
-- defaults here are copied into each new account.
CREATE TABLE currencies (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  minor_units BIGINT NOT NULL,
  issuer_org_id BIGINT REFERENCES orgs(id),
  mutual_credit BIGINT NOT NULL DEFAULT 0,
  default_lower_limit BIGINT,
  default_upper_limit BIGINT,
  created_at BIGINT NOT NULL,
  CHECK (kind IN ('official', 'community')),
  CHECK (minor_units >= 0 AND minor_units <= 6)
);
INSERT INTO currencies (code, name, kind, minor_units, created_at) VALUES
  ('EUR', 'Euro', 'official', 2, 0),
  ('USD', 'US dollar', 'official', 2, 0),
  ('GBP', 'Pound sterling', 'official', 2, 0),
  ('CHF', 'Swiss franc', 'official', 2, 0),
  ('BRL', 'Brazilian real', 'official', 2, 0),
  ('ARS', 'Argentine peso', 'official', 2, 0),
  ('MXN', 'Mexican peso', 'official', 2, 0),
  ('CAD', 'Canadian dollar', 'official', 2, 0),
  ('SEK', 'Swedish krona', 'official', 2, 0),
  ('NOK', 'Norwegian krone', 'official', 2, 0),
  ('DKK', 'Danish krone', 'official', 2, 0),
  ('CLP', 'Chilean peso', 'official', 0, 0),
  ('JPY', 'Yen', 'official', 0, 0),
  ('KRW', 'Won', 'official', 0, 0);

-- An account in one currency, held in the books of org_id. holder says whose
-- it is: a member (person_id set), the org itself, one of its funds or
-- reserves, or 'external' (the gateway to money outside the ledger: a bank
-- or cash account, no limits). kind names the account's purpose within the
-- holder (see app/ledger.h). The four running totals are kept by every
-- transfer, so a balance is one row read: balance = credits_posted -
-- debits_posted. Limits bound the balance after pending debits (lower) and
-- pending credits (upper); NULL means unbounded. The two flags are
-- TigerBeetle's: debits_must_not_exceed_credits acts as a lower limit of 0,
-- credits_must_not_exceed_debits as an upper limit of 0.
CREATE TABLE ledger_accounts (
  id AUTO_ID,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  currency TEXT NOT NULL REFERENCES currencies(code),
  holder TEXT NOT NULL,
  person_id BIGINT REFERENCES persons(id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  lower_limit BIGINT,
  upper_limit BIGINT,
  debits_must_not_exceed_credits BIGINT NOT NULL DEFAULT 0,
  credits_must_not_exceed_debits BIGINT NOT NULL DEFAULT 0,
  debits_posted BIGINT NOT NULL DEFAULT 0,
  credits_posted BIGINT NOT NULL DEFAULT 0,
  debits_pending BIGINT NOT NULL DEFAULT 0,
  credits_pending BIGINT NOT NULL DEFAULT 0,
  closed BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  CHECK (holder IN ('member', 'org', 'fund', 'reserve', 'external')),
  CHECK ((holder = 'member') = (person_id IS NOT NULL)),
  CHECK (debits_posted >= 0 AND credits_posted >= 0 AND debits_pending >= 0 AND credits_pending >= 0)
);
-- One account per (org, member, currency, kind); the org's own, fund and
-- reserve accounts likewise one per (org, holder, currency, kind).
CREATE UNIQUE INDEX ledger_accounts_member ON ledger_accounts (org_id, person_id, currency, kind)
  WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_accounts_org ON ledger_accounts (org_id, holder, currency, kind)
  WHERE person_id IS NULL;
CREATE INDEX ledger_accounts_by_person ON ledger_accounts (person_id, id);

-- Transfers: immutable, never updated or deleted. idem_key is the client's
-- id (unique); body_hash is BLAKE2b of the canonical body, so a retry with
-- the same key and body returns the stored transfer and a different body is
-- refused. action: 'create' moves money (posted at once, or pending when
-- pending = 1), 'post' settles a pending transfer (amount may be less),
-- 'void' and 'expire' release it. pending_id links a post/void/expire to its
-- pending transfer; reverses_id links a correcting transfer to the one it
-- reverses; batch_id is the first transfer of a linked batch (all or none).
-- debit_balance/credit_balance are each account's posted balance after this
-- transfer (the statement's running balance).
CREATE TABLE ledger_transfers (
  id AUTO_ID,
  idem_key TEXT NOT NULL UNIQUE,
  body_hash TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  action TEXT NOT NULL,
  pending BIGINT NOT NULL DEFAULT 0,
  debit_account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
  credit_account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  code TEXT NOT NULL,
  memo TEXT NOT NULL,
  pending_id BIGINT REFERENCES ledger_transfers(id),
  reverses_id BIGINT REFERENCES ledger_transfers(id),
  batch_id BIGINT,
  payment_request_id BIGINT,
  timeout_at BIGINT,
  debit_balance BIGINT NOT NULL,
  credit_balance BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  CHECK (action IN ('create', 'post', 'void', 'expire')),
  CHECK (amount >= 0),
  CHECK (debit_account_id <> credit_account_id)
);
CREATE INDEX ledger_transfers_by_debit ON ledger_transfers (debit_account_id, id);
CREATE INDEX ledger_transfers_by_credit ON ledger_transfers (credit_account_id, id);
CREATE INDEX ledger_transfers_by_pending ON ledger_transfers (pending_id) WHERE pending_id IS NOT NULL;
CREATE INDEX ledger_transfers_by_reverses ON ledger_transfers (reverses_id) WHERE reverses_id IS NOT NULL;

-- The one mutable fact about a pending transfer: whether it is still held.
-- state: pending -> posted | voided | expired, exactly once (resolved_by is
-- the post/void/expire transfer).
CREATE TABLE ledger_pending (
  transfer_id BIGINT PRIMARY KEY REFERENCES ledger_transfers(id),
  state TEXT NOT NULL,
  timeout_at BIGINT,
  resolved_by BIGINT REFERENCES ledger_transfers(id),
  CHECK (state IN ('pending', 'posted', 'voided', 'expired'))
);
CREATE INDEX ledger_pending_due ON ledger_pending (state, timeout_at);

-- Payment requests (invoices): the payee asks, the payer accepts or
-- rejects; accepted and unpaid ones are obligations (clearing nets them).
-- state: open -> accepted | rejected | cancelled; accepted -> paid.
CREATE TABLE payment_requests (
  id AUTO_ID,
  idem_key TEXT NOT NULL UNIQUE,
  body_hash TEXT NOT NULL,
  payee_account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
  payer_account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  code TEXT NOT NULL,
  memo TEXT NOT NULL,
  due_at BIGINT,
  state TEXT NOT NULL,
  reason TEXT,
  created_by_person BIGINT,
  created_at BIGINT NOT NULL,
  responded_at BIGINT,
  responded_by_person BIGINT,
  paid_transfer_id BIGINT REFERENCES ledger_transfers(id),
  CHECK (amount > 0),
  CHECK (state IN ('open', 'accepted', 'rejected', 'cancelled', 'paid'))
);
CREATE INDEX payment_requests_by_payer ON payment_requests (payer_account_id, state, id);
CREATE INDEX payment_requests_by_payee ON payment_requests (payee_account_id, state, id);

-- A co-op's surplus distribution rules (JSON, validated by
-- ledger/surplus.h), set by its coordinator or treasurer.
CREATE TABLE surplus_rules (
  org_id BIGINT PRIMARY KEY REFERENCES orgs(id),
  rules TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by_person BIGINT
);

-- Hours worked by worker members (milli-hours) at a pay index (milli), the
-- basis of a worker co-op's patronage refunds. Append-only.
CREATE TABLE work_hours (
  id AUTO_ID,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  day TEXT NOT NULL,
  hours_milli BIGINT NOT NULL,
  pay_index_milli BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL,
  recorded_by_person BIGINT,
  CHECK (hours_milli > 0 AND pay_index_milli > 0)
);
CREATE INDEX work_hours_by_org_day ON work_hours (org_id, day, person_id);

-- Committed closings: a year-end surplus distribution (kind 'year', period
-- '2026') or a month's stepped purchase bonus (kind 'bonus', period
-- '2026-03'); at most one of each per org and period. rules is the rule set
-- used; batch_id the linked batch that posted it.
CREATE TABLE ledger_closings (
  id AUTO_ID,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  kind TEXT NOT NULL,
  period TEXT NOT NULL,
  currency TEXT NOT NULL,
  total BIGINT NOT NULL,
  rules TEXT NOT NULL,
  batch_id BIGINT,
  created_at BIGINT NOT NULL,
  created_by_person BIGINT,
  UNIQUE (org_id, kind, period)
);

-- Each part of a closing: to a reserve, fund or levy (person_id NULL) or to
-- a member (interest, refund, bonus), with its basis and where it went.
CREATE TABLE ledger_closing_lines (
  closing_id BIGINT NOT NULL REFERENCES ledger_closings(id),
  line_no BIGINT NOT NULL,
  part TEXT NOT NULL,
  person_id BIGINT REFERENCES persons(id),
  basis BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  disposition TEXT NOT NULL,
  account_id BIGINT REFERENCES ledger_accounts(id),
  transfer_id BIGINT REFERENCES ledger_transfers(id),
  PRIMARY KEY (closing_id, line_no)
);
