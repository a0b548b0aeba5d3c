#include "app/repo/ledger_bulk_repo.h"

#include <algorithm>

#include "app/repo/values.h"
#include "core/assert.h"

namespace agora::app::repo {
namespace {

using namespace values;

// Ids bound per statement; a short last chunk repeats its last id, so one
// SQL text serves every chunk.
constexpr size_t kChunk = 256;

std::string in_list() {
  std::string s = "(";
  for (size_t i = 1; i <= kChunk; ++i) {
    if (i > 1) s += ", ";
    s += "$" + std::to_string(i);
  }
  return s + ")";
}

template <typename Fn>
void for_chunks(std::span<const int64_t> ids, Fn&& fn) {
  store::Params params;
  params.reserve(kChunk);
  for (size_t at = 0; at < ids.size(); at += kChunk) {
    params.clear();
    size_t n = std::min(kChunk, ids.size() - at);
    for (size_t i = 0; i < kChunk; ++i) params.emplace_back(ids[at + std::min(i, n - 1)]);
    fn(params);
  }
}

}  // namespace

std::vector<LedgerAccountRow> find_accounts(store::Tx& tx, std::span<const int64_t> ids) {
  static const std::string sql =
      "SELECT id, org_id, currency, holder, person_id, kind, name, lower_limit, upper_limit, "
      "debits_must_not_exceed_credits, credits_must_not_exceed_debits, debits_posted, "
      "credits_posted, debits_pending, credits_pending, closed, created_at FROM ledger_accounts "
      "WHERE id IN " +
      in_list();
  std::vector<LedgerAccountRow> out;
  out.reserve(ids.size());
  for_chunks(ids, [&](const store::Params& params) {
    tx.each(sql, params, [&](const store::RowView& r) {
      LedgerAccountRow a{.id = r.i64(0),
                         .org_id = r.i64(1),
                         .currency = r.str(2),
                         .holder = r.str(3),
                         .person_id = r.opt_i64(4),
                         .kind = r.str(5),
                         .name = r.str(6),
                         .lower_limit = r.opt_i64(7),
                         .upper_limit = r.opt_i64(8),
                         .debits_must_not_exceed_credits = r.boolean(9),
                         .credits_must_not_exceed_debits = r.boolean(10),
                         .debits_posted = r.i64(11),
                         .credits_posted = r.i64(12),
                         .debits_pending = r.i64(13),
                         .credits_pending = r.i64(14),
                         .closed = r.boolean(15),
                         .created_at = Timestamp{r.i64(16)}};
      AGORA_ASSERT(a.id > 0 && a.debits_posted >= 0 && a.credits_posted >= 0 &&
                   a.debits_pending >= 0 && a.credits_pending >= 0);
      out.push_back(std::move(a));
    });
  });
  return out;
}

std::vector<HoldRow> find_holds(store::Tx& tx, std::span<const int64_t> wanted) {
  static const std::string cols =
      "SELECT t.id, t.action, t.pending, t.debit_account_id, t.credit_account_id, t.amount, "
      "t.currency, t.code, t.timeout_at, p.state FROM ledger_transfers t LEFT JOIN "
      "ledger_pending p ON p.transfer_id = t.id WHERE ";
  static const std::string by_list = cols + "t.id IN " + in_list();
  static const std::string by_range = cols + "t.id >= $1 AND t.id <= $2";
  std::vector<int64_t> ids(wanted.begin(), wanted.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<HoldRow> out;
  out.reserve(ids.size());
  auto take = [&](const store::RowView& r) {
    out.push_back(HoldRow{.id = r.i64(0),
                          .action = r.str(1),
                          .pending = r.boolean(2),
                          .debit_account_id = r.i64(3),
                          .credit_account_id = r.i64(4),
                          .amount = r.i64(5),
                          .currency = r.str(6),
                          .code = r.str(7),
                          .timeout_at = r.is_null(8) ? std::nullopt
                                                     : std::optional<Timestamp>(Timestamp{r.i64(8)}),
                          .state = r.opt_str(9)});
  };
  // A settlement's holds are mostly close together: a run of ids that fills
  // at least half of its range is read as one range (skipping the rows not
  // asked for); scattered ids are read by list.
  constexpr size_t kRangeIds = 4096;
  size_t at = 0;
  while (at < ids.size()) {
    size_t n = std::min(kRangeIds, ids.size() - at);
    while (n > kChunk && static_cast<uint64_t>(ids[at + n - 1] - ids[at]) >= 2 * n) n /= 2;
    const int64_t lo = ids[at], hi = ids[at + n - 1];
    if (static_cast<uint64_t>(hi - lo) < 2 * n) {
      tx.each(by_range, {lo, hi}, [&](const store::RowView& r) {
        if (std::binary_search(ids.begin() + at, ids.begin() + at + n, r.i64(0))) take(r);
      });
    } else {
      for_chunks(std::span(ids).subspan(at, n), [&](const store::Params& params) {
        tx.each(by_list, params, take);
      });
    }
    at += n;
  }
  return out;
}

namespace {

constexpr size_t kInsertRows = 64;
constexpr size_t kTransferCols = 19;

const std::string& insert_sql() {
  static const std::string sql = [] {
    std::string s =
        "INSERT INTO ledger_transfers (idem_key, body_hash, created_by, action, pending, "
        "debit_account_id, credit_account_id, amount, currency, code, memo, pending_id, "
        "reverses_id, batch_id, payment_request_id, timeout_at, debit_balance, credit_balance, "
        "created_at) VALUES ";
    size_t n = 0;
    for (size_t r = 0; r < kInsertRows; ++r) {
      s += r ? ", (" : "(";
      for (size_t c = 0; c < kTransferCols; ++c) {
        if (c) s += ", ";
        s += "$" + std::to_string(++n);
      }
      s += ")";
    }
    return s + " RETURNING id, idem_key";
  }();
  return sql;
}

void bind_row(store::Params& p, const TransferRow& t) {
  AGORA_ASSERT(t.amount >= 0 && t.debit_account_id != t.credit_account_id);
  p.emplace_back(t.key);
  p.emplace_back(t.body_hash);
  p.emplace_back(t.created_by);
  p.emplace_back(t.action);
  p.push_back(flag(t.pending));
  p.emplace_back(t.debit_account_id);
  p.emplace_back(t.credit_account_id);
  p.emplace_back(t.amount);
  p.emplace_back(t.currency);
  p.emplace_back(t.code);
  p.emplace_back(t.memo);
  p.push_back(opt(t.pending_id));
  p.push_back(opt(t.reverses_id));
  p.push_back(opt(t.batch_id));
  p.push_back(opt(t.payment_request_id));
  p.push_back(opt(t.timeout_at));
  p.emplace_back(t.debit_balance);
  p.emplace_back(t.credit_balance);
  p.emplace_back(t.created_at.us);
}

constexpr size_t kResolveRows = 64;

const std::string& resolve_sql() {
  static const std::string sql = [] {
    std::string s =
        "UPDATE ledger_pending SET state = v.column2, resolved_by = v.column3 FROM (VALUES ";
    for (size_t r = 0; r < kResolveRows; ++r) {
      if (r) s += ", ";
      s += "(CAST($" + std::to_string(3 * r + 1) + " AS BIGINT), CAST($" + std::to_string(3 * r + 2) +
           " AS TEXT), CAST($" + std::to_string(3 * r + 3) + " AS BIGINT))";
    }
    return s + ") AS v WHERE ledger_pending.transfer_id = v.column1 AND ledger_pending.state = "
               "'pending'";
  }();
  return sql;
}

}  // namespace

std::vector<int64_t> insert_transfers(store::Tx& tx, std::span<const TransferRow> rows) {
  std::vector<int64_t> ids(rows.size(), 0);
  store::Params params;
  params.reserve(kInsertRows * kTransferCols);
  size_t at = 0;
  for (; at + kInsertRows <= rows.size(); at += kInsertRows) {
    params.clear();
    for (size_t i = 0; i < kInsertRows; ++i) bind_row(params, rows[at + i]);
    store::Rows got = tx.query(insert_sql(), params);
    AGORA_ASSERT(got.rows.size() == kInsertRows);
    // RETURNING lists the rows in the order given in practice, but neither
    // engine promises it: each id is matched to its row by the unique key.
    for (size_t k = 0; k < got.rows.size(); ++k) {
      const store::Row& r = got.rows[k];
      const std::string key = r.str(1);
      size_t i = k;
      if (rows[at + i].key != key) {
        i = 0;
        while (i < kInsertRows && rows[at + i].key != key) ++i;
        AGORA_ASSERT(i < kInsertRows);
      }
      ids[at + i] = r.i64(0);
    }
  }
  for (; at < rows.size(); ++at) ids[at] = insert_transfer(tx, rows[at]);
  return ids;
}

int64_t resolve_holds(store::Tx& tx, std::span<const Resolution> rs) {
  int64_t changed = 0;
  store::Params params;
  params.reserve(kResolveRows * 3);
  size_t at = 0;
  for (; at + kResolveRows <= rs.size(); at += kResolveRows) {
    params.clear();
    for (size_t i = 0; i < kResolveRows; ++i) {
      params.emplace_back(rs[at + i].transfer_id);
      params.emplace_back(rs[at + i].state);
      params.emplace_back(rs[at + i].resolved_by);
    }
    changed += tx.exec(resolve_sql(), params);
  }
  for (; at < rs.size(); ++at)
    changed += resolve_pending(tx, rs[at].transfer_id, rs[at].state, rs[at].resolved_by) ? 1 : 0;
  return changed;
}

}  // namespace agora::app::repo
