-- The solidarity market (app/market*.cc, DOMAIN.md §4): a catalog of
-- products with honest labels, the federation's solidarity seal, and
-- time-boxed order cycles with group orders in whole cases, shortfalls shared
-- out, and settlement through the ledger. Amounts are BIGINT minor units;
-- quantities BIGINT whole ordered units; times BIGINT microseconds since the
-- epoch; booleans BIGINT 0/1.

-- A producing organisation's label facts: who they are (the collective and
-- its members' story) and the identity mark of their territory.
CREATE TABLE market_producers (
  org_id BIGINT PRIMARY KEY REFERENCES orgs(id),
  story TEXT NOT NULL,
  territory_mark TEXT,
  updated_at BIGINT NOT NULL
);

-- A product offered by a producer or worker co-op. category is a slug path
-- ("vegetables", "dairy/cheese"); territory is where it is made; distance_km
-- the distance it travels to the federation's hub; packaging one of a closed
-- vocabulary (app/market.h). search is the lower-cased name, producer and
-- description that the catalog's text filter matches. min_price/max_price
-- are the active variants' prices (kept by every variant change) so the
-- price filter and sort need no join.
CREATE TABLE market_products (
  id AUTO_ID,
  producer_org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL,
  territory TEXT NOT NULL,
  distance_km BIGINT NOT NULL,
  packaging TEXT NOT NULL,
  currency TEXT NOT NULL REFERENCES currencies(code),
  min_price BIGINT,
  max_price BIGINT,
  active BIGINT NOT NULL DEFAULT 1,
  search TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (distance_km >= 0)
);
CREATE INDEX market_products_by_producer ON market_products (producer_org_id, id);
CREATE INDEX market_products_by_category ON market_products (category, id);
CREATE INDEX market_products_by_territory ON market_products (territory, id);
CREATE INDEX market_products_by_price ON market_products (min_price, id);

-- What a member orders: one unit of a variant is net_milli thousandths of
-- the UNECE unit unit_code (a 500 g bag: GRM, 500000; a dozen eggs: H87,
-- 12000). price is per ordered unit, broken down into the producer's part and
-- each fee; the parts sum exactly to the price. case_size is how many
-- ordered units make one case from the producer.
CREATE TABLE market_variants (
  id AUTO_ID,
  product_id BIGINT NOT NULL REFERENCES market_products(id),
  name TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  net_milli BIGINT NOT NULL,
  case_size BIGINT NOT NULL,
  price BIGINT NOT NULL,
  producer_part BIGINT NOT NULL,
  transport BIGINT NOT NULL,
  packing BIGINT NOT NULL,
  margin BIGINT NOT NULL,
  fund BIGINT NOT NULL,
  tax BIGINT NOT NULL,
  active BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (net_milli > 0 AND case_size > 0 AND price > 0),
  CHECK (producer_part >= 0 AND transport >= 0 AND packing >= 0 AND margin >= 0 AND fund >= 0 AND tax >= 0),
  CHECK (producer_part + transport + packing + margin + fund + tax = price)
);
CREATE INDEX market_variants_by_product ON market_variants (product_id, id);

