#include "app/auth.h"

#include <sodium.h>

#include <array>
#include <mutex>

#include "app/registry.h"
#include "app/repo/auth_repo.h"
#include "app/repo/registry_repo.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app {
namespace {

// A session seen again after this long gets its expiry slid forward; more
// often would turn every request into a write.
constexpr int64_t kTouchIntervalUs = int64_t{3600} * 1000000;
constexpr size_t kTokenBytes = 32;
constexpr size_t kMaxNameBytes = 100;
static_assert(kMaxPasswordBytes <= crypto_pwhash_PASSWD_MAX);

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] { AGORA_ASSERT(sodium_init() >= 0); });
}

std::string to_hex(const unsigned char* data, size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 15];
  }
  return out;
}

bool is_token_shape(std::string_view token) {
  if (token.size() != kTokenBytes * 2) return false;
  for (char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string new_token(App& app) {
  std::array<uint8_t, kTokenBytes> bytes{};
  app.random().fill(bytes);
  return to_hex(bytes.data(), bytes.size());
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Verifying against this when the email has no account makes an unknown
// email cost the same argon2id work as a wrong password, so response time
// does not tell which emails have accounts.
const std::string& dummy_hash() {
  static const std::string h = hash_password("agora-no-such-account");
  return h;
}

Json account_of(const repo::AccountRow& a) {
  return Json{{"id", a.id}, {"email", a.email}, {"person_id", a.person_id}, {"admin", a.admin}};
}

bool window_full(store::Tx& tx, std::optional<int64_t> account_id, std::string_view address,
                 Timestamp now) {
  Timestamp since{now.us - kFailureWindowUs};
  if (repo::count_failures_for_address(tx, address, since) >= kMaxFailuresPerAddress) return true;
  return account_id &&
         repo::count_failures_for_account(tx, *account_id, since) >= kMaxFailuresPerAccount;
}

// Opens a session inside a write; the token itself is made by the caller.
Json open_session(store::Tx& tx, const Ctx& ctx, const repo::AccountRow& a,
                  const std::string& token) {
  repo::delete_expired_sessions(tx, a.id, ctx.now);
  Timestamp expires{ctx.now.us + kSessionLifetimeUs};
  repo::insert_session(tx, session_token_hash(token), a.id, ctx.now, expires);
  return Json{{"ok", true},
              {"token", token},
              {"expires_at", expires.us},
              {"account", account_of(a)}};
}

Json run(App& app, const PreparedWrite& p) { return app.write(p.actor, p.name, p.payload, p.fn); }

}  // namespace

std::string hash_password(std::string_view password) {
  ensure_sodium();
  check_password_bounds(password);
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw Error(Code::internal, "password hashing ran out of memory");
  }
  return std::string(out.data());
}

bool check_password(std::string_view hash, std::string_view password) {
  ensure_sodium();
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(hash);  // libsodium wants it NUL-terminated
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string session_token_hash(std::string_view token) {
  std::array<unsigned char, 32> h{};
  crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return to_hex(h.data(), h.size());
}

std::string normalize_email(std::string_view email, std::string_view field) {
  std::string f(field);
  if (email.size() < 3 || email.size() > kMaxEmailBytes) {
    throw Error(Code::out_of_range, "an email has 3 to 254 bytes", f);
  }
  for (unsigned char c : email) {
    if (c <= 0x20 || c == 0x7f) throw Error(Code::invalid_value, "an email has no spaces", f);
  }
  size_t at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size() || at > 64) {
    throw Error(Code::invalid_value, "not an email address", f);
  }
  return ascii_lower(email);
}

void check_password_bounds(std::string_view password, std::string_view field) {
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes) {
    throw Error(Code::out_of_range, "a password has 8 to 128 bytes", std::string(field));
  }
}

int64_t create_account(store::Tx& tx, const Ctx& ctx, int64_t person_id, std::string_view email,
                       std::string_view password, bool admin) {
  std::string em = normalize_email(email);
  if (repo::find_account_by_email(tx, em)) {
    throw Error(Code::duplicate, "this email already has an account", "/email");
  }
  if (repo::find_account_by_person(tx, person_id)) {
    throw Error(Code::duplicate, "this person already has an account", "/person_id");
  }
  if (!repo::person_exists(tx, person_id)) {
    throw Error(Code::not_found, "no such person", "/person_id");
  }
  return repo::insert_account(tx, person_id, em, hash_password(password), admin, ctx.now);
}

