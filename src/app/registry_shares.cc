// Share capital: subscriptions and their instalments, the share register,
// transfers and sell-backs (members/shares.h holds the rules). The money of
// instalments and sell-backs moves through the ledger (app/ledger.h) between
// the co-op's external/bank and org/share_capital accounts.
#include <span>
#include <string>

#include "app/authz.h"
#include "app/ledger.h"
#include "app/registry.h"
#include "app/registry_internal.h"
#include "app/repo/ledger_repo.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"
#include "members/shares.h"

namespace agora::app {

using namespace registry_detail;

namespace {

constexpr int64_t kShareListLimit = 200;
constexpr const char* kShareCapitalCode = "share_capital";

// "member 12", or the membership's id while it has no member number.
std::string member_label(const repo::MembershipRow& m) {
  if (m.member_number) return "member " + std::to_string(*m.member_number);
  return "membership " + std::to_string(m.id);
}

// Moves amount_minor between the co-op's external/bank account and its
// org/share_capital account (opened when missing; an org account carries no
// debits_must_not_exceed_credits flag, and an external one no limits, so a
// sell-back is never refused for lack of funds). to_capital: bank -> capital.
void post_share_capital(store::Tx& tx, const Ctx& ctx, const repo::MembershipRow& m,
                        bool to_capital, int64_t amount_minor, std::string key, std::string memo) {
  AGORA_ASSERT(amount_minor > 0);
  if (!repo::find_currency(tx, m.currency)) {
    throw Error(Code::invalid_state, "the co-op's currency " + m.currency +
                                         " is not a ledger currency: create it before recording "
                                         "share capital");
  }
  int64_t bank =
      ledger::ensure_account(tx, ctx.now, m.org_id, "external", std::nullopt, m.currency, "bank");
  int64_t capital = ledger::ensure_account(tx, ctx.now, m.org_id, "org", std::nullopt, m.currency,
                                           "share_capital");
  ledger::TransferInput t{.key = std::move(key),
                          .action = ledger::Action::create,
                          .debit_account_id = to_capital ? bank : capital,
                          .credit_account_id = to_capital ? capital : bank,
                          .amount = amount_minor,
                          .code = kShareCapitalCode,
                          .memo = std::move(memo)};
  auto done = ledger::apply_transfers(tx, ctx.now, ctx.actor.account_id,
                                      std::span<const ledger::TransferInput>(&t, 1));
  AGORA_ASSERT(done.size() == 1);
}

members::Subscription sub_rule(const repo::SubscriptionRow& s) {
  return members::Subscription{s.shares, s.price_minor, s.amount_minor, s.paid_minor,
                               members::parse_sub_state(s.state)};
}

void require_active(const repo::MembershipRow& m) {
  if (status_of(m) != members::Status::active) {
    throw Error(Code::invalid_state, "the membership is not active");
  }
}

// Takes `shares` out of m's holding (a sell-back or the outgoing half of a
// transfer); m becomes a former member when nothing is left. Returns the
// register entry's id and the nominal amount taken out.
struct TakenOut {
  int64_t entry_id = 0;
  int64_t amount_minor = 0;
};
TakenOut take_out(store::Tx& tx, const Ctx& ctx, repo::MembershipRow& m, int64_t shares,
                  members::EntryKind kind, std::optional<int64_t> counterpart) {
  auto r = members::reduce(class_rule(m), m.shares, shares);
  int64_t entry_id = repo::insert_register_entry(tx, repo::RegisterRow{.org_id = m.org_id,
                                                    .membership_id = m.id,
                                                    .kind = std::string(members::entry_kind_name(kind)),
                                                    .shares = -shares,
                                                    .amount_minor = -r.amount_minor,
                                                    .balance = r.remaining,
                                                    .counterpart_membership_id = counterpart,
                                                    .at = ctx.now});
  m.shares = r.remaining;
  m.paid_minor = r.remaining == 0 ? 0 : m.paid_minor - r.amount_minor;
  AGORA_ASSERT(m.paid_minor >= 0);
  repo::update_holding(tx, m.id, m.shares, m.paid_minor);
  if (r.becomes_former) {
    for (auto s : repo::waiting_subscriptions(tx, m.id)) {
      auto sub = sub_rule(s);
      members::cancel(sub);
      s.state = std::string(members::sub_state_name(sub.state));
      s.closed_at = ctx.now;
      repo::update_subscription(tx, s);
    }
    record_transition(tx, ctx, m, members::transition(status_of(m), members::Transition::lose_shares),
                      std::nullopt);
  }
  return TakenOut{entry_id, r.amount_minor};
}

repo::SubscriptionRow load_subscription(store::Tx& tx, int64_t id) {
  auto s = repo::find_subscription(tx, id);
  if (!s) throw Error(Code::not_found, "no such subscription");
  return *s;
}

}  // namespace

namespace registry_detail {

Instalment record_instalment(store::Tx& tx, const Ctx& ctx, repo::SubscriptionRow row,
                             const repo::MembershipRow& m, int64_t amount_minor) {
  AGORA_ASSERT(row.membership_id == m.id);
  auto sub = sub_rule(row);
  bool complete = members::pay(sub, amount_minor);
  int64_t payment_id = repo::insert_payment(tx, row.id, amount_minor, ctx.actor.person_id, ctx.now);
  row.paid_minor = sub.paid_minor;
  row.state = std::string(members::sub_state_name(sub.state));
  if (complete) {
    row.closed_at = ctx.now;
    int64_t balance = members::receive(m.shares, sub.shares);
    int64_t paid = checked_add(m.paid_minor, sub.amount_minor);
    repo::insert_register_entry(
        tx, repo::RegisterRow{.org_id = m.org_id,
                              .membership_id = m.id,
                              .kind = std::string(members::entry_kind_name(members::kind_for_paid(m.shares))),
                              .shares = sub.shares,
                              .amount_minor = sub.amount_minor,
                              .balance = balance,
                              .subscription_id = row.id,
                              .at = ctx.now});
    repo::update_holding(tx, m.id, balance, paid);
  }
  repo::update_subscription(tx, row);
  return Instalment{std::move(row), payment_id};
}

Instalment record_instalment(store::Tx& tx, const Ctx& ctx, int64_t subscription_id,
                             int64_t amount_minor) {
  auto row = repo::find_subscription(tx, subscription_id);
  AGORA_ASSERT(row.has_value());
  auto m = repo::find_membership(tx, row->membership_id);
  AGORA_ASSERT(m.has_value());
  return record_instalment(tx, ctx, std::move(*row), *m, amount_minor);
}

void post_sell_back(store::Tx& tx, const Ctx& ctx, const repo::MembershipRow& m,
                    int64_t register_entry_id, int64_t amount_minor) {
  post_share_capital(tx, ctx, m, false, amount_minor,
                     "sys:share-sellback:" + std::to_string(register_entry_id),
                     "Shares bought back from " + member_label(m) + " (register entry " +
                         std::to_string(register_entry_id) + ")");
}

}  // namespace registry_detail

Json subscribe_shares(store::Tx& tx, const Ctx& ctx, int64_t membership_id, int64_t shares) {
  auto m = load_membership(tx, membership_id);
  require_owner_or_coordinator(tx, ctx.actor, m, false);
  require_active(m);
  auto sub = members::subscribe(class_rule(m), shares);
  repo::SubscriptionRow row{.membership_id = m.id,
                            .shares = sub.shares,
                            .price_minor = sub.price_minor,
                            .amount_minor = sub.amount_minor,
                            .paid_minor = 0,
                            .state = std::string(members::sub_state_name(sub.state)),
                            .created_at = ctx.now};
  row.id = repo::insert_subscription(tx, row);
  return subscription_json(row, m.currency);
}

Json pay_subscription(store::Tx& tx, const Ctx& ctx, int64_t subscription_id, int64_t amount_minor) {
  auto row = load_subscription(tx, subscription_id);
  auto m = load_membership(tx, row.membership_id);
  require_signed_in(ctx.actor);
  if (!is_coordinator(tx, ctx.actor, m.org_id)) {
    throw Error(Code::forbidden, "only a coordinator records payments");
  }
  require_active(m);
  auto done = record_instalment(tx, ctx, std::move(row), m, amount_minor);
  // The member's money reaches the co-op's bank and becomes share capital.
  post_share_capital(tx, ctx, m, true, amount_minor,
                     "sys:share-payment:" + std::to_string(done.payment_id),
                     "Share instalment from " + member_label(m) + " (subscription " +
                         std::to_string(done.subscription.id) + ")");
  return subscription_json(done.subscription, m.currency);
}

Json cancel_subscription(store::Tx& tx, const Ctx& ctx, int64_t subscription_id) {
  auto row = load_subscription(tx, subscription_id);
  auto m = load_membership(tx, row.membership_id);
  require_owner_or_coordinator(tx, ctx.actor, m, false);
  auto sub = sub_rule(row);
  members::cancel(sub);
  row.state = std::string(members::sub_state_name(sub.state));
  row.closed_at = ctx.now;
  repo::update_subscription(tx, row);
  return subscription_json(row, m.currency);
}

Json membership_shares(store::Tx& tx, const Ctx& ctx, int64_t membership_id) {
  auto m = load_membership(tx, membership_id);
  require_owner_or_coordinator(tx, ctx.actor, m, true);
  Json reg = Json::array();
  for (const auto& r : repo::membership_register(tx, m.id, kShareListLimit)) {
    reg.push_back(register_json(r));
  }
  Json subs = Json::array();
  for (const auto& s : repo::list_subscriptions(tx, m.id, kShareListLimit)) {
    subs.push_back(subscription_json(s, m.currency));
  }
  return Json{{"membership_id", m.id},
              {"shares", m.shares},
              {"paid_minor", m.paid_minor},
              {"currency", m.currency},
              {"register", std::move(reg)},
              {"subscriptions", std::move(subs)}};
}

Json transfer_shares(store::Tx& tx, const Ctx& ctx, int64_t membership_id,
                     int64_t to_membership_id, int64_t shares) {
  auto from = load_membership(tx, membership_id);
  require_owner_or_coordinator(tx, ctx.actor, from, false);
  if (to_membership_id == membership_id) {
    throw Error(Code::rule_violation, "shares cannot be transferred to the same membership",
                "/to_membership_id");
  }
  auto to_row = repo::find_membership(tx, to_membership_id);
  if (!to_row) throw Error(Code::invalid_value, "no such membership", "/to_membership_id");
  auto to = *to_row;
  require_active(from);
  if (to.org_id != from.org_id || to.class_id != from.class_id) {
    throw Error(Code::rule_violation, "shares move only between members of the same co-op and class",
                "/to_membership_id");
  }
  if (status_of(to) != members::Status::active) {
    throw Error(Code::rule_violation, "the receiving membership is not active", "/to_membership_id");
  }
  int64_t to_balance = members::receive(to.shares, shares);
  // No ledger transfer: the members settle the price between themselves, so
  // no money moves through the co-op and its share capital stays the same.
  take_out(tx, ctx, from, shares, members::EntryKind::transfer_out, to.id);
  int64_t amount = checked_mul(shares, to.share_price_minor);
  repo::insert_register_entry(tx, repo::RegisterRow{
                                      .org_id = to.org_id,
                                      .membership_id = to.id,
                                      .kind = std::string(members::entry_kind_name(members::EntryKind::transfer_in)),
                                      .shares = shares,
                                      .amount_minor = amount,
                                      .balance = to_balance,
                                      .counterpart_membership_id = from.id,
                                      .at = ctx.now});
  repo::update_holding(tx, to.id, to_balance, checked_add(to.paid_minor, amount));
  return membership_json(load_membership(tx, membership_id));
}

Json sell_back_shares(store::Tx& tx, const Ctx& ctx, int64_t membership_id, int64_t shares) {
  auto m = load_membership(tx, membership_id);
  require_signed_in(ctx.actor);
  if (!is_coordinator(tx, ctx.actor, m.org_id)) {
    throw Error(Code::forbidden, "only a coordinator buys shares back");
  }
  require_active(m);
  auto out = take_out(tx, ctx, m, shares, members::EntryKind::sell_back, std::nullopt);
  // The co-op pays the nominal price back out of share capital.
  post_sell_back(tx, ctx, m, out.entry_id, out.amount_minor);
  return membership_json(load_membership(tx, membership_id));
}

Json org_share_register(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page) {
  if (page.limit < 1 || page.limit > 200) throw Error(Code::out_of_range, "limit must be 1..200", "/limit");
  require_signed_in(ctx.actor);
  load_org(tx, org_id);
  if (!is_coordinator_or_auditor(tx, ctx.actor, org_id)) {
    throw Error(Code::forbidden, "only a coordinator or auditor may read the share register");
  }
  auto rows = repo::org_register(tx, org_id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& r : rows) items.push_back(register_json(r));
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                   rows.empty() ? 0 : rows.back().id);
}

}  // namespace agora::app
