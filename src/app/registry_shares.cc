// Share capital: subscriptions and their instalments, the share register,
// transfers and sell-backs (members/shares.h holds the rules).
#include <string>

#include "app/authz.h"
#include "app/registry.h"
#include "app/registry_internal.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"
#include "members/shares.h"

namespace agora::app {

using namespace registry_detail;

namespace {

constexpr int64_t kShareListLimit = 200;

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
// transfer); m becomes a former member when nothing is left.
void take_out(store::Tx& tx, const Ctx& ctx, repo::MembershipRow& m, int64_t shares,
              members::EntryKind kind, std::optional<int64_t> counterpart) {
  auto r = members::reduce(class_rule(m), m.shares, shares);
  repo::insert_register_entry(tx, repo::RegisterRow{.org_id = m.org_id,
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
}

repo::SubscriptionRow load_subscription(store::Tx& tx, int64_t id) {
  auto s = repo::find_subscription(tx, id);
  if (!s) throw Error(Code::not_found, "no such subscription");
  return *s;
}

}  // namespace

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
  auto sub = sub_rule(row);
  bool complete = members::pay(sub, amount_minor);
  repo::insert_payment(tx, row.id, amount_minor, ctx.actor.person_id, ctx.now);
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
  return subscription_json(row, m.currency);
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
  take_out(tx, ctx, m, shares, members::EntryKind::sell_back, std::nullopt);
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
