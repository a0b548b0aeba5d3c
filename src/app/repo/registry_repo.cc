#include "app/repo/registry_repo.h"

#include "app/repo/values.h"
#include "core/assert.h"

namespace agora::app::repo {
namespace {

using store::Params;
using store::Row;
using store::Value;
using namespace values;

constexpr const char* kOrgCols =
    "o.id, o.parent_id, o.kind, o.name, o.slug, o.territory, o.admission, o.currency, "
    "o.member_count, o.child_count, o.next_member_number";
constexpr size_t kOrgNCols = 11;

OrgRow org_of(const Row& r) {
  OrgRow o{.id = r.i64(0),
           .parent_id = r.opt_i64(1),
           .kind = r.str(2),
           .name = r.str(3),
           .slug = r.str(4),
           .territory = r.str(5),
           .admission = r.str(6),
           .currency = r.str(7),
           .member_count = r.i64(8),
           .child_count = r.i64(9),
           .next_member_number = r.i64(10)};
  AGORA_ASSERT(o.id > 0 && o.member_count >= 0 && o.child_count >= 0);
  return o;
}

std::vector<OrgRow> orgs_of(const store::Rows& rows) {
  std::vector<OrgRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(org_of(r));
  return out;
}

constexpr const char* kClassCols =
    "c.id, c.org_id, c.code, c.name, c.share_price_minor, c.min_shares";

ClassRow class_of(const Row& r, size_t at = 0) {
  ClassRow c{.id = r.i64(at),
             .org_id = r.i64(at + 1),
             .code = r.str(at + 2),
             .name = r.str(at + 3),
             .share_price_minor = r.i64(at + 4),
             .min_shares = r.i64(at + 5)};
  AGORA_ASSERT(c.id > 0 && c.share_price_minor > 0);
  return c;
}

constexpr const char* kMembershipSelect =
    "SELECT m.id, m.org_id, m.person_id, m.member_org_id, m.class_id, m.status, m.member_number, "
    "m.requested_shares, m.shares, m.paid_minor, m.message, m.applied_at, m.admitted_at, "
    "m.ended_at, o.name, o.kind, o.currency, c.code, c.name, c.share_price_minor, c.min_shares, "
    "p.given_name, p.family_name, p.email, p.phone, mo.name "
    "FROM memberships m JOIN orgs o ON o.id = m.org_id "
    "JOIN member_classes c ON c.id = m.class_id "
    "LEFT JOIN persons p ON p.id = m.person_id "
    "LEFT JOIN orgs mo ON mo.id = m.member_org_id ";

MembershipRow membership_of(const Row& r) {
  MembershipRow m;
  m.id = r.i64(0);
  m.org_id = r.i64(1);
  m.person_id = r.opt_i64(2);
  m.member_org_id = r.opt_i64(3);
  m.class_id = r.i64(4);
  m.status = r.str(5);
  m.member_number = r.opt_i64(6);
  m.requested_shares = r.i64(7);
  m.shares = r.i64(8);
  m.paid_minor = r.i64(9);
  m.message = r.opt_str(10);
  m.applied_at = Timestamp{r.i64(11)};
  m.admitted_at = opt_ts(r, 12);
  m.ended_at = opt_ts(r, 13);
  m.org_name = r.str(14);
  m.org_kind = r.str(15);
  m.currency = r.str(16);
  m.class_code = r.str(17);
  m.class_name = r.str(18);
  m.share_price_minor = r.i64(19);
  m.min_shares = r.i64(20);
  m.given_name = r.opt_str(21).value_or("");
  m.family_name = r.opt_str(22).value_or("");
  m.email = r.opt_str(23);
  m.phone = r.opt_str(24);
  m.member_org_name = r.opt_str(25).value_or("");
  AGORA_ASSERT(m.id > 0 && m.person_id.has_value() != m.member_org_id.has_value());
  AGORA_ASSERT(m.shares >= 0);
  return m;
}

constexpr const char* kSubCols =
    "SELECT id, membership_id, shares, price_minor, amount_minor, paid_minor, state, created_at, "
    "closed_at FROM share_subscriptions ";

SubscriptionRow sub_of(const Row& r) {
  SubscriptionRow s{.id = r.i64(0),
                    .membership_id = r.i64(1),
                    .shares = r.i64(2),
                    .price_minor = r.i64(3),
                    .amount_minor = r.i64(4),
                    .paid_minor = r.i64(5),
                    .state = r.str(6),
                    .created_at = Timestamp{r.i64(7)},
                    .closed_at = opt_ts(r, 8)};
  AGORA_ASSERT(s.paid_minor >= 0 && s.paid_minor <= s.amount_minor);
  return s;
}

constexpr const char* kRegisterSelect =
    "SELECT r.id, r.org_id, r.membership_id, r.kind, r.shares, r.amount_minor, r.balance, "
    "r.counterpart_membership_id, r.subscription_id, r.at, m.member_number "
    "FROM share_register r JOIN memberships m ON m.id = r.membership_id ";

RegisterRow register_of(const Row& r) {
  RegisterRow e{.id = r.i64(0),
                .org_id = r.i64(1),
                .membership_id = r.i64(2),
                .kind = r.str(3),
                .shares = r.i64(4),
                .amount_minor = r.i64(5),
                .balance = r.i64(6),
                .counterpart_membership_id = r.opt_i64(7),
                .subscription_id = r.opt_i64(8),
                .at = Timestamp{r.i64(9)},
                .member_number = r.opt_i64(10)};
  AGORA_ASSERT(e.balance >= 0);
  return e;
}

int64_t returning_id(const store::Rows& rows) {
  int64_t id = rows.one().i64(0);
  AGORA_ASSERT(id > 0);
  return id;
}

}  // namespace

// ---- organisations

int64_t insert_org(store::Tx& tx, const OrgRow& o, Timestamp now) {
  return returning_id(tx.query(
      "INSERT INTO orgs (parent_id, kind, name, slug, territory, admission, currency, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
      {opt(o.parent_id), s(o.kind), s(o.name), s(o.slug), s(o.territory), s(o.admission),
       s(o.currency), now.us}));
}

std::optional<OrgRow> find_org(store::Tx& tx, int64_t org_id) {
  auto rows = tx.query(std::string("SELECT ") + kOrgCols + " FROM orgs o WHERE o.id = $1", {org_id});
  if (rows.empty()) return std::nullopt;
  return org_of(rows.one());
}

std::optional<std::pair<OrgRow, std::vector<ClassRow>>> find_org_with_classes(store::Tx& tx,
                                                                               int64_t org_id) {
  auto rows = tx.query(std::string("SELECT ") + kOrgCols + ", " + kClassCols +
                           " FROM orgs o LEFT JOIN member_classes c ON c.org_id = o.id "
                           "WHERE o.id = $1 ORDER BY c.id",
                       {org_id});
  if (rows.empty()) return std::nullopt;
  std::pair<OrgRow, std::vector<ClassRow>> out{org_of(rows.rows.front()), {}};
  for (const auto& r : rows.rows) {
    if (!r.is_null(kOrgNCols)) out.second.push_back(class_of(r, kOrgNCols));
  }
  return out;
}

bool slug_taken(store::Tx& tx, std::string_view slug, int64_t except_org_id) {
  return !tx.query("SELECT 1 FROM orgs WHERE slug = $1 AND id <> $2", {s(slug), except_org_id})
              .empty();
}

void update_org(store::Tx& tx, const OrgRow& o) {
  int64_t n = tx.exec(
      "UPDATE orgs SET name = $2, territory = $3, admission = $4, parent_id = $5 WHERE id = $1",
      {o.id, s(o.name), s(o.territory), s(o.admission), opt(o.parent_id)});
  AGORA_ASSERT(n == 1);
}

void add_child_count(store::Tx& tx, int64_t org_id, int64_t delta) {
  int64_t n = tx.exec("UPDATE orgs SET child_count = child_count + $2 WHERE id = $1",
                      {org_id, delta});
  AGORA_ASSERT(n == 1);
}

void add_member_count(store::Tx& tx, int64_t org_id, int64_t delta) {
  int64_t n = tx.exec("UPDATE orgs SET member_count = member_count + $2 WHERE id = $1",
                      {org_id, delta});
  AGORA_ASSERT(n == 1);
}

void set_next_member_number(store::Tx& tx, int64_t org_id, int64_t next) {
  int64_t n = tx.exec("UPDATE orgs SET next_member_number = $2 WHERE id = $1", {org_id, next});
  AGORA_ASSERT(n == 1);
}

std::vector<OrgRef> ancestors(store::Tx& tx, int64_t org_id, int max_depth) {
  auto rows = tx.query(
      "WITH RECURSIVE up (id, parent_id, name, depth) AS ("
      "  SELECT o.id, o.parent_id, o.name, 0 FROM orgs o WHERE o.id = $1"
      "  UNION ALL"
      "  SELECT o.id, o.parent_id, o.name, up.depth + 1 FROM orgs o JOIN up ON o.id = up.parent_id"
      "  WHERE up.depth < $2"
      ") SELECT id, name FROM up WHERE depth > 0 ORDER BY depth DESC",
      {org_id, int64_t{max_depth}});
  std::vector<OrgRef> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(OrgRef{r.i64(0), r.str(1)});
  return out;
}

std::vector<OrgRow> list_roots(store::Tx& tx, int64_t after, int64_t limit) {
  return orgs_of(tx.query(std::string("SELECT ") + kOrgCols +
                              " FROM orgs o WHERE o.parent_id IS NULL AND o.id > $1 "
                              "ORDER BY o.id LIMIT $2",
                          {after, limit}));
}

std::vector<OrgRow> list_children(store::Tx& tx, int64_t parent_id, int64_t after, int64_t limit) {
  return orgs_of(tx.query(std::string("SELECT ") + kOrgCols +
                              " FROM orgs o WHERE o.parent_id = $1 AND o.id > $2 "
                              "ORDER BY o.id LIMIT $3",
                          {parent_id, after, limit}));
}

std::vector<TreeNode> subtree(store::Tx& tx, int64_t org_id, int depth, int64_t max_nodes) {
  auto rows = tx.query(
      "WITH RECURSIVE down (id, parent_id, name, kind, depth) AS ("
      "  SELECT o.id, o.parent_id, o.name, o.kind, 0 FROM orgs o WHERE o.id = $1"
      "  UNION ALL"
      "  SELECT o.id, o.parent_id, o.name, o.kind, down.depth + 1 FROM orgs o "
      "  JOIN down ON o.parent_id = down.id WHERE down.depth < $2"
      ") SELECT id, parent_id, name, kind, depth FROM down ORDER BY depth, id LIMIT $3",
      {org_id, int64_t{depth}, max_nodes + 1});
  std::vector<TreeNode> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    out.push_back(TreeNode{.id = r.i64(0),
                           .parent_id = r.opt_i64(1),
                           .name = r.str(2),
                           .kind = r.str(3),
                           .depth = static_cast<int>(r.i64(4))});
  }
  return out;
}

