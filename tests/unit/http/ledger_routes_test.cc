// Decoding of the ledger routes, which golden files see only through the
// use cases: what each command hands to the audit journal (every decoded
// field, no more), the places errors name inside a linked batch, nullable
// limits, and bounds refused before anything is queued. The handlers run
// straight from the Router on an io_context against an App that records
// each command instead of running it.

#include <utility>  // boost 1.74 awaitable.hpp uses std::exchange without it

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "core/error.h"
#include "http/router.h"
#include "support/test_db.h"

namespace agora::http {
namespace {

// Records commands and answers each with {"ok": true} without running it.
class LedgerRecordingApp final : public app::App {
 public:
  explicit LedgerRecordingApp(store::Database& db) : db_(db) {}
  store::Database& db() override { return db_; }
  const Clock& clock() override { return clock_; }
  app::Random& random() override { return *random_; }
  void write_async(const app::Actor& actor, std::string_view name, const Json& payload,
                   app::WriteFn, app::Done done) override {
    names.emplace_back(name);
    payloads.push_back(payload);
    (void)actor;
    done(nullptr, Json{{"ok", true}});
  }
  app::BatchStats batch_stats() const override { return {}; }
  void stop() override {}

  std::vector<std::string> names;
  std::vector<Json> payloads;

 private:
  store::Database& db_;
  ManualClock clock_{Timestamp{}};
  std::unique_ptr<app::Random> random_ = app::system_random();
};

class LedgerRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override { add_ledger_routes(router_, app_); }

  Response call(const std::string& method, const std::string& target, const std::string& body) {
    Request req;
    req.method = method;
    auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = parse_query(target.substr(q + 1));
    req.body = body;
    if (!body.empty()) req.headers["content-type"] = "application/json";
    req.actor = ana_;
    bool exists = false;
    const Route* route = router_.match(req, &exists);
    EXPECT_NE(route, nullptr) << method << " " << target;
    boost::asio::io_context io;
    auto fut = boost::asio::co_spawn(io, route->handler(req), boost::asio::use_future);
    io.run();
    return fut.get();
  }

  // The error a request is refused with, and its field; (internal, "") if none.
  std::pair<Code, std::string> refusal(const std::string& method, const std::string& target,
                                       const std::string& body) {
    try {
      call(method, target, body);
    } catch (const Error& e) {
      return {e.code(), e.field()};
    }
    return {Code::internal, ""};
  }

