#pragma once
// Small helpers the use-case tests share: the code and field (and message) of
// the agora::Error a call throws, a person who can sign in (a persons row and an
// accounts row, no password), and a role granted directly.
// Thread-safe: each call uses only its arguments.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>

#include "app/app.h"
#include "app/registry.h"
#include "core/error.h"
#include "store/database.h"

namespace agora::test_app {

// {code, field} of the Error fn throws; a test failure if it throws none.
inline std::pair<Code, std::string> error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return {e.code(), e.field()};
  }
  ADD_FAILURE() << "expected an agora::Error";
  return {Code::internal, ""};
}

// error_of with the message too, for the tests that check a figure named in it.
struct Failure {
  Code code = Code::internal;
  std::string field;
  std::string message;
};
inline Failure failure_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return Failure{e.code(), e.field(), e.what()};
  }
  ADD_FAILURE() << "expected an agora::Error";
  return Failure{};
}

// A person named `name` with the email name@test.agora and a login account.
inline app::Actor signed_in_person(store::Database& db, Timestamp now, const std::string& name) {
  app::Actor a{.address = "test"};
  const app::Actor admin = app::Actor::system();
  db.write([&](store::Tx& tx) {
    app::Ctx ctx{admin, now};
    a.person_id = app::create_person(tx, ctx,
                                     app::PersonInput{.given_name = name,
                                                      .family_name = "Test",
                                                      .email = name + "@test.agora",
                                                      .phone = "+34 600 000 000"});
    a.account_id = tx.insert(
        "INSERT INTO accounts (person_id, email, password_hash, admin, created_at) "
        "VALUES ($1, $2, 'x', 0, 0)",
        {a.person_id, name + "@test.agora"});
  });
  return a;
}

inline void grant_role(store::Database& db, int64_t person_id, int64_t org_id,
                       const std::string& role) {
  db.write([&](store::Tx& tx) {
    tx.exec("INSERT INTO role_grants (person_id, org_id, role, granted_at) VALUES ($1, $2, $3, 0)",
            {person_id, org_id, role});
  });
}

}  // namespace agora::test_app
