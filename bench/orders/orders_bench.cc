// bench/orders: one order cycle of the solidarity market end to end, driven
// by bench/orders/run.
//
//   orders_bench gen URL PRODUCTS MEMBERS LINES_PER_MEMBER
//       A fresh SQLite database holding an open cycle: PRODUCTS products
//       (one variant each) offered in the cycle by PRODUCTS/100 producers,
//       MEMBERS members of one co-op, each with a funded current account and
//       a placed order of LINES_PER_MEMBER lines under a pending hold. The
//       few orgs go through the use cases; the bulk is written with direct
//       SQL (INSERT ... SELECT over a generated sequence) in one transaction,
//       cloning the columns of one row that the use cases wrote where there
//       is one (a membership, a member account). Generation is not measured.
//       Prints {"cycle_id", "coop_id", "offers", "orders", "lines", ...}.
//   orders_bench shop URL CYCLE ROUNDS
//       The shopfront's default page (app::market::shop) built in process,
//       ROUNDS times uncached (a write between rounds moves the cache's
//       generation) and cached, and one scan of the cycle's offers joined
//       to their products. Prints the times (medians) and the page size.
//   orders_bench cycle URL CYCLE ROUNDS
//       The measured run: ROUNDS warm scans of the order lines (SELECT
//       SUM(quantity + tolerance)), then close (close_cycle_now), receive
//       (record_received: every tenth offer short, the rest as ordered),
//       the allocation preview, and settle (settle_cycle_now), each one
//       command through App::write (journaled, one durable commit), then
//       the floor of settle's writes (its transfer rows copied by one bare
//       INSERT ... SELECT, rolled back), ROUNDS more scans and
//       ledger::check_ledger. Prints every phase's wall and CPU time and the
//       checks.
//
// Single-threaded (the App's batcher runs each command on its own thread).

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/ledger.h"
#include "app/market.h"
#include "app/registry.h"
#include "core/assert.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "store/database.h"

namespace {

using namespace agora;
namespace ledger = agora::app::ledger;
namespace market = agora::app::market;

constexpr int64_t kFunds = 5'000'000;  // each member's opening balance, cents
constexpr int64_t kHourUs = int64_t{3'600'000'000};
constexpr int64_t kDayUs = 24 * kHourUs;
constexpr int64_t kProductsPerProducer = 100;
constexpr int64_t kShortEvery = 10;  // every tenth offer arrives short
constexpr int64_t kPoints = 4;

// The cycle's fee rates; the offers' breakdowns below follow
// market::apply_rates for these rates (bps parts rounded half up).
constexpr int64_t kTransportBps = 500, kPackingPerUnit = 10, kMarginBps = 1000, kFundBps = 100,
                  kTaxBps = 600;

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: orders_bench gen URL PRODUCTS MEMBERS LINES_PER_MEMBER\n"
               "       orders_bench shop URL CYCLE ROUNDS\n"
               "       orders_bench cycle URL CYCLE ROUNDS\n");
  std::exit(2);
}

