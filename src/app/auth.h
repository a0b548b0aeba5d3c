#pragma once
// Accounts, passwords (argon2id via libsodium) and sessions (random 256-bit
// tokens, stored only as a BLAKE2b hash). Failed logins are rate-limited per
// account and per client address.
// Thread-safe: functions over App; state lives in the database.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/app.h"
#include "app/authz.h"

namespace agora::app {

inline constexpr std::string_view kSessionCookie = "agora_session";

struct Session {
  std::string token;  // hex, 64 chars; returned once, never stored in clear
  int64_t account_id = 0;
  int64_t person_id = 0;
  Timestamp expires_at;
};

// Password hashing; the hash string is libsodium's self-describing format.
std::string hash_password(std::string_view password);
bool check_password(std::string_view hash, std::string_view password);

// Creates an account for an existing person (email is the login).
// Error(duplicate) when the email already has an account.
int64_t create_account(store::Tx& tx, const Ctx& ctx, int64_t person_id, std::string_view email,
                       std::string_view password, bool admin = false);

// Checks credentials and opens a session. Error(bad_credentials) on a wrong
// email or password; Error(rate_limited) after too many recent failures for
// this account or this address. Goes through the write batcher.
Session login(App& app, std::string_view email, std::string_view password,
              std::string_view address);
void logout(App& app, std::string_view token);

// The actor behind a session token, or nullopt if unknown or expired.
std::optional<Actor> resolve_session(App& app, std::string_view token, std::string_view address);

// --- Additions (security engineer) ---------------------------------------

// Limits, public so tests and the HTTP layer agree with the rules.
inline constexpr size_t kMinPasswordBytes = 8;
inline constexpr size_t kMaxPasswordBytes = 128;
inline constexpr size_t kMaxEmailBytes = 254;
inline constexpr int64_t kSessionLifetimeUs = int64_t{30} * 24 * 3600 * 1000000;  // sliding
inline constexpr int64_t kFailureWindowUs = int64_t{15} * 60 * 1000000;
inline constexpr int64_t kMaxFailuresPerAccount = 5;
inline constexpr int64_t kMaxFailuresPerAddress = 20;

// Lower-cases ASCII and checks the shape (one '@', no spaces or control
// characters, at most kMaxEmailBytes); Error(invalid_value, field) otherwise.
std::string normalize_email(std::string_view email, std::string_view field = "/email");
// Error(out_of_range, field) unless kMinPasswordBytes..kMaxPasswordBytes.
void check_password_bounds(std::string_view password, std::string_view field = "/password");

// BLAKE2b-256 hex of a session token, the only form stored.
std::string session_token_hash(std::string_view token);

// A command prepared outside the write lane (reads, argon2id work, token
// generation) so the slow part never holds the writer. An async caller runs
// it with http::write; the blocking functions above run it with App::write.
struct PreparedWrite {
  Actor actor;  // who the journal names
  std::string name;
  Json payload;  // no secrets: the journal hashes it, but it must not carry any
  WriteFn fn;
};

// Login in two steps. prepare_login throws Error(rate_limited) when the
// window is already full; finish_login turns the command's result into a
// Session or throws Error(bad_credentials) / Error(rate_limited). A failed
// attempt is still a successful write: it records the failure.
PreparedWrite prepare_login(App& app, std::string_view email, std::string_view password,
                            std::string_view address);
Session finish_login(const Json& result);

// Registration: a new person, their account and a first session.
// Error(duplicate, "/email") when the email already names a person or an
// account; bounds errors name the field.
struct Registration {
  std::string given_name;   // 1..100 bytes
  std::string family_name;  // 0..100 bytes
  std::string email;
  std::string password;
  std::string locale = "en";  // en | es | pt
};
PreparedWrite prepare_register(App& app, const Registration& r);
Session register_account(App& app, const Registration& r);

PreparedWrite prepare_logout(std::string_view token);

// Makes sure a platform admin with this email exists: creates the person
// (or reuses the person the email already names) and an admin account.
// Returns the account id; an existing account is left as it is.
int64_t bootstrap_admin(App& app, std::string_view email, std::string_view password);

// {"id","email","person_id","admin"} of an account; Error(not_found) if none.
Json account_json(store::Tx& tx, int64_t account_id);

// GET /me: {"account", "person", "memberships", "roles"} of the signed-in actor.
Json me(store::Tx& tx, const Ctx& ctx);

// Role grants on an org (implemented in authz.cc). Viewing needs any role in
// the org (or an inherited one); granting and revoking need coordinator of
// the org or an ancestor. Error(not_found) for an unknown org, person or
// grant; Error(duplicate) when the person already holds that role there;
// Error(invalid_state) when revoking a revoked grant. "member" cannot be
// granted: it follows from an active membership.
// A grant as JSON: {id, org_id, person:{id,given_name,family_name}, role, granted_at}.
Json list_role_grants(store::Tx& tx, const Ctx& ctx, int64_t org_id, int64_t after, int64_t limit);
Json grant_role(store::Tx& tx, const Ctx& ctx, int64_t org_id, int64_t person_id, Role role);
void revoke_role(store::Tx& tx, const Ctx& ctx, int64_t org_id, int64_t grant_id);

}  // namespace agora::app
