// Passwords, login, rate limits, sessions and registration (app/auth.h), on
// every engine under test, with a ManualClock so windows and expiry are
// crossed by moving time.

#include "app/auth.h"

#include <gtest/gtest.h>

#include <chrono>

#include "app/repo/auth_repo.h"
#include "core/error.h"
#include "support/test_db.h"
#include "support/error_test.h"

namespace agora::app {
namespace {

constexpr int64_t kMinuteUs = int64_t{60} * 1000000;
using test_support::kDayUs;

using test_support::code_of;

TEST(Passwords, HashIsArgon2idAndChecks) {
  std::string h = hash_password("correct horse");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
  EXPECT_TRUE(check_password(h, "correct horse"));
  EXPECT_FALSE(check_password(h, "correct horsf"));
  EXPECT_FALSE(check_password(h, ""));
  EXPECT_NE(hash_password("correct horse"), h) << "each hash has its own salt";
  EXPECT_FALSE(check_password("not a hash", "correct horse"));
}

TEST(Passwords, Bounds) {
  EXPECT_EQ(code_of([] { hash_password("1234567"); }), Code::out_of_range);
  EXPECT_EQ(code_of([] { hash_password(std::string(129, 'x')); }), Code::out_of_range);
  EXPECT_TRUE(check_password(hash_password("12345678"), "12345678"));
  EXPECT_TRUE(check_password(hash_password(std::string(128, 'x')), std::string(128, 'x')));
}

TEST(Emails, NormalizedAndChecked) {
  EXPECT_EQ(normalize_email("Ana.Silva@Example.ORG"), "ana.silva@example.org");
  EXPECT_EQ(code_of([] { normalize_email("no-at-sign"); }), Code::invalid_value);
  EXPECT_EQ(code_of([] { normalize_email("@example.org"); }), Code::invalid_value);
  EXPECT_EQ(code_of([] { normalize_email("ana@"); }), Code::invalid_value);
  EXPECT_EQ(code_of([] { normalize_email("ana silva@example.org"); }), Code::invalid_value);
  EXPECT_EQ(code_of([] { normalize_email(std::string(250, 'a') + "@x.org"); }), Code::out_of_range);
}

TEST(Tokens, HashIsBlake2bHex) {
  std::string h = session_token_hash("abc");
  EXPECT_EQ(h.size(), 64u);
  EXPECT_NE(h, session_token_hash("abd"));
  EXPECT_EQ(h, session_token_hash("abc"));
}

class AuthTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    admin_id_ = bootstrap_admin(*app_, "Admin@Test.Agora", "admin-password-1");
  }
  void TearDown() override { app_->stop(); }

  int64_t count(const std::string& sql) {
    int64_t n = 0;
    db_->read([&](store::Tx& tx) { n = tx.query(sql).one().i64(0); });
    return n;
  }

  Session login_ok(const std::string& address = "10.0.0.1") {
    return login(*app_, "admin@test.agora", "admin-password-1", address);
  }
  Code login_code(const std::string& email, const std::string& password,
                  const std::string& address = "10.0.0.1") {
    return code_of([&] { login(*app_, email, password, address); });
  }

  ManualClock clock_{parse_iso8601("2026-11-24T08:00:00Z")};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  int64_t admin_id_ = 0;
};

