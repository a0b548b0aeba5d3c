-- The federation registry: organisations and their nesting, member classes,
-- persons, memberships with their history, and share capital
-- (app/repo/registry_repo.cc). Times are BIGINT microseconds since the epoch.

-- An organisation: a federation, a co-op or an informal group. parent_id
-- nests it (any depth). member_count and child_count are kept by the
-- registry's use cases so the co-op page reads them without counting rows;
-- next_member_number hands out member numbers, never reused.
CREATE TABLE orgs (
  id AUTO_ID,
  parent_id BIGINT REFERENCES orgs(id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  territory TEXT NOT NULL,
  admission TEXT NOT NULL,
  currency TEXT NOT NULL,
  member_count BIGINT NOT NULL DEFAULT 0,
  child_count BIGINT NOT NULL DEFAULT 0,
  next_member_number BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE INDEX orgs_by_parent ON orgs (parent_id, id);

-- Classes of membership of one org (user, worker, supporter ...), each with
-- its own share price and minimum shares.
CREATE TABLE member_classes (
  id AUTO_ID,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  share_price_minor BIGINT NOT NULL,
  min_shares BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (org_id, code)
);

-- A person: a member, a coordinator, or both. email is stored lower-case.
CREATE TABLE persons (
  id AUTO_ID,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  email TEXT UNIQUE,
  phone TEXT,
  locale TEXT NOT NULL DEFAULT 'en',
  created_at BIGINT NOT NULL
);

-- A membership of a person (person_id) or of an organisation (member_org_id)
-- in org_id. Rows are never deleted: a member who leaves keeps the row with
-- status left. shares and paid_minor mirror the share register.
CREATE TABLE memberships (
  id AUTO_ID,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  person_id BIGINT REFERENCES persons(id),
  member_org_id BIGINT REFERENCES orgs(id),
  class_id BIGINT NOT NULL REFERENCES member_classes(id),
  status TEXT NOT NULL,
  member_number BIGINT,
  requested_shares BIGINT NOT NULL,
  shares BIGINT NOT NULL DEFAULT 0,
  paid_minor BIGINT NOT NULL DEFAULT 0,
  message TEXT,
  applied_at BIGINT NOT NULL,
  admitted_at BIGINT,
  ended_at BIGINT,
  CHECK ((person_id IS NULL) <> (member_org_id IS NULL)),
  UNIQUE (org_id, member_number)
);
CREATE INDEX memberships_by_org_status ON memberships (org_id, status, id);
CREATE INDEX memberships_by_person ON memberships (person_id, org_id);
CREATE INDEX memberships_by_member_org ON memberships (member_org_id, org_id);
-- At most one open (applied or active) membership per member and org.
CREATE UNIQUE INDEX memberships_open_person ON memberships (org_id, person_id)
  WHERE status IN ('applied', 'active') AND person_id IS NOT NULL;
CREATE UNIQUE INDEX memberships_open_org ON memberships (org_id, member_org_id)
  WHERE status IN ('applied', 'active') AND member_org_id IS NOT NULL;

-- The history of a membership, append-only.
CREATE TABLE membership_events (
  id AUTO_ID,
  membership_id BIGINT NOT NULL REFERENCES memberships(id),
  kind TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  reason TEXT,
  actor_person_id BIGINT,
  at BIGINT NOT NULL
);
CREATE INDEX membership_events_by_membership ON membership_events (membership_id, id);

-- Share subscription requests: waiting -> paid, or cancelled.
CREATE TABLE share_subscriptions (
  id AUTO_ID,
  membership_id BIGINT NOT NULL REFERENCES memberships(id),
  shares BIGINT NOT NULL,
  price_minor BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL,
  paid_minor BIGINT NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  closed_at BIGINT,
  CHECK (paid_minor >= 0 AND paid_minor <= amount_minor)
);
CREATE INDEX share_subscriptions_by_membership ON share_subscriptions (membership_id, id);

-- Instalments paid on a subscription, append-only.
CREATE TABLE share_payments (
  id AUTO_ID,
  subscription_id BIGINT NOT NULL REFERENCES share_subscriptions(id),
  amount_minor BIGINT NOT NULL,
  recorded_by BIGINT,
  at BIGINT NOT NULL
);
CREATE INDEX share_payments_by_subscription ON share_payments (subscription_id, id);

-- The share register, append-only. shares is signed (negative for
-- transfer_out and sell_back); balance is the holding after the entry.
CREATE TABLE share_register (
  id AUTO_ID,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  membership_id BIGINT NOT NULL REFERENCES memberships(id),
  kind TEXT NOT NULL,
  shares BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL,
  balance BIGINT NOT NULL,
  counterpart_membership_id BIGINT REFERENCES memberships(id),
  subscription_id BIGINT REFERENCES share_subscriptions(id),
  at BIGINT NOT NULL
);
CREATE INDEX share_register_by_org ON share_register (org_id, id);
CREATE INDEX share_register_by_membership ON share_register (membership_id, id);