PreparedWrite prepare_login(App& app, std::string_view email, std::string_view password,
                            std::string_view address) {
  // An email too long to be one is looked up anyway (and found absent) so the
  // answer and its cost match every other unknown email.
  std::string em = ascii_lower(email.substr(0, kMaxEmailBytes + 1));
  std::string addr(address);
  std::optional<repo::AccountRow> account;
  bool full = false;
  app.read(Actor{.address = addr}, [&](store::Tx& tx, const Ctx& ctx) {
    account = repo::find_account_by_email(tx, em);
    full = window_full(tx, account ? std::optional(account->id) : std::nullopt, addr, ctx.now);
    return Json();
  });
  if (full) throw Error(Code::rate_limited, "too many failed logins; try again later");

  bool ok = check_password(account ? account->password_hash : dummy_hash(), password) && account;
  if (!ok) {
    std::optional<int64_t> account_id;
    if (account) account_id = account->id;
    return PreparedWrite{
        .actor = Actor{.address = addr},
        .name = "login_failed",
        .payload = Json{{"account_id", account_id ? Json(*account_id) : Json()}, {"address", addr}},
        .fn = [account_id, addr](store::Tx& tx, const Ctx& ctx) {
          repo::insert_failure(tx, account_id, addr, ctx.now,
                               Timestamp{ctx.now.us - kFailureWindowUs});
          return Json{{"ok", false}};
        }};
  }
  repo::AccountRow a = *account;
  std::string token = new_token(app);
  return PreparedWrite{
      .actor = Actor{.account_id = a.id, .person_id = a.person_id, .admin = a.admin, .address = addr},
      .name = "login",
      .payload = Json{{"account_id", a.id}, {"address", addr}},
      .fn = [a, token, addr](store::Tx& tx, const Ctx& ctx) {
        // Failures recorded since the read above may have filled the window.
        if (window_full(tx, a.id, addr, ctx.now)) return Json{{"ok", false}, {"rate_limited", true}};
        repo::clear_account_failures(tx, a.id);
        return open_session(tx, ctx, a, token);
      }};
}

Session finish_login(const Json& result) {
  if (!result.value("ok", false)) {
    if (result.value("rate_limited", false)) {
      throw Error(Code::rate_limited, "too many failed logins; try again later");
    }
    throw Error(Code::bad_credentials, "wrong email or password");
  }
  return Session{.token = result.at("token").get<std::string>(),
                 .account_id = result.at("account").at("id").get<int64_t>(),
                 .person_id = result.at("account").at("person_id").get<int64_t>(),
                 .expires_at = Timestamp{result.at("expires_at").get<int64_t>()}};
}

Session login(App& app, std::string_view email, std::string_view password,
              std::string_view address) {
  return finish_login(run(app, prepare_login(app, email, password, address)));
}

PreparedWrite prepare_logout(std::string_view token) {
  std::string hash = is_token_shape(token) ? session_token_hash(token) : std::string();
  return PreparedWrite{.actor = Actor{},
                       .name = "logout",
                       .payload = Json::object(),
                       .fn = [hash](store::Tx& tx, const Ctx&) {
                         if (!hash.empty()) repo::delete_session(tx, hash);
                         return Json();
                       }};
}

void logout(App& app, std::string_view token) {
  if (!is_token_shape(token)) return;
  run(app, prepare_logout(token));
}

std::optional<Actor> resolve_session(App& app, std::string_view token, std::string_view address) {
  if (!is_token_shape(token)) return std::nullopt;
  std::string hash = session_token_hash(token);
  std::optional<repo::SessionRow> row;
  Timestamp now;
  app.read(Actor{.address = std::string(address)}, [&](store::Tx& tx, const Ctx& ctx) {
    row = repo::find_session(tx, hash);
    now = ctx.now;
    return Json();
  });
  if (!row || row->expires_at <= now) return std::nullopt;
  Actor actor{.account_id = row->account_id,
              .person_id = row->person_id,
              .admin = row->admin,
              .address = std::string(address)};
  if (now.us - row->last_seen_at.us >= kTouchIntervalUs) {
    app.write(actor, "touch_session", Json{{"account_id", row->account_id}},
              [hash](store::Tx& tx, const Ctx& ctx) {
                repo::touch_session(tx, hash, ctx.now, Timestamp{ctx.now.us + kSessionLifetimeUs});
                return Json();
              });
  }
  return actor;
}

