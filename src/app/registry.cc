// Organisations, member classes and persons; the registry's shared helpers.
#include "app/registry.h"

#include <algorithm>
#include <map>

#include "app/authz.h"
#include "app/registry_internal.h"
#include "core/assert.h"
#include "core/error.h"
#include "members/org.h"

namespace agora::app {
namespace registry_detail {

repo::OrgRow load_org(store::Tx& tx, int64_t org_id) {
  auto org = repo::find_org(tx, org_id);
  if (!org) throw Error(Code::not_found, "no such organisation");
  return *org;
}

repo::MembershipRow load_membership(store::Tx& tx, int64_t membership_id) {
  auto m = repo::find_membership(tx, membership_id);
  if (!m) throw Error(Code::not_found, "no such membership");
  return *m;
}

bool is_coordinator(store::Tx& tx, const Actor& actor, int64_t org_id) {
  if (actor.admin) return true;
  if (actor.anonymous()) return false;
  return has_role(tx, actor, org_id, {Role::coordinator});
}

bool is_coordinator_or_auditor(store::Tx& tx, const Actor& actor, int64_t org_id) {
  if (actor.admin) return true;
  if (actor.anonymous()) return false;
  return has_role(tx, actor, org_id, {Role::coordinator, Role::auditor});
}

bool is_owner(store::Tx& tx, const Actor& actor, const repo::MembershipRow& m) {
  if (actor.anonymous()) return false;
  if (m.person_id) return actor.person_id != 0 && *m.person_id == actor.person_id;
  return is_coordinator(tx, actor, *m.member_org_id);
}

void require_owner_or_coordinator(store::Tx& tx, const Actor& actor, const repo::MembershipRow& m,
                                  bool auditor_ok) {
  require_signed_in(actor);
  if (is_owner(tx, actor, m)) return;
  bool ok = auditor_ok ? is_coordinator_or_auditor(tx, actor, m.org_id)
                       : is_coordinator(tx, actor, m.org_id);
  if (!ok) throw Error(Code::forbidden, "only the member or a coordinator of the co-op may do this");
}


members::MemberClass class_rule(const repo::MembershipRow& m) {
  return members::MemberClass{.share_price_minor = m.share_price_minor, .min_shares = m.min_shares};
}

members::Status status_of(const repo::MembershipRow& m) {
  return members::parse_status(m.status);
}

void record_transition(store::Tx& tx, const Ctx& ctx, repo::MembershipRow& m,
                       const members::Event& ev, const std::optional<std::string>& reason) {
  AGORA_ASSERT(ev.from.has_value() && std::string(members::status_name(*ev.from)) == m.status);
  bool was_active = *ev.from == members::Status::active;
  bool now_active = ev.to == members::Status::active;
  m.status = std::string(members::status_name(ev.to));
  if (now_active && !was_active) {
    auto org = load_org(tx, m.org_id);
    int64_t next = org.next_member_number;
    m.member_number = members::take_member_number(next);
    repo::set_next_member_number(tx, m.org_id, next);
    m.admitted_at = ctx.now;
  }
  if (!now_active && was_active) m.ended_at = ctx.now;
  if (ev.to == members::Status::rejected) m.ended_at = ctx.now;
  repo::update_membership_status(tx, m);
  if (now_active != was_active) repo::add_member_count(tx, m.org_id, now_active ? 1 : -1);
  repo::insert_event(tx, repo::EventRow{
                             .membership_id = m.id,
                             .kind = std::string(members::transition_name(ev.kind)),
                             .from_status = std::string(members::status_name(*ev.from)),
                             .to_status = m.status,
                             .reason = reason,
                             .actor_person_id = ctx.actor.person_id ? std::optional<int64_t>(ctx.actor.person_id) : std::nullopt,
                             .at = ctx.now});
}



Json membership_json(const repo::MembershipRow& m) {
  Json person = nullptr;
  Json member_org = nullptr;
  if (m.person_id) {
    person = Json{{"id", *m.person_id},
                  {"given_name", m.given_name},
                  {"family_name", m.family_name},
                  {"email", opt_json(m.email)},
                  {"phone", opt_json(m.phone)}};
  } else {
    member_org = Json{{"id", *m.member_org_id}, {"name", m.member_org_name}};
  }
  return Json{{"id", m.id},
              {"org", {{"id", m.org_id}, {"name", m.org_name}, {"kind", m.org_kind}}},
              {"person", person},
              {"member_org", member_org},
              {"class", {{"id", m.class_id}, {"code", m.class_code}, {"name", m.class_name}}},
              {"status", m.status},
              {"member_number", opt_json(m.member_number)},
              {"requested_shares", m.requested_shares},
              {"shares", m.shares},
              {"paid_minor", m.paid_minor},
              {"currency", m.currency},
              {"message", opt_json(m.message)},
              {"applied_at", iso(m.applied_at)},
              {"admitted_at", iso(m.admitted_at)},
              {"ended_at", iso(m.ended_at)}};
}

Json subscription_json(const repo::SubscriptionRow& s, const std::string& currency) {
  return Json{{"id", s.id},
              {"membership_id", s.membership_id},
              {"state", s.state},
              {"shares", s.shares},
              {"price_minor", s.price_minor},
              {"amount_minor", s.amount_minor},
              {"paid_minor", s.paid_minor},
              {"currency", currency},
              {"created_at", iso(s.created_at)},
              {"closed_at", iso(s.closed_at)}};
}

Json register_json(const repo::RegisterRow& r) {
  return Json{{"id", r.id},
              {"membership_id", r.membership_id},
              {"member_number", opt_json(r.member_number)},
              {"kind", r.kind},
              {"shares", r.shares},
              {"amount_minor", r.amount_minor},
              {"balance", r.balance},
              {"counterpart_membership_id", opt_json(r.counterpart_membership_id)},
              {"subscription_id", opt_json(r.subscription_id)},
              {"at", iso(r.at)}};
}


}  // namespace registry_detail

using namespace registry_detail;

namespace {


Json org_summary(const repo::OrgRow& o) {
  return Json{{"id", o.id},
              {"parent_id", o.parent_id ? Json(*o.parent_id) : Json(nullptr)},
              {"kind", o.kind},
              {"name", o.name},
              {"slug", o.slug},
              {"territory", o.territory},
              {"counts", {{"children", o.child_count}, {"members", o.member_count}}}};
}

Json class_json(const repo::ClassRow& c) {
  return Json{{"id", c.id},
              {"code", c.code},
              {"name", c.name},
              {"share_price_minor", c.share_price_minor},
              {"min_shares", c.min_shares}};
}

Json org_list(const std::vector<repo::OrgRow>& rows, PageReq page) {
  Json items = Json::array();
  for (const auto& o : rows) items.push_back(org_summary(o));
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                   rows.empty() ? 0 : rows.back().id);
}

// The parent's chain of ancestors, starting with the parent itself.
std::vector<int64_t> parent_chain(store::Tx& tx, int64_t parent_id) {
  std::vector<int64_t> chain{parent_id};
  for (const auto& a : repo::ancestors(tx, parent_id, members::kMaxNestingDepth + 1)) {
    chain.push_back(a.id);
  }
  return chain;
}

}  // namespace

