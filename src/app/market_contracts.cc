// Fair-price contracts between a buying org and a producer (app/market.h):
// price floors, volume commitments, pre-financing advances repaid from
// deliveries, and what they add to a cycle's settlement.
//
// Choices the header leaves open, made here:
// - The contract's currency is its account's; the account must be an org,
//   fund or reserve account of the buyer (not a member's), still open.
// - An advance may be paid before the term starts (pre-financing is paid
//   ahead of the season), never after ends_on; accepting a contract whose
//   term is already over is refused.
// - A contract stays active past ends_on until a party ends it; it simply
//   no longer applies to settlements (nor blocks another one's acceptance).
// - In a settlement, every repayment comes first in the batch, then every
//   floor top-up, so repayments of the same cycle fund the floors.

#include <algorithm>
#include <map>
#include <set>

#include "app/authz.h"
#include "app/encode.h"
#include "app/ledger.h"
#include "app/market.h"
#include "app/market_internal.h"
#include "app/repo/contracts_repo.h"
#include "app/repo/cycles_repo.h"
#include "app/repo/ledger_repo.h"
#include "app/repo/registry_repo.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"

namespace agora::app {
namespace {

constexpr int64_t kMaxCommittedUnits = 1'000'000'000;
constexpr int64_t kMaxBps = 10'000;
constexpr size_t kMaxMemoBytes = 200;
constexpr size_t kMaxKeyBytes = 64;
constexpr int kMaxTermYears = 10;
constexpr const char* kSystemKeyPrefix = "sys:";

// "YYYY-MM-DD" of a time (UTC).
std::string day_of(Timestamp t) { return format_iso8601(t).substr(0, 10); }

// YYYY-MM-DD naming a real day (years 1900..9999).
void check_date(const std::string& d, const char* field) {
  auto digits = [&](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (d[i] < '0' || d[i] > '9') return -1;
      v = v * 10 + (d[i] - '0');
    }
    return v;
  };
  bool ok = d.size() == 10 && d[4] == '-' && d[7] == '-';
  int y = ok ? digits(0, 4) : -1, m = ok ? digits(5, 2) : -1, day = ok ? digits(8, 2) : -1;
  ok = ok && y >= 1900 && m >= 1 && m <= 12 && day >= 1;
  if (ok) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    ok = day <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  }
  if (!ok) throw Error(Code::invalid_value, "a date is YYYY-MM-DD", field);
}

// The same day `years` later, as text (Feb 29 compares correctly as text
// against any real day, so it needs no adjusting).
std::string years_after(const std::string& day, int years) {
  int y = std::stoi(day.substr(0, 4)) + years;
  return std::to_string(y) + day.substr(4);
}

[[noreturn]] void deny(const Actor& actor, const std::string& what) {
  if (actor.anonymous()) throw Error(Code::unauthenticated, "sign in to " + what);
  throw Error(Code::forbidden, "you may not " + what);
}

bool is_buyer_officer(store::Tx& tx, const Actor& a, const repo::ContractRow& c) {
  return has_role(tx, a, c.buyer_org_id, {Role::coordinator, Role::treasurer});
}
bool is_producer_coordinator(store::Tx& tx, const Actor& a, const repo::ContractRow& c) {
  return has_role(tx, a, c.producer_org_id, {Role::coordinator});
}
bool may_read(store::Tx& tx, const Actor& a, int64_t org_id) {
  return has_role(tx, a, org_id, {Role::coordinator, Role::treasurer, Role::auditor});
}

repo::ContractRow load_contract(store::Tx& tx, int64_t id) {
  auto c = repo::find_contract(tx, id);
  if (!c) throw Error(Code::not_found, "contract " + std::to_string(id) + " not found");
  return *c;
}

void require_contract_state(const repo::ContractRow& c, const char* state, const char* what) {
  if (c.state != state) {
    throw Error(Code::invalid_state,
                "the contract is " + c.state + "; " + what + " needs it " + state);
  }
}

