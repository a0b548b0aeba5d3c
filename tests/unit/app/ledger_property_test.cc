// Seeded random sequences of ledger commands (good and bad: overspends,
// unknown accounts, double posts, replays, conflicting keys, batches with
// one bad member, expiries) applied through App::write_async in order,
// against a simple model of the expected totals. Each command's success or
// refusal must match the model; after each chunk of commands the ledger's
// invariants hold: per currency debits equal credits, every account within
// its bounds, check_ledger ok, no hold resolved twice, and every account's
// totals equal the model's.

#include <gtest/gtest.h>

#include <climits>
#include <latch>
#include <map>
#include <optional>
#include <random>
#include <tuple>
#include <vector>

#include "app/ledger.h"
#include "app/registry.h"
#include "core/error.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using ledger::Action;
using ledger::TransferInput;
using i128 = __int128;

struct ModelAccount {
  int64_t id = 0;
  std::string currency;
  std::optional<int64_t> lower = std::nullopt;  // effective bounds
  std::optional<int64_t> upper = std::nullopt;
  i128 dp = 0, cp = 0, dpend = 0, cpend = 0;
};

struct ModelHold {
  int64_t id = 0, debit = 0, credit = 0, amount = 0;
  std::optional<int64_t> timeout_at;
  std::string state = "pending";
};

using Sig = std::tuple<int, int64_t, int64_t, int64_t, bool, std::optional<int64_t>,
                       std::optional<int64_t>>;

Sig sig_of(const TransferInput& in) {
  return Sig{static_cast<int>(in.action),
             in.debit_account_id,
             in.credit_account_id,
             in.amount,
             in.pending,
             in.timeout_s,
             in.pending_id};
}

// The expected ledger: accounts, holds and stored keys.
struct Model {
  std::map<int64_t, ModelAccount> accounts;
  std::map<int64_t, ModelHold> holds;
  std::map<std::string, Sig> keys;
  // Holds created in the chunk under way have negative ids until the
  // database's ids come back (PostgreSQL's sequences skip rolled-back ids).
  std::map<std::string, int64_t> unresolved;  // key -> temporary id
  int64_t next_tmp = -1;

  static bool fits(i128 v) { return v >= INT64_MIN && v <= INT64_MAX; }

  bool debit(ModelAccount& a, i128 amount, bool pending) {
    i128& t = pending ? a.dpend : a.dp;
    if (amount <= 0 || t + amount > INT64_MAX) return false;
    i128 after = a.cp - a.dp - a.dpend - amount;
    if (!fits(after)) return false;
    if (a.lower && after < *a.lower) return false;
    t += amount;
    return true;
  }
  bool credit(ModelAccount& a, i128 amount, bool pending) {
    i128& t = pending ? a.cpend : a.cp;
    if (amount <= 0 || t + amount > INT64_MAX) return false;
    if (a.cp + a.cpend + amount > INT64_MAX) return false;
    i128 after = a.cp + a.cpend + amount - a.dp;
    if (a.upper && after > *a.upper) return false;
    t += amount;
    return true;
  }

  // Applies one transfer; false (model unchanged by the caller's copy) when refused.
  bool apply(const TransferInput& in, int64_t now) {
    if (auto it = keys.find(in.key); it != keys.end()) return it->second == sig_of(in);
    if (in.action == Action::create) {
      if (in.amount <= 0 || in.debit_account_id == in.credit_account_id) return false;
      if (!accounts.count(in.debit_account_id) || !accounts.count(in.credit_account_id))
        return false;
      auto& d = accounts[in.debit_account_id];
      auto& c = accounts[in.credit_account_id];
      if (d.currency != c.currency) return false;
      if (!debit(d, in.amount, in.pending) || !credit(c, in.amount, in.pending)) return false;
      if (in.pending) {
        int64_t id = next_tmp--;
        unresolved[in.key] = id;
        std::optional<int64_t> t;
        if (in.timeout_s) t = now + *in.timeout_s * 1'000'000;
        holds[id] = ModelHold{id, in.debit_account_id, in.credit_account_id, in.amount, t};
      }
    } else {
      auto it = holds.find(in.pending_id.value_or(0));
      if (it == holds.end()) return false;
      ModelHold& h = it->second;
      if (h.state != "pending" || (h.timeout_at && *h.timeout_at <= now)) return false;
      int64_t posted = 0;
      if (in.action == Action::post) {
        if (in.amount < 0 || in.amount > h.amount) return false;
        posted = in.amount == 0 ? h.amount : in.amount;
      } else if (in.amount != 0) {
        return false;
      }
      auto& d = accounts[h.debit];
      auto& c = accounts[h.credit];
      if (d.dp + posted > INT64_MAX || c.cp + posted > INT64_MAX) return false;
      d.dpend -= h.amount;
      c.cpend -= h.amount;
      d.dp += posted;
      c.cp += posted;
      h.state = in.action == Action::post ? "posted" : "voided";
    }
    keys[in.key] = sig_of(in);
    return true;
  }