int64_t create_person(store::Tx& tx, const Ctx& ctx, const PersonInput& in) {
  check_len(in.given_name, 1, 100, "/given_name");
  check_len(in.family_name, 0, 100, "/family_name");
  if (in.locale != "en" && in.locale != "es" && in.locale != "pt") {
    throw Error(Code::invalid_value, "locale must be en, es or pt", "/locale");
  }
  repo::PersonRow p{.given_name = in.given_name,
                    .family_name = in.family_name,
                    .email = std::nullopt,
                    .phone = in.phone,
                    .locale = in.locale};
  if (in.email) {
    check_len(*in.email, 3, 254, "/email");
    std::string lower = *in.email;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto at = lower.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == lower.size() ||
        lower.find_first_of(" \t\r\n") != std::string::npos) {
      throw Error(Code::invalid_value, "not an email address", "/email");
    }
    if (repo::person_email_taken(tx, lower)) {
      throw Error(Code::duplicate, "a person with this email already exists", "/email");
    }
    p.email = lower;
  }
  if (in.phone) check_len(*in.phone, 3, 40, "/phone");
  return repo::insert_person_row(tx, p, ctx.now);
}

Json create_org(store::Tx& tx, const Ctx& ctx, const OrgInput& in) {
  require_signed_in(ctx.actor);
  auto kind = members::parse_kind(in.kind);
  check_len(in.name, 1, 200, "/name");
  members::check_slug(in.slug);
  check_len(in.territory, 0, 200, "/territory");
  members::parse_admission(in.admission);
  members::check_currency(in.currency);
  if (in.parent_id) {
    auto parent = repo::find_org(tx, *in.parent_id);
    if (!parent) throw Error(Code::invalid_value, "no such parent organisation", "/parent_id");
    if (!is_coordinator(tx, ctx.actor, parent->id)) {
      throw Error(Code::forbidden, "only a coordinator of the parent may add an organisation");
    }
    members::check_parent_kind(members::parse_kind(parent->kind));
    members::check_no_cycle(0, parent_chain(tx, parent->id));
  } else {
    if (!ctx.actor.admin) throw Error(Code::forbidden, "only a platform admin may add a root federation");
    if (kind != members::OrgKind::federation && kind != members::OrgKind::secondary) {
      throw Error(Code::rule_violation, "an organisation without a parent must be a federation",
                  "/kind");
    }
  }
  if (repo::slug_taken(tx, in.slug, 0)) {
    throw Error(Code::duplicate, "an organisation with this slug already exists", "/slug");
  }
  repo::OrgRow row{.id = 0,
                   .parent_id = in.parent_id,
                   .kind = in.kind,
                   .name = in.name,
                   .slug = in.slug,
                   .territory = in.territory,
                   .admission = in.admission,
                   .currency = in.currency};
  int64_t id = repo::insert_org(tx, row, ctx.now);
  if (in.parent_id) repo::add_child_count(tx, *in.parent_id, 1);
  return get_org(tx, ctx, id);
}

