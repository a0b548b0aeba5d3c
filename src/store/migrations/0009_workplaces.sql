-- Workplaces, leases and member-controlled funds (DOMAIN.md §1 and §5,
-- seed 004): assets owned in stakes, the asset lock, stake buy-outs, leases
-- from the owning co-op to a worker co-op with their rent and solidarity
-- schedules, and the invoices the scheduler raises for them. Times are
-- BIGINT microseconds; dates TEXT YYYY-MM-DD; money BIGINT minor units.

-- A workplace, land or equipment. floor_area_m2 in whole square metres
-- (the solidarity contribution is per m² per month). valuation in minor
-- units of currency as of valued_on. use_text is the asset's purpose and
-- statutes its statutes' text: changing either is a reserved matter.
-- status: active -> sold (a reserved matter too).
CREATE TABLE assets (
  id AUTO_ID,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  territory TEXT NOT NULL DEFAULT '',
  floor_area_m2 BIGINT NOT NULL DEFAULT 0,
  valuation BIGINT NOT NULL DEFAULT 0,
  currency TEXT NOT NULL REFERENCES currencies(code),
  valued_on TEXT,
  use_text TEXT NOT NULL DEFAULT '',
  statutes TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active',
  created_by_person BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (kind IN ('workplace', 'land', 'building', 'equipment')),
  CHECK (status IN ('active', 'sold')),
  CHECK (floor_area_m2 >= 0 AND valuation >= 0)
);