PreparedWrite prepare_register(App& app, const Registration& r) {
  if (r.given_name.empty() || r.given_name.size() > kMaxNameBytes) {
    throw Error(Code::out_of_range, "a given name has 1 to 100 bytes", "/given_name");
  }
  if (r.family_name.size() > kMaxNameBytes) {
    throw Error(Code::out_of_range, "a family name has at most 100 bytes", "/family_name");
  }
  if (r.locale != "en" && r.locale != "es" && r.locale != "pt") {
    throw Error(Code::invalid_value, "must be one of: en, es, pt", "/locale");
  }
  std::string em = normalize_email(r.email);
  std::string hash = hash_password(r.password);
  std::string token = new_token(app);
  Registration reg = r;
  reg.password.clear();
  reg.email = em;
  return PreparedWrite{
      .actor = Actor{},
      .name = "register",
      .payload = Json{{"email", em}, {"given_name", r.given_name}, {"family_name", r.family_name},
                      {"locale", r.locale}},
      .fn = [reg, hash, token](store::Tx& tx, const Ctx& ctx) {
        if (repo::find_account_by_email(tx, reg.email) || repo::find_person_by_email(tx, reg.email)) {
          throw Error(Code::duplicate, "this email is already registered", "/email");
        }
        int64_t person_id = create_person(tx, ctx,
                                          PersonInput{.given_name = reg.given_name,
                                                      .family_name = reg.family_name,
                                                      .email = reg.email,
                                                      .phone = std::nullopt,
                                                      .locale = reg.locale});
        int64_t id = repo::insert_account(tx, person_id, reg.email, hash, false, ctx.now);
        auto a = repo::find_account(tx, id);
        AGORA_ASSERT(a && a->person_id == person_id);
        return open_session(tx, ctx, *a, token);
      }};
}

Session register_account(App& app, const Registration& r) {
  return finish_login(run(app, prepare_register(app, r)));
}

int64_t bootstrap_admin(App& app, std::string_view email, std::string_view password) {
  std::string em = normalize_email(email);
  std::string hash = hash_password(password);
  Json result = app.write(
      Actor::system(), "bootstrap_admin", Json{{"email", em}},
      [em, hash](store::Tx& tx, const Ctx& ctx) {
        if (auto a = repo::find_account_by_email(tx, em)) return Json(a->id);
        std::optional<int64_t> person_id = repo::find_person_by_email(tx, em);
        if (!person_id) {
          person_id = create_person(tx, ctx,
                                    PersonInput{.given_name = "Platform",
                                                .family_name = "Admin",
                                                .email = em,
                                                .phone = std::nullopt,
                                                .locale = "en"});
        }
        if (auto a = repo::find_account_by_person(tx, *person_id)) return Json(a->id);
        return Json(repo::insert_account(tx, *person_id, em, hash, true, ctx.now));
      });
  return result.get<int64_t>();
}

Json account_json(store::Tx& tx, int64_t account_id) {
  auto a = repo::find_account(tx, account_id);
  if (!a) throw Error(Code::not_found, "no such account");
  return account_of(*a);
}

Json me(store::Tx& tx, const Ctx& ctx) {
  require_signed_in(ctx.actor);
  Json account = account_json(tx, ctx.actor.account_id);
  auto p = repo::find_person(tx, ctx.actor.person_id);
  if (!p) throw Error(Code::not_found, "no such person");
  Json person{{"id", p->id},
              {"given_name", p->given_name},
              {"family_name", p->family_name},
              {"email", p->email ? Json(*p->email) : Json()},
              {"locale", p->locale}};
  Json memberships = person_memberships(tx, p->id);
  Json roles = Json::array();
  for (const auto& g : repo::person_active_grants(tx, p->id)) {
    roles.push_back(Json{{"org_id", g.org_id}, {"org_name", g.org_name}, {"role", g.role}});
  }
  return Json{{"account", std::move(account)},
              {"person", std::move(person)},
              {"memberships", std::move(memberships)},
              {"roles", std::move(roles)}};
}

}  // namespace agora::app
