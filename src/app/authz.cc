#include "app/authz.h"

#include "app/auth.h"

#include <algorithm>
#include <optional>

#include "app/repo/auth_repo.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app {
namespace {

constexpr std::pair<Role, std::string_view> kRoles[] = {
    {Role::member, "member"},       {Role::coordinator, "coordinator"},
    {Role::worker_member, "worker_member"}, {Role::delegate, "delegate"},
    {Role::auditor, "auditor"},         {Role::treasurer, "treasurer"},
};

std::optional<Role> find_role(std::string_view s) {
  for (const auto& [r, name] : kRoles) {
    if (name == s) return r;
  }
  return std::nullopt;
}

// Roles that reach down from a federation to every organisation below it.
bool inherits(Role r) {
  return r == Role::coordinator || r == Role::auditor || r == Role::delegate;
}

bool wants(std::initializer_list<Role> roles, Role r) {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

}  // namespace

std::string_view role_name(Role r) {
  for (const auto& [role, name] : kRoles) {
    if (role == r) return name;
  }
  return "member";
}

Role parse_role(std::string_view s) {
  if (auto r = find_role(s)) return *r;
  throw Error(Code::invalid_value,
              "must be one of: member, coordinator, worker_member, delegate, auditor, treasurer", "/role");
}

bool has_role(store::Tx& tx, const Actor& actor, int64_t org_id, std::initializer_list<Role> roles) {
  if (actor.admin) return true;
  if (actor.person_id <= 0) return false;
  if (wants(roles, Role::member) && repo::is_active_member(tx, actor.person_id, org_id)) return true;
  bool any_granted = std::any_of(roles.begin(), roles.end(), [](Role r) { return r != Role::member; });
  if (!any_granted) return false;
  for (const auto& held : repo::grants_on_org_or_ancestors(tx, actor.person_id, org_id)) {
    auto r = find_role(held.role);
    if (!r || !wants(roles, *r)) continue;
    if (held.depth == 0 || inherits(*r)) return true;
  }
  return false;
}

void require_signed_in(const Actor& actor) {
  if (actor.anonymous()) throw Error(Code::unauthenticated, "sign in first");
}

void require_role(store::Tx& tx, const Actor& actor, int64_t org_id,
                  std::initializer_list<Role> roles) {
  require_signed_in(actor);
  if (!has_role(tx, actor, org_id, roles)) {
    std::string names;
    for (Role r : roles) {
      if (!names.empty()) names += " or ";
      names += role_name(r);
    }
    throw Error(Code::forbidden, "needs the role " + names + " in this organisation");
  }
}

std::vector<RoleGrant> roles_of(store::Tx& tx, int64_t person_id) {
  std::vector<RoleGrant> out;
  for (const auto& [org_id, name] : repo::active_member_orgs(tx, person_id)) {
    out.push_back(RoleGrant{.org_id = org_id, .role = Role::member});
  }
  for (const auto& g : repo::person_active_grants(tx, person_id)) {
    if (auto r = find_role(g.role)) out.push_back(RoleGrant{.org_id = g.org_id, .role = *r});
  }
  return out;
}

namespace {

Json grant_json(const repo::GrantRow& g) {
  return Json{{"id", g.id},
              {"org_id", g.org_id},
              {"person",
               {{"id", g.person_id}, {"given_name", g.given_name}, {"family_name", g.family_name}}},
              {"role", g.role},
              {"granted_at", format_iso8601(g.granted_at)}};
}

void require_org(store::Tx& tx, const Actor& actor, int64_t org_id) {
  require_signed_in(actor);
  if (!repo::org_exists(tx, org_id)) throw Error(Code::not_found, "no such organisation");
}

}  // namespace

Json list_role_grants(store::Tx& tx, const Ctx& ctx, int64_t org_id, int64_t after, int64_t limit) {
  require_org(tx, ctx.actor, org_id);
  require_role(tx, ctx.actor, org_id,
               {Role::member, Role::coordinator, Role::worker_member, Role::delegate, Role::auditor});
  auto rows = repo::list_active_grants(tx, org_id, after, limit + 1);
  Json items = Json::array();
  Json next_after;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (static_cast<int64_t>(i) == limit) {
      next_after = rows[i - 1].id;
      break;
    }
    items.push_back(grant_json(rows[i]));
  }
  return Json{{"items", std::move(items)}, {"next_after", std::move(next_after)}};
}

Json grant_role(store::Tx& tx, const Ctx& ctx, int64_t org_id, int64_t person_id, Role role) {
  require_org(tx, ctx.actor, org_id);
  require_role(tx, ctx.actor, org_id, {Role::coordinator});
  if (role == Role::member) {
    throw Error(Code::invalid_value, "member follows from an active membership", "/role");
  }
  if (!repo::person_exists(tx, person_id)) {
    throw Error(Code::not_found, "no such person", "/person_id");
  }
  std::string_view name = role_name(role);
  if (repo::active_grant_exists(tx, person_id, org_id, name)) {
    throw Error(Code::duplicate, "the person already holds this role here", "/role");
  }
  int64_t id = repo::insert_grant(tx, person_id, org_id, name, ctx.actor.account_id, ctx.now);
  auto g = repo::find_grant(tx, id);
  AGORA_ASSERT(g && g->org_id == org_id && g->person_id == person_id && !g->revoked_at);
  return grant_json(*g);
}

void revoke_role(store::Tx& tx, const Ctx& ctx, int64_t org_id, int64_t grant_id) {
  require_org(tx, ctx.actor, org_id);
  require_role(tx, ctx.actor, org_id, {Role::coordinator});
  auto g = repo::find_grant(tx, grant_id);
  if (!g || g->org_id != org_id) throw Error(Code::not_found, "no such role grant in this organisation");
  if (g->revoked_at) throw Error(Code::invalid_state, "this role grant is already revoked");
  int64_t changed = repo::revoke_grant(tx, grant_id, ctx.actor.account_id, ctx.now);
  AGORA_ASSERT(changed == 1);
}

}  // namespace agora::app