-- Who owns an asset, in basis points (the live stakes of an asset sum to
-- 10,000).
CREATE TABLE asset_stakes (
  asset_id BIGINT NOT NULL REFERENCES assets(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  share_bps BIGINT NOT NULL,
  PRIMARY KEY (asset_id, org_id),
  CHECK (share_bps > 0 AND share_bps <= 10000)
);
CREATE INDEX asset_stakes_by_org ON asset_stakes (org_id, asset_id);

-- The asset's history: creation, stake moves (buy-out installments), and
-- each reserved matter carried out with the decisions that allowed it
-- (owners' and the federation's). A decision authorises one event only.
CREATE TABLE asset_events (
  id AUTO_ID,
  asset_id BIGINT NOT NULL REFERENCES assets(id),
  kind TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  from_org_id BIGINT REFERENCES orgs(id),
  to_org_id BIGINT REFERENCES orgs(id),
  share_bps BIGINT,
  amount BIGINT,
  transfer_id BIGINT REFERENCES ledger_transfers(id),
  owner_decision_id BIGINT REFERENCES decisions(id),
  federation_decision_id BIGINT REFERENCES decisions(id),
  person_id BIGINT,
  created_at BIGINT NOT NULL,
  CHECK (kind IN ('created', 'stake', 'sale', 'use', 'encumbrance', 'statutes', 'valuation'))
);
CREATE INDEX asset_events_by_asset ON asset_events (asset_id, id);
CREATE UNIQUE INDEX asset_events_by_owner_decision ON asset_events (owner_decision_id);
CREATE UNIQUE INDEX asset_events_by_federation_decision ON asset_events (federation_decision_id);

-- A stake buy-out: the buyer takes share_bps of the seller's stake in
-- `installments` equal parts (the last takes the remainder), one every
-- period_months from starts_on, paying price_total split the same way
-- through the ledger (buyer's operating account -> seller's). The
-- scheduler runs due installments. state: active -> completed, or
-- cancelled (remaining installments dropped).
CREATE TABLE asset_buyouts (
  id AUTO_ID,
  asset_id BIGINT NOT NULL REFERENCES assets(id),
  seller_org_id BIGINT NOT NULL REFERENCES orgs(id),
  buyer_org_id BIGINT NOT NULL REFERENCES orgs(id),
  share_bps BIGINT NOT NULL,
  price_total BIGINT NOT NULL,
  currency TEXT NOT NULL REFERENCES currencies(code),
  installments BIGINT NOT NULL,
  period_months BIGINT NOT NULL,
  starts_on TEXT NOT NULL,
  state TEXT NOT NULL,
  decision_id BIGINT REFERENCES decisions(id),
  created_at BIGINT NOT NULL,
  CHECK (state IN ('active', 'completed', 'cancelled')),
  CHECK (share_bps > 0 AND share_bps <= 10000 AND price_total >= 0),
  CHECK (installments BETWEEN 1 AND 600 AND period_months BETWEEN 1 AND 120)
);
CREATE INDEX asset_buyouts_by_asset ON asset_buyouts (asset_id, id);
CREATE TABLE asset_buyout_installments (
  buyout_id BIGINT NOT NULL REFERENCES asset_buyouts(id),
  n BIGINT NOT NULL,
  due_on TEXT NOT NULL,
  share_bps BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  transfer_id BIGINT REFERENCES ledger_transfers(id),
  done_at BIGINT,
  PRIMARY KEY (buyout_id, n)
);
CREATE INDEX asset_buyout_installments_due ON asset_buyout_installments (done_at, due_on);

-- A lease of an asset from one of its owners (lessor) to a worker co-op
-- (lessee) from starts_on to ends_on (renewal 'none' ends there; 'auto'
-- renews for renew_months unless ended). rent_kind: free | fixed |
-- indexed (rent_monthly rises by index_bps on each anniversary, compounded,
-- rounded to the minor unit). The monthly rent splits into cost rent —
-- debt_service and maintenance (fixed monthly amounts, to the lessor's
-- operating account and its maintenance reserve) — and the surplus (the
-- rest, to the lessor's investment fund). The solidarity contribution per
-- m² per month follows lease_solidarity_steps, paid to the solidarity fund
-- of solidarity_org_id (the federation). decision_id is the joint decision
-- (lessor and lessee) that created it. state: active -> ended.
CREATE TABLE leases (
  id AUTO_ID,
  asset_id BIGINT NOT NULL REFERENCES assets(id),
  lessor_org_id BIGINT NOT NULL REFERENCES orgs(id),
  lessee_org_id BIGINT NOT NULL REFERENCES orgs(id),
  currency TEXT NOT NULL REFERENCES currencies(code),
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  renewal TEXT NOT NULL DEFAULT 'none',
  renew_months BIGINT NOT NULL DEFAULT 0,
  rent_kind TEXT NOT NULL,
  rent_monthly BIGINT NOT NULL DEFAULT 0,
  index_bps BIGINT NOT NULL DEFAULT 0,
  debt_service BIGINT NOT NULL DEFAULT 0,
  maintenance BIGINT NOT NULL DEFAULT 0,
  floor_area_m2 BIGINT NOT NULL,
  solidarity_org_id BIGINT REFERENCES orgs(id),
  due_day BIGINT NOT NULL DEFAULT 5,
  state TEXT NOT NULL,
  decision_id BIGINT REFERENCES decisions(id),
  end_decision_id BIGINT REFERENCES decisions(id),
  invoiced_through TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  ended_at BIGINT,
  CHECK (rent_kind IN ('free', 'fixed', 'indexed')),
  CHECK (renewal IN ('none', 'auto')),
  CHECK (state IN ('active', 'ended')),
  CHECK (ends_on > starts_on),
  CHECK (rent_monthly >= 0 AND index_bps >= 0 AND debt_service >= 0 AND maintenance >= 0),
  CHECK (due_day BETWEEN 1 AND 28)
);
CREATE INDEX leases_by_asset ON leases (asset_id, id);
CREATE INDEX leases_by_lessor ON leases (lessor_org_id, id);
CREATE INDEX leases_by_lessee ON leases (lessee_org_id, id);
CREATE INDEX leases_due ON leases (state, invoiced_through);

-- The solidarity contribution's schedule: from from_on, rate_per_m2 minor
-- units per m² per month (0.10 EUR/m²/month = 10 cents, rising as loans
-- are repaid).
CREATE TABLE lease_solidarity_steps (
  lease_id BIGINT NOT NULL REFERENCES leases(id),
  from_on TEXT NOT NULL,
  rate_per_m2 BIGINT NOT NULL,
  PRIMARY KEY (lease_id, from_on),
  CHECK (rate_per_m2 >= 0)
);

-- Each changed term of a lease, with the joint decision that allowed it.
CREATE TABLE lease_changes (
  id AUTO_ID,
  lease_id BIGINT NOT NULL REFERENCES leases(id),
  decision_id BIGINT NOT NULL UNIQUE REFERENCES decisions(id),
  detail TEXT NOT NULL,
  person_id BIGINT,
  created_at BIGINT NOT NULL
);

-- The invoices raised for a lease, one per month (period YYYY-MM) and
-- kind: the cost rent's debt service (to the lessor's operating account)
-- and maintenance (to the lessor's "maintenance" reserve), the surplus (to
-- the lessor's "investment" fund) and the solidarity contribution (to the
-- solidarity org's "solidarity" fund), each a payment request in the
-- ledger whose payer is the lessee's operating account. Arrears are its
-- open or accepted requests past due.
CREATE TABLE lease_invoices (
  lease_id BIGINT NOT NULL REFERENCES leases(id),
  period TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount BIGINT NOT NULL,
  request_id BIGINT NOT NULL REFERENCES payment_requests(id),
  due_on TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (lease_id, period, kind),
  CHECK (kind IN ('debt_service', 'maintenance', 'surplus', 'solidarity')),
  CHECK (amount > 0)
);
CREATE INDEX lease_invoices_by_request ON lease_invoices (request_id);

-- Every decision an asset event or a stake buy-out relied on, so that each
-- serves once: an event carried out with several owners' decisions lists
-- each of them here (asset_events keeps one owner's and the federation's).
CREATE TABLE asset_decisions (
  decision_id BIGINT PRIMARY KEY REFERENCES decisions(id),
  asset_id BIGINT NOT NULL REFERENCES assets(id),
  event_id BIGINT REFERENCES asset_events(id),
  buyout_id BIGINT REFERENCES asset_buyouts(id),
  created_at BIGINT NOT NULL
);
