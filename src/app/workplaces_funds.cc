// Funds' flows (app/workplaces.h, section "funds"): a fund is an org's
// ledger account of holder "fund"; its inflows and outflows are the posted
// transfers it was credited and debited, by month and by transfer code
// (rent surpluses, solidarity contributions, levies, closings, payouts).

#include <map>
#include <string>

#include "app/authz.h"
#include "app/encode.h"
#include "app/repo/leases_repo.h"
#include "app/repo/ledger_repo.h"
#include "app/workplaces.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"
#include "workplaces/calendar.h"

namespace agora::app::workplaces {
namespace {

namespace wp = agora::workplaces;

constexpr int64_t kMaxFlowMonths = 240;

bool fund_kind(const std::string& kind) {
  return kind == "investment" || kind == "solidarity" || kind == "education" || kind == "mutual";
}

// {period, code, amount} rows of one direction, by period then code.
Json flow_rows(const std::map<std::pair<std::string, std::string>, int64_t>& sums) {
  Json out = Json::array();
  for (const auto& [key, amount] : sums) {
    out.push_back(Json{{"period", key.first}, {"code", key.second}, {"amount", amount}});
  }
  return out;
}

}  // namespace

Json fund_flows(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& kind,
                std::optional<std::string> currency, std::optional<std::string> from,
                std::optional<std::string> to) {
  auto org = repo::find_org_facts(tx, org_id);
  if (!org) throw Error(Code::not_found, "no such organisation", "/org_id");
  require_role(tx, ctx.actor, org_id,
               {Role::member, Role::coordinator, Role::treasurer, Role::auditor});
  if (!fund_kind(kind)) {
    throw Error(Code::invalid_value, "kind must be investment, solidarity, education or mutual",
                "/kind");
  }
  std::string cur = currency.value_or(org->currency);
  if (cur.empty() || cur.size() > 8) {
    throw Error(Code::invalid_value, "currency must be 1..8 characters", "/currency");
  }
  auto last = to ? wp::parse_period(*to, "/to") : wp::add_months(wp::date_of(ctx.now), 0);
  auto first = from ? wp::parse_period(*from, "/from") : wp::add_months(last, -23);
  int64_t span = wp::month_index(last) - wp::month_index(first) + 1;
  if (span < 1 || span > kMaxFlowMonths) {
    throw Error(Code::out_of_range, "from must not be after to, and at most 240 months before it",
                "/from");
  }
  Json out{{"account_id", nullptr},
           {"org_id", org_id},
           {"kind", kind},
           {"currency", cur},
           {"from", wp::period_of(first)},
           {"to", wp::period_of(last)},
           {"balance", 0},
           {"inflows", Json::array()},
           {"outflows", Json::array()},
           {"totals", {{"in", 0}, {"out", 0}}},
           {"by_code", {{"in", Json::object()}, {"out", Json::object()}}}};
  auto account = repo::find_account_of(tx, org_id, "fund", std::nullopt, cur, kind);
  if (!account) return out;
  std::map<std::pair<std::string, std::string>, int64_t> in_sums, out_sums;
  std::map<std::string, int64_t> in_codes, out_codes;
  int64_t total_in = 0, total_out = 0;
  for (const auto& f : repo::posted_flows(tx, account->id, wp::start_of(first),
                                          wp::start_of(wp::add_months(last, 1)))) {
    auto key = std::make_pair(wp::period_of(wp::date_of(f.at)), f.code);
    int64_t amount = f.amount >= 0 ? f.amount : -f.amount;
    auto& sums = f.amount >= 0 ? in_sums : out_sums;
    auto& codes = f.amount >= 0 ? in_codes : out_codes;
    int64_t& total = f.amount >= 0 ? total_in : total_out;
    sums[key] = checked_add(sums[key], amount);
    codes[f.code] = checked_add(codes[f.code], amount);
    total = checked_add(total, amount);
  }
  out["account_id"] = account->id;
  out["balance"] = account->credits_posted - account->debits_posted;
  out["inflows"] = flow_rows(in_sums);
  out["outflows"] = flow_rows(out_sums);
  out["totals"] = Json{{"in", total_in}, {"out", total_out}};
  for (const auto& [code, amount] : in_codes) out["by_code"]["in"][code] = amount;
  for (const auto& [code, amount] : out_codes) out["by_code"]["out"][code] = amount;
  return out;
}

}  // namespace agora::app::workplaces
