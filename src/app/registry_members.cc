// The membership lifecycle: applications, admission, rejection, leaving,
// expulsion, the member lists and a membership's history.
#include <string>

#include "app/authz.h"
#include "app/registry.h"
#include "app/registry_internal.h"
#include "core/assert.h"
#include "core/error.h"
#include "members/org.h"
#include "members/shares.h"

namespace agora::app {

using namespace registry_detail;

namespace {


void check_reason(const std::optional<std::string>& reason) {
  if (reason) check_len(*reason, 0, 2000, "/reason");
}

// A list entry. Private fields (email, phone, holdings, message) only for
// coordinators and auditors.
Json member_item(const repo::MembershipRow& m, bool with_private) {
  Json person = nullptr;
  Json member_org = nullptr;
  if (m.person_id) {
    person = Json{{"id", *m.person_id}, {"given_name", m.given_name}, {"family_name", m.family_name}};
    if (with_private) {
      person["email"] = m.email ? Json(*m.email) : Json(nullptr);
      person["phone"] = m.phone ? Json(*m.phone) : Json(nullptr);
    }
  } else {
    member_org = Json{{"id", *m.member_org_id}, {"name", m.member_org_name}};
  }
  Json item{{"id", m.id},
            {"status", m.status},
            {"member_number", m.member_number ? Json(*m.member_number) : Json(nullptr)},
            {"class", {{"code", m.class_code}, {"name", m.class_name}}},
            {"person", person},
            {"member_org", member_org}};
  if (with_private) {
    item["shares"] = m.shares;
    item["requested_shares"] = m.requested_shares;
    item["message"] = m.message ? Json(*m.message) : Json(nullptr);
    item["applied_at"] = iso(m.applied_at);
  }
  return item;
}

Json member_page(const std::vector<repo::MembershipRow>& rows, PageReq page, bool with_private) {
  Json items = Json::array();
  for (const auto& m : rows) items.push_back(member_item(m, with_private));
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                   rows.empty() ? 0 : rows.back().id);
}

// Sells back every remaining share and cancels waiting subscriptions: a
// member who leaves or is expelled holds nothing afterwards.
void wind_up_holding(store::Tx& tx, const Ctx& ctx, repo::MembershipRow& m) {
  for (auto s : repo::waiting_subscriptions(tx, m.id)) {
    members::Subscription sub{s.shares, s.price_minor, s.amount_minor, s.paid_minor,
                              members::SubState::waiting};
    members::cancel(sub);
    s.state = std::string(members::sub_state_name(sub.state));
    s.closed_at = ctx.now;
    repo::update_subscription(tx, s);
  }
  if (m.shares == 0) return;
  auto r = members::reduce(class_rule(m), m.shares, m.shares);
  AGORA_ASSERT(r.becomes_former && r.remaining == 0);
  int64_t entry = repo::insert_register_entry(tx, repo::RegisterRow{.org_id = m.org_id,
                                                    .membership_id = m.id,
                                                    .kind = std::string(members::entry_kind_name(
                                                        members::EntryKind::sell_back)),
                                                    .shares = -m.shares,
                                                    .amount_minor = -r.amount_minor,
                                                    .balance = 0,
                                                    .at = ctx.now});
  post_sell_back(tx, ctx, m, entry, r.amount_minor);
  m.shares = 0;
  m.paid_minor = 0;
  repo::update_holding(tx, m.id, 0, 0);
}

Json end_membership(store::Tx& tx, const Ctx& ctx, int64_t membership_id, members::Transition t,
                    const std::optional<std::string>& reason) {
  check_reason(reason);
  auto m = load_membership(tx, membership_id);
  auto ev = members::transition(status_of(m), t);
  if (t != members::Transition::admit) wind_up_holding(tx, ctx, m);
  record_transition(tx, ctx, m, ev, reason);
  return membership_json(load_membership(tx, membership_id));
}

void require_coordinator_of(store::Tx& tx, const Ctx& ctx, int64_t org_id) {
  require_signed_in(ctx.actor);
  if (!is_coordinator(tx, ctx.actor, org_id)) {
    throw Error(Code::forbidden, "only a coordinator of the co-op may do this");
  }
}

}  // namespace

