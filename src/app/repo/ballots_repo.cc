#include "app/repo/ballots_repo.h"

#include <algorithm>

#include "app/repo/values.h"
#include "core/assert.h"

namespace agora::app::repo {
namespace {

using store::Params;
using store::Row;
using store::Value;
using namespace values;

// "$n" for the next parameter, appending `v` to `params`.
std::string arg(Params& params, Value v) {
  params.push_back(std::move(v));
  return "$" + std::to_string(params.size());
}

std::string in_list(Params& params, const std::vector<std::string>& values) {
  std::string out = "(";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += arg(params, values[i]);
  }
  return out + ")";
}

constexpr const char* kName = "TRIM(p.given_name || ' ' || p.family_name)";

RollRow roll_of(const Row& r) {
  RollRow e{.person_id = r.i64(0), .weight = r.i64(1), .represents = r.str(2), .name = r.str(3)};
  AGORA_ASSERT(e.person_id > 0 && e.weight >= 1);
  return e;
}

VoterRow voter_of(const Row& r) {
  VoterRow v{.person_id = r.i64(0),
             .cast_by_person_id = r.i64(1),
             .weight = r.i64(2),
             .voted_at = Timestamp{r.i64(3)},
             .ballot_json = r.opt_str(4),
             .reason = r.opt_str(5),
             .name = r.str(6)};
  AGORA_ASSERT(v.person_id > 0 && v.weight >= 1);
  return v;
}

constexpr const char* kProxySelect =
    "SELECT x.id, x.org_id, x.body_key, x.proposal_id, x.grantor_person_id, x.holder_person_id, "
    "x.granted_at, x.revoked_at, TRIM(g.given_name || ' ' || g.family_name), "
    "TRIM(h.given_name || ' ' || h.family_name) "
    "FROM proxies x JOIN persons g ON g.id = x.grantor_person_id "
    "JOIN persons h ON h.id = x.holder_person_id ";

ProxyRow proxy_of(const Row& r) {
  ProxyRow p{.id = r.i64(0),
             .org_id = r.i64(1),
             .body_key = r.str(2),
             .proposal_id = r.opt_i64(3),
             .grantor_person_id = r.i64(4),
             .holder_person_id = r.i64(5),
             .granted_at = Timestamp{r.i64(6)},
             .revoked_at = opt_ts(r, 7),
             .grantor_name = r.str(8),
             .holder_name = r.str(9)};
  AGORA_ASSERT(p.id > 0 && p.grantor_person_id != p.holder_person_id);
  return p;
}

std::vector<ProxyRow> proxies_of(const store::Rows& rows) {
  std::vector<ProxyRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(proxy_of(r));
  return out;
}

// Rows per multi-row INSERT: 4 parameters a row stays far below either
// engine's parameter limit.
constexpr size_t kInsertChunk = 500;

}  // namespace

// ---- the roll

int64_t insert_general_roll(store::Tx& tx, const GeneralRollQuery& q) {
  Params params;
  std::string sql = "INSERT INTO electorate (proposal_id, person_id, weight, represents) SELECT " +
                    arg(params, q.proposal_id) +
                    ", m.person_id, 1, '' FROM memberships m "
                    "JOIN member_classes c ON c.id = m.class_id "
                    "JOIN persons p ON p.id = m.person_id "
                    "WHERE m.org_id = " +
                    arg(params, q.org_id) +
                    " AND m.status = 'active' AND m.person_id IS NOT NULL "
                    "AND m.admitted_at IS NOT NULL AND m.admitted_at <= " +
                    arg(params, q.admitted_by.us);
  if (!q.classes.empty()) sql += " AND c.code IN " + in_list(params, q.classes);
  if (q.born_by) {
    // ISO dates compare as text; anything not shaped YYYY-MM-DD counts as unknown.
    sql += " AND p.birth_date IS NOT NULL AND LENGTH(p.birth_date) = 10 AND p.birth_date <= " +
           arg(params, *q.born_by);
  }
  if (q.min_spend_minor) {
    sql +=
        " AND (SELECT COALESCE(SUM(s.amount_minor), 0) FROM member_spend s "
        "WHERE s.org_id = m.org_id AND s.person_id = m.person_id AND s.at >= " +
        arg(params, q.spend_from.us) + " AND s.at < " + arg(params, q.spend_to.us) +
        ") >= " + arg(params, *q.min_spend_minor);
  }
  return tx.exec(sql, params);
}

