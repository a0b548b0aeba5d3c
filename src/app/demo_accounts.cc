#include "app/demo_accounts.h"

#include "app/repo/auth_repo.h"
#include "core/error.h"

namespace agora::app::demo {

int64_t insert_account_with_hash(store::Tx& tx, int64_t person_id, std::string_view email,
                                 std::string_view password_hash, bool admin, Timestamp at) {
  if (repo::find_account_by_email(tx, email)) {
    throw Error(Code::duplicate, "an account with this email already exists", "/email");
  }
  return repo::insert_account(tx, person_id, email, password_hash, admin, at);
}

void grant_role(store::Tx& tx, int64_t person_id, int64_t org_id, std::string_view role,
                int64_t granted_by_account, Timestamp at) {
  if (repo::active_grant_exists(tx, person_id, org_id, role)) return;
  repo::insert_grant(tx, person_id, org_id, role, granted_by_account, at);
}

}  // namespace agora::app::demo
