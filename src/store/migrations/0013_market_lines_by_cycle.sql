-- A cycle's order lines by id. Allocation and settlement read a cycle's
-- lines in id order: this index finds the first and last of them in two
-- seeks, and the read then walks only the table's rows between those ids
-- (lines are written only while their cycle is open, so the range holds
-- the cycle's lines and those of cycles open at the same time, never the
-- co-op's whole history). Without it, each settlement scanned every line of
-- every cycle ever held.
CREATE INDEX market_order_lines_by_cycle ON market_order_lines (cycle_id, id);
