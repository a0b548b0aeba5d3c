-- Running demand per offer: the totals of the order lines of placed and
-- settled orders, kept as orders are placed, changed and cancelled, so a
-- cycle's close reads one row per offer instead of grouping every line.
-- cycle_id is the order's cycle (a local cycle's members order the hub's
-- offers, so a local cycle has rows on its hub's offers). An order settles
-- only with its whole cycle (placed -> settled), which leaves the totals as
-- they are; a row whose lines all went away stays with zeros.
-- Invariant (checked by app::market::check_demand, `agora verify`): every
-- row equals SUM(quantity), SUM(tolerance) over the lines of the cycle's
-- placed and settled orders on that offer.
CREATE TABLE market_demand (
  cycle_id BIGINT NOT NULL REFERENCES market_cycles(id),
  offer_id BIGINT NOT NULL REFERENCES market_offers(id),
  quantity BIGINT NOT NULL,
  tolerance BIGINT NOT NULL,
  PRIMARY KEY (cycle_id, offer_id),
  CHECK (quantity >= 0 AND tolerance >= 0)
);

INSERT INTO market_demand (cycle_id, offer_id, quantity, tolerance)
SELECT r.cycle_id, l.offer_id, SUM(l.quantity), SUM(l.tolerance)
FROM market_orders r JOIN market_order_lines l ON l.order_id = r.id
WHERE r.state IN ('placed', 'settled')
GROUP BY r.cycle_id, l.offer_id;
