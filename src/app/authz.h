#pragma once
// Roles per co-op and per federation, and the checks every use case makes.
// A role held on a federation applies to the organisations below it.
// "member" is held by every active member; other roles are granted.
// Thread-safe: pure functions over a transaction.

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "store/database.h"

namespace agora::app {

// treasurer keeps an organisation's books (app/ledger.h); held on the org itself.
enum class Role { member, coordinator, worker_member, delegate, auditor, treasurer };
std::string_view role_name(Role r);
Role parse_role(std::string_view s);  // Error(invalid_value)

// True if the actor is admin or holds any of `roles` on org_id or one of its
// ancestors (coordinator/auditor/delegate inherit down the tree; member and
// worker_member apply to the org itself only).
bool has_role(store::Tx& tx, const Actor& actor, int64_t org_id, std::initializer_list<Role> roles);
// Throws Error(unauthenticated) for an anonymous actor, Error(forbidden) otherwise.
void require_role(store::Tx& tx, const Actor& actor, int64_t org_id,
                  std::initializer_list<Role> roles);
void require_signed_in(const Actor& actor);

struct RoleGrant {
  int64_t org_id;
  Role role;
};
std::vector<RoleGrant> roles_of(store::Tx& tx, int64_t person_id);

}  // namespace agora::app