repo::OrgRow require_org(store::Tx& tx, int64_t org_id, const char* field) {
  auto o = repo::find_org(tx, org_id);
  if (!o) {
    throw Error(Code::invalid_value, "organisation " + std::to_string(org_id) + " not found",
                field);
  }
  return *o;
}

// The contract's balance and lines, from its entries.
Json contract_json(store::Tx& tx, const repo::ContractRow& c) {
  int64_t advanced = 0, repaid = 0, floor_paid = 0, delivered_units = 0, delivered_amount = 0;
  std::map<int64_t, int64_t> delivered_by_variant;
  for (const auto& t : repo::entry_totals(tx, c.id)) {
    if (t.kind == "advance") advanced = checked_add(advanced, t.amount);
    if (t.kind == "repayment") repaid = checked_add(repaid, t.amount);
    if (t.kind == "floor") floor_paid = checked_add(floor_paid, t.amount);
    if (t.kind == "delivery") {
      delivered_units = checked_add(delivered_units, t.units);
      delivered_amount = checked_add(delivered_amount, t.amount);
      int64_t& v = delivered_by_variant[t.variant_id];
      v = checked_add(v, t.units);
    }
  }
  AGORA_ASSERT(repaid <= advanced);
  Json lines = Json::array();
  for (const auto& l : repo::contract_lines(tx, c.id)) {
    AGORA_ASSERT(l.contract_id == c.id);
    const int64_t delivered = delivered_by_variant[l.variant_id];
    lines.push_back(Json{{"variant_id", l.variant_id},
                         {"product_id", l.product_id},
                         {"product_name", l.product_name},
                         {"variant_name", l.variant_name},
                         {"floor_price", l.floor_price},
                         {"committed_units", l.committed_units},
                         {"delivered_units", delivered},
                         {"remaining_units", std::max<int64_t>(0, l.committed_units - delivered)}});
  }
  return Json{{"id", c.id},
              {"buyer", Json{{"org_id", c.buyer_org_id}, {"name", c.buyer_name}}},
              {"producer", Json{{"org_id", c.producer_org_id}, {"name", c.producer_name}}},
              {"name", c.name},
              {"currency", c.currency},
              {"starts_on", c.starts_on},
              {"ends_on", c.ends_on},
              {"account_id", c.account_id},
              {"repay_bps", c.repay_bps},
              {"state", c.state},
              {"terms", c.terms},
              {"lines", std::move(lines)},
              {"balance", Json{{"advanced", advanced},
                               {"repaid", repaid},
                               {"outstanding", advanced - repaid},
                               {"floor_paid", floor_paid},
                               {"delivered_units", delivered_units},
                               {"delivered_amount", delivered_amount}}},
              {"created_at", iso(c.created_at)},
              {"accepted_at", iso(c.accepted_at)},
              {"ended_at", iso(c.ended_at)}};
}

Json entry_json(const repo::ContractEntryRow& e) {
  return Json{{"id", e.id},
              {"kind", e.kind},
              {"cycle_id", opt_json(e.cycle_id)},
              {"variant_id", opt_json(e.variant_id)},
              {"units", e.units},
              {"amount", e.amount},
              {"transfer_id", opt_json(e.transfer_id)},
              {"memo", e.memo},
              {"created_at", iso(e.created_at)}};
}

Json reload(store::Tx& tx, int64_t id) { return contract_json(tx, load_contract(tx, id)); }

// Advanced minus repaid from the entries.
int64_t outstanding_of(store::Tx& tx, int64_t contract_id) {
  int64_t advanced = 0, repaid = 0;
  for (const auto& t : repo::entry_totals(tx, contract_id)) {
    if (t.kind == "advance") advanced = checked_add(advanced, t.amount);
    if (t.kind == "repayment") repaid = checked_add(repaid, t.amount);
  }
  AGORA_ASSERT(repaid <= advanced);
  return advanced - repaid;
}

}  // namespace