// ---- member classes

int64_t insert_class(store::Tx& tx, const ClassRow& c, Timestamp now) {
  return returning_id(tx.query(
      "INSERT INTO member_classes (org_id, code, name, share_price_minor, min_shares, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {c.org_id, s(c.code), s(c.name), c.share_price_minor, c.min_shares, now.us}));
}

std::vector<ClassRow> list_classes(store::Tx& tx, int64_t org_id) {
  auto rows = tx.query(std::string("SELECT ") + kClassCols +
                           " FROM member_classes c WHERE c.org_id = $1 ORDER BY c.id",
                       {org_id});
  std::vector<ClassRow> out;
  for (const auto& r : rows.rows) out.push_back(class_of(r));
  return out;
}

std::optional<ClassRow> find_class(store::Tx& tx, int64_t class_id) {
  auto rows = tx.query(
      std::string("SELECT ") + kClassCols + " FROM member_classes c WHERE c.id = $1", {class_id});
  if (rows.empty()) return std::nullopt;
  return class_of(rows.one());
}

std::optional<ClassRow> find_class_by_code(store::Tx& tx, int64_t org_id, std::string_view code) {
  auto rows = tx.query(std::string("SELECT ") + kClassCols +
                           " FROM member_classes c WHERE c.org_id = $1 AND c.code = $2",
                       {org_id, s(code)});
  if (rows.empty()) return std::nullopt;
  return class_of(rows.one());
}

// ---- persons

int64_t insert_person_row(store::Tx& tx, const PersonRow& p, Timestamp now) {
  return returning_id(tx.query(
      "INSERT INTO persons (given_name, family_name, email, phone, locale, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {s(p.given_name), s(p.family_name), opt(p.email), opt(p.phone), s(p.locale), now.us}));
}

std::optional<PersonRow> find_person(store::Tx& tx, int64_t person_id) {
  auto rows = tx.query(
      "SELECT id, given_name, family_name, email, phone, locale FROM persons WHERE id = $1",
      {person_id});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.one();
  return PersonRow{.id = r.i64(0),
                   .given_name = r.str(1),
                   .family_name = r.str(2),
                   .email = r.opt_str(3),
                   .phone = r.opt_str(4),
                   .locale = r.str(5)};
}

bool person_email_taken(store::Tx& tx, std::string_view email_lower) {
  return !tx.query("SELECT 1 FROM persons WHERE email = $1", {s(email_lower)}).empty();
}

// ---- memberships

int64_t insert_membership(store::Tx& tx, const MembershipRow& m) {
  return returning_id(tx.query(
      "INSERT INTO memberships (org_id, person_id, member_org_id, class_id, status, member_number, "
      "requested_shares, shares, paid_minor, message, applied_at, admitted_at, ended_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
      {m.org_id, opt(m.person_id), opt(m.member_org_id), m.class_id, s(m.status),
       opt(m.member_number), m.requested_shares, m.shares, m.paid_minor, opt(m.message),
       m.applied_at.us, opt(m.admitted_at), opt(m.ended_at)}));
}

std::optional<MembershipRow> find_membership(store::Tx& tx, int64_t membership_id) {
  auto rows = tx.query(std::string(kMembershipSelect) + "WHERE m.id = $1", {membership_id});
  if (rows.empty()) return std::nullopt;
  return membership_of(rows.one());
}

bool open_membership_exists(store::Tx& tx, int64_t org_id, std::optional<int64_t> person_id,
                            std::optional<int64_t> member_org_id) {
  if (person_id) {
    return !tx.query("SELECT 1 FROM memberships WHERE org_id = $1 AND person_id = $2 "
                     "AND status IN ('applied', 'active')",
                     {org_id, *person_id})
                .empty();
  }
  AGORA_ASSERT(member_org_id.has_value());
  return !tx.query("SELECT 1 FROM memberships WHERE org_id = $1 AND member_org_id = $2 "
                   "AND status IN ('applied', 'active')",
                   {org_id, *member_org_id})
              .empty();
}

void update_membership_status(store::Tx& tx, const MembershipRow& m) {
  int64_t n = tx.exec(
      "UPDATE memberships SET status = $2, member_number = $3, admitted_at = $4, ended_at = $5 "
      "WHERE id = $1",
      {m.id, s(m.status), opt(m.member_number), opt(m.admitted_at), opt(m.ended_at)});
  AGORA_ASSERT(n == 1);
}

void update_holding(store::Tx& tx, int64_t membership_id, int64_t shares, int64_t paid_minor) {
  AGORA_ASSERT(shares >= 0);
  int64_t n = tx.exec("UPDATE memberships SET shares = $2, paid_minor = $3 WHERE id = $1",
                      {membership_id, shares, paid_minor});
  AGORA_ASSERT(n == 1);
}

std::vector<MembershipRow> list_memberships(store::Tx& tx, int64_t org_id, std::string_view status,
                                            int64_t after, int64_t limit) {
  store::Rows rows;
  if (status.empty()) {
    rows = tx.query(std::string(kMembershipSelect) +
                        "WHERE m.org_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3",
                    {org_id, after, limit});
  } else {
    rows = tx.query(std::string(kMembershipSelect) +
                        "WHERE m.org_id = $1 AND m.status = $2 AND m.id > $3 ORDER BY m.id LIMIT $4",
                    {org_id, s(status), after, limit});
  }
  std::vector<MembershipRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(membership_of(r));
  return out;
}

std::vector<MembershipRow> memberships_of_person(store::Tx& tx, int64_t person_id) {
  auto rows = tx.query(std::string(kMembershipSelect) + "WHERE m.person_id = $1 ORDER BY m.id",
                       {person_id});
  std::vector<MembershipRow> out;
  for (const auto& r : rows.rows) out.push_back(membership_of(r));
  return out;
}

int64_t insert_event(store::Tx& tx, const EventRow& e) {
  return returning_id(tx.query(
      "INSERT INTO membership_events (membership_id, kind, from_status, to_status, reason, "
      "actor_person_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {e.membership_id, s(e.kind), opt(e.from_status), s(e.to_status), opt(e.reason),
       opt(e.actor_person_id), e.at.us}));
}

std::vector<EventRow> list_events(store::Tx& tx, int64_t membership_id, int64_t after,
                                  int64_t limit) {
  auto rows = tx.query(
      "SELECT id, membership_id, kind, from_status, to_status, reason, actor_person_id, at "
      "FROM membership_events WHERE membership_id = $1 AND id > $2 ORDER BY id LIMIT $3",
      {membership_id, after, limit});
  std::vector<EventRow> out;
  for (const auto& r : rows.rows) {
    out.push_back(EventRow{.id = r.i64(0),
                           .membership_id = r.i64(1),
                           .kind = r.str(2),
                           .from_status = r.opt_str(3),
                           .to_status = r.str(4),
                           .reason = r.opt_str(5),
                           .actor_person_id = r.opt_i64(6),
                           .at = Timestamp{r.i64(7)}});
  }
  return out;
}

// ---- share capital

int64_t insert_subscription(store::Tx& tx, const SubscriptionRow& s_) {
  return returning_id(tx.query(
      "INSERT INTO share_subscriptions (membership_id, shares, price_minor, amount_minor, "
      "paid_minor, state, created_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
      "RETURNING id",
      {s_.membership_id, s_.shares, s_.price_minor, s_.amount_minor, s_.paid_minor, s(s_.state),
       s_.created_at.us, opt(s_.closed_at)}));
}

std::optional<SubscriptionRow> find_subscription(store::Tx& tx, int64_t subscription_id) {
  auto rows = tx.query(std::string(kSubCols) + "WHERE id = $1", {subscription_id});
  if (rows.empty()) return std::nullopt;
  return sub_of(rows.one());
}

void update_subscription(store::Tx& tx, const SubscriptionRow& s_) {
  AGORA_ASSERT(s_.paid_minor >= 0 && s_.paid_minor <= s_.amount_minor);
  int64_t n = tx.exec(
      "UPDATE share_subscriptions SET paid_minor = $2, state = $3, closed_at = $4 WHERE id = $1",
      {s_.id, s_.paid_minor, s(s_.state), opt(s_.closed_at)});
  AGORA_ASSERT(n == 1);
}

std::vector<SubscriptionRow> list_subscriptions(store::Tx& tx, int64_t membership_id,
                                                int64_t limit) {
  auto rows = tx.query(std::string(kSubCols) + "WHERE membership_id = $1 ORDER BY id DESC LIMIT $2",
                       {membership_id, limit});
  std::vector<SubscriptionRow> out;
  for (const auto& r : rows.rows) out.push_back(sub_of(r));
  return out;
}

std::vector<SubscriptionRow> waiting_subscriptions(store::Tx& tx, int64_t membership_id) {
  auto rows = tx.query(
      std::string(kSubCols) + "WHERE membership_id = $1 AND state = 'waiting' ORDER BY id",
      {membership_id});
  std::vector<SubscriptionRow> out;
  for (const auto& r : rows.rows) out.push_back(sub_of(r));
  return out;
}

int64_t insert_payment(store::Tx& tx, int64_t subscription_id, int64_t amount_minor,
                       int64_t recorded_by, Timestamp at) {
  return returning_id(tx.query(
      "INSERT INTO share_payments (subscription_id, amount_minor, recorded_by, at) "
      "VALUES ($1, $2, $3, $4) RETURNING id",
      {subscription_id, amount_minor, recorded_by, at.us}));
}

int64_t insert_register_entry(store::Tx& tx, const RegisterRow& r) {
  AGORA_ASSERT(r.balance >= 0 && r.shares != 0);
  return returning_id(tx.query(
      "INSERT INTO share_register (org_id, membership_id, kind, shares, amount_minor, balance, "
      "counterpart_membership_id, subscription_id, at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      {r.org_id, r.membership_id, s(r.kind), r.shares, r.amount_minor, r.balance,
       opt(r.counterpart_membership_id), opt(r.subscription_id), r.at.us}));
}

std::vector<RegisterRow> membership_register(store::Tx& tx, int64_t membership_id, int64_t limit) {
  auto rows = tx.query(
      std::string(kRegisterSelect) + "WHERE r.membership_id = $1 ORDER BY r.id DESC LIMIT $2",
      {membership_id, limit});
  std::vector<RegisterRow> out;
  for (const auto& r : rows.rows) out.push_back(register_of(r));
  return out;
}

std::vector<RegisterRow> org_register(store::Tx& tx, int64_t org_id, int64_t after, int64_t limit) {
  auto rows = tx.query(
      std::string(kRegisterSelect) + "WHERE r.org_id = $1 AND r.id > $2 ORDER BY r.id LIMIT $3",
      {org_id, after, limit});
  std::vector<RegisterRow> out;
  for (const auto& r : rows.rows) out.push_back(register_of(r));
  return out;
}

}  // namespace agora::app::repo