Json update_org(store::Tx& tx, const Ctx& ctx, int64_t org_id, const OrgPatch& in) {
  require_signed_in(ctx.actor);
  auto org = load_org(tx, org_id);
  if (!is_coordinator(tx, ctx.actor, org_id)) {
    throw Error(Code::forbidden, "only a coordinator may change an organisation");
  }
  if (in.name) {
    check_len(*in.name, 1, 200, "/name");
    org.name = *in.name;
  }
  if (in.territory) {
    check_len(*in.territory, 0, 200, "/territory");
    org.territory = *in.territory;
  }
  if (in.admission) {
    members::parse_admission(*in.admission);
    org.admission = *in.admission;
  }
  std::optional<int64_t> old_parent = org.parent_id;
  if (in.parent_id && in.parent_id != org.parent_id) {
    auto parent = repo::find_org(tx, *in.parent_id);
    if (!parent) throw Error(Code::invalid_value, "no such parent organisation", "/parent_id");
    if (!is_coordinator(tx, ctx.actor, parent->id)) {
      throw Error(Code::forbidden, "only a coordinator of the new parent may move an organisation here");
    }
    members::check_parent_kind(members::parse_kind(parent->kind));
    members::check_no_cycle(org_id, parent_chain(tx, parent->id));
    org.parent_id = parent->id;
  }
  repo::update_org(tx, org);
  if (org.parent_id != old_parent) {
    if (old_parent) repo::add_child_count(tx, *old_parent, -1);
    repo::add_child_count(tx, *org.parent_id, 1);
  }
  return get_org(tx, ctx, org_id);
}