int64_t insert_seated_roll(store::Tx& tx, int64_t proposal_id, int64_t org_id,
                           std::string_view body_key, Timestamp at,
                           const std::optional<std::string>& class_code) {
  Params params;
  std::string sql =
      "INSERT INTO electorate (proposal_id, person_id, weight, represents) SELECT DISTINCT " +
      arg(params, proposal_id) +
      ", b.person_id, 1, '' FROM body_seats b WHERE b.org_id = " + arg(params, org_id) +
      " AND b.body_key = " + arg(params, s(body_key));
  std::string t = arg(params, at.us);
  sql += " AND b.since_at <= " + t + " AND (b.until_at IS NULL OR b.until_at > " + t + ")";
  if (class_code) {
    sql +=
        " AND EXISTS (SELECT 1 FROM memberships m JOIN member_classes c ON c.id = m.class_id "
        "WHERE m.org_id = b.org_id AND m.person_id = b.person_id AND m.status = 'active' "
        "AND c.code = " +
        arg(params, *class_code) + ")";
  }
  return tx.exec(sql, params);
}

std::vector<DelegateRow> child_org_delegates(store::Tx& tx, int64_t org_id) {
  auto rows = tx.query(
      "SELECT DISTINCT g.person_id, o.id, o.name, o.member_count, "
      "COALESCE((SELECT MIN(c.code) FROM memberships m JOIN member_classes c ON c.id = m.class_id "
      "WHERE m.org_id = $1 AND m.member_org_id = o.id AND m.status = 'active'), '') "
      "FROM orgs o JOIN role_grants g ON g.org_id = o.id "
      "WHERE o.parent_id = $1 AND g.role = 'delegate' AND g.revoked_at IS NULL "
      "ORDER BY o.id, g.person_id",
      {org_id});
  std::vector<DelegateRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    out.push_back(DelegateRow{.person_id = r.i64(0),
                              .child_org_id = r.i64(1),
                              .child_name = r.str(2),
                              .child_member_count = r.i64(3),
                              .member_class = r.str(4)});
    AGORA_ASSERT(out.back().child_member_count >= 0);
  }
  return out;
}

void insert_roll_rows(store::Tx& tx, int64_t proposal_id, const std::vector<RollRow>& rows) {
  for (size_t at = 0; at < rows.size(); at += kInsertChunk) {
    size_t end = std::min(rows.size(), at + kInsertChunk);
    Params params{proposal_id};
    std::string sql = "INSERT INTO electorate (proposal_id, person_id, weight, represents) VALUES ";
    for (size_t i = at; i < end; ++i) {
      AGORA_ASSERT(rows[i].weight >= 1);
      if (i > at) sql += ", ";
      sql += "($1, " + arg(params, rows[i].person_id) + ", " + arg(params, rows[i].weight) + ", " +
             arg(params, rows[i].represents) + ")";
    }
    int64_t n = tx.exec(sql, params);
    AGORA_ASSERT(n == static_cast<int64_t>(end - at));
  }
}

std::optional<RollRow> find_roll_entry(store::Tx& tx, int64_t proposal_id, int64_t person_id) {
  auto rows = tx.query(std::string("SELECT e.person_id, e.weight, e.represents, ") + kName +
                           " FROM electorate e JOIN persons p ON p.id = e.person_id "
                           "WHERE e.proposal_id = $1 AND e.person_id = $2",
                       {proposal_id, person_id});
  if (rows.empty()) return std::nullopt;
  return roll_of(rows.one());
}

std::vector<RollRow> list_roll(store::Tx& tx, int64_t proposal_id, int64_t after, int64_t limit) {
  auto rows = tx.query(std::string("SELECT e.person_id, e.weight, e.represents, ") + kName +
                           " FROM electorate e JOIN persons p ON p.id = e.person_id "
                           "WHERE e.proposal_id = $1 AND e.person_id > $2 "
                           "ORDER BY e.person_id LIMIT $3",
                       {proposal_id, after, limit});
  std::vector<RollRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(roll_of(r));
  return out;
}

RollTotals roll_totals(store::Tx& tx, int64_t proposal_id) {
  const Row& r = tx.query(
                       "SELECT COUNT(*), COALESCE(SUM(weight), 0) FROM electorate "
                       "WHERE proposal_id = $1",
                       {proposal_id})
                     .one();
  RollTotals t{.count = r.i64(0), .weight = r.i64(1)};
  AGORA_ASSERT(t.count >= 0 && t.weight >= t.count);
  return t;
}