Json apply_for_membership(store::Tx& tx, const Ctx& ctx, int64_t org_id, const ApplicationInput& in) {
  require_signed_in(ctx.actor);
  auto org = load_org(tx, org_id);
  if (in.message) check_len(*in.message, 0, 2000, "/message");
  check_len(in.class_code, 1, 32, "/class");
  std::optional<int64_t> person_id;
  std::optional<int64_t> member_org_id;
  if (in.member_org_id) {
    if (in.person_id) throw Error(Code::invalid_value, "apply for a person or an organisation, not both", "/member_org_id");
    if (*in.member_org_id == org_id) {
      throw Error(Code::rule_violation, "an organisation cannot be its own member", "/member_org_id");
    }
    if (!repo::find_org(tx, *in.member_org_id)) {
      throw Error(Code::invalid_value, "no such organisation", "/member_org_id");
    }
    if (!is_coordinator(tx, ctx.actor, *in.member_org_id)) {
      throw Error(Code::forbidden, "only a coordinator of an organisation may apply for it");
    }
    member_org_id = in.member_org_id;
  } else if (in.person_id) {
    if (!is_coordinator(tx, ctx.actor, org_id)) {
      throw Error(Code::forbidden, "only a coordinator may enrol another person");
    }
    if (!repo::find_person(tx, *in.person_id)) {
      throw Error(Code::invalid_value, "no such person", "/person_id");
    }
    person_id = in.person_id;
  } else {
    if (ctx.actor.person_id == 0) {
      throw Error(Code::invalid_value, "this account has no person to apply for");
    }
    person_id = ctx.actor.person_id;
  }
  auto cls = repo::find_class_by_code(tx, org_id, in.class_code);
  if (!cls) throw Error(Code::invalid_value, "this organisation has no such member class", "/class");
  members::MemberClass rule{cls->share_price_minor, cls->min_shares};
  auto ev = members::apply(members::parse_admission(org.admission), rule, in.shares);
  auto sub = members::subscribe(rule, in.shares);
  if (repo::open_membership_exists(tx, org_id, person_id, member_org_id)) {
    throw Error(Code::duplicate, "already a member of, or applying to, this organisation");
  }

  repo::MembershipRow m;
  m.org_id = org_id;
  m.person_id = person_id;
  m.member_org_id = member_org_id;
  m.class_id = cls->id;
  m.status = std::string(members::status_name(members::Status::applied));
  m.requested_shares = in.shares;
  m.message = in.message;
  m.applied_at = ctx.now;
  m.id = repo::insert_membership(tx, m);
  auto actor_person = ctx.actor.person_id ? std::optional<int64_t>(ctx.actor.person_id) : std::nullopt;
  repo::insert_event(tx, repo::EventRow{.membership_id = m.id,
                                        .kind = std::string(members::transition_name(ev.kind)),
                                        .from_status = std::nullopt,
                                        .to_status = m.status,
                                        .reason = std::nullopt,
                                        .actor_person_id = actor_person,
                                        .at = ctx.now});
  repo::insert_subscription(tx, repo::SubscriptionRow{
                                    .membership_id = m.id,
                                    .shares = sub.shares,
                                    .price_minor = sub.price_minor,
                                    .amount_minor = sub.amount_minor,
                                    .paid_minor = 0,
                                    .state = std::string(members::sub_state_name(sub.state)),
                                    .created_at = ctx.now});
  if (ev.to == members::Status::active) {
    // The co-op admits automatically: the admission is its own event.
    record_transition(tx, ctx, m, members::transition(members::Status::applied, members::Transition::admit),
                      std::string("automatic admission"));
  }
  return membership_json(load_membership(tx, m.id));
}

Json admit_member(store::Tx& tx, const Ctx& ctx, int64_t membership_id) {
  auto m = load_membership(tx, membership_id);
  require_coordinator_of(tx, ctx, m.org_id);
  return end_membership(tx, ctx, membership_id, members::Transition::admit, std::nullopt);
}

