#pragma once
// SQL for accounts, sessions, granted roles and failed logins (tables of
// migration 0003_security.sql). Plain functions over a transaction; no rules.
// Thread-safe: stateless; each call uses only the Tx it is given.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace agora::app::repo {

struct AccountRow {
  int64_t id = 0;
  int64_t person_id = 0;
  std::string email;
  std::string password_hash;
  bool admin = false;
};

std::optional<AccountRow> find_account_by_email(store::Tx& tx, std::string_view email);
std::optional<AccountRow> find_account(store::Tx& tx, int64_t account_id);
std::optional<AccountRow> find_account_by_person(store::Tx& tx, int64_t person_id);
int64_t insert_account(store::Tx& tx, int64_t person_id, std::string_view email,
                       std::string_view password_hash, bool admin, Timestamp now);

// Person rows belong to the registry (0002_registry.sql, app/registry.h
// create_person); accounts only look them up.
std::optional<int64_t> find_person_by_email(store::Tx& tx, std::string_view email);
bool person_exists(store::Tx& tx, int64_t person_id);
bool org_exists(store::Tx& tx, int64_t org_id);

// Failed logins since `since`.
int64_t count_failures_for_account(store::Tx& tx, int64_t account_id, Timestamp since);
int64_t count_failures_for_address(store::Tx& tx, std::string_view address, Timestamp since);
// Records one failure and drops this account's and address's rows older than
// `prune_before`, so the table stays as small as the window.
void insert_failure(store::Tx& tx, std::optional<int64_t> account_id, std::string_view address,
                    Timestamp now, Timestamp prune_before);
void clear_account_failures(store::Tx& tx, int64_t account_id);

struct SessionRow {
  int64_t account_id = 0;
  int64_t person_id = 0;
  bool admin = false;
  Timestamp expires_at;
  Timestamp last_seen_at;
};
void insert_session(store::Tx& tx, std::string_view token_hash, int64_t account_id, Timestamp now,
                    Timestamp expires_at);
std::optional<SessionRow> find_session(store::Tx& tx, std::string_view token_hash);
void touch_session(store::Tx& tx, std::string_view token_hash, Timestamp now, Timestamp expires_at);
int64_t delete_session(store::Tx& tx, std::string_view token_hash);
// Drops this account's sessions that expired before `now`.
void delete_expired_sessions(store::Tx& tx, int64_t account_id, Timestamp now);

struct GrantRow {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t org_id = 0;
  std::string role;
  std::optional<int64_t> granted_by;
  Timestamp granted_at;
  std::optional<Timestamp> revoked_at;
  std::string given_name;   // of the person holding the role
  std::string family_name;
  std::string org_name;
};
int64_t insert_grant(store::Tx& tx, int64_t person_id, int64_t org_id, std::string_view role,
                     int64_t granted_by, Timestamp now);
std::optional<GrantRow> find_grant(store::Tx& tx, int64_t grant_id);
bool active_grant_exists(store::Tx& tx, int64_t person_id, int64_t org_id, std::string_view role);
// Active grants on one org, ordered by id, after `after`, at most `limit`.
std::vector<GrantRow> list_active_grants(store::Tx& tx, int64_t org_id, int64_t after,
                                         int64_t limit);
// Active grants a person holds anywhere, ordered by org then role.
std::vector<GrantRow> person_active_grants(store::Tx& tx, int64_t person_id);
// Returns rows changed (0 when already revoked).
int64_t revoke_grant(store::Tx& tx, int64_t grant_id, int64_t revoked_by, Timestamp now);

// Active grants the person holds on `org_id` or on any of its ancestors,
// as (org_id, role) with the org's distance from `org_id` (0 = itself).
struct HeldRole {
  int64_t org_id = 0;
  std::string role;
  int depth = 0;
};
std::vector<HeldRole> grants_on_org_or_ancestors(store::Tx& tx, int64_t person_id, int64_t org_id);
bool is_active_member(store::Tx& tx, int64_t person_id, int64_t org_id);
// Orgs where the person has an active membership, ordered by id.
std::vector<std::pair<int64_t, std::string>> active_member_orgs(store::Tx& tx, int64_t person_id);

}  // namespace agora::app::repo