// ---- votes

void insert_voter(store::Tx& tx, int64_t proposal_id, const VoterRow& v) {
  AGORA_ASSERT(v.weight >= 1);
  tx.exec(
      "INSERT INTO voters (proposal_id, person_id, cast_by_person_id, weight, voted_at, "
      "ballot_json, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {proposal_id, v.person_id, v.cast_by_person_id, v.weight, v.voted_at.us, opt(v.ballot_json),
       opt(v.reason)});
}

bool has_voted(store::Tx& tx, int64_t proposal_id, int64_t person_id) {
  return !tx.query("SELECT 1 FROM voters WHERE proposal_id = $1 AND person_id = $2",
                   {proposal_id, person_id})
              .empty();
}

std::vector<int64_t> voted_among(store::Tx& tx, int64_t proposal_id,
                                 const std::vector<int64_t>& person_ids) {
  std::vector<int64_t> out;
  if (person_ids.empty()) return out;
  Params params{proposal_id};
  std::string sql = "SELECT person_id FROM voters WHERE proposal_id = $1 AND person_id IN (";
  for (size_t i = 0; i < person_ids.size(); ++i) {
    if (i) sql += ", ";
    sql += arg(params, person_ids[i]);
  }
  auto rows = tx.query(sql + ")", params);
  for (const auto& r : rows.rows) out.push_back(r.i64(0));
  return out;
}

std::vector<VoterRow> list_voters(store::Tx& tx, int64_t proposal_id, int64_t after,
                                  int64_t limit) {
  auto rows = tx.query(std::string("SELECT v.person_id, v.cast_by_person_id, v.weight, v.voted_at, "
                                   "v.ballot_json, v.reason, ") +
                           kName +
                           " FROM voters v JOIN persons p ON p.id = v.person_id "
                           "WHERE v.proposal_id = $1 AND v.person_id > $2 "
                           "ORDER BY v.person_id LIMIT $3",
                       {proposal_id, after, limit});
  std::vector<VoterRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(voter_of(r));
  return out;
}

void add_to_turnout(store::Tx& tx, int64_t proposal_id, int64_t voters, int64_t weight) {
  int64_t n = tx.exec(
      "UPDATE proposals SET voters_count = voters_count + $2, "
      "voted_weight = voted_weight + $3 WHERE id = $1",
      {proposal_id, voters, weight});
  AGORA_ASSERT(n == 1);
}

void insert_secret_ballot(store::Tx& tx, int64_t proposal_id, const SecretBallotRow& b) {
  AGORA_ASSERT(b.receipt_hash_hex.size() == 64 && b.weight >= 1);
  tx.exec(
      "INSERT INTO secret_ballots (proposal_id, receipt_hash, weight, ballot_json, reason) "
      "VALUES ($1, $2, $3, $4, $5)",
      {proposal_id, b.receipt_hash_hex, b.weight, b.ballot_json, opt(b.reason)});
}

std::optional<SecretBallotRow> find_secret_ballot(store::Tx& tx, int64_t proposal_id,
                                                  std::string_view receipt_hash_hex) {
  auto rows = tx.query(
      "SELECT weight, ballot_json, reason FROM secret_ballots "
      "WHERE proposal_id = $1 AND receipt_hash = $2",
      {proposal_id, s(receipt_hash_hex)});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.one();
  return SecretBallotRow{.receipt_hash_hex = std::string(receipt_hash_hex),
                         .weight = r.i64(0),
                         .ballot_json = r.str(1),
                         .reason = r.opt_str(2)};
}

std::vector<StoredBallot> ballots_for_count(store::Tx& tx, int64_t proposal_id, bool secret) {
  auto rows = secret ? tx.query(
                           "SELECT weight, ballot_json, reason FROM secret_ballots "
                           "WHERE proposal_id = $1 ORDER BY receipt_hash",
                           {proposal_id})
                     : tx.query(
                           "SELECT weight, ballot_json, reason FROM voters "
                           "WHERE proposal_id = $1 AND ballot_json IS NOT NULL "
                           "ORDER BY person_id",
                           {proposal_id});
  std::vector<StoredBallot> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    out.push_back(
        StoredBallot{.weight = r.i64(0), .ballot_json = r.str(1), .reason = r.opt_str(2)});
    AGORA_ASSERT(out.back().weight >= 1);
  }
  return out;
}

