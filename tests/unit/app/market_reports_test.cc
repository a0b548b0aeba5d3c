// The market's reports (app/market.h) on every engine under test: pick
// lists per point and per member, packing lists and producer statements as
// RFC 4180 CSV (header row, CRLF, quoting, no spreadsheet formulas from
// names) and as self-contained HTML with every text escaped, showing the
// allocated quantities once a short delivery is settled, and readable only
// by those the contract names.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/ledger.h"
#include "app/market.h"
#include "app/registry.h"
#include "core/error.h"
#include "support/app_test.h"
#include "support/market_test.h"
#include "support/test_db.h"

namespace agora::app {
namespace {

using market::ReportFormat;
using test_app::error_of;

std::vector<std::string> csv_lines(const std::string& csv) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < csv.size()) {
    size_t end = csv.find("\r\n", at);
    EXPECT_NE(end, std::string::npos) << "every CSV line ends with CRLF";
    if (end == std::string::npos) break;
    out.push_back(csv.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

class MarketReportsTest : public test_market::CoopTest {
 protected:
  void SetUp() override {
    CoopTest::SetUp();
    fred_ = person("fred", farm_, "coordinator");
    ana_ = member("ana", coop_, 100'000);
    bea_ = member("bea", coop_, 100'000);
    // Names a CSV must quote and an HTML page must escape.
    tricky_ = variant(farm_, "Beans, \"dry\" <script>alert(1)</script>", 4, 250, "EUR", "bag");
    formula_ = variant(farm_, "=HYPERLINK(\"x\")", 1, 100, "EUR", "bag");

    cycle_ = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::create_cycle(tx, ctx,
                                  market::CycleInput{.coordinator_org_id = coop_,
                                                     .name = "Week <1> & co",
                                                     .opens_at = Timestamp{kT0 + kHourUs},
                                                     .closes_at = Timestamp{kT0 + 24 * kHourUs}});
    })["id"];
    Json offers = write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_offers(tx, ctx, cycle_,
                                {{.variant_id = tricky_}, {.variant_id = formula_}});
    });
    beans_ = offers["items"][0]["id"];
    links_ = offers["items"][1]["id"];
    shop_ = point("Shop", 100);
    van_ = point("Van", 300);
    write(cora_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::publish_cycle(tx, ctx, cycle_); });
    write(cora_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::open_cycle(tx, ctx, cycle_); });
    // 3 + 2 beans wanted, one case of 4 ordered, 3 arrive: 2 and 1.
    ana_order_ = order(ana_, shop_,
                       {{.offer_id = beans_, .quantity = 3}, {.offer_id = links_, .quantity = 1}});
    bea_order_ = order(bea_, van_, {{.offer_id = beans_, .quantity = 2}});
    write(cora_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::close_cycle(tx, ctx, cycle_); });
  }

  int64_t point(const std::string& name, int64_t fee) {
    return write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::add_point(tx, ctx, cycle_, {.name = name, .fee = fee});
    })["id"];
  }
  int64_t order(const Actor& a, int64_t point_id, std::vector<market::LineInput> lines) {
    clock_.advance_us(60'000'000);
    write(a, [&](store::Tx& tx, const Ctx& ctx) {
      return market::set_order(tx, ctx, cycle_, {.lines = lines, .point_id = point_id});
    });
    return write(
        a, [&](store::Tx& tx, const Ctx& ctx) { return market::checkout(tx, ctx, cycle_); })["id"];
  }
  void receive_and_settle() {
    write(cora_, [&](store::Tx& tx, const Ctx& ctx) {
      return market::record_received(tx, ctx, cycle_, {{.offer_id = beans_, .units = 3}}, true);
    });
    write(cora_,
          [&](store::Tx& tx, const Ctx& ctx) { return market::settle_cycle(tx, ctx, cycle_); });
  }
  std::string report(const Actor& a, const std::function<std::string(store::Tx&, const Ctx&)>& fn) {
    std::string out;
    app_->read(a, [&](store::Tx& tx, const Ctx& ctx) {
      out = fn(tx, ctx);
      return Json();
    });
    return out;
  }
  std::string pick(const Actor& a, std::optional<int64_t> point_id, ReportFormat f) {
    return report(a, [&](store::Tx& tx, const Ctx& ctx) {
      return market::pick_list(tx, ctx, cycle_, point_id, f);
    });
  }

  Actor fred_, ana_, bea_;
  int64_t tricky_ = 0, formula_ = 0, cycle_ = 0, beans_ = 0, links_ = 0;
  int64_t shop_ = 0, van_ = 0, ana_order_ = 0, bea_order_ = 0;
};