int64_t parse_count(const char* s, int64_t min, int64_t max) {
  char* end = nullptr;
  long long v = std::strtoll(s, &end, 10);
  if (end == s || *end != '\0' || v < min || v > max) usage();
  return v;
}

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU seconds of the whole process (every thread: the batcher runs the
// commands), so that a phase's cost can be told apart from time spent
// waiting for a core on a loaded machine.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double median(std::vector<double> v) {
  AGORA_ASSERT(!v.empty());
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int64_t one_i64(store::Tx& tx, std::string_view sql, const store::Params& p = {}) {
  return tx.query(sql, p).one().i64(0);
}

int64_t next_id(store::Tx& tx, const std::string& table) {
  return one_i64(tx, "SELECT COALESCE(MAX(id), 0) + 1 FROM " + table);
}

// ---- gen

struct Shape {
  int64_t products = 0, members = 0, lines_per_member = 0;
};

// A pseudo-random 31-bit value of a row number, in SQL (an LCG step mixed
// twice), so the generated rows are the same in every run.
std::string mix(const std::string& i) {
  return "((((" + i + ") * 1103515245 + 12345) % 2147483648) * 1103515245 + 12345) % 2147483648";
}

const char* const kCategories[] = {"vegetables",
                                   "vegetables/roots",
                                   "vegetables/leaves",
                                   "fruit",
                                   "fruit/citrus",
                                   "dairy",
                                   "dairy/cheese",
                                   "dairy/yogurt",
                                   "bakery",
                                   "bakery/bread",
                                   "meat",
                                   "fish",
                                   "eggs",
                                   "grains",
                                   "grains/rice",
                                   "legumes",
                                   "oil",
                                   "honey",
                                   "preserves",
                                   "drinks",
                                   "drinks/juice",
                                   "drinks/wine",
                                   "cleaning",
                                   "hygiene",
                                   "herbs",
                                   "nuts",
                                   "pasta",
                                   "flour",
                                   "coffee",
                                   "tea"};
const char* const kTerritories[] = {
    "Minho",    "Douro",  "Beira",       "Ribatejo", "Alentejo", "Algarve",        "Galicia",
    "Asturias", "Leon",   "Extremadura", "Acores",   "Madeira",  "Tras-os-Montes", "Oeste",
    "Setubal",  "Lisboa", "Porto",       "Coimbra",  "Braga",    "Evora"};
const char* const kPackaging[] = {"none", "returnable", "compostable", "recyclable", "plastic"};

// One of `list` chosen by an SQL expression: a CASE over the list.
std::string pick(const char* const* list, size_t n, const std::string& index) {
  std::string s = "CASE (" + index + ") % " + std::to_string(n);
  for (size_t i = 0; i < n; ++i) s += " WHEN " + std::to_string(i) + " THEN '" + list[i] + "'";
  return s + " END";
}

// The rows i = 0 .. n - 1 of a recursive CTE named seq, to prefix a statement.
std::string seq(int64_t n) {
  return "WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < " +
         std::to_string(n - 1) + ") ";
}

void gen(const std::string& url, const Shape& sh) {
  auto db = store::Database::open(url);
  SystemClock clock;
  auto app = app::App::create(app::AppOptions{.db = db.get(), .clock = &clock});
  const app::Actor admin = app::Actor::system();
  const Timestamp now = clock.now();
  const int64_t producers = std::max<int64_t>(1, sh.products / kProductsPerProducer);

  // The orgs, one member and the org accounts through the use cases.
  Json orgs = app->write(
      admin, "bench_setup", Json{{"step", "orgs"}}, [&](store::Tx& tx, const app::Ctx& ctx) {
        Json fed = app::create_org(tx, ctx,
                                   app::OrgInput{.kind = "federation",
                                                 .name = "Bench market federation",
                                                 .slug = "bench-market-federation",
                                                 .territory = "Portugal"});
        const int64_t fed_id = fed.at("id").get<int64_t>();
        Json coop = app::create_org(tx, ctx,
                                    app::OrgInput{.parent_id = fed_id,
                                                  .kind = "consumer",
                                                  .name = "Bench consumer co-op",
                                                  .slug = "bench-consumer-coop",
                                                  .territory = "Lisboa",
                                                  .admission = "automatic"});
        const int64_t coop_id = coop.at("id").get<int64_t>();
        app::create_class(
            tx, ctx, coop_id,
            app::ClassInput{.code = "member", .name = "Member", .share_price_minor = 100});
        Json producer_ids = Json::array();
        for (int64_t p = 0; p < producers; ++p) {
          Json org = app::create_org(
              tx, ctx,
              app::OrgInput{.parent_id = fed_id,
                            .kind = "producer",
                            .name = "Producer co-op " + std::to_string(p + 1),
                            .slug = "bench-producer-" + std::to_string(p + 1),
                            .territory = kTerritories[p % std::size(kTerritories)]});
          const int64_t id = org.at("id").get<int64_t>();
          ledger::ensure_account(tx, ctx.now, id, "org", std::nullopt, "EUR", "operating");
          producer_ids.push_back(id);
        }
        const int64_t person = app::create_person(
            tx, ctx, app::PersonInput{.given_name = "Member", .family_name = "1"});
        app::apply_for_membership(
            tx, ctx, coop_id,
            app::ApplicationInput{.class_code = "member", .shares = 1, .person_id = person});
        const int64_t account =
            ledger::ensure_account(tx, ctx.now, coop_id, "member", person, "EUR", "current");
        return Json{
            {"federation_id", fed_id},
            {"coop_id", coop_id},
            {"producers", producer_ids},
            {"person", person},
            {"account", account},
            {"bank",
             ledger::ensure_account(tx, ctx.now, coop_id, "external", std::nullopt, "EUR", "bank")},
            {"clearing",
             ledger::ensure_account(tx, ctx.now, coop_id, "org", std::nullopt, "EUR", "clearing")},
            {"operating",
             ledger::ensure_account(tx, ctx.now, coop_id, "org", std::nullopt, "EUR", "operating")},
            {"investment", ledger::ensure_account(tx, ctx.now, coop_id, "fund", std::nullopt, "EUR",
                                                  "investment")}};
      });
  const int64_t coop = orgs.at("coop_id").get<int64_t>();
  const int64_t person0 = orgs.at("person").get<int64_t>();
  const int64_t account0 = orgs.at("account").get<int64_t>();
  const int64_t bank = orgs.at("bank").get<int64_t>();
  const int64_t clearing = orgs.at("clearing").get<int64_t>();
  const int64_t first_producer = orgs.at("producers").front().get<int64_t>();
  const int64_t last_producer = orgs.at("producers").back().get<int64_t>();
  AGORA_ASSERT(last_producer - first_producer + 1 == producers);

  const int64_t n_members = sh.members, n_products = sh.products, per = sh.lines_per_member;
  const int64_t n_lines = n_members * per;
  // Distinct offers within an order: offsets j * stride for j < per are
  // distinct modulo the number of offers.
  const int64_t stride = n_products / per;
  AGORA_ASSERT(stride >= 1);
  const int64_t opens = now.us - 7 * kDayUs, closes = now.us + kDayUs;
  Json out;
  auto t0 = Clock::now();
  auto mark = [&](const char* what) {
    std::fprintf(stderr, "orders_bench gen: %s at %.1fs\n", what, seconds_since(t0));
  };
  db->write([&](store::Tx& tx) {
    // Members: persons, memberships and current accounts cloned from the
    // first, which the use cases wrote (person0, account0).
    const int64_t p0 = next_id(tx, "persons");
    tx.exec(seq(n_members - 1) +
                "INSERT INTO persons (id, given_name, family_name, locale, created_at) "
                "SELECT $1 + i, 'Member', CAST(i + 2 AS TEXT), 'en', $2 FROM seq",
            {p0, now.us});
    tx.exec(seq(n_members - 1) +
                "INSERT INTO memberships (org_id, person_id, class_id, status, member_number, "
                "requested_shares, shares, paid_minor, applied_at, admitted_at) "
                "SELECT m.org_id, $1 + i, m.class_id, m.status, m.member_number + 1 + i, "
                "m.requested_shares, m.shares, m.paid_minor, m.applied_at, m.admitted_at "
                "FROM seq, memberships m WHERE m.person_id = $2 AND m.org_id = $3",
            {p0, person0, coop});
    tx.exec(
        "UPDATE orgs SET member_count = member_count + $1, next_member_number = "
        "next_member_number + $1 WHERE id = $2",
        {n_members - 1, coop});
    const int64_t a0 = next_id(tx, "ledger_accounts");
    tx.exec(seq(n_members - 1) +
                "INSERT INTO ledger_accounts (id, org_id, currency, holder, person_id, kind, name, "
                "lower_limit, upper_limit, debits_must_not_exceed_credits, "
                "credits_must_not_exceed_debits, created_at) "
                "SELECT $1 + i, a.org_id, a.currency, a.holder, $2 + i, a.kind, a.name, "
                "a.lower_limit, a.upper_limit, a.debits_must_not_exceed_credits, "
                "a.credits_must_not_exceed_debits, a.created_at FROM seq, ledger_accounts a "
                "WHERE a.id = $3",
            {a0, p0, account0});
    // Member k (0-based) is person pid(k), account aid(k).
    auto pid = [&](const std::string& k) {
      return "(CASE WHEN " + k + " = 0 THEN " + std::to_string(person0) + " ELSE " +
             std::to_string(p0 - 1) + " + " + k + " END)";
    };
    auto aid = [&](const std::string& k) {
      return "(CASE WHEN " + k + " = 0 THEN " + std::to_string(account0) + " ELSE " +
             std::to_string(a0 - 1) + " + " + k + " END)";
    };

    mark("members");
    // Opening balances: one posted deposit per member from the bank.
    const int64_t f0 = next_id(tx, "ledger_transfers");
    tx.exec(seq(n_members) +
                "INSERT INTO ledger_transfers (id, idem_key, body_hash, created_by, action, "
                "pending, debit_account_id, credit_account_id, amount, currency, code, memo, "
                "debit_balance, credit_balance, created_at) "
                "SELECT $1 + i, 'bench:fund:' || i, 'bench', 0, 'create', 0, $2, " +
                aid("i") + ", $3, 'EUR', 'deposit', 'opening balance', -$3 * (i + 1), $3, $4 " +
                "FROM seq",
            {f0, bank, kFunds, now.us});

    mark("opening balances");
    // The cycle, its co-op and points.
    const int64_t cycle = tx.insert(
        "INSERT INTO market_cycles (coordinator_org_id, name, currency, opens_at, closes_at, "
        "state, share_rule, transport_bps, packing_per_unit, margin_bps, fund_bps, tax_bps, "
        "created_at, opened_at) VALUES ($1, 'Bench cycle', 'EUR', $2, $3, 'open', "
        "'proportional', $4, $5, $6, $7, $8, $9, $2)",
        {coop, opens, closes, kTransportBps, kPackingPerUnit, kMarginBps, kFundBps, kTaxBps,
         now.us});
    tx.exec("INSERT INTO market_cycle_coops (cycle_id, org_id) VALUES ($1, $2)", {cycle, coop});
    const int64_t pt0 = next_id(tx, "market_points");
    for (int64_t k = 0; k < kPoints; ++k) {
      tx.exec(
          "INSERT INTO market_points (id, cycle_id, name, kind, address, fee) VALUES ($1, $2, $3, "
          "$4, $5, $6)",
          {pt0 + k, cycle, "Point " + std::to_string(k + 1), k == 3 ? "delivery" : "pickup",
           "Rua " + std::to_string(k + 1), k < 2 ? 0 : 150 * (k - 1)});
    }

    // Producers' labels, products (one variant each), certifications and offers.
    tx.exec(
        "INSERT INTO market_producers (org_id, story, territory_mark, updated_at) "
        "SELECT id, 'A collective of ' || (id % 40 + 3) || ' worker-members farming together "
        "since ' || (1975 + id % 45) || '.', CASE WHEN id % 3 = 0 THEN territory || ' DOP' END, "
        "$3 FROM orgs WHERE id BETWEEN $1 AND $2",
        {first_producer, last_producer, now.us});
    const int64_t pr0 = next_id(tx, "market_products");
    const std::string h = mix("i");
    const std::string producer = std::to_string(first_producer) + " + i / " +
                                 std::to_string(kProductsPerProducer) + " % " +
                                 std::to_string(producers);
    const std::string name = "'Product ' || printf('%05d', i) || ' ' || " +
                             pick(kCategories, std::size(kCategories), "i * 7") + "";
    const std::string desc =
        "'Grown and packed by the co-op''s members; harvested the week of the order, no "
        "intermediaries. Batch ' || (" +
        h + ") % 100000 || '.'";
    // Producer price 50..2049 cents; the variant price is the producer's
    // price alone (the cycle adds its fees).
    const std::string pp = "(50 + (" + h + ") % 2000)";
    tx.exec(seq(n_products) +
                "INSERT INTO market_products (id, producer_org_id, name, description, category, "
                "territory, distance_km, packaging, currency, min_price, max_price, active, "
                "search, created_at, updated_at) "
                "SELECT $1 + i, " +
                producer + ", " + name + ", " + desc + ", " +
                pick(kCategories, std::size(kCategories), "i * 7") + ", " +
                pick(kTerritories, std::size(kTerritories), "i / 3") + ", (" + h + ") % 400, " +
                pick(kPackaging, std::size(kPackaging), "i") + ", 'EUR', " + pp + ", " + pp +
                ", 1, lower(" + name + " || ' Producer co-op ' || (" + producer +
                " - $2 + 1) || ' ' || " + desc + "), $3, $3 FROM seq",
            {pr0, first_producer, now.us});
    const int64_t v0 = next_id(tx, "market_variants");
    tx.exec(seq(n_products) +
                "INSERT INTO market_variants (id, product_id, name, unit_code, net_milli, "
                "case_size, price, producer_part, transport, packing, margin, fund, tax, active, "
                "created_at, updated_at) "
                "SELECT $1 + i, $2 + i, 'Standard', 'H87', 1000, "
                "CASE i % 4 WHEN 0 THEN 1 WHEN 1 THEN 6 WHEN 2 THEN 12 ELSE 24 END, " +
                pp + ", " + pp + ", 0, 0, 0, 0, 0, 1, $3, $3 FROM seq",
            {v0, pr0, now.us});
    tx.exec(seq(n_products) +
                "INSERT INTO market_certifications (product_id, name, certifier, reference, "
                "granted_on, expires_on, created_at) "
                "SELECT $1 + i, 'EU organic', 'Certis', 'PT-BIO-' || i, '2026-01-15', "
                "'2027-01-14', $2 FROM seq WHERE i % 5 = 0",
            {pr0, now.us});
    mark("products");
    // Offers: every variant at the cycle's price, built by market::apply_rates.
    const ::agora::market::FeeRates rates{.transport_bps = kTransportBps,
                                          .packing_per_unit = kPackingPerUnit,
                                          .margin_bps = kMarginBps,
                                          .fund_bps = kFundBps,
                                          .tax_bps = kTaxBps};
    const int64_t of0 = next_id(tx, "market_offers");
    auto variants = tx.query(
        "SELECT v.id, v.product_id, p.producer_org_id, v.case_size, v.producer_part "
        "FROM market_variants v JOIN market_products p ON p.id = v.product_id "
        "WHERE v.id >= $1 ORDER BY v.id",
        {v0});
    AGORA_ASSERT(static_cast<int64_t>(variants.rows.size()) == n_products);
    for (const auto& r : variants.rows) {
      const ::agora::market::Breakdown b = ::agora::market::apply_rates(r.i64(4), rates);
      tx.exec(
          "INSERT INTO market_offers (id, cycle_id, variant_id, product_id, producer_org_id, "
          "case_size, price, producer_part, transport, packing, margin, fund, tax) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
          {of0 + (r.i64(0) - v0), cycle, r.i64(0), r.i64(1), r.i64(2), r.i64(3), b.total(),
           b.producer, b.transport, b.packing, b.margin, b.fund, b.tax});
    }

    mark("offers");
    // Orders (placed, one per member), then their lines, then each order's
    // hold amount (every line's quantity + tolerance at its price, plus the
    // point's fee), then the pending holds themselves.
    const int64_t o0 = next_id(tx, "market_orders");
    const std::string placed = std::to_string(opens + 1000) + " + k * 10";
    tx.exec("WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq WHERE k < " +
                std::to_string(n_members - 1) +
                ") INSERT INTO market_orders (id, cycle_id, org_id, person_id, account_id, "
                "point_id, state, hold_amount, placed_at, created_at, updated_at) "
                "SELECT $1 + k, $2, $3, " +
                pid("k") + ", " + aid("k") + ", $4 + k % " + std::to_string(kPoints) +
                ", 'placed', 0, " + placed + ", " + placed + ", " + placed + " FROM seq",
            {o0, cycle, coop, pt0});
    const std::string hl = mix("i");
    tx.exec(seq(n_lines) +
                "INSERT INTO market_order_lines (order_id, cycle_id, offer_id, quantity, "
                "tolerance, ordered_at) "
                "SELECT $1 + i / $2, $3, $4 + ((i / $2) * 7919 + (i % $2) * $5) % $6, "
                "1 + ((" +
                hl + ") / 7) % 4, ((" + hl + ") / 131) % 3, " + std::to_string(opens + 1000) +
                " + (i / $2) * 10 FROM seq",
            {o0, per, cycle, of0, stride, n_products});
    // The running demand per offer that placing these orders through the
    // use cases would have kept (market_demand).
    tx.exec(
        "INSERT INTO market_demand (cycle_id, offer_id, quantity, tolerance) "
        "SELECT $1, offer_id, SUM(quantity), SUM(tolerance) FROM market_order_lines "
        "WHERE cycle_id = $1 GROUP BY offer_id",
        {cycle});
    mark("orders and lines");
    // Keyed temporary tables, so that each UPDATE ... FROM below looks rows
    // up by key instead of scanning (no index on market_orders.account_id).
    tx.exec("CREATE TEMP TABLE bench_holds (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL)");
    tx.exec(
        "INSERT INTO bench_holds (id, amount) SELECT l.order_id, "
        "SUM((l.quantity + l.tolerance) * f.price) FROM market_order_lines l "
        "JOIN market_offers f ON f.id = l.offer_id WHERE l.cycle_id = $1 GROUP BY l.order_id",
        {cycle});
    tx.exec(
        "UPDATE market_orders SET hold_amount = h.amount + (SELECT fee FROM market_points pt "
        "WHERE pt.id = market_orders.point_id) FROM bench_holds h "
        "WHERE h.id = market_orders.id",
        {});
    tx.exec("DROP TABLE bench_holds");
    mark("hold amounts");
    const int64_t h0 = next_id(tx, "ledger_transfers");
    tx.exec(
        "INSERT INTO ledger_transfers (id, idem_key, body_hash, created_by, action, pending, "
        "debit_account_id, credit_account_id, amount, currency, code, memo, timeout_at, "
        "debit_balance, credit_balance, created_at) "
        "SELECT $1 + (o.id - $2), 'sys:market:hold:' || o.id || ':1', 'bench', 0, 'create', "
        "1, o.account_id, $3, o.hold_amount, 'EUR', 'market_order', 'market order ' || o.id || ', "
        "cycle ' || o.cycle_id, $4, $5, 0, "
        "o.placed_at FROM market_orders o WHERE o.cycle_id = $6",
        {h0, o0, clearing, closes + 30 * kDayUs, kFunds, cycle});
    tx.exec(
        "INSERT INTO ledger_pending (transfer_id, state, timeout_at) "
        "SELECT id, 'pending', timeout_at FROM ledger_transfers WHERE id >= $1",
        {h0});
    tx.exec("UPDATE market_orders SET hold_transfer_id = $1 + (id - $2) WHERE cycle_id = $3",
            {h0, o0, cycle});
    mark("holds");
    // Account totals: what the transfers above add up to.
    tx.exec("CREATE TEMP TABLE bench_accounts (id INTEGER PRIMARY KEY, held INTEGER NOT NULL)");
    tx.exec(
        "INSERT INTO bench_accounts (id, held) SELECT account_id, hold_amount "
        "FROM market_orders WHERE cycle_id = $1",
        {cycle});
    tx.exec(
        "UPDATE ledger_accounts SET credits_posted = credits_posted + $1, debits_pending = "
        "debits_pending + b.held FROM bench_accounts b WHERE b.id = ledger_accounts.id",
        {kFunds});
    tx.exec("DROP TABLE bench_accounts");
    tx.exec("UPDATE ledger_accounts SET debits_posted = debits_posted + $1 WHERE id = $2",
            {kFunds * n_members, bank});
    tx.exec(
        "UPDATE ledger_accounts SET credits_pending = credits_pending + (SELECT "
        "SUM(hold_amount) FROM market_orders WHERE cycle_id = $1) WHERE id = $2",
        {cycle, clearing});
    mark("account totals");
    out = Json{
        {"cycle_id", cycle},
        {"coop_id", coop},
        {"offers", one_i64(tx, "SELECT COUNT(*) FROM market_offers WHERE cycle_id = $1", {cycle})},
        {"orders", one_i64(tx, "SELECT COUNT(*) FROM market_orders WHERE cycle_id = $1", {cycle})},
        {"lines",
         one_i64(tx, "SELECT COUNT(*) FROM market_order_lines WHERE cycle_id = $1", {cycle})},
        {"producers", producers},
        {"members", n_members},
        {"held",
         one_i64(tx, "SELECT SUM(hold_amount) FROM market_orders WHERE cycle_id = $1", {cycle})}};
  });
  app->stop();
  out["gen_seconds"] = seconds_since(t0);
  std::printf("%s\n", out.dump().c_str());
}

// ---- shop

// The cycle's offers joined to their products, read once: what any page of
// the shopfront must at least touch to count its total and facets.
int64_t scan_offers(store::Tx& tx, int64_t cycle) {
  return one_i64(tx,
                 "SELECT COUNT(*) + SUM(LENGTH(p.category)) + SUM(LENGTH(p.territory)) "
                 "FROM market_offers o JOIN market_products p ON p.id = o.product_id "
                 "WHERE o.cycle_id = $1",
                 {cycle});
}

void shop(const std::string& url, int64_t cycle, int64_t rounds) {
  auto db = store::Database::open(url, {.migrate = false, .create = false});
  SystemClock clock;
  auto app = app::App::create(app::AppOptions{.db = db.get(), .clock = &clock});
  const app::Actor anon{};
  std::vector<double> uncached, cached, scans;
  size_t bytes = 0;
  int64_t items = 0, total = 0;
  for (int64_t r = 0; r < rounds; ++r) {
    // An empty write moves store::write_generation(), as any order placed
    // during the cycle would: the next page is built afresh.
    db->write([](store::Tx&) {});
    auto t0 = Clock::now();
    Json page = app->read(anon, [&](store::Tx& tx, const app::Ctx& ctx) {
      return market::shop(tx, ctx, cycle, market::CatalogQuery{});
    });
    const std::string body = page.dump();
    uncached.push_back(seconds_since(t0));
    bytes = body.size();
    items = static_cast<int64_t>(page.at("items").size());
    total = page.at("total").get<int64_t>();
    t0 = Clock::now();
    Json again = app->read(anon, [&](store::Tx& tx, const app::Ctx& ctx) {
      return market::shop(tx, ctx, cycle, market::CatalogQuery{});
    });
    const std::string body2 = again.dump();
    cached.push_back(seconds_since(t0));
    AGORA_ASSERT(body2 == body);
    t0 = Clock::now();
    db->read([&](store::Tx& tx) { scan_offers(tx, cycle); });
    scans.push_back(seconds_since(t0));
  }
  app->stop();
  Json out{{"rounds", rounds},
           {"uncached_s", median(uncached)},
           {"cached_s", median(cached)},
           {"offers_scan_s", median(scans)},
           {"uncached_all_s", uncached},
           {"offers_scan_all_s", scans},
           {"page_bytes", bytes},
           {"items", items},
           {"total", total}};
  std::printf("%s\n", out.dump().c_str());
}

// ---- cycle

int64_t scan_lines(store::Tx& tx) {
  return one_i64(tx, "SELECT SUM(quantity + tolerance) FROM market_order_lines");
}

std::vector<double> scans(store::Database& db, int64_t rounds, int64_t& sum,
                          std::vector<double>* cpu = nullptr) {
  std::vector<double> out;
  for (int64_t r = 0; r < rounds; ++r) {
    auto t0 = Clock::now();
    const double c0 = cpu_seconds();
    db.read([&](store::Tx& tx) { sum = scan_lines(tx); });
    out.push_back(seconds_since(t0));
    if (cpu) cpu->push_back(cpu_seconds() - c0);
  }
  return out;
}

void cycle(const std::string& url, int64_t cycle_id, int64_t rounds) {
  auto db = store::Database::open(url, {.migrate = false, .create = false});
  SystemClock clock;
  auto app = app::App::create(app::AppOptions{.db = db.get(), .clock = &clock});
  const app::Actor admin = app::Actor::system();
  Json out{{"cycle_id", cycle_id}};

  int64_t units = 0;
  scans(*db, 1, units);  // warms the page cache; not counted
  std::vector<double> scan_cpu;
  std::vector<double> scan_s = scans(*db, rounds, units, &scan_cpu);
  out["ordered_units"] = units;

  auto timed = [&](const char* name, const app::WriteFn& fn) {
    auto t0 = Clock::now();
    const double c0 = cpu_seconds();
    Json r = app->write(admin, name, Json{{"cycle_id", cycle_id}}, fn);
    out["phases"][name] = seconds_since(t0);
    out["phases_cpu"][name] = cpu_seconds() - c0;
    return r;
  };
  const app::WriteFn close_fn = [&](store::Tx& tx, const app::Ctx& ctx) {
    market::close_cycle_now(tx, ctx.now, cycle_id);
    return Json();
  };
  timed("close", close_fn);

  // What arrived: every tenth offer with units ordered short by a quarter
  // (rounded down), the rest as ordered (all_as_confirmed).
  std::vector<market::ReceiveLine> short_lines;
  db->read([&](store::Tx& tx) {
    auto rows = tx.query(
        "SELECT l.offer_id, l.units FROM market_po_lines l JOIN market_purchase_orders p ON "
        "p.id = l.po_id WHERE p.cycle_id = $1 ORDER BY l.offer_id",
        {cycle_id});
    out["po_lines"] = rows.rows.size();
    for (const auto& r : rows.rows) {
      if (r.i64(0) % kShortEvery == 0 && r.i64(1) > 0) {
        short_lines.push_back({.offer_id = r.i64(0), .units = r.i64(1) * 3 / 4});
      }
    }
  });
  out["short_offers"] = short_lines.size();
  const app::WriteFn receive_fn = [&](store::Tx& tx, const app::Ctx& ctx) {
    market::record_received(tx, ctx, cycle_id, short_lines, true);
    return Json();
  };
  timed("receive", receive_fn);

  // The allocation preview: the same sharing out settle does first, as a
  // read (reported apart; settle repeats it).
  auto t0 = Clock::now();
  const double c0 = cpu_seconds();
  Json preview = app->read(admin, [&](store::Tx& tx, const app::Ctx& ctx) {
    Json p = market::preview_allocation(tx, ctx, cycle_id);
    return Json{{"orders_changed", p.at("orders_changed")}, {"offers", p.at("offers").size()}};
  });
  out["phases"]["allocation_preview"] = seconds_since(t0);
  out["phases_cpu"]["allocation_preview"] = cpu_seconds() - c0;
  out["orders_changed"] = preview.at("orders_changed");

  const app::WriteFn settle_fn = [&](store::Tx& tx, const app::Ctx& ctx) {
    Json r = market::settle_cycle_now(tx, ctx.now, cycle_id);
    return Json{{"orders", r.at("orders")},
                {"total", r.at("total")},
                {"transfers", r.at("transfers")},
                {"point_fees", r.at("point_fees")},
                {"producers", r.at("producers").size()}};
  };
  out["settle"] = timed("settle", settle_fn);

  // A floor for settle's writes: the same transfer rows it wrote, copied
  // by one INSERT ... SELECT (new keys; every index of the table kept) in a
  // transaction that is then rolled back.
  struct Rollback {};
  try {
    db->write([&](store::Tx& tx) {
      auto t1 = Clock::now();
      const int64_t n = tx.exec(
          "INSERT INTO ledger_transfers (idem_key, body_hash, created_by, action, pending, "
          "debit_account_id, credit_account_id, amount, currency, code, memo, pending_id, "
          "batch_id, debit_balance, credit_balance, created_at) "
          "SELECT 'floor:' || idem_key, body_hash, created_by, action, pending, "
          "debit_account_id, credit_account_id, amount, currency, code, memo, pending_id, "
          "batch_id, debit_balance, credit_balance, created_at FROM ledger_transfers "
          "WHERE batch_id = (SELECT batch_id FROM market_cycles WHERE id = $1)",
          {cycle_id});
      out["settle_rows_insert_s"] = seconds_since(t1);
      out["settle_rows"] = n;
      throw Rollback{};
    });
  } catch (const Rollback&) {
  }

  std::vector<double> after = scans(*db, rounds, units, &scan_cpu);
  scan_s.insert(scan_s.end(), after.begin(), after.end());
  const double scan_cpu_s = median(scan_cpu);
  const Json& pc = out["phases_cpu"];
  const double e2e_cpu =
      pc["close"].get<double>() + pc["receive"].get<double>() + pc["settle"].get<double>();
  out["scan_cpu_s"] = scan_cpu_s;
  out["end_to_end_cpu_s"] = e2e_cpu;
  out["multiple_of_scan_cpu"] = e2e_cpu / scan_cpu_s;
  const double scan = median(scan_s);
  const Json& ph = out["phases"];
  const double e2e =
      ph["close"].get<double>() + ph["receive"].get<double>() + ph["settle"].get<double>();
  out["scan_s"] = scan;
  out["scan_all_s"] = scan_s;
  out["end_to_end_s"] = e2e;
  out["multiple_of_scan"] = e2e / scan;

  db->read([&](store::Tx& tx) {
    out["state"] =
        tx.query("SELECT state FROM market_cycles WHERE id = $1", {cycle_id}).one().str(0);
    out["orders_settled"] =
        one_i64(tx, "SELECT COUNT(*) FROM market_orders WHERE cycle_id = $1 AND state = 'settled'",
                {cycle_id});
    out["allocations"] =
        one_i64(tx, "SELECT COUNT(*) FROM market_allocations WHERE cycle_id = $1", {cycle_id});
    out["holds_still_pending"] = one_i64(
        tx,
        "SELECT COUNT(*) FROM ledger_pending p JOIN market_orders o ON o.hold_transfer_id = "
        "p.transfer_id WHERE o.cycle_id = $1 AND p.state = 'pending'",
        {cycle_id});
    auto t1 = Clock::now();
    Json check = ledger::check_ledger(tx);
    out["check_ledger_s"] = seconds_since(t1);
    out["ledger_ok"] = check.at("ok");
    out["ledger_accounts"] = check.at("accounts");
    out["ledger_transfers"] = check.at("transfers");
    if (!check.at("ok").get<bool>()) out["ledger_problems"] = check.at("problems");
    Json market_check = market::check_market(tx);
    out["market_ok"] = market_check.at("ok");
    if (!market_check.at("ok").get<bool>()) out["market_problems"] = market_check.at("problems");
  });
  app->stop();
  std::printf("%s\n", out.dump().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) usage();
  const std::string cmd = argv[1];
  try {
    if (cmd == "gen" && argc == 6) {
      gen(argv[2], Shape{.products = parse_count(argv[3], 20, 50000),
                         .members = parse_count(argv[4], 2, 10000000),
                         .lines_per_member = parse_count(argv[5], 1, 500)});
    } else if (cmd == "shop" && argc == 5) {
      shop(argv[2], parse_count(argv[3], 1, INT64_MAX), parse_count(argv[4], 1, 1000));
    } else if (cmd == "cycle" && argc == 5) {
      cycle(argv[2], parse_count(argv[3], 1, INT64_MAX), parse_count(argv[4], 1, 1000));
    } else {
      usage();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "orders_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