// ---- proxies

int64_t insert_proxy(store::Tx& tx, const ProxyRow& p) {
  int64_t id = tx.query(
                     "INSERT INTO proxies (org_id, body_key, proposal_id, grantor_person_id, "
                     "holder_person_id, granted_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                     {p.org_id, p.body_key, opt(p.proposal_id), p.grantor_person_id,
                      p.holder_person_id, p.granted_at.us})
                   .one()
                   .i64(0);
  AGORA_ASSERT(id > 0);
  return id;
}

std::optional<ProxyRow> find_proxy(store::Tx& tx, int64_t proxy_id) {
  auto rows = tx.query(std::string(kProxySelect) + "WHERE x.id = $1", {proxy_id});
  if (rows.empty()) return std::nullopt;
  return proxy_of(rows.one());
}

int64_t revoke_proxy(store::Tx& tx, int64_t proxy_id, Timestamp at) {
  return tx.exec("UPDATE proxies SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                 {proxy_id, at.us});
}

bool live_proxy_exists(store::Tx& tx, int64_t org_id, std::string_view body_key,
                       int64_t proposal_id, int64_t grantor, int64_t holder) {
  return !tx.query(
                "SELECT 1 FROM proxies WHERE grantor_person_id = $1 AND org_id = $2 "
                "AND body_key = $3 AND holder_person_id = $4 AND revoked_at IS NULL "
                "AND (proposal_id IS NULL OR proposal_id = $5)",
                {grantor, org_id, s(body_key), holder, proposal_id})
              .empty();
}

bool live_proxy_same_scope(store::Tx& tx, int64_t org_id, std::string_view body_key,
                           std::optional<int64_t> proposal_id, int64_t grantor) {
  std::string sql =
      "SELECT 1 FROM proxies WHERE grantor_person_id = $1 AND org_id = $2 AND body_key = $3 "
      "AND revoked_at IS NULL AND ";
  if (proposal_id) {
    return !tx.query(sql + "proposal_id = $4", {grantor, org_id, s(body_key), *proposal_id})
                .empty();
  }
  return !tx.query(sql + "proposal_id IS NULL", {grantor, org_id, s(body_key)}).empty();
}

int64_t count_live_proxies_held(store::Tx& tx, int64_t org_id, std::string_view body_key,
                                int64_t holder) {
  return tx
      .query(
          "SELECT COUNT(*) FROM proxies WHERE holder_person_id = $1 AND org_id = $2 "
          "AND body_key = $3 AND revoked_at IS NULL",
          {holder, org_id, s(body_key)})
      .one()
      .i64(0);
}

std::vector<ProxyRow> live_proxies_held_for(store::Tx& tx, int64_t org_id,
                                            std::string_view body_key, int64_t proposal_id,
                                            int64_t holder) {
  return proxies_of(tx.query(std::string(kProxySelect) +
                                 "WHERE x.holder_person_id = $1 AND x.org_id = $2 "
                                 "AND x.body_key = $3 AND x.revoked_at IS NULL "
                                 "AND (x.proposal_id IS NULL OR x.proposal_id = $4) "
                                 "ORDER BY x.grantor_person_id, x.id",
                             {holder, org_id, s(body_key), proposal_id}));
}

std::vector<ProxyRow> proxies_given(store::Tx& tx, int64_t person_id, int64_t limit) {
  return proxies_of(tx.query(
      std::string(kProxySelect) + "WHERE x.grantor_person_id = $1 ORDER BY x.id DESC LIMIT $2",
      {person_id, limit}));
}

std::vector<ProxyRow> proxies_held(store::Tx& tx, int64_t person_id, int64_t limit) {
  return proxies_of(tx.query(
      std::string(kProxySelect) + "WHERE x.holder_person_id = $1 ORDER BY x.id DESC LIMIT $2",
      {person_id, limit}));
}

// ---- member spend

void insert_member_spend(store::Tx& tx, int64_t org_id, int64_t person_id, Timestamp at,
                         int64_t amount_minor, std::string_view source) {
  tx.exec(
      "INSERT INTO member_spend (org_id, person_id, at, amount_minor, source) "
      "VALUES ($1, $2, $3, $4, $5)",
      {org_id, person_id, at.us, amount_minor, s(source)});
}

}  // namespace agora::app::repo