namespace market {

Json propose_contract(store::Tx& tx, const Ctx& ctx, const ContractInput& in) {
  require_signed_in(ctx.actor);
  auto buyer = require_org(tx, in.buyer_org_id, "/buyer_org_id");
  require_role(tx, ctx.actor, buyer.id, {Role::coordinator, Role::treasurer});
  auto producer = require_org(tx, in.producer_org_id, "/producer_org_id");
  if (producer.id == buyer.id) {
    throw Error(Code::invalid_value, "the producer must be another organisation than the buyer",
                "/producer_org_id");
  }
  check_len(in.name, 1, kMaxNameBytes, "/name");
  check_date(in.starts_on, "/starts_on");
  check_date(in.ends_on, "/ends_on");
  if (in.ends_on <= in.starts_on) {
    throw Error(Code::invalid_value, "ends_on must be after starts_on", "/ends_on");
  }
  if (in.ends_on > years_after(in.starts_on, kMaxTermYears)) {
    throw Error(Code::out_of_range, "a contract's term is at most 10 years", "/ends_on");
  }
  auto account = repo::find_ledger_account(tx, in.account_id);
  if (!account) {
    throw Error(Code::invalid_value, "account " + std::to_string(in.account_id) + " not found",
                "/account_id");
  }
  if (account->org_id != buyer.id || account->holder == "member" || account->holder == "external") {
    throw Error(Code::invalid_value,
                "account " + std::to_string(account->id) +
                    " is not one of the buyer's own org, fund or reserve accounts",
                "/account_id");
  }
  if (account->closed) throw Error(Code::invalid_value, "the account is closed", "/account_id");
  if (in.repay_bps < 0 || in.repay_bps > kMaxBps) {
    throw Error(Code::out_of_range, "repay_bps must be 0..10000", "/repay_bps");
  }
  check_len(in.terms, 0, kMaxTextBytes, "/terms");
  if (in.lines.empty() || in.lines.size() > kMaxContractLines) {
    throw Error(Code::out_of_range, "a contract has 1..200 lines", "/lines");
  }
  std::set<int64_t> seen;
  for (size_t i = 0; i < in.lines.size(); ++i) {
    const auto& l = in.lines[i];
    const std::string at = "/lines/" + std::to_string(i);
    auto v = repo::find_variant_ref(tx, l.variant_id);
    if (!v) {
      throw Error(Code::invalid_value, "variant " + std::to_string(l.variant_id) + " not found",
                  at + "/variant_id");
    }
    if (v->producer_org_id != producer.id) {
      throw Error(Code::invalid_value,
                  "variant " + std::to_string(l.variant_id) + " is not the producer's",
                  at + "/variant_id");
    }
    if (v->currency != account->currency) {
      throw Error(Code::invalid_value,
                  "variant " + std::to_string(l.variant_id) + " is priced in " + v->currency +
                      ", the contract's account in " + account->currency,
                  at + "/variant_id");
    }
    if (!seen.insert(l.variant_id).second) {
      throw Error(Code::invalid_value, "a variant appears once in a contract", at + "/variant_id");
    }
    if (l.floor_price < 0 || l.floor_price > kMaxPrice) {
      throw Error(Code::out_of_range, "floor_price must be 0..10^12", at + "/floor_price");
    }
    if (l.committed_units < 0 || l.committed_units > kMaxCommittedUnits) {
      throw Error(Code::out_of_range, "committed_units must be 0..10^9", at + "/committed_units");
    }
  }
  repo::ContractRow row{.buyer_org_id = buyer.id,
                        .producer_org_id = producer.id,
                        .name = in.name,
                        .currency = account->currency,
                        .starts_on = in.starts_on,
                        .ends_on = in.ends_on,
                        .account_id = account->id,
                        .repay_bps = in.repay_bps,
                        .state = "proposed",
                        .terms = in.terms,
                        .created_by_person = ctx.actor.person_id > 0
                                                 ? std::optional<int64_t>(ctx.actor.person_id)
                                                 : std::nullopt,
                        .created_at = ctx.now};
  const int64_t id = repo::insert_contract(tx, row);
  for (const auto& l : in.lines) {
    repo::insert_contract_line(tx, repo::ContractLineRow{.contract_id = id,
                                                         .variant_id = l.variant_id,
                                                         .floor_price = l.floor_price,
                                                         .committed_units = l.committed_units});
  }
  auto back = load_contract(tx, id);
  AGORA_ASSERT(back.state == "proposed" && back.buyer_org_id == buyer.id);
  return contract_json(tx, back);
}

Json accept_contract(store::Tx& tx, const Ctx& ctx, int64_t contract_id) {
  auto c = load_contract(tx, contract_id);
  if (!is_producer_coordinator(tx, ctx.actor, c)) deny(ctx.actor, "accept this contract");
  require_contract_state(c, "proposed", "accepting");
  if (c.ends_on < day_of(ctx.now)) {
    throw Error(Code::invalid_state, "the contract's term ended on " + c.ends_on);
  }
  if (auto other = repo::overlapping_contract(tx, c.id, c.buyer_org_id, c.starts_on, c.ends_on)) {
    throw Error(Code::conflict, "active contract " + std::to_string(other->first) +
                                    " of the same buyer already covers variant " +
                                    std::to_string(other->second) + " in an overlapping term");
  }
  std::optional<int64_t> person;
  if (ctx.actor.person_id > 0) person = ctx.actor.person_id;
  if (!repo::activate_contract(tx, c.id, ctx.now, person)) {
    throw Error(Code::invalid_state, "the contract is no longer proposed");
  }
  return reload(tx, c.id);
}

Json decline_contract(store::Tx& tx, const Ctx& ctx, int64_t contract_id) {
  auto c = load_contract(tx, contract_id);
  if (!is_producer_coordinator(tx, ctx.actor, c)) deny(ctx.actor, "decline this contract");
  require_contract_state(c, "proposed", "declining");
  if (!repo::move_contract(tx, c.id, "proposed", "declined", ctx.now)) {
    throw Error(Code::invalid_state, "the contract is no longer proposed");
  }
  return reload(tx, c.id);
}

Json withdraw_contract(store::Tx& tx, const Ctx& ctx, int64_t contract_id) {
  auto c = load_contract(tx, contract_id);
  if (!is_buyer_officer(tx, ctx.actor, c)) deny(ctx.actor, "withdraw this contract");
  require_contract_state(c, "proposed", "withdrawing");
  if (!repo::move_contract(tx, c.id, "proposed", "withdrawn", ctx.now)) {
    throw Error(Code::invalid_state, "the contract is no longer proposed");
  }
  return reload(tx, c.id);
}

Json end_contract(store::Tx& tx, const Ctx& ctx, int64_t contract_id) {
  auto c = load_contract(tx, contract_id);
  if (!is_buyer_officer(tx, ctx.actor, c) && !is_producer_coordinator(tx, ctx.actor, c)) {
    deny(ctx.actor, "end this contract");
  }
  require_contract_state(c, "active", "ending");
  if (!repo::move_contract(tx, c.id, "active", "ended", ctx.now)) {
    throw Error(Code::invalid_state, "the contract is no longer active");
  }
  return reload(tx, c.id);
}

Json get_contract(store::Tx& tx, const Ctx& ctx, int64_t contract_id) {
  auto c = load_contract(tx, contract_id);
  if (!may_read(tx, ctx.actor, c.buyer_org_id) && !may_read(tx, ctx.actor, c.producer_org_id)) {
    deny(ctx.actor, "read this contract");
  }
  return contract_json(tx, c);
}

Json list_contracts(store::Tx& tx, const Ctx& ctx, int64_t org_id, std::optional<std::string> state,
                    PageReq page) {
  check_page(page);
  if (state) {
    static const std::set<std::string> kStates = {"proposed", "active", "ended", "withdrawn",
                                                  "declined"};
    if (!kStates.contains(*state)) {
      throw Error(Code::invalid_value, "unknown contract state '" + *state + "'", "/state");
    }
  }
  auto org = require_org(tx, org_id, "/org_id");
  if (!may_read(tx, ctx.actor, org.id)) deny(ctx.actor, "read this organisation's contracts");
  auto rows = repo::contracts_of_org(tx, org.id, state, page.after, page.limit);
  Json items = Json::array();
  for (const auto& c : rows) items.push_back(contract_json(tx, c));
  const int64_t last = rows.empty() ? 0 : rows.back().id;
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit, last);
}