Json reject_application(store::Tx& tx, const Ctx& ctx, int64_t membership_id,
                        const std::optional<std::string>& reason) {
  auto m = load_membership(tx, membership_id);
  require_coordinator_of(tx, ctx, m.org_id);
  return end_membership(tx, ctx, membership_id, members::Transition::reject, reason);
}

Json expel_member(store::Tx& tx, const Ctx& ctx, int64_t membership_id,
                  const std::optional<std::string>& reason) {
  auto m = load_membership(tx, membership_id);
  require_coordinator_of(tx, ctx, m.org_id);
  return end_membership(tx, ctx, membership_id, members::Transition::expel, reason);
}

Json leave_membership(store::Tx& tx, const Ctx& ctx, int64_t membership_id) {
  auto m = load_membership(tx, membership_id);
  require_owner_or_coordinator(tx, ctx.actor, m, false);
  return end_membership(tx, ctx, membership_id, members::Transition::leave, std::nullopt);
}

Json get_membership(store::Tx& tx, const Ctx& ctx, int64_t membership_id) {
  auto m = load_membership(tx, membership_id);
  require_owner_or_coordinator(tx, ctx.actor, m, true);
  return membership_json(m);
}

Json membership_events(store::Tx& tx, const Ctx& ctx, int64_t membership_id, PageReq page) {
  check_page(page);
  auto m = load_membership(tx, membership_id);
  require_owner_or_coordinator(tx, ctx.actor, m, true);
  auto rows = repo::list_events(tx, membership_id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& e : rows) {
    items.push_back(Json{{"id", e.id},
                         {"kind", e.kind},
                         {"from_status", e.from_status ? Json(*e.from_status) : Json(nullptr)},
                         {"to_status", e.to_status},
                         {"reason", e.reason ? Json(*e.reason) : Json(nullptr)},
                         {"actor_person_id", e.actor_person_id ? Json(*e.actor_person_id) : Json(nullptr)},
                         {"at", iso(e.at)}});
  }
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                   rows.empty() ? 0 : rows.back().id);
}

Json list_members(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& status,
                  PageReq page) {
  check_page(page);
  if (!status.empty()) members::parse_status(status);
  require_signed_in(ctx.actor);
  load_org(tx, org_id);
  if (is_coordinator_or_auditor(tx, ctx.actor, org_id)) {
    return member_page(repo::list_memberships(tx, org_id, status, page.after, page.limit), page, true);
  }
  if (!has_role(tx, ctx.actor, org_id, {Role::member})) {
    throw Error(Code::forbidden, "only members of the co-op may see its members");
  }
  // A plain member sees fellow active members' names and numbers, nothing else.
  if (!status.empty() && status != "active") {
    throw Error(Code::forbidden, "members see only active members");
  }
  return member_page(repo::list_memberships(tx, org_id, "active", page.after, page.limit), page,
                     false);
}

Json list_applications(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page) {
  check_page(page);
  require_signed_in(ctx.actor);
  load_org(tx, org_id);
  if (!is_coordinator_or_auditor(tx, ctx.actor, org_id)) {
    throw Error(Code::forbidden, "only a coordinator may see applications");
  }
  return member_page(repo::list_memberships(tx, org_id, "applied", page.after, page.limit), page,
                     true);
}

Json person_memberships(store::Tx& tx, int64_t person_id) {
  Json out = Json::array();
  for (const auto& m : repo::memberships_of_person(tx, person_id)) {
    out.push_back(Json{{"id", m.id},
                       {"org", {{"id", m.org_id}, {"name", m.org_name}, {"kind", m.org_kind}}},
                       {"status", m.status},
                       {"class", {{"code", m.class_code}, {"name", m.class_name}}},
                       {"member_number", m.member_number ? Json(*m.member_number) : Json(nullptr)},
                       {"shares", m.shares}});
  }
  return out;
}

}  // namespace agora::app