TEST_P(MarketReportsTest, PickListCsvQuotesAndShowsTheAllocation) {
  const std::string header =
      "point,member,order_id,producer,product,variant,unit,ordered,tolerance,quantity,price,amount";
  auto lines = csv_lines(pick(cora_, std::nullopt, ReportFormat::csv));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], header);
  // By point (Shop first), then member; before settlement the ordered quantity.
  EXPECT_EQ(lines[1],
            "Shop,ana Test," + std::to_string(ana_order_) +
                ",Farm,\"Beans, \"\"dry\"\" <script>alert(1)</script>\",bag,H87,3,0,3,2.50,7.50");
  // A name a spreadsheet would run as a formula is defused.
  EXPECT_EQ(lines[2], "Shop,ana Test," + std::to_string(ana_order_) +
                          ",Farm,\"'=HYPERLINK(\"\"x\"\")\",bag,H87,1,0,1,1.00,1.00");
  EXPECT_EQ(lines[3].substr(0, 12), "Van,bea Test");

  receive_and_settle();
  lines = csv_lines(pick(cora_, van_, ReportFormat::csv));
  ASSERT_EQ(lines.size(), 2u);  // only the van's member
  EXPECT_EQ(lines[1],
            "Van,bea Test," + std::to_string(bea_order_) +
                ",Farm,\"Beans, \"\"dry\"\" <script>alert(1)</script>\",bag,H87,2,0,1,2.50,2.50");
  lines = csv_lines(pick(cora_, shop_, ReportFormat::csv));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[1].find(",3,0,2,2.50,5.00"), std::string::npos) << lines[1];

  EXPECT_EQ(error_of([&] { pick(ana_, std::nullopt, ReportFormat::csv); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { pick(Actor{}, std::nullopt, ReportFormat::csv); }).first,
            Code::unauthenticated);
  EXPECT_EQ(error_of([&] { pick(cora_, 999'999, ReportFormat::csv); }),
            std::make_pair(Code::not_found, std::string("/point_id")));
}

TEST_P(MarketReportsTest, HtmlIsSelfContainedAndEscaped) {
  receive_and_settle();
  const std::string html = pick(cora_, std::nullopt, ReportFormat::html);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);  // the product's name is text
  EXPECT_EQ(html.find("<link"), std::string::npos);    // nothing fetched
  EXPECT_NE(html.find("Beans, &quot;dry&quot; &lt;script&gt;alert(1)&lt;/script&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("Week &lt;1&gt; &amp; co"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST_P(MarketReportsTest, AMembersPickListIsTheirsOrTheCoordinators) {
  receive_and_settle();
  auto mine = [&](const Actor& a, int64_t order_id, ReportFormat f) {
    return report(a, [&](store::Tx& tx, const Ctx& ctx) {
      return market::member_pick_list(tx, ctx, order_id, f);
    });
  };
  auto lines = csv_lines(mine(bea_, bea_order_, ReportFormat::csv));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "producer,product,variant,unit,ordered,tolerance,quantity,price,amount");
  EXPECT_EQ(lines[1],
            "Farm,\"Beans, \"\"dry\"\" <script>alert(1)</script>\",bag,H87,2,0,1,2.50,2.50");
  const std::string html = mine(bea_, bea_order_, ReportFormat::html);
  EXPECT_NE(html.find("Total charged"), std::string::npos);
  EXPECT_NE(html.find("5.50"), std::string::npos);  // 2.50 and the van's 3.00
  EXPECT_FALSE(mine(cora_, bea_order_, ReportFormat::csv).empty());
  EXPECT_EQ(error_of([&] { mine(ana_, bea_order_, ReportFormat::csv); }).first, Code::forbidden);
}

TEST_P(MarketReportsTest, PackingListSplitsByPointAndTheStatementShowsThePayment) {
  auto packing = [&](const Actor& a, ReportFormat f) {
    return report(a, [&](store::Tx& tx, const Ctx& ctx) {
      return market::packing_list(tx, ctx, cycle_, farm_, f);
    });
  };
  auto statement = [&](const Actor& a, ReportFormat f) {
    return report(a, [&](store::Tx& tx, const Ctx& ctx) {
      return market::producer_statement(tx, ctx, cycle_, farm_, f);
    });
  };
  receive_and_settle();
  auto lines = csv_lines(packing(fred_, ReportFormat::csv));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "offer_id,product,variant,unit,point,units");
  EXPECT_EQ(lines[1], std::to_string(beans_) +
                          ",\"Beans, \"\"dry\"\" <script>alert(1)</script>\",bag,H87,Shop,2");
  EXPECT_EQ(lines[2], std::to_string(beans_) +
                          ",\"Beans, \"\"dry\"\" <script>alert(1)</script>\",bag,H87,Van,1");
  EXPECT_EQ(lines[3], std::to_string(links_) + ",\"'=HYPERLINK(\"\"x\"\")\",bag,H87,Shop,1");

  lines = csv_lines(statement(fred_, ReportFormat::csv));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0],
            "offer_id,product,variant,unit,ordered,confirmed,received,allocated,producer_price,"
            "amount,transfer_id");
  EXPECT_EQ(lines[1],
            std::to_string(beans_) +
                ",\"Beans, \"\"dry\"\" <script>alert(1)</script>\",bag,H87,4,,3,3,2.50,7.50,");
  EXPECT_EQ(lines[2],
            std::to_string(links_) + ",\"'=HYPERLINK(\"\"x\"\")\",bag,H87,1,,1,1,1.00,1.00,");
  // The total row names the transfer that paid the farm.
  int64_t paid = 0;
  db_->read([&](store::Tx& tx) {
    paid = tx.query("SELECT id FROM ledger_transfers WHERE idem_key = $1",
                    {"sys:market:settle:" + std::to_string(cycle_) +
                     ":producer:" + std::to_string(farm_)})
               .one()
               .i64(0);
  });
  EXPECT_EQ(lines[3], ",Total,,,,,,,,8.50," + std::to_string(paid));
  EXPECT_NE(
      statement(cora_, ReportFormat::html).find("Paid by ledger transfer " + std::to_string(paid)),
      std::string::npos);

  EXPECT_EQ(error_of([&] { packing(ana_, ReportFormat::csv); }).first, Code::forbidden);
  EXPECT_EQ(error_of([&] { statement(ana_, ReportFormat::html); }).first, Code::forbidden);
}

INSTANTIATE_TEST_SUITE_P(Engines, MarketReportsTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