TEST_P(AuthTest, BootstrapAdminIsIdempotent) {
  EXPECT_GT(admin_id_, 0);
  EXPECT_EQ(bootstrap_admin(*app_, "admin@test.agora", "another-password"), admin_id_);
  EXPECT_EQ(count("SELECT COUNT(*) FROM accounts"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM persons"), 1);
  EXPECT_EQ(count("SELECT admin FROM accounts"), 1);
  // The first password still works: an existing account is left as it is.
  EXPECT_NO_THROW(login_ok());
}

TEST_P(AuthTest, LoginOpensSessionStoredOnlyAsHash) {
  Session s = login_ok();
  ASSERT_EQ(s.token.size(), 64u);
  EXPECT_EQ(s.account_id, admin_id_);
  EXPECT_EQ(s.expires_at.us, clock_.now().us + kSessionLifetimeUs);
  std::string stored;
  db_->read([&](store::Tx& tx) { stored = tx.query("SELECT token_hash FROM sessions").one().str(0); });
  EXPECT_NE(stored, s.token);
  EXPECT_EQ(stored, session_token_hash(s.token));

  auto actor = resolve_session(*app_, s.token, "10.0.0.9");
  ASSERT_TRUE(actor);
  EXPECT_EQ(actor->account_id, admin_id_);
  EXPECT_EQ(actor->person_id, s.person_id);
  EXPECT_TRUE(actor->admin);
  EXPECT_EQ(actor->address, "10.0.0.9");
  EXPECT_EQ(login_ok().token.size(), 64u);
  EXPECT_NE(login_ok().token, s.token);
}

TEST_P(AuthTest, EmailIsCaseInsensitive) { EXPECT_NO_THROW(login(*app_, "ADMIN@test.agora", "admin-password-1", "a")); }

TEST_P(AuthTest, WrongPasswordAndUnknownEmailLookAlike) {
  EXPECT_EQ(login_code("admin@test.agora", "wrong-password"), Code::bad_credentials);
  EXPECT_EQ(login_code("nobody@test.agora", "admin-password-1"), Code::bad_credentials);
  EXPECT_EQ(login_code("", ""), Code::bad_credentials);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions"), 0);
  // Both kinds of failure are counted against the address.
  EXPECT_EQ(count("SELECT COUNT(*) FROM login_failures WHERE address = '10.0.0.1'"), 3);

  // An unknown email costs the same argon2id work as a wrong password. The
  // bound is loose (timing on a shared machine), but skipping the hash would
  // make the unknown email ~100x faster.
  using C = std::chrono::steady_clock;
  auto time_of = [&](const std::string& email) {
    auto best = C::duration::max();
    for (int i = 0; i < 3; ++i) {
      auto t0 = C::now();
      login_code(email, "wrong-password", "10.0.0.2");
      best = std::min(best, C::now() - t0);
    }
    return best;
  };
  auto known = time_of("admin@test.agora");
  auto unknown = time_of("nobody@test.agora");
  EXPECT_GT(unknown * 4, known) << "unknown email answered much faster than a wrong password";
}

TEST_P(AuthTest, AccountLockedAfterFiveFailuresUntilWindowPasses) {
  for (int i = 0; i < kMaxFailuresPerAccount; ++i) {
    // Different addresses: the account's own counter is what trips.
    EXPECT_EQ(login_code("admin@test.agora", "wrong-password", "10.1.0." + std::to_string(i)),
              Code::bad_credentials);
  }
  EXPECT_EQ(login_code("admin@test.agora", "admin-password-1", "10.2.0.1"), Code::rate_limited);
  EXPECT_EQ(login_code("admin@test.agora", "wrong-password", "10.2.0.1"), Code::rate_limited);
  // Refused attempts are not failures: they do not extend the lock.
  EXPECT_EQ(count("SELECT COUNT(*) FROM login_failures"), kMaxFailuresPerAccount);

  clock_.advance_us(kFailureWindowUs - kMinuteUs);
  EXPECT_EQ(login_code("admin@test.agora", "admin-password-1", "10.2.0.1"), Code::rate_limited);
  clock_.advance_us(kMinuteUs + 1);
  EXPECT_NO_THROW(login_ok("10.2.0.1"));
}

TEST_P(AuthTest, SuccessClearsAccountCounter) {
  for (int i = 0; i < kMaxFailuresPerAccount - 1; ++i) {
    EXPECT_EQ(login_code("admin@test.agora", "wrong-password"), Code::bad_credentials);
  }
  EXPECT_NO_THROW(login_ok());
  for (int i = 0; i < kMaxFailuresPerAccount - 1; ++i) {
    EXPECT_EQ(login_code("admin@test.agora", "wrong-password"), Code::bad_credentials);
  }
  EXPECT_NO_THROW(login_ok());
}

TEST_P(AuthTest, AddressLockedAfterTwentyFailures) {
  // All but the last failure are written directly: each real one costs an
  // argon2id verification, and what is under test is the counting.
  db_->write([&](store::Tx& tx) {
    for (int i = 0; i < kMaxFailuresPerAddress - 1; ++i) {
      repo::insert_failure(tx, std::nullopt, "10.9.9.9", clock_.now(), Timestamp{0});
      clock_.advance_us(10 * 1000000);
    }
  });
  // Unknown emails, so no account counter is involved.
  EXPECT_EQ(login_code("someone@test.agora", "wrong-password", "10.9.9.9"), Code::bad_credentials);
  EXPECT_EQ(login_code("admin@test.agora", "admin-password-1", "10.9.9.9"), Code::rate_limited);
  EXPECT_NO_THROW(login_ok("10.9.9.8")) << "another address is not affected";
  // The window slides: once the oldest failures are 15 minutes old, the
  // address may try again.
  clock_.advance_us(kFailureWindowUs);
  EXPECT_NO_THROW(login_ok("10.9.9.9"));
}

TEST_P(AuthTest, SessionExpiresAndSlides) {
  Session s = login_ok();
  clock_.advance_us(20 * kDayUs);
  ASSERT_TRUE(resolve_session(*app_, s.token, "a")) << "used after 20 days: slides forward";
  clock_.advance_us(20 * kDayUs);
  ASSERT_TRUE(resolve_session(*app_, s.token, "a")) << "40 days after login, 20 after last use";
  clock_.advance_us(kSessionLifetimeUs + 1);
  EXPECT_FALSE(resolve_session(*app_, s.token, "a")) << "unused for longer than the lifetime";
}

TEST_P(AuthTest, UnusedSessionExpires) {
  Session s = login_ok();
  clock_.advance_us(kSessionLifetimeUs - 1);
  EXPECT_TRUE(resolve_session(*app_, s.token, "a"));
  Session t = login_ok();
  clock_.advance_us(kSessionLifetimeUs);
  EXPECT_FALSE(resolve_session(*app_, t.token, "a"));
}

TEST_P(AuthTest, LogoutEndsOnlyThatSession) {
  Session a = login_ok();
  Session b = login_ok();
  logout(*app_, a.token);
  EXPECT_FALSE(resolve_session(*app_, a.token, "x"));
  EXPECT_TRUE(resolve_session(*app_, b.token, "x"));
  EXPECT_NO_THROW(logout(*app_, a.token)) << "logging out twice is harmless";
  EXPECT_NO_THROW(logout(*app_, "not-a-token"));
}

TEST_P(AuthTest, MalformedTokensResolveToNobody) {
  Session s = login_ok();
  EXPECT_FALSE(resolve_session(*app_, "", "x"));
  EXPECT_FALSE(resolve_session(*app_, s.token.substr(1), "x"));
  std::string upper = s.token;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != s.token) {
    EXPECT_FALSE(resolve_session(*app_, upper, "x"));
  }
  std::string other = s.token;
  other[0] = other[0] == '0' ? '1' : '0';
  EXPECT_FALSE(resolve_session(*app_, other, "x"));
}

TEST_P(AuthTest, RegisterCreatesPersonAccountAndSession) {
  Registration r{.given_name = "Ana", .family_name = "Silva", .email = "Ana@Example.org",
                 .password = "ana-password", .locale = "pt"};
  Session s = register_account(*app_, r);
  auto actor = resolve_session(*app_, s.token, "x");
  ASSERT_TRUE(actor);
  EXPECT_FALSE(actor->admin);
  Json me_json = app_->read(*actor, [](store::Tx& tx, const Ctx& ctx) { return me(tx, ctx); });
  EXPECT_EQ(me_json["account"]["email"], "ana@example.org");
  EXPECT_EQ(me_json["person"]["given_name"], "Ana");
  EXPECT_EQ(me_json["person"]["locale"], "pt");
  EXPECT_EQ(me_json["memberships"], Json::array());
  EXPECT_EQ(me_json["roles"], Json::array());
  EXPECT_NO_THROW(login(*app_, "ana@example.org", "ana-password", "x"));

  r.email = "ANA@example.org";
  EXPECT_EQ(code_of([&] { register_account(*app_, r); }), Code::duplicate);
  r.email = "admin@test.agora";
  EXPECT_EQ(code_of([&] { register_account(*app_, r); }), Code::duplicate);
  EXPECT_EQ(count("SELECT COUNT(*) FROM persons"), 2) << "a refused registration writes nothing";
}

TEST_P(AuthTest, RegisterChecksInput) {
  Registration r{.given_name = "Ana", .family_name = "", .email = "ana@example.org",
                 .password = "short", .locale = "en"};
  EXPECT_EQ(code_of([&] { prepare_register(*app_, r); }), Code::out_of_range);
  r.password = "long-enough";
  r.locale = "fr";
  EXPECT_EQ(code_of([&] { prepare_register(*app_, r); }), Code::invalid_value);
  r.locale = "es";
  r.given_name = "";
  EXPECT_EQ(code_of([&] { prepare_register(*app_, r); }), Code::out_of_range);
  r.given_name = "Ana";
  r.email = "ana";
  EXPECT_EQ(code_of([&] { prepare_register(*app_, r); }), Code::invalid_value);
  EXPECT_EQ(count("SELECT COUNT(*) FROM persons"), 1);
}

TEST_P(AuthTest, LoginAndLogoutAreJournaledWithoutSecrets) {
  Session s = login_ok();
  login_code("admin@test.agora", "wrong-password");
  logout(*app_, s.token);
  int64_t n = 0;
  std::string all;
  db_->read([&](store::Tx& tx) {
    auto rows = tx.query("SELECT command FROM audit_journal ORDER BY 1");
    n = static_cast<int64_t>(rows.rows.size());
    for (const auto& r : rows.rows) all += r.str(0) + ",";
  });
  EXPECT_NE(all.find("login,"), std::string::npos) << all;
  EXPECT_NE(all.find("login_failed,"), std::string::npos) << all;
  EXPECT_NE(all.find("logout,"), std::string::npos) << all;
  EXPECT_GE(n, 4);  // bootstrap_admin too
}

INSTANTIATE_TEST_SUITE_P(Engines, AuthTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