-- Certifications (organic, fair trade ...): who certified it, the granting
-- decision's reference, and until when.
CREATE TABLE market_certifications (
  id AUTO_ID,
  product_id BIGINT NOT NULL REFERENCES market_products(id),
  name TEXT NOT NULL,
  certifier TEXT NOT NULL,
  reference TEXT NOT NULL,
  granted_on TEXT NOT NULL,
  expires_on TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX market_certifications_by_product ON market_certifications (product_id, id);

-- The federation's solidarity seal on a product: granted by a passed
-- decision of the body the federation's constitution names for the
-- "solidarity.seal" domain (subject "seal:product:<id>"), withdrawn by
-- another ("seal-withdraw:product:<id>"). A decision is used at most once.
-- A product holds at most one live seal (withdrawn_at NULL, not expired).
CREATE TABLE market_seals (
  id AUTO_ID,
  product_id BIGINT NOT NULL REFERENCES market_products(id),
  federation_org_id BIGINT NOT NULL REFERENCES orgs(id),
  grant_decision_id BIGINT NOT NULL UNIQUE REFERENCES decisions(id),
  granted_at BIGINT NOT NULL,
  expires_at BIGINT,
  withdraw_decision_id BIGINT UNIQUE REFERENCES decisions(id),
  withdrawn_at BIGINT
);
CREATE INDEX market_seals_by_product ON market_seals (product_id, id);

-- An order cycle run by a coordinating org (a local co-op or a regional hub
-- serving several co-ops, market_cycle_coops). state: draft -> scheduled
-- (published; the scheduler opens it at opens_at and closes it at
-- closes_at) -> open -> closed -> settled, or cancelled before settlement.
-- share_rule says how a short delivery is shared out. Fee rates (basis
-- points of the producer's price, plus a fixed amount per unit) build each
-- offer's price breakdown; transport_org_id and packing_org_id receive those
-- fees (the coordinator when NULL). batch_id is the settlement's linked
-- batch in the ledger.
CREATE TABLE market_cycles (
  id AUTO_ID,
  coordinator_org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  currency TEXT NOT NULL REFERENCES currencies(code),
  opens_at BIGINT NOT NULL,
  closes_at BIGINT NOT NULL,
  state TEXT NOT NULL,
  share_rule TEXT NOT NULL,
  transport_bps BIGINT NOT NULL DEFAULT 0,
  transport_per_unit BIGINT NOT NULL DEFAULT 0,
  packing_bps BIGINT NOT NULL DEFAULT 0,
  packing_per_unit BIGINT NOT NULL DEFAULT 0,
  margin_bps BIGINT NOT NULL DEFAULT 0,
  fund_bps BIGINT NOT NULL DEFAULT 0,
  tax_bps BIGINT NOT NULL DEFAULT 0,
  transport_org_id BIGINT REFERENCES orgs(id),
  packing_org_id BIGINT REFERENCES orgs(id),
  created_by_person BIGINT,
  created_at BIGINT NOT NULL,
  opened_at BIGINT,
  closed_at BIGINT,
  settled_at BIGINT,
  batch_id BIGINT,
  CHECK (state IN ('draft', 'scheduled', 'open', 'closed', 'settled', 'cancelled')),
  CHECK (share_rule IN ('proportional', 'first_come')),
  CHECK (closes_at > opens_at)
);
CREATE INDEX market_cycles_by_coordinator ON market_cycles (coordinator_org_id, id);
CREATE INDEX market_cycles_due ON market_cycles (state, opens_at, closes_at);

-- The co-ops whose active members may order in a cycle (the coordinator is
-- always one when it has members).
CREATE TABLE market_cycle_coops (
  cycle_id BIGINT NOT NULL REFERENCES market_cycles(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  PRIMARY KEY (cycle_id, org_id)
);
CREATE INDEX market_cycle_coops_by_org ON market_cycle_coops (org_id, cycle_id);

-- A variant offered in a cycle, at the cycle's price: the producer's price
-- plus the cycle's fees per unit (parts summing exactly to price), copied
-- case size, and an optional cap on the units the producer can supply.
CREATE TABLE market_offers (
  id AUTO_ID,
  cycle_id BIGINT NOT NULL REFERENCES market_cycles(id),
  variant_id BIGINT NOT NULL REFERENCES market_variants(id),
  product_id BIGINT NOT NULL REFERENCES market_products(id),
  producer_org_id BIGINT NOT NULL REFERENCES orgs(id),
  case_size BIGINT NOT NULL,
  max_units BIGINT,
  price BIGINT NOT NULL,
  producer_part BIGINT NOT NULL,
  transport BIGINT NOT NULL,
  packing BIGINT NOT NULL,
  margin BIGINT NOT NULL,
  fund BIGINT NOT NULL,
  tax BIGINT NOT NULL,
  CHECK (case_size > 0 AND price > 0),
  CHECK (producer_part + transport + packing + margin + fund + tax = price),
  UNIQUE (cycle_id, variant_id)
);
CREATE INDEX market_offers_by_producer ON market_offers (cycle_id, producer_org_id, id);

-- Where members collect their orders: a pickup place or a delivery, each
-- with a fee per order (credited to the coordinator).
CREATE TABLE market_points (
  id AUTO_ID,
  cycle_id BIGINT NOT NULL REFERENCES market_cycles(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  address TEXT NOT NULL,
  fee BIGINT NOT NULL DEFAULT 0,
  CHECK (kind IN ('pickup', 'delivery')),
  CHECK (fee >= 0)
);
CREATE INDEX market_points_by_cycle ON market_points (cycle_id, id);

-- A member's order in a cycle, one per member and cycle. state: cart (no
-- hold yet) -> placed (hold_transfer_id reserves hold_amount: every line's
-- quantity plus tolerance at its price, plus the point's fee) -> settled,
-- or cancelled. account_id is the member's current account in org_id (their
-- co-op). placed_at orders first-come sharing. total is what settlement
-- charged; settle_transfer_id the post (or void) of the hold.
CREATE TABLE market_orders (
  id AUTO_ID,
  cycle_id BIGINT NOT NULL REFERENCES market_cycles(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  account_id BIGINT REFERENCES ledger_accounts(id),
  point_id BIGINT REFERENCES market_points(id),
  state TEXT NOT NULL,
  hold_transfer_id BIGINT REFERENCES ledger_transfers(id),
  hold_amount BIGINT NOT NULL DEFAULT 0,
  placed_at BIGINT,
  total BIGINT,
  settle_transfer_id BIGINT REFERENCES ledger_transfers(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (state IN ('cart', 'placed', 'settled', 'cancelled')),
  UNIQUE (cycle_id, person_id)
);
CREATE INDEX market_orders_by_person ON market_orders (person_id, id);
CREATE INDEX market_orders_by_cycle_state ON market_orders (cycle_id, state, id);

-- One line of an order: whole ordered units plus a tolerance (extra units
-- the member accepts so that a case fills). ordered_at moves when the
-- quantity rises. First-come sharing serves orders by placed_at (checkout),
-- then lines by ordered_at, then by id.
CREATE TABLE market_order_lines (
  id AUTO_ID,
  order_id BIGINT NOT NULL REFERENCES market_orders(id),
  cycle_id BIGINT NOT NULL,
  offer_id BIGINT NOT NULL REFERENCES market_offers(id),
  quantity BIGINT NOT NULL,
  tolerance BIGINT NOT NULL,
  ordered_at BIGINT NOT NULL,
  CHECK (quantity > 0 AND tolerance >= 0),
  UNIQUE (order_id, offer_id)
);
CREATE INDEX market_order_lines_by_offer ON market_order_lines (offer_id, id);

-- What each producer is asked for when a cycle closes: one purchase order
-- per producer (state: sent -> confirmed), one line per offer with demand,
-- in whole cases. confirmed_units is what the producer commits to (NULL:
-- not yet), received_units what the coordinator recorded as arrived.
CREATE TABLE market_purchase_orders (
  id AUTO_ID,
  cycle_id BIGINT NOT NULL REFERENCES market_cycles(id),
  producer_org_id BIGINT NOT NULL REFERENCES orgs(id),
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  confirmed_at BIGINT,
  confirmed_by_person BIGINT,
  note TEXT,
  CHECK (state IN ('sent', 'confirmed')),
  UNIQUE (cycle_id, producer_org_id)
);
CREATE TABLE market_po_lines (
  po_id BIGINT NOT NULL REFERENCES market_purchase_orders(id),
  offer_id BIGINT NOT NULL REFERENCES market_offers(id),
  demand BIGINT NOT NULL,
  tolerance BIGINT NOT NULL,
  cases BIGINT NOT NULL,
  units BIGINT NOT NULL,
  confirmed_units BIGINT,
  received_units BIGINT,
  received_at BIGINT,
  PRIMARY KEY (po_id, offer_id),
  CHECK (demand >= 0 AND tolerance >= 0 AND cases >= 0 AND units >= 0)
);
CREATE UNIQUE INDEX market_po_lines_by_offer ON market_po_lines (offer_id);

-- The allocation of received units to order lines, written only for lines
-- whose share differs from their quantity (a short delivery, or tolerance
-- used to fill a case): a line absent here receives its quantity.
CREATE TABLE market_allocations (
  line_id BIGINT PRIMARY KEY REFERENCES market_order_lines(id),
  cycle_id BIGINT NOT NULL,
  allocated BIGINT NOT NULL,
  CHECK (allocated >= 0)
);
CREATE INDEX market_allocations_by_cycle ON market_allocations (cycle_id);
