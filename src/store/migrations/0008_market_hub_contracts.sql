-- The solidarity market, second part (DOMAIN.md §4): regional group buying
-- (local cycles feeding a hub's cycle, volume price tiers) and fair-price
-- contracts with producers (price floors, volume commitments, pre-financing
-- advances repaid from deliveries).

-- A local co-op's cycle that feeds a regional hub's cycle: it sells the
-- hub's offers (it has none of its own) to the local co-op's members, with
-- its own coordinator, closing time (no later than the hub's) and
-- distribution points. Its members' order lines name the hub's offers (and
-- carry the hub's cycle_id), so the hub's close aggregates every local
-- cycle's demand into whole cases; the hub receives, shares out and settles
-- them all in one linked batch.
ALTER TABLE market_cycles ADD COLUMN hub_cycle_id BIGINT REFERENCES market_cycles(id);
CREATE INDEX market_cycles_by_hub ON market_cycles (hub_cycle_id, id);

-- Volume price tiers of an offer: from min_units ordered in the whole cycle
-- (the hub's, with every local cycle's demand), the producer's price per
-- unit is producer_price (the cycle's fee rates build the rest of the
-- breakdown). The tier reached by the units ordered at close sets the
-- offer's price; list_price keeps the price members saw while ordering
-- (NULL while no tier applied), so each line's saving is
-- (list_price - price) per unit.
CREATE TABLE market_offer_tiers (
  offer_id BIGINT NOT NULL REFERENCES market_offers(id),
  min_units BIGINT NOT NULL,
  producer_price BIGINT NOT NULL,
  PRIMARY KEY (offer_id, min_units),
  CHECK (min_units > 1 AND producer_price > 0)
);
ALTER TABLE market_offers ADD COLUMN list_price BIGINT;
ALTER TABLE market_offers ADD COLUMN tier_min_units BIGINT;

-- A fair-price contract between a buying org (a co-op or a hub coordinating
-- cycles) and a producer, over a term. state: proposed (by the buyer) ->
-- active (accepted by the producer) -> ended (by either, or at ends_on), or
-- withdrawn (by the buyer before acceptance) / declined (by the producer).
-- account_id is the buyer's account that pays advances and floor top-ups
-- and receives repayments; repay_bps is the share of each delivery's
-- producer amount (for the contract's variants) deducted to repay
-- outstanding advances.
CREATE TABLE market_contracts (
  id AUTO_ID,
  buyer_org_id BIGINT NOT NULL REFERENCES orgs(id),
  producer_org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  currency TEXT NOT NULL REFERENCES currencies(code),
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
  repay_bps BIGINT NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  terms TEXT NOT NULL DEFAULT '',
  created_by_person BIGINT,
  created_at BIGINT NOT NULL,
  accepted_at BIGINT,
  accepted_by_person BIGINT,
  ended_at BIGINT,
  CHECK (state IN ('proposed', 'active', 'ended', 'withdrawn', 'declined')),
  CHECK (repay_bps >= 0 AND repay_bps <= 10000),
  CHECK (ends_on > starts_on)
);
CREATE INDEX market_contracts_by_buyer ON market_contracts (buyer_org_id, id);
CREATE INDEX market_contracts_by_producer ON market_contracts (producer_org_id, id);

-- The variants a contract covers: the floor on the producer's price per
-- unit (a cycle price below it is topped up at settlement) and the units
-- the buyer commits to take over the term (0: no commitment).
CREATE TABLE market_contract_lines (
  contract_id BIGINT NOT NULL REFERENCES market_contracts(id),
  variant_id BIGINT NOT NULL REFERENCES market_variants(id),
  floor_price BIGINT NOT NULL,
  committed_units BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (contract_id, variant_id),
  CHECK (floor_price >= 0 AND committed_units >= 0)
);
CREATE INDEX market_contract_lines_by_variant ON market_contract_lines (variant_id, contract_id);

-- The contract's running account, one row per movement: an advance paid to
-- the producer, a repayment deducted from a delivery, a floor top-up paid
-- on a delivery, and each delivery itself (units and producer amount, no
-- money of its own: transfer_id NULL). Each money row names its ledger
-- transfer.
CREATE TABLE market_contract_entries (
  id AUTO_ID,
  contract_id BIGINT NOT NULL REFERENCES market_contracts(id),
  kind TEXT NOT NULL,
  cycle_id BIGINT REFERENCES market_cycles(id),
  variant_id BIGINT REFERENCES market_variants(id),
  units BIGINT NOT NULL DEFAULT 0,
  amount BIGINT NOT NULL,
  transfer_id BIGINT REFERENCES ledger_transfers(id),
  memo TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  CHECK (kind IN ('advance', 'repayment', 'floor', 'delivery')),
  CHECK (amount >= 0 AND units >= 0)
);
CREATE INDEX market_contract_entries_by_contract ON market_contract_entries (contract_id, id);
