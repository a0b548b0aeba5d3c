#pragma once
// The demo loader's writes to the security tables (accounts, role grants),
// kept apart from demo.cc so that file sees only the registry's repository.
// Thread-safe: stateless functions over the given transaction.

#include <cstdint>
#include <string_view>

#include "core/clock.h"
#include "store/database.h"

namespace agora::app::demo {

// An account with an already computed password hash (so a whole demo costs
// one argon2id run). Error(duplicate) when the email has an account.
int64_t insert_account_with_hash(store::Tx& tx, int64_t person_id, std::string_view email,
                                 std::string_view password_hash, bool admin, Timestamp at);

void grant_role(store::Tx& tx, int64_t person_id, int64_t org_id, std::string_view role,
                int64_t granted_by_account, Timestamp at);

}  // namespace agora::app::demo