  std::unique_ptr<store::Database> db_ = test_db::fresh_database("sqlite");
  LedgerRecordingApp app_{*db_};
  Router router_;
  const app::Actor ana_{.account_id = 7, .person_id = 21, .address = "127.0.0.1"};
};

TEST_F(LedgerRoutesTest, ATransferIsJournaledWithEveryDecodedField) {
  Response r = call("POST", "/api/v1/transfers",
                    R"({"key":"k-1","debit_account_id":3,"credit_account_id":4,"amount":250,)"
                    R"("pending":true,"timeout_s":60,"memo":"order"})");
  EXPECT_EQ(r.status, 201);
  ASSERT_EQ(app_.names.size(), 1u);
  EXPECT_EQ(app_.names[0], "create_transfer");
  EXPECT_EQ(app_.payloads[0],
            (Json{{"key", "k-1"}, {"action", "create"}, {"code", "transfer"}, {"memo", "order"},
                  {"debit_account_id", 3}, {"credit_account_id", 4}, {"amount", 250},
                  {"pending", true}, {"timeout_s", 60}}));
}

TEST_F(LedgerRoutesTest, PostVoidAndReverseNameTheTransferInThePath) {
  call("POST", "/api/v1/transfers/9/post", R"({"key":"p-1","amount":100})");
  call("POST", "/api/v1/transfers/9/void", R"({"key":"v-1"})");
  call("POST", "/api/v1/transfers/9/reverse", R"({"key":"r-1"})");
  ASSERT_EQ(app_.payloads.size(), 3u);
  EXPECT_EQ(app_.names, (std::vector<std::string>{"post_transfer", "void_transfer", "reverse_transfer"}));
  EXPECT_EQ(app_.payloads[0]["pending_id"], 9);
  EXPECT_EQ(app_.payloads[0]["amount"], 100);
  EXPECT_EQ(app_.payloads[1]["action"], "void");
  EXPECT_FALSE(app_.payloads[1].contains("amount"));
  EXPECT_EQ(app_.payloads[2]["reverses_id"], 9);
  EXPECT_EQ(app_.payloads[2]["amount"], 0);  // what is left unreversed
}

TEST_F(LedgerRoutesTest, ABatchMixesCreatesWithPostsAndVoids) {
  Response r = call("POST", "/api/v1/transfers/batch",
                    R"({"transfers":[{"key":"a","debit_account_id":1,"credit_account_id":2,"amount":5},)"
                    R"({"action":"post","key":"b","pending_id":7},{"action":"void","key":"c","pending_id":8}]})");
  EXPECT_EQ(r.status, 201);
  ASSERT_EQ(app_.payloads.size(), 1u);
  const Json& items = app_.payloads[0]["transfers"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["action"], "create");
  EXPECT_EQ(items[1]["action"], "post");
  EXPECT_EQ(items[1]["pending_id"], 7);
  EXPECT_EQ(items[2]["action"], "void");
}

TEST_F(LedgerRoutesTest, BatchErrorsNameTheItem) {
  using P = std::pair<Code, std::string>;
  EXPECT_EQ(refusal("POST", "/api/v1/transfers/batch", R"({"transfers":[]})"),
            (P{Code::out_of_range, "/transfers"}));
  EXPECT_EQ(refusal("POST", "/api/v1/transfers/batch",
                    R"({"transfers":[{"key":"a","debit_account_id":1,"credit_account_id":2,"amount":5},)"
                    R"({"key":"b","debit_account_id":1,"credit_account_id":2,"amount":0}]})"),
            (P{Code::out_of_range, "/transfers/1/amount"}));
  EXPECT_EQ(refusal("POST", "/api/v1/transfers/batch",
                    R"({"transfers":[{"action":"void","key":"b","pending_id":7,"amount":1}]})"),
            (P{Code::unknown_field, "/transfers/0/amount"}));
  EXPECT_EQ(refusal("POST", "/api/v1/transfers/batch", R"({"transfers":[3]})"),
            (P{Code::wrong_type, "/transfers/0"}));
  EXPECT_EQ(refusal("POST", "/api/v1/transfers/batch",
                    R"({"transfers":[{"action":"undo","key":"b","pending_id":7}]})"),
            (P{Code::invalid_value, "/transfers/0/action"}));
  std::string big = R"({"transfers":[)";
  for (int i = 0; i < 1001; ++i) {
    big += (i ? "," : "") + std::string(R"({"key":"k","debit_account_id":1,"credit_account_id":2,"amount":1})");
  }
  big += "]}";
  EXPECT_EQ(refusal("POST", "/api/v1/transfers/batch", big).first, Code::out_of_range);
  EXPECT_TRUE(app_.payloads.empty());
}

TEST_F(LedgerRoutesTest, BadTransfersAreRefusedBeforeAnythingIsQueued) {
  using P = std::pair<Code, std::string>;
  auto create = [&](const std::string& body) { return refusal("POST", "/api/v1/transfers", body); };
  EXPECT_EQ(create(R"({"debit_account_id":1,"credit_account_id":2,"amount":5})"),
            (P{Code::missing_field, "/key"}));
  EXPECT_EQ(create(R"({"key":"","debit_account_id":1,"credit_account_id":2,"amount":5})"),
            (P{Code::out_of_range, "/key"}));
  EXPECT_EQ(create(R"({"key":"a","debit_account_id":1,"credit_account_id":2,"amount":-5})"),
            (P{Code::out_of_range, "/amount"}));
  EXPECT_EQ(create(R"({"key":"a","debit_account_id":1,"credit_account_id":2,"amount":"5"})"),
            (P{Code::wrong_type, "/amount"}));
  EXPECT_EQ(create(R"({"key":"a","debit_account_id":1,"credit_account_id":2,"amount":5,"pending":true,"timeout_s":31536001})"),
            (P{Code::out_of_range, "/timeout_s"}));
  EXPECT_EQ(create(R"({"key":"a","debit_account_id":1,"credit_account_id":2,"amount":5,"timeout_s":5})"),
            (P{Code::invalid_value, "/timeout_s"}));
  EXPECT_EQ(create(R"({"key":"a","debit_account_id":1,"credit_account_id":2,"amount":5,"memo":")" +
                   std::string(201, 'x') + R"("})"),
            (P{Code::out_of_range, "/memo"}));
  EXPECT_EQ(create(R"({"key":"a","debit_account_id":1,"credit_account_id":2,"amount":5,"payment_request_id":3})"),
            (P{Code::unknown_field, "/payment_request_id"}));
  EXPECT_EQ(refusal("POST", "/api/v1/transfers/9/void", R"({"key":"v","amount":1})"),
            (P{Code::unknown_field, "/amount"}));
  EXPECT_TRUE(app_.payloads.empty());
}

