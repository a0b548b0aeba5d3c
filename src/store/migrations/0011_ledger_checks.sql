-- The ledger's transfer and hold tables without IN-list CHECKs on SQLite.
-- SQLite 3.40 evaluates `CHECK (x IN ('a', 'b', 'c', ...))` (more than two
-- constants) by building and dropping an ephemeral b-tree on every INSERT,
-- about a fifth of the write lane's work per transfer (measured on
-- bench/ledger); equality tests joined by OR say the same and cost a few
-- comparisons. SQLite cannot alter a CHECK, so both tables are rebuilt the
-- way its documentation prescribes (create, copy, drop, rename; the
-- migration runner turns foreign keys off around it and checks every
-- foreign key before committing): same columns in the same order, same
-- rows and ids, same indexes, and the foreign keys of other tables that
-- name them by name still do. ledger_accounts keeps its holder CHECK: an
-- UPDATE of the running totals does not evaluate it (it names no updated
-- column), and accounts are inserted off the hot path.
-- PostgreSQL evaluates an IN list without a temporary table; its schema is
-- left as 0006 made it, with the same meaning.

-- dialect: sqlite

CREATE TABLE ledger_transfers_rebuilt (
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
  CHECK (action = 'create' OR action = 'post' OR action = 'void' OR action = 'expire'),
  CHECK (amount >= 0),
  CHECK (debit_account_id <> credit_account_id)
);
INSERT INTO ledger_transfers_rebuilt (id, idem_key, body_hash, created_by, action, pending,
    debit_account_id, credit_account_id, amount, currency, code, memo, pending_id, reverses_id,
    batch_id, payment_request_id, timeout_at, debit_balance, credit_balance, created_at)
  SELECT id, idem_key, body_hash, created_by, action, pending, debit_account_id,
    credit_account_id, amount, currency, code, memo, pending_id, reverses_id, batch_id,
    payment_request_id, timeout_at, debit_balance, credit_balance, created_at
  FROM ledger_transfers ORDER BY id;
DROP TABLE ledger_transfers;
ALTER TABLE ledger_transfers_rebuilt RENAME TO ledger_transfers;
CREATE INDEX ledger_transfers_by_debit ON ledger_transfers (debit_account_id, id);
CREATE INDEX ledger_transfers_by_credit ON ledger_transfers (credit_account_id, id);
CREATE INDEX ledger_transfers_by_pending ON ledger_transfers (pending_id) WHERE pending_id IS NOT NULL;
CREATE INDEX ledger_transfers_by_reverses ON ledger_transfers (reverses_id) WHERE reverses_id IS NOT NULL;

CREATE TABLE ledger_pending_rebuilt (
  transfer_id BIGINT PRIMARY KEY REFERENCES ledger_transfers(id),
  state TEXT NOT NULL,
  timeout_at BIGINT,
  resolved_by BIGINT REFERENCES ledger_transfers(id),
  CHECK (state = 'pending' OR state = 'posted' OR state = 'voided' OR state = 'expired')
);
INSERT INTO ledger_pending_rebuilt (transfer_id, state, timeout_at, resolved_by)
  SELECT transfer_id, state, timeout_at, resolved_by FROM ledger_pending ORDER BY transfer_id;
DROP TABLE ledger_pending;
ALTER TABLE ledger_pending_rebuilt RENAME TO ledger_pending;
CREATE INDEX ledger_pending_due ON ledger_pending (state, timeout_at);
