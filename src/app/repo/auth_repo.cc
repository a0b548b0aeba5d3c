#include "app/repo/auth_repo.h"

#include "core/assert.h"

namespace agora::app::repo {
namespace {

using store::Params;
using store::Row;

std::string s(std::string_view v) { return std::string(v); }

AccountRow account_of(const Row& r) {
  AccountRow a{.id = r.i64(0),
               .person_id = r.i64(1),
               .email = r.str(2),
               .password_hash = r.str(3),
               .admin = r.boolean(4)};
  AGORA_ASSERT(a.id > 0 && a.person_id > 0);
  return a;
}

constexpr const char* kAccountCols = "SELECT id, person_id, email, password_hash, admin FROM accounts ";

std::optional<AccountRow> one_account(store::Tx& tx, std::string_view where, const Params& p) {
  auto rows = tx.query(std::string(kAccountCols) + std::string(where), p);
  if (rows.empty()) return std::nullopt;
  return account_of(rows.one());
}

constexpr const char* kGrantCols =
    "SELECT g.id, g.person_id, g.org_id, g.role, g.granted_by, g.granted_at, g.revoked_at, "
    "p.given_name, p.family_name, o.name "
    "FROM role_grants g JOIN persons p ON p.id = g.person_id JOIN orgs o ON o.id = g.org_id ";

GrantRow grant_of(const Row& r) {
  GrantRow g{.id = r.i64(0),
             .person_id = r.i64(1),
             .org_id = r.i64(2),
             .role = r.str(3),
             .granted_by = r.opt_i64(4),
             .granted_at = Timestamp{r.i64(5)},
             .revoked_at = std::nullopt,
             .given_name = r.str(7),
             .family_name = r.opt_str(8).value_or(""),
             .org_name = r.str(9)};
  if (auto at = r.opt_i64(6)) g.revoked_at = Timestamp{*at};
  return g;
}

}  // namespace

std::optional<AccountRow> find_account_by_email(store::Tx& tx, std::string_view email) {
  return one_account(tx, "WHERE email = $1", {s(email)});
}

std::optional<AccountRow> find_account(store::Tx& tx, int64_t account_id) {
  return one_account(tx, "WHERE id = $1", {account_id});
}

std::optional<AccountRow> find_account_by_person(store::Tx& tx, int64_t person_id) {
  return one_account(tx, "WHERE person_id = $1", {person_id});
}

int64_t insert_account(store::Tx& tx, int64_t person_id, std::string_view email,
                       std::string_view password_hash, bool admin, Timestamp now) {
  auto rows = tx.query(
      "INSERT INTO accounts (person_id, email, password_hash, admin, created_at) "
      "VALUES ($1, $2, $3, $4, $5) RETURNING id",
      {person_id, s(email), s(password_hash), int64_t{admin ? 1 : 0}, now.us});
  int64_t id = rows.one().i64(0);
  AGORA_ASSERT(id > 0);
  return id;
}

std::optional<int64_t> find_person_by_email(store::Tx& tx, std::string_view email) {
  auto rows = tx.query("SELECT id FROM persons WHERE email = $1", {s(email)});
  if (rows.empty()) return std::nullopt;
  return rows.rows.front().i64(0);
}

bool person_exists(store::Tx& tx, int64_t person_id) {
  return !tx.query("SELECT 1 FROM persons WHERE id = $1", {person_id}).empty();
}

bool org_exists(store::Tx& tx, int64_t org_id) {
  return !tx.query("SELECT 1 FROM orgs WHERE id = $1", {org_id}).empty();
}

int64_t count_failures_for_account(store::Tx& tx, int64_t account_id, Timestamp since) {
  return tx
      .query("SELECT COUNT(*) FROM login_failures WHERE account_id = $1 AND failed_at >= $2",
             {account_id, since.us})
      .one()
      .i64(0);
}

int64_t count_failures_for_address(store::Tx& tx, std::string_view address, Timestamp since) {
  return tx
      .query("SELECT COUNT(*) FROM login_failures WHERE address = $1 AND failed_at >= $2",
             {s(address), since.us})
      .one()
      .i64(0);
}

void insert_failure(store::Tx& tx, std::optional<int64_t> account_id, std::string_view address,
                    Timestamp now, Timestamp prune_before) {
  tx.exec("DELETE FROM login_failures WHERE address = $1 AND failed_at < $2",
          {s(address), prune_before.us});
  if (account_id) {
    tx.exec("DELETE FROM login_failures WHERE account_id = $1 AND failed_at < $2",
            {*account_id, prune_before.us});
  }
  Params p{nullptr, s(address), now.us};
  if (account_id) p[0] = *account_id;
  tx.exec("INSERT INTO login_failures (account_id, address, failed_at) VALUES ($1, $2, $3)", p);
}

void clear_account_failures(store::Tx& tx, int64_t account_id) {
  tx.exec("DELETE FROM login_failures WHERE account_id = $1", {account_id});
}

void insert_session(store::Tx& tx, std::string_view token_hash, int64_t account_id, Timestamp now,
                    Timestamp expires_at) {
  tx.exec(
      "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      {s(token_hash), account_id, now.us, expires_at.us, now.us});
}

std::optional<SessionRow> find_session(store::Tx& tx, std::string_view token_hash) {
  auto rows = tx.query(
      "SELECT s.account_id, a.person_id, a.admin, s.expires_at, s.last_seen_at "
      "FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1",
      {s(token_hash)});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.one();
  return SessionRow{.account_id = r.i64(0),
                    .person_id = r.i64(1),
                    .admin = r.boolean(2),
                    .expires_at = Timestamp{r.i64(3)},
                    .last_seen_at = Timestamp{r.i64(4)}};
}

void touch_session(store::Tx& tx, std::string_view token_hash, Timestamp now, Timestamp expires_at) {
  tx.exec("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3",
          {now.us, expires_at.us, s(token_hash)});
}

int64_t delete_session(store::Tx& tx, std::string_view token_hash) {
  return tx.exec("DELETE FROM sessions WHERE token_hash = $1", {s(token_hash)});
}

void delete_expired_sessions(store::Tx& tx, int64_t account_id, Timestamp now) {
  tx.exec("DELETE FROM sessions WHERE account_id = $1 AND expires_at <= $2", {account_id, now.us});
}

int64_t insert_grant(store::Tx& tx, int64_t person_id, int64_t org_id, std::string_view role,
                     int64_t granted_by, Timestamp now) {
  Params p{person_id, org_id, s(role), nullptr, now.us};
  if (granted_by > 0) p[3] = granted_by;
  auto rows = tx.query(
      "INSERT INTO role_grants (person_id, org_id, role, granted_by, granted_at) "
      "VALUES ($1, $2, $3, $4, $5) RETURNING id",
      p);
  int64_t id = rows.one().i64(0);
  AGORA_ASSERT(id > 0);
  return id;
}

std::optional<GrantRow> find_grant(store::Tx& tx, int64_t grant_id) {
  auto rows = tx.query(std::string(kGrantCols) + "WHERE g.id = $1", {grant_id});
  if (rows.empty()) return std::nullopt;
  return grant_of(rows.one());
}

bool active_grant_exists(store::Tx& tx, int64_t person_id, int64_t org_id, std::string_view role) {
  return !tx.query(
                "SELECT 1 FROM role_grants WHERE person_id = $1 AND org_id = $2 AND role = $3 "
                "AND revoked_at IS NULL",
                {person_id, org_id, s(role)})
              .empty();
}

std::vector<GrantRow> list_active_grants(store::Tx& tx, int64_t org_id, int64_t after,
                                         int64_t limit) {
  auto rows = tx.query(std::string(kGrantCols) +
                           "WHERE g.org_id = $1 AND g.revoked_at IS NULL AND g.id > $2 "
                           "ORDER BY g.id LIMIT $3",
                       {org_id, after, limit});
  std::vector<GrantRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(grant_of(r));
  return out;
}

std::vector<GrantRow> person_active_grants(store::Tx& tx, int64_t person_id) {
  auto rows = tx.query(std::string(kGrantCols) +
                           "WHERE g.person_id = $1 AND g.revoked_at IS NULL "
                           "ORDER BY g.org_id, g.role, g.id",
                       {person_id});
  std::vector<GrantRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(grant_of(r));
  return out;
}

int64_t revoke_grant(store::Tx& tx, int64_t grant_id, int64_t revoked_by, Timestamp now) {
  Params p{now.us, nullptr, grant_id};
  if (revoked_by > 0) p[1] = revoked_by;
  return tx.exec(
      "UPDATE role_grants SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL",
      p);
}

std::vector<HeldRole> grants_on_org_or_ancestors(store::Tx& tx, int64_t person_id, int64_t org_id) {
  // The depth bound guards against a parent cycle, which the registry refuses
  // but a hand-edited database could hold.
  auto rows = tx.query(
      "WITH RECURSIVE up (id, parent_id, depth) AS ("
      "  SELECT id, parent_id, 0 FROM orgs WHERE id = $1"
      "  UNION ALL"
      "  SELECT o.id, o.parent_id, up.depth + 1 FROM orgs o JOIN up ON o.id = up.parent_id"
      "  WHERE up.depth < 64"
      ") "
      "SELECT g.org_id, g.role, up.depth FROM role_grants g JOIN up ON up.id = g.org_id "
      "WHERE g.person_id = $2 AND g.revoked_at IS NULL ORDER BY up.depth",
      {org_id, person_id});
  std::vector<HeldRole> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    out.push_back(HeldRole{.org_id = r.i64(0), .role = r.str(1), .depth = static_cast<int>(r.i64(2))});
  }
  return out;
}

bool is_active_member(store::Tx& tx, int64_t person_id, int64_t org_id) {
  return !tx.query(
                "SELECT 1 FROM memberships WHERE org_id = $1 AND person_id = $2 "
                "AND status = 'active'",
                {org_id, person_id})
              .empty();
}

std::vector<std::pair<int64_t, std::string>> active_member_orgs(store::Tx& tx, int64_t person_id) {
  auto rows = tx.query(
      "SELECT DISTINCT o.id, o.name FROM memberships m JOIN orgs o ON o.id = m.org_id "
      "WHERE m.person_id = $1 AND m.status = 'active' ORDER BY o.id",
      {person_id});
  std::vector<std::pair<int64_t, std::string>> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.emplace_back(r.i64(0), r.str(1));
  return out;
}

}  // namespace agora::app::repo