TEST_F(LedgerRoutesTest, LimitsMayBeSetOrClearedWithNull) {
  call("PATCH", "/api/v1/accounts/4", R"({"lower_limit":null,"upper_limit":500})");
  ASSERT_EQ(app_.payloads.size(), 1u);
  EXPECT_EQ(app_.names[0], "set_account_limits");
  using P = std::pair<Code, std::string>;
  EXPECT_EQ(refusal("PATCH", "/api/v1/accounts/4", R"({"lower_limit":"low"})"),
            (P{Code::wrong_type, "/lower_limit"}));
  EXPECT_EQ(refusal("PATCH", "/api/v1/accounts/4", R"({"name":"x"})"), (P{Code::unknown_field, "/name"}));
}

TEST_F(LedgerRoutesTest, RequestsDecodeDueDatesAndTakeNoBodyWhereNoneIsNeeded) {
  call("POST", "/api/v1/payment-requests",
       R"({"key":"r","payee_account_id":1,"payer_account_id":2,"amount":5,"due_at":"2026-02-01T00:00:00Z"})");
  ASSERT_EQ(app_.payloads.size(), 1u);
  EXPECT_EQ(app_.payloads[0]["due_at"], "2026-02-01T00:00:00.000000Z");
  using P = std::pair<Code, std::string>;
  EXPECT_EQ(refusal("POST", "/api/v1/payment-requests",
                    R"({"key":"r","payee_account_id":1,"payer_account_id":2,"amount":5,"due_at":"soon"})"),
            (P{Code::invalid_value, "/due_at"}));
  EXPECT_EQ(refusal("POST", "/api/v1/payment-requests/3/accept", R"({"x":1})"),
            (P{Code::unknown_field, "/x"}));
  call("POST", "/api/v1/payment-requests/3/reject", "");
  call("POST", "/api/v1/payment-requests/3/pay", R"({"key":"p"})");
  EXPECT_EQ(app_.payloads[1], (Json{{"payment_request_id", 3}, {"reason", ""}}));
  EXPECT_EQ(app_.payloads[2], (Json{{"payment_request_id", 3}, {"key", "p"}}));
}

TEST_F(LedgerRoutesTest, QueryBoundsAreCheckedAtTheEdge) {
  using P = std::pair<Code, std::string>;
  EXPECT_EQ(refusal("GET", "/api/v1/accounts/4/statement?limit=0", ""), (P{Code::out_of_range, "limit"}));
  EXPECT_EQ(refusal("GET", "/api/v1/accounts/4/statement?before=x", ""), (P{Code::invalid_value, "before"}));
  EXPECT_EQ(refusal("GET", "/api/v1/transfers", ""), (P{Code::missing_field, "key"}));
  EXPECT_EQ(refusal("GET", "/api/v1/orgs/2/closings/preview", ""), (P{Code::missing_field, "year"}));
  EXPECT_EQ(refusal("GET", "/api/v1/orgs/2/closings/preview?year=20260", ""), (P{Code::out_of_range, "year"}));
  EXPECT_EQ(refusal("GET", "/api/v1/orgs/2/closings/preview?year=2026&surplus=-1", ""),
            (P{Code::out_of_range, "surplus"}));
  EXPECT_EQ(refusal("GET", "/api/v1/orgs/2/bonuses/preview?month=2026-3", ""), (P{Code::out_of_range, "month"}));
  EXPECT_EQ(refusal("GET", "/api/v1/me/payment-requests?state=lost", ""), (P{Code::invalid_value, "state"}));
  EXPECT_EQ(refusal("GET", "/api/v1/currencies/EU", ""), (P{Code::out_of_range, "code"}));
}

TEST_F(LedgerRoutesTest, SurplusRulesMustBeAnObject) {
  using P = std::pair<Code, std::string>;
  EXPECT_EQ(refusal("PUT", "/api/v1/orgs/2/surplus-rules", "[1]"), (P{Code::wrong_type, "/"}));
  call("PUT", "/api/v1/orgs/2/surplus-rules", R"({"legal_reserve_bp":3000})");
  ASSERT_EQ(app_.payloads.size(), 1u);
  EXPECT_EQ(app_.payloads[0], (Json{{"org_id", 2}, {"rules", {{"legal_reserve_bp", 3000}}}}));
}

}  // namespace
}  // namespace agora::http