Json contract_entries(store::Tx& tx, const Ctx& ctx, int64_t contract_id, PageReq page) {
  check_page(page);
  auto c = load_contract(tx, contract_id);
  if (!may_read(tx, ctx.actor, c.buyer_org_id) && !may_read(tx, ctx.actor, c.producer_org_id)) {
    deny(ctx.actor, "read this contract");
  }
  auto rows = repo::contract_entries(tx, c.id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& e : rows) items.push_back(entry_json(e));
  const int64_t last = rows.empty() ? 0 : rows.back().id;
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit, last);
}

Json pay_advance(store::Tx& tx, const Ctx& ctx, int64_t contract_id, const AdvanceInput& in) {
  auto c = load_contract(tx, contract_id);
  if (!is_buyer_officer(tx, ctx.actor, c)) deny(ctx.actor, "pay an advance on this contract");
  check_len(in.key, 1, kMaxKeyBytes, "/key");
  if (in.key.starts_with(kSystemKeyPrefix)) {
    throw Error(Code::invalid_value, "keys starting with sys: are the system's", "/key");
  }
  if (in.amount < 1 || in.amount > kMaxPrice) {
    throw Error(Code::out_of_range, "amount must be 1..10^12", "/amount");
  }
  check_len(in.memo, 0, kMaxMemoBytes, "/memo");
  const int64_t to = ledger::ensure_account(tx, ctx.now, c.producer_org_id, "org", std::nullopt,
                                            c.currency, "operating");
  const ledger::TransferInput t{
      .key = in.key,
      .debit_account_id = c.account_id,
      .credit_account_id = to,
      .amount = in.amount,
      .code = "market_advance",
      .memo = in.memo.empty() ? "advance on contract " + std::to_string(c.id) : in.memo};
  // A retry of a paid advance answers as the first time did, whatever the
  // contract's state since (apply_transfers refuses the key for another body).
  if (auto old = repo::find_transfer_by_key(tx, in.key);
      old && repo::entry_of_transfer(tx, c.id, old->id)) {
    ledger::apply_transfers(tx, ctx.now, ctx.actor.account_id, std::span(&t, 1));
    return contract_json(tx, c);
  }
  require_contract_state(c, "active", "an advance");
  if (c.ends_on < day_of(ctx.now)) {
    throw Error(Code::invalid_state, "the contract's term ended on " + c.ends_on);
  }
  Json paid = ledger::apply_transfers(tx, ctx.now, ctx.actor.account_id, std::span(&t, 1)).front();
  const int64_t transfer_id = paid["id"].get<int64_t>();
  if (!repo::entry_of_transfer(tx, c.id, transfer_id)) {
    repo::insert_contract_entry(tx, repo::ContractEntryRow{.contract_id = c.id,
                                                           .kind = "advance",
                                                           .amount = in.amount,
                                                           .transfer_id = transfer_id,
                                                           .memo = t.memo,
                                                           .created_at = ctx.now});
  }
  return reload(tx, c.id);
}

}  // namespace market

