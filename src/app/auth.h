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

}  // namespace agora::app