Json get_org(store::Tx& tx, const Ctx&, int64_t org_id) {
  auto found = repo::find_org_with_classes(tx, org_id);
  if (!found) throw Error(Code::not_found, "no such organisation");
  const auto& [o, classes] = *found;
  Json cls = Json::array();
  for (const auto& c : classes) cls.push_back(class_json(c));
  Json path = Json::array();
  if (o.parent_id) {
    for (const auto& a : repo::ancestors(tx, o.id, members::kMaxNestingDepth)) {
      path.push_back(Json{{"id", a.id}, {"name", a.name}});
    }
  }
  return Json{{"id", o.id},
              {"parent_id", o.parent_id ? Json(*o.parent_id) : Json(nullptr)},
              {"kind", o.kind},
              {"name", o.name},
              {"slug", o.slug},
              {"territory", o.territory},
              {"admission", o.admission},
              {"currency", o.currency},
              {"classes", std::move(cls)},
              {"path", std::move(path)},
              {"counts", {{"children", o.child_count}, {"members", o.member_count}}}};
}

Json list_federations(store::Tx& tx, const Ctx&, PageReq page) {
  check_page(page);
  return org_list(repo::list_roots(tx, page.after, page.limit), page);
}

Json list_children(store::Tx& tx, const Ctx&, int64_t org_id, PageReq page) {
  check_page(page);
  load_org(tx, org_id);
  return org_list(repo::list_children(tx, org_id, page.after, page.limit), page);
}

Json org_tree(store::Tx& tx, const Ctx&, int64_t org_id, int depth) {
  if (depth < 1 || depth > members::kMaxTreeDepth) {
    throw Error(Code::out_of_range, "depth must be 1..6", "/depth");
  }
  constexpr int64_t kMaxNodes = 20000;
  auto nodes = repo::subtree(tx, org_id, depth, kMaxNodes);
  if (nodes.empty()) throw Error(Code::not_found, "no such organisation");
  if (static_cast<int64_t>(nodes.size()) > kMaxNodes) {
    throw Error(Code::out_of_range, "the tree is too large at this depth; ask for less", "/depth");
  }
  // Rows come ordered by depth then id: build children lists bottom-up.
  std::map<int64_t, Json> built;
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    Json node{{"id", it->id}, {"name", it->name}, {"kind", it->kind}, {"children", Json::array()}};
    auto kids = built.find(it->id);
    if (kids != built.end()) {
      // Collected in reverse id order; restore ascending order.
      auto& arr = kids->second;
      std::reverse(arr.begin(), arr.end());
      node["children"] = std::move(arr);
      built.erase(kids);
    }
    if (it->depth == 0) return node;
    built[*it->parent_id].push_back(std::move(node));
  }
  AGORA_ASSERT(false);
  return Json();
}

Json list_classes(store::Tx& tx, const Ctx&, int64_t org_id) {
  load_org(tx, org_id);
  Json items = Json::array();
  for (const auto& c : repo::list_classes(tx, org_id)) items.push_back(class_json(c));
  return page_json(std::move(items), false, 0);
}

Json create_class(store::Tx& tx, const Ctx& ctx, int64_t org_id, const ClassInput& in) {
  require_signed_in(ctx.actor);
  load_org(tx, org_id);
  if (!is_coordinator(tx, ctx.actor, org_id)) {
    throw Error(Code::forbidden, "only a coordinator may add a member class");
  }
  members::check_class(in.code, members::MemberClass{in.share_price_minor, in.min_shares});
  check_len(in.name, 1, 100, "/name");
  if (repo::find_class_by_code(tx, org_id, in.code)) {
    throw Error(Code::duplicate, "this organisation already has a class with this code", "/code");
  }
  repo::ClassRow c{.id = 0,
                   .org_id = org_id,
                   .code = in.code,
                   .name = in.name,
                   .share_price_minor = in.share_price_minor,
                   .min_shares = in.min_shares};
  c.id = repo::insert_class(tx, c, ctx.now);
  return class_json(c);
}

}  // namespace agora::app