namespace market_detail {

ContractPlan plan_contracts(store::Tx& tx, Timestamp now, const repo::CycleRow& c, int64_t clearing,
                            std::span<const Delivery> deliveries) {
  ContractPlan plan;
  if (deliveries.empty()) return plan;
  auto lines = repo::applicable_lines(tx, c.coordinator_org_id, c.currency, day_of(now));
  if (lines.empty()) return plan;

  // What was delivered per (producer, variant): units and the producer's
  // amount, and the floor top-up owed line by line.
  struct Delivered {
    int64_t units = 0;
    int64_t amount = 0;
    std::vector<std::pair<int64_t, int64_t>> parts;  // {units, producer part}
    int64_t kept = 0;  // repaid from it so far, never more than its amount
  };
  std::map<std::pair<int64_t, int64_t>, Delivered> delivered;
  for (const Delivery& d : deliveries) {
    AGORA_ASSERT(d.units > 0 && d.producer_part >= 0);
    Delivered& x = delivered[{d.producer_org_id, d.variant_id}];
    x.units = checked_add(x.units, d.units);
    x.amount = checked_add(x.amount, checked_mul(d.units, d.producer_part));
    x.parts.emplace_back(d.units, d.producer_part);
  }

  std::vector<ContractMove> floors;
  std::map<int64_t, int64_t> outstanding;  // contract id -> left to repay
  for (const auto& l : lines) {
    auto it = delivered.find({l.producer_org_id, l.variant_id});
    if (it == delivered.end()) continue;
    Delivered& x = it->second;
    plan.deliveries.push_back(ContractDelivery{.contract_id = l.contract_id,
                                               .variant_id = l.variant_id,
                                               .units = x.units,
                                               .amount = x.amount});

    int64_t top_up = 0;
    for (const auto& [units, part] : x.parts) {
      if (l.floor_price > part)
        top_up = checked_add(top_up, checked_mul(l.floor_price - part, units));
    }
    if (top_up > 0) {
      floors.push_back(ContractMove{
          .contract_id = l.contract_id,
          .kind = "floor",
          .variant_id = l.variant_id,
          .units = x.units,
          .amount = top_up,
          .debit_account_id = l.account_id,
          .credit_account_id = ledger::ensure_account(tx, now, l.producer_org_id, "org",
                                                      std::nullopt, c.currency, "operating")});
    }

    if (l.repay_bps == 0) continue;
    auto [o, fresh] = outstanding.try_emplace(l.contract_id, 0);
    if (fresh) o->second = outstanding_of(tx, l.contract_id);
    if (o->second == 0) continue;
    // amount × bps / 10000 rounded down, without the product overflowing.
    const int64_t share = checked_add(checked_mul(x.amount / kMaxBps, l.repay_bps),
                                      (x.amount % kMaxBps) * l.repay_bps / kMaxBps);
    const int64_t repay = std::min({o->second, share, x.amount - x.kept});
    if (repay == 0) continue;
    o->second -= repay;
    x.kept += repay;
    int64_t& kept = plan.deductions[l.producer_org_id];
    kept = checked_add(kept, repay);
    plan.moves.push_back(ContractMove{.contract_id = l.contract_id,
                                      .kind = "repayment",
                                      .variant_id = l.variant_id,
                                      .units = x.units,
                                      .amount = repay,
                                      .debit_account_id = clearing,
                                      .credit_account_id = l.account_id});
  }
  for (auto& f : floors) plan.moves.push_back(std::move(f));
  return plan;
}

void record_contracts(store::Tx& tx, Timestamp now, const repo::CycleRow& c,
                      const ContractPlan& plan, std::span<const int64_t> move_transfer_ids) {
  AGORA_ASSERT(move_transfer_ids.size() == plan.moves.size());
  const std::string memo = "market cycle " + std::to_string(c.id);
  for (const auto& d : plan.deliveries) {
    repo::insert_contract_entry(tx, repo::ContractEntryRow{.contract_id = d.contract_id,
                                                           .kind = "delivery",
                                                           .cycle_id = c.id,
                                                           .variant_id = d.variant_id,
                                                           .units = d.units,
                                                           .amount = d.amount,
                                                           .memo = memo,
                                                           .created_at = now});
  }
  for (size_t i = 0; i < plan.moves.size(); ++i) {
    const ContractMove& m = plan.moves[i];
    AGORA_ASSERT(m.amount > 0 && move_transfer_ids[i] > 0);
    repo::insert_contract_entry(tx, repo::ContractEntryRow{.contract_id = m.contract_id,
                                                           .kind = m.kind,
                                                           .cycle_id = c.id,
                                                           .variant_id = m.variant_id,
                                                           .units = m.units,
                                                           .amount = m.amount,
                                                           .transfer_id = move_transfer_ids[i],
                                                           .memo = memo,
                                                           .created_at = now});
  }
}

}  // namespace market_detail
}  // namespace agora::app