  int64_t expire(int64_t now) {
    int64_t n = 0;
    for (auto& [id, h] : holds) {
      if (h.state != "pending" || !h.timeout_at || *h.timeout_at > now) continue;
      accounts[h.debit].dpend -= h.amount;
      accounts[h.credit].cpend -= h.amount;
      h.state = "expired";
      n++;
    }
    return n;
  }
};

class LedgerPropertyTest : public ::testing::TestWithParam<std::tuple<std::string, uint64_t>> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(std::get<0>(GetParam()));
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_ = Actor::system();
    int64_t coop = app_->write(admin_, "setup", Json::object(), [](store::Tx& tx, const Ctx& ctx) {
      return create_org(tx, ctx, OrgInput{.kind = "federation", .name = "Coop", .slug = "coop"});
    })["id"];
    app_->write(admin_, "setup", Json::object(), [&](store::Tx& tx, const Ctx& ctx) {
      ledger::create_currency(tx, ctx,
                              ledger::CurrencyInput{.code = "HOURS",
                                                    .name = "Hours",
                                                    .issuer_org_id = coop,
                                                    .minor_units = 0,
                                                    .default_lower_limit = -500,
                                                    .default_upper_limit = 500});
      auto add = [&](const std::string& holder, std::optional<int64_t> person,
                     const std::string& cur, const std::string& kind) {
        int64_t id = ledger::ensure_account(tx, ctx.now, coop, holder, person, cur, kind);
        Json a = ledger::get_account(tx, ctx, id);
        ModelAccount m{.id = id, .currency = cur};
        if (a["holder"] == "member" && cur == "EUR") m.lower = 0;
        if (!a["lower_limit"].is_null()) m.lower = a["lower_limit"].get<int64_t>();
        if (!a["upper_limit"].is_null()) m.upper = a["upper_limit"].get<int64_t>();
        model_.accounts[id] = m;
        ids_.push_back(id);
        if (cur == "EUR" && holder != "external") eur_.push_back(id);
      };
      add("external", std::nullopt, "EUR", "bank");
      add("org", std::nullopt, "EUR", "operating");
      add("org", std::nullopt, "HOURS", "clearing");
      for (int i = 0; i < 3; ++i) {
        int64_t p = create_person(tx, ctx, PersonInput{.given_name = "p" + std::to_string(i)});
        add("member", p, "EUR", "current");
        add("member", p, "HOURS", "current");
      }
      return Json();
    });
  }
  void TearDown() override { app_->stop(); }

  int64_t any_account() { return ids_[rng_() % ids_.size()]; }
  int64_t amount() {
    switch (rng_() % 20) {
      case 0:
        return 0;
      case 1:
        return -5;
      case 2:
        return INT64_MAX / 3;  // only the unlimited accounts take it; three of them overflow
      default:
        return 1 + static_cast<int64_t>(rng_() % 300);
    }
  }
  std::string fresh_key() { return "k" + std::to_string(key_seq_++); }

  TransferInput random_create() {
    TransferInput in{.key = fresh_key(),
                     .debit_account_id = any_account(),
                     .credit_account_id = any_account(),
                     .amount = amount()};
    if (rng_() % 30 == 0) in.debit_account_id = 999'999;  // no such account
    if (rng_() % 4 == 0) {
      in.pending = true;
      if (rng_() % 2) in.timeout_s = 1 + static_cast<int64_t>(rng_() % 120);
    }
    return in;
  }
  TransferInput random_command() {
    int r = static_cast<int>(rng_() % 10);
    std::vector<int64_t> known;
    for (const auto& [id, h] : model_.holds) {
      if (id > 0) known.push_back(id);
    }
    if ((r == 5 || r == 6) && !known.empty()) {  // post or void any hold (maybe resolved)
      auto it = model_.holds.find(known[rng_() % known.size()]);
      TransferInput in{.key = fresh_key(),
                       .action = r == 5 ? Action::post : Action::void_,
                       .pending_id = it->first};
      if (r == 5 && rng_() % 2) in.amount = static_cast<int64_t>(rng_() % (it->second.amount + 20));
      return in;
    }
    if (r == 7 &&
        !stored_.empty()) {  // replay a stored command, or reuse its key with another body
      TransferInput in = stored_[rng_() % stored_.size()];
      if (rng_() % 2) in.amount += 1;
      return in;
    }
    return random_create();
  }

  void check_invariants() {
    Json c = app_->read(admin_, [](store::Tx& tx, const Ctx&) { return ledger::check_ledger(tx); });
    ASSERT_TRUE(c["ok"]) << c.dump();
    std::map<std::string, i128> net;
    for (int64_t id : ids_) {
      Json a = app_->read(
          admin_, [=](store::Tx& tx, const Ctx& ctx) { return ledger::get_account(tx, ctx, id); });
      const ModelAccount& m = model_.accounts[id];
      ASSERT_EQ(a["debits_posted"].get<int64_t>(), static_cast<int64_t>(m.dp)) << "account " << id;
      ASSERT_EQ(a["credits_posted"].get<int64_t>(), static_cast<int64_t>(m.cp)) << "account " << id;
      ASSERT_EQ(a["debits_pending"].get<int64_t>(), static_cast<int64_t>(m.dpend))
          << "account " << id;
      ASSERT_EQ(a["credits_pending"].get<int64_t>(), static_cast<int64_t>(m.cpend))
          << "account " << id;
      i128 low = m.cp - m.dp - m.dpend, high = m.cp + m.cpend - m.dp;
      ASSERT_TRUE(!m.lower || low >= *m.lower) << "account " << id;
      ASSERT_TRUE(!m.upper || high <= *m.upper) << "account " << id;
      net[m.currency] += m.cp - m.dp;
    }
    for (const auto& [cur, n] : net) ASSERT_TRUE(n == 0) << cur;
    int64_t twice = 0;
    db_->read([&](store::Tx& tx) {
      twice = tx.query(
                    "SELECT COUNT(*) FROM (SELECT pending_id FROM ledger_transfers WHERE "
                    "pending_id IS NOT "
                    "NULL GROUP BY pending_id HAVING COUNT(*) > 1) x")
                  .one()
                  .i64(0);
    });
    ASSERT_EQ(twice, 0);
  }

  ManualClock clock_{Timestamp{1'800'000'000'000'000}};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  Actor admin_;
  Model model_;
  std::vector<int64_t> ids_;  // ids_[0] is the bank (external, unlimited)
  std::vector<int64_t> eur_;  // the other EUR accounts
  std::vector<TransferInput> stored_;
  std::mt19937_64 rng_{std::get<1>(GetParam())};
  int64_t key_seq_ = 0;
};

TEST_P(LedgerPropertyTest, RandomCommandsKeepTheLedgerConsistent) {
  const bool sqlite = std::get<0>(GetParam()) == "sqlite";
  const int kCommands = sqlite ? 1500 : 500;
  constexpr int kChunk = 25;
  int done = 0, refused = 0;
  while (done < kCommands) {
    // Commands of one chunk are queued in order; the batcher runs them in that order.
    struct Sent {
      std::vector<TransferInput> in;
      bool expect_ok = false;
      bool expire = false;
      int64_t expect_expired = 0;
    };
    std::vector<Sent> sent;
    for (int i = 0; i < kChunk; ++i) {
      Sent s;
      int64_t now = clock_.now().us;
      if (rng_() % 40 == 0) {
        s.expire = true;
        s.expect_expired = model_.expire(now);
      } else {
        int kind = static_cast<int>(rng_() % 12);
        if (kind == 0) {  // a linked batch, maybe with one bad member
          int n = 2 + static_cast<int>(rng_() % 3);
          for (int j = 0; j < n; ++j) {
            // Mostly good members (the bank pays an account of its currency), so whole batches pass
            // too.
            if (rng_() % 4 == 0) {
              s.in.push_back(random_create());
            } else {
              s.in.push_back(TransferInput{.key = fresh_key(),
                                           .debit_account_id = ids_[0],
                                           .credit_account_id = eur_[rng_() % eur_.size()],
                                           .amount = 1 + static_cast<int64_t>(rng_() % 300)});
            }
          }
        } else {
          s.in.push_back(random_command());
        }
        Model trial = model_;
        bool ok = true;
        for (const auto& in : s.in) ok = ok && trial.apply(in, now);
        s.expect_ok = ok;
        if (ok) {
          model_ = std::move(trial);
          for (const auto& in : s.in) stored_.push_back(in);
        }
      }
      sent.push_back(std::move(s));
    }
    std::vector<std::optional<bool>> got(sent.size());
    std::vector<int64_t> expired(sent.size(), -1);
    std::vector<Json> results(sent.size());
    std::latch all(static_cast<std::ptrdiff_t>(sent.size()));
    for (size_t i = 0; i < sent.size(); ++i) {
      WriteFn fn;
      if (sent[i].expire) {
        fn = [](store::Tx& tx, const Ctx& ctx) {
          return Json(ledger::expire_pending(tx, ctx.now, 1000));
        };
      } else {
        auto in = sent[i].in;
        fn = [in](store::Tx& tx, const Ctx& ctx) { return ledger::create_transfers(tx, ctx, in); };
      }
      // A single transfer goes under the HTTP route's name, which the batcher
      // runs without a savepoint of its own on SQLite; linked batches and
      // expiries keep theirs.
      const char* name = !sent[i].expire && sent[i].in.size() == 1 ? "create_transfer" : "transfer";
      app_->write_async(admin_, name, Json::object(), fn, [&, i](std::exception_ptr e, Json r) {
        got[i] = !e;
        if (!e && sent[i].expire) expired[i] = r.get<int64_t>();
        if (!e && !sent[i].expire) results[i] = std::move(r);
        all.count_down();
      });
    }
    all.wait();
    for (size_t i = 0; i < sent.size(); ++i) {
      if (sent[i].expire) {
        ASSERT_TRUE(*got[i]);
        ASSERT_EQ(expired[i], sent[i].expect_expired) << "command " << done + static_cast<int>(i);
      } else {
        ASSERT_EQ(*got[i], sent[i].expect_ok) << "command " << done + static_cast<int>(i);
        if (!*got[i]) refused++;
      }
    }
    for (const auto& r : results) {
      if (!r.is_object()) continue;
      for (const auto& item : r["items"]) {
        auto it = model_.unresolved.find(item["key"].get<std::string>());
        if (it == model_.unresolved.end()) continue;
        auto node = model_.holds.extract(it->second);
        ASSERT_FALSE(node.empty());
        node.key() = item["id"].get<int64_t>();
        node.mapped().id = node.key();
        model_.holds.insert(std::move(node));
        model_.unresolved.erase(it);
      }
    }
    ASSERT_TRUE(model_.unresolved.empty());
    done += kChunk;
    clock_.advance_us(static_cast<int64_t>(rng_() % 40) * 1'000'000);
    check_invariants();
    if (HasFatalFailure()) return;
  }
  // The sequence exercised refusals and every kind of transfer.
  EXPECT_GT(refused, kCommands / 20);
  for (const char* sql : {"SELECT COUNT(*) FROM ledger_transfers WHERE action = 'post'",
                          "SELECT COUNT(*) FROM ledger_transfers WHERE action = 'void'",
                          "SELECT COUNT(*) FROM ledger_transfers WHERE action = 'expire'",
                          "SELECT COUNT(*) FROM ledger_transfers WHERE batch_id IS NOT NULL"}) {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) { n = tx.query(sql).one().i64(0); });
    EXPECT_GT(n, 0) << sql;
  }
  EXPECT_LT(refused, kCommands);
}

std::vector<std::tuple<std::string, uint64_t>> cases() {
  std::vector<std::tuple<std::string, uint64_t>> out;
  for (const auto& e : test_db::test_engines()) {
    for (uint64_t seed : {1u, 7u, 42u}) out.emplace_back(e, seed);
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    Seeds, LedgerPropertyTest, ::testing::ValuesIn(cases()),
    [](const ::testing::TestParamInfo<std::tuple<std::string, uint64_t>>& info) {
      return std::get<0>(info.param) + "_seed" + std::to_string(std::get<1>(info.param));
    });

}  // namespace
}  // namespace agora::app
