#include "app/repo/catalog_repo.h"

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <unordered_map>

#include "app/repo/values.h"
#include "core/assert.h"

namespace agora::app::repo {
namespace {

using store::Params;
using store::Row;
using store::Value;
using namespace values;

// ---- producers

constexpr const char* kProducerSelect =
    "SELECT o.id, o.name, o.kind, o.territory, o.currency, mp.story, mp.territory_mark "
    "FROM orgs o LEFT JOIN market_producers mp ON mp.org_id = o.id WHERE o.id = $1";

// ---- products

#define AGORA_PRODUCT_COLS                                                                     \
  "p.id, p.producer_org_id, g.name, p.name, p.description, p.category, p.territory, "          \
  "p.distance_km, p.packaging, p.currency, p.min_price, p.max_price, p.active, p.created_at, " \
  "p.updated_at "
constexpr size_t kProductCols = 15;

ProductRow product_of(const Row& r) {
  ProductRow p{.id = r.i64(0),
               .producer_org_id = r.i64(1),
               .producer_name = r.str(2),
               .name = r.str(3),
               .description = r.str(4),
               .category = r.str(5),
               .territory = r.str(6),
               .distance_km = r.i64(7),
               .packaging = r.str(8),
               .currency = r.str(9),
               .min_price = r.opt_i64(10),
               .max_price = r.opt_i64(11),
               .active = r.boolean(12),
               .sealed = false,
               .created_at = Timestamp{r.i64(13)},
               .updated_at = Timestamp{r.i64(14)}};
  AGORA_ASSERT(p.id > 0 && p.distance_km >= 0);
  return p;
}

// ---- variants

#define AGORA_VARIANT_COLS                                                                        \
  "v.id, v.product_id, v.name, v.unit_code, v.net_milli, v.case_size, v.price, v.producer_part, " \
  "v.transport, v.packing, v.margin, v.fund, v.tax, v.active, v.created_at, v.updated_at "

::agora::market::Breakdown breakdown_of(const Row& r, size_t at) {
  return ::agora::market::Breakdown{.producer = r.i64(at),
                                    .transport = r.i64(at + 1),
                                    .packing = r.i64(at + 2),
                                    .margin = r.i64(at + 3),
                                    .fund = r.i64(at + 4),
                                    .tax = r.i64(at + 5)};
}

VariantRow variant_of(const Row& r) {
  VariantRow v{.id = r.i64(0),
               .product_id = r.i64(1),
               .name = r.str(2),
               .unit_code = r.str(3),
               .net_milli = r.i64(4),
               .case_size = r.i64(5),
               .price = r.i64(6),
               .breakdown = breakdown_of(r, 7),
               .active = r.boolean(13),
               .created_at = Timestamp{r.i64(14)},
               .updated_at = Timestamp{r.i64(15)}};
  AGORA_ASSERT(v.id > 0 && v.price > 0 && v.breakdown.total() == v.price);
  return v;
}

std::vector<VariantRow> variants_from(const store::Rows& rows) {
  std::vector<VariantRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(variant_of(r));
  return out;
}

// ---- certifications and seals

constexpr const char* kCertificationCols =
    "c.id, c.product_id, c.name, c.certifier, c.reference, c.granted_on, c.expires_on, "
    "c.created_at ";

CertificationRow certification_of(const Row& r) {
  return CertificationRow{.id = r.i64(0),
                          .product_id = r.i64(1),
                          .name = r.str(2),
                          .certifier = r.str(3),
                          .reference = r.str(4),
                          .granted_on = r.str(5),
                          .expires_on = r.opt_str(6),
                          .created_at = Timestamp{r.i64(7)}};
}

SealRow seal_of(const Row& r) {
  return SealRow{.id = r.i64(0),
                 .product_id = r.i64(1),
                 .federation_org_id = r.i64(2),
                 .grant_decision_id = r.i64(3),
                 .granted_at = Timestamp{r.i64(4)},
                 .expires_at = opt_ts(r, 5),
                 .withdraw_decision_id = r.opt_i64(6),
                 .withdrawn_at = opt_ts(r, 7)};
}

// "$k, $k+1, ..." for ids, padded by repeating the last id to one of a few
// list lengths so that the statement cache holds few distinct texts.
std::string in_list(const std::vector<int64_t>& ids, Params& params) {
  AGORA_ASSERT(!ids.empty());
  size_t n = ids.size();
  size_t padded = n;
  for (size_t bucket : {size_t{1}, size_t{8}, size_t{50}, size_t{200}}) {
    if (n <= bucket) {
      padded = bucket;
      break;
    }
  }
  std::string out;
  for (size_t i = 0; i < padded; ++i) {
    params.emplace_back(std::in_place_type<int64_t>, ids[i < n ? i : n - 1]);
    if (i) out += ", ";
    out += "$" + std::to_string(params.size());
  }
  return out;
}

// ---- browse

// Appends a parameter and returns its placeholder. Built in place: moving a
// Value trips g++ 12's -Wmaybe-uninitialized.
std::string next(Params& params, int64_t v) {
  params.emplace_back(std::in_place_type<int64_t>, v);
  return "$" + std::to_string(params.size());
}
std::string next(Params& params, const std::string& v) {
  params.emplace_back(std::in_place_type<std::string>, v);
  return "$" + std::to_string(params.size());
}

// The live-seal test on the product aliased p; `now` is bound as a parameter.
std::string live_seal_exists(Params& params, Timestamp now) {
  return "EXISTS (SELECT 1 FROM market_seals s WHERE s.product_id = p.id AND s.withdrawn_at IS "
         "NULL AND (s.expires_at IS NULL OR s.expires_at > " +
         next(params, now.us) + "))";
}

struct WhereParts {
  bool category = true;
  bool territory = true;
};

// The conditions of `f` on products aliased p (and, for price, `price_col`).
std::string where_of(const CatalogFilter& f, const char* price_col, WhereParts parts,
                     Params& params) {
  std::string w;
  auto add = [&w](const std::string& cond) { w += " AND " + cond; };
  if (f.search_pattern) add("p.search LIKE " + next(params, *f.search_pattern) + " ESCAPE '!'");
  if (f.producer_org_id) add("p.producer_org_id = " + next(params, *f.producer_org_id));
  if (f.sealed) add(std::string(*f.sealed ? "" : "NOT ") + live_seal_exists(params, f.now));
  if (f.min_price) add(std::string(price_col) + " >= " + next(params, *f.min_price));
  if (f.max_price) add(std::string(price_col) + " <= " + next(params, *f.max_price));
  if (parts.category && f.category) {
    std::string eq = next(params, *f.category);
    add("(p.category = " + eq + " OR p.category LIKE " + next(params, *f.category_below) +
        " ESCAPE '!')");
  }
  if (parts.territory && f.territory) add("p.territory = " + next(params, *f.territory));
  return w;
}

// Byte order on both engines, so pages do not depend on PostgreSQL's locale.
const char* collate_c(store::Tx& tx) {
  return tx.dialect() == store::Dialect::postgres ? " COLLATE \"C\"" : "";
}

std::string order_of(store::Tx& tx, CatalogSort sort, const char* price_col,
                     const std::string& then) {
  const char* c = collate_c(tx);
  switch (sort) {
    case CatalogSort::price:
      return std::string(" ORDER BY ") + price_col + ", " + then;
    case CatalogSort::distance:
      return std::string(" ORDER BY p.distance_km, ") + then;
    case CatalogSort::name:
      break;
  }
  return std::string(" ORDER BY p.name") + c + ", " + then;
}

std::vector<FacetCount> facets_of(const store::Rows& rows) {
  std::vector<FacetCount> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(FacetCount{.value = r.str(0), .count = r.i64(1)});
  return out;
}

}  // namespace

// ---- producers

std::optional<ProducerRow> find_producer(store::Tx& tx, int64_t org_id) {
  auto rows = tx.query(kProducerSelect, {org_id});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.rows.front();
  return ProducerRow{.org_id = r.i64(0),
                     .name = r.str(1),
                     .kind = r.str(2),
                     .territory = r.str(3),
                     .currency = r.str(4),
                     .story = r.opt_str(5).value_or(""),
                     .territory_mark = r.opt_str(6)};
}

void upsert_producer(store::Tx& tx, int64_t org_id, const std::string& story,
                     const std::optional<std::string>& territory_mark, Timestamp now) {
  int64_t n = tx.exec(
      "UPDATE market_producers SET story = $2, territory_mark = $3, updated_at = $4 "
      "WHERE org_id = $1",
      {org_id, s(story), opt(territory_mark), now.us});
  if (n == 0) {
    tx.exec(
        "INSERT INTO market_producers (org_id, story, territory_mark, updated_at) "
        "VALUES ($1, $2, $3, $4)",
        {org_id, s(story), opt(territory_mark), now.us});
  }
}

// ---- products

std::optional<ProductRow> find_product(store::Tx& tx, int64_t product_id) {
  auto rows = tx.query("SELECT " AGORA_PRODUCT_COLS
                       "FROM market_products p JOIN orgs g ON g.id = p.producer_org_id "
                       "WHERE p.id = $1",
                       {product_id});
  if (rows.empty()) return std::nullopt;
  return product_of(rows.rows.front());
}

int64_t insert_product(store::Tx& tx, const ProductRow& p, const std::string& search) {
  return tx.insert(
      "INSERT INTO market_products (producer_org_id, name, description, category, territory, "
      "distance_km, packaging, currency, min_price, max_price, active, search, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
      {p.producer_org_id, s(p.name), s(p.description), s(p.category), s(p.territory), p.distance_km,
       s(p.packaging), s(p.currency), opt(p.min_price), opt(p.max_price), flag(p.active), s(search),
       p.created_at.us, p.updated_at.us});
}

void update_product(store::Tx& tx, const ProductRow& p, const std::string& search) {
  int64_t n = tx.exec(
      "UPDATE market_products SET name = $2, description = $3, category = $4, territory = $5, "
      "distance_km = $6, packaging = $7, active = $8, search = $9, updated_at = $10 "
      "WHERE id = $1",
      {p.id, s(p.name), s(p.description), s(p.category), s(p.territory), p.distance_km,
       s(p.packaging), flag(p.active), s(search), p.updated_at.us});
  AGORA_ASSERT(n == 1);
}

void refresh_prices(store::Tx& tx, int64_t product_id) {
  tx.exec(
      "UPDATE market_products SET "
      "min_price = (SELECT MIN(v.price) FROM market_variants v WHERE v.product_id = $1 AND "
      "v.active = 1), "
      "max_price = (SELECT MAX(v.price) FROM market_variants v WHERE v.product_id = $1 AND "
      "v.active = 1) WHERE id = $1",
      {product_id});
}

// ---- variants

std::optional<VariantRow> find_variant(store::Tx& tx, int64_t variant_id) {
  auto rows =
      tx.query("SELECT " AGORA_VARIANT_COLS "FROM market_variants v WHERE v.id = $1", {variant_id});
  if (rows.empty()) return std::nullopt;
  return variant_of(rows.rows.front());
}

std::vector<VariantRow> variants_of(store::Tx& tx, int64_t product_id) {
  return variants_from(tx.query("SELECT " AGORA_VARIANT_COLS
                                "FROM market_variants v WHERE v.product_id = $1 ORDER BY v.id",
                                {product_id}));
}

std::vector<VariantRow> active_variants_of(store::Tx& tx, const std::vector<int64_t>& product_ids) {
  if (product_ids.empty()) return {};
  std::vector<VariantRow> out;
  // At most 200 ids per statement (a page); larger sets go in chunks.
  for (size_t at = 0; at < product_ids.size(); at += 200) {
    std::vector<int64_t> chunk(
        product_ids.begin() + static_cast<std::ptrdiff_t>(at),
        product_ids.begin() + static_cast<std::ptrdiff_t>(std::min(at + 200, product_ids.size())));
    Params params;
    std::string list = in_list(chunk, params);
    auto part = variants_from(tx.query("SELECT " AGORA_VARIANT_COLS
                                       "FROM market_variants v WHERE v.active = 1 AND "
                                       "v.product_id IN (" +
                                           list + ") ORDER BY v.product_id, v.id",
                                       params));
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

int64_t count_variants(store::Tx& tx, int64_t product_id) {
  return tx.query("SELECT COUNT(*) FROM market_variants WHERE product_id = $1", {product_id})
      .one()
      .i64(0);
}

int64_t insert_variant(store::Tx& tx, const VariantRow& v) {
  const auto& b = v.breakdown;
  return tx.insert(
      "INSERT INTO market_variants (product_id, name, unit_code, net_milli, case_size, price, "
      "producer_part, transport, packing, margin, fund, tax, active, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
      {v.product_id, s(v.name), s(v.unit_code), v.net_milli, v.case_size, v.price, b.producer,
       b.transport, b.packing, b.margin, b.fund, b.tax, flag(v.active), v.created_at.us,
       v.updated_at.us});
}

void update_variant(store::Tx& tx, const VariantRow& v) {
  const auto& b = v.breakdown;
  int64_t n = tx.exec(
      "UPDATE market_variants SET name = $2, unit_code = $3, net_milli = $4, case_size = $5, "
      "price = $6, producer_part = $7, transport = $8, packing = $9, margin = $10, fund = $11, "
      "tax = $12, active = $13, updated_at = $14 WHERE id = $1",
      {v.id, s(v.name), s(v.unit_code), v.net_milli, v.case_size, v.price, b.producer, b.transport,
       b.packing, b.margin, b.fund, b.tax, flag(v.active), v.updated_at.us});
  AGORA_ASSERT(n == 1);
}

// ---- certifications

std::optional<CertificationRow> find_certification(store::Tx& tx, int64_t id) {
  auto rows = tx.query(
      std::string("SELECT ") + kCertificationCols + "FROM market_certifications c WHERE c.id = $1",
      {id});
  if (rows.empty()) return std::nullopt;
  return certification_of(rows.rows.front());
}

std::vector<CertificationRow> certifications_of(store::Tx& tx,
                                                const std::vector<int64_t>& product_ids) {
  std::vector<CertificationRow> out;
  for (size_t at = 0; at < product_ids.size(); at += 200) {
    std::vector<int64_t> chunk(
        product_ids.begin() + static_cast<std::ptrdiff_t>(at),
        product_ids.begin() + static_cast<std::ptrdiff_t>(std::min(at + 200, product_ids.size())));
    Params params;
    std::string list = in_list(chunk, params);
    auto rows = tx.query(std::string("SELECT ") + kCertificationCols +
                             "FROM market_certifications c WHERE c.product_id IN (" + list +
                             ") ORDER BY c.product_id, c.id",
                         params);
    for (const auto& r : rows.rows) out.push_back(certification_of(r));
  }
  return out;
}

int64_t count_certifications(store::Tx& tx, int64_t product_id) {
  return tx.query("SELECT COUNT(*) FROM market_certifications WHERE product_id = $1", {product_id})
      .one()
      .i64(0);
}

int64_t insert_certification(store::Tx& tx, const CertificationRow& c) {
  return tx.insert(
      "INSERT INTO market_certifications (product_id, name, certifier, reference, granted_on, "
      "expires_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {c.product_id, s(c.name), s(c.certifier), s(c.reference), s(c.granted_on), opt(c.expires_on),
       c.created_at.us});
}

void delete_certification(store::Tx& tx, int64_t id) {
  int64_t n = tx.exec("DELETE FROM market_certifications WHERE id = $1", {id});
  AGORA_ASSERT(n == 1);
}

// ---- the solidarity seal

std::vector<SealRow> seals_of(store::Tx& tx, int64_t product_id) {
  auto rows = tx.query(
      "SELECT id, product_id, federation_org_id, grant_decision_id, granted_at, expires_at, "
      "withdraw_decision_id, withdrawn_at FROM market_seals WHERE product_id = $1 "
      "ORDER BY id DESC",
      {product_id});
  std::vector<SealRow> out;
  for (const auto& r : rows.rows) out.push_back(seal_of(r));
  return out;
}

int64_t insert_seal(store::Tx& tx, const SealRow& s) {
  return tx.insert(
      "INSERT INTO market_seals (product_id, federation_org_id, grant_decision_id, granted_at, "
      "expires_at) VALUES ($1, $2, $3, $4, $5)",
      {s.product_id, s.federation_org_id, s.grant_decision_id, s.granted_at.us, opt(s.expires_at)});
}

bool withdraw_seal(store::Tx& tx, int64_t seal_id, int64_t decision_id, Timestamp now) {
  return tx.exec(
             "UPDATE market_seals SET withdraw_decision_id = $2, withdrawn_at = $3 "
             "WHERE id = $1 AND withdrawn_at IS NULL",
             {seal_id, decision_id, now.us}) == 1;
}

bool decision_used(store::Tx& tx, int64_t decision_id) {
  return !tx.query(
                "SELECT 1 FROM market_seals WHERE grant_decision_id = $1 "
                "UNION ALL SELECT 1 FROM market_seals WHERE withdraw_decision_id = $1",
                {decision_id})
              .empty();
}

std::optional<DecisionFacts> find_decision(store::Tx& tx, int64_t decision_id, int64_t in_org) {
  auto rows = tx.query(
      "SELECT d.id, d.org_id, d.domain, d.subject, d.status, "
      "(SELECT COUNT(*) FROM proposals p WHERE p.decision_id = d.id), "
      "(SELECT COUNT(*) FROM proposals p WHERE p.decision_id = d.id AND p.org_id = $2) "
      "FROM decisions d WHERE d.id = $1",
      {decision_id, in_org});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.rows.front();
  return DecisionFacts{.id = r.i64(0),
                       .org_id = r.i64(1),
                       .domain = r.str(2),
                       .subject = r.str(3),
                       .status = r.str(4),
                       .proposals = r.i64(5),
                       .proposals_in_org = r.i64(6)};
}

// ---- browse

BrowsePage browse_products(store::Tx& tx, const CatalogFilter& f, CatalogSort sort, int64_t offset,
                           int64_t limit) {
  constexpr const char* kBase = " WHERE p.active = 1 AND p.min_price IS NOT NULL";
  BrowsePage out;
  // The page's ids first, from the products table alone; then their rows
  // (with the producer's name and the live-seal test) for those ids only.
  std::vector<int64_t> ids;
  {
    Params params;
    std::string where = kBase + where_of(f, "p.min_price", {}, params);
    std::string sql = "SELECT p.id FROM market_products p" + where +
                      order_of(tx, sort, "p.min_price", "p.id") + " LIMIT " + next(params, limit) +
                      " OFFSET " + next(params, offset);
    for (const auto& r : tx.query(sql, params).rows) ids.push_back(r.i64(0));
  }
  if (!ids.empty()) {
    Params params;
    std::string sealed = live_seal_exists(params, f.now);
    std::string list = in_list(ids, params);
    auto rows = tx.query("SELECT " AGORA_PRODUCT_COLS ", CASE WHEN " + sealed +
                             " THEN 1 ELSE 0 END FROM market_products p JOIN orgs g ON g.id = "
                             "p.producer_org_id WHERE p.id IN (" +
                             list + ")",
                         params);
    std::unordered_map<int64_t, ProductRow> by_id;
    for (const auto& r : rows.rows) {
      ProductRow p = product_of(r);
      p.sealed = r.boolean(kProductCols);
      by_id.emplace(p.id, std::move(p));
    }
    for (int64_t id : ids) {
      auto it = by_id.find(id);
      AGORA_ASSERT(it != by_id.end());
      out.items.push_back(std::move(it->second));
    }
  }
  {
    Params params;
    std::string where = kBase + where_of(f, "p.min_price", {.category = false}, params);
    out.categories = facets_of(tx.query(
        "SELECT p.category, COUNT(*) FROM market_products p" + where + " GROUP BY p.category",
        params));
  }
  {
    Params params;
    std::string where = kBase + where_of(f, "p.min_price", {.territory = false}, params);
    out.territories = facets_of(tx.query(
        "SELECT p.territory, COUNT(*) FROM market_products p" + where + " GROUP BY p.territory",
        params));
  }
  if (!f.category) {
    // The category facet was counted over exactly this set.
    for (const auto& c : out.categories) out.total += c.count;
  } else if (!f.territory) {
    for (const auto& t : out.territories) out.total += t.count;
  } else {
    Params params;
    std::string where = kBase + where_of(f, "p.min_price", {}, params);
    out.total = tx.query("SELECT COUNT(*) FROM market_products p" + where, params).one().i64(0);
  }
  return out;
}

// ---- shop

std::optional<ShopCycle> find_shop_cycle(store::Tx& tx, int64_t cycle_id) {
  auto rows = tx.query(
      "SELECT id, name, state, closes_at, currency FROM market_cycles WHERE id = $1", {cycle_id});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.rows.front();
  return ShopCycle{.id = r.i64(0),
                   .name = r.str(1),
                   .state = r.str(2),
                   .closes_at = Timestamp{r.i64(3)},
                   .currency = r.str(4)};
}

ShopPage shop_offers(store::Tx& tx, int64_t cycle_id, const CatalogFilter& f, CatalogSort sort,
                     int64_t offset, int64_t limit) {
  ShopPage out;
  // The page's offer ids first, joining only what filters and sorts need;
  // then the labels of those offers only.
  std::vector<int64_t> ids;
  {
    Params params{cycle_id};
    std::string where = " WHERE o.cycle_id = $1" + where_of(f, "o.price", {}, params);
    bool by_name = sort == CatalogSort::name;
    std::string then =
        by_name ? std::string("v.name") + collate_c(tx) + ", o.id" : std::string("o.id");
    std::string sql = std::string("SELECT o.id FROM market_offers o ") +
                      (by_name ? "JOIN market_variants v ON v.id = o.variant_id " : "") +
                      "JOIN market_products p ON p.id = o.product_id" + where +
                      order_of(tx, sort, "o.price", then) + " LIMIT " + next(params, limit) +
                      " OFFSET " + next(params, offset);
    for (const auto& r : tx.query(sql, params).rows) ids.push_back(r.i64(0));
  }
  if (!ids.empty()) {
    Params params;
    std::string sealed = live_seal_exists(params, f.now);
    std::string list = in_list(ids, params);
    std::string sql =
        "SELECT o.id, o.cycle_id, o.variant_id, o.product_id, o.producer_org_id, g.name, p.name, "
        "v.name, v.unit_code, v.net_milli, o.case_size, o.max_units, o.price, o.producer_part, "
        "o.transport, o.packing, o.margin, o.fund, o.tax, p.category, CASE WHEN " +
        sealed +
        " THEN 1 ELSE 0 END, p.description, p.territory, p.distance_km, p.packaging, mp.story, "
        "mp.territory_mark FROM market_offers o "
        "JOIN market_variants v ON v.id = o.variant_id "
        "JOIN market_products p ON p.id = o.product_id "
        "JOIN orgs g ON g.id = o.producer_org_id "
        "LEFT JOIN market_producers mp ON mp.org_id = o.producer_org_id WHERE o.id IN (" +
        list + ")";
    std::unordered_map<int64_t, ShopRow> by_id;
    for (const auto& r : tx.query(sql, params).rows) {
      ShopRow row{.id = r.i64(0),
                  .cycle_id = r.i64(1),
                  .variant_id = r.i64(2),
                  .product_id = r.i64(3),
                  .producer_org_id = r.i64(4),
                  .producer_name = r.str(5),
                  .product_name = r.str(6),
                  .variant_name = r.str(7),
                  .unit_code = r.str(8),
                  .net_milli = r.i64(9),
                  .case_size = r.i64(10),
                  .max_units = r.opt_i64(11),
                  .price = r.i64(12),
                  .breakdown = breakdown_of(r, 13),
                  .category = r.str(19),
                  .sealed = r.boolean(20),
                  .description = r.str(21),
                  .territory = r.str(22),
                  .distance_km = r.i64(23),
                  .packaging = r.str(24),
                  .story = r.opt_str(25).value_or(""),
                  .territory_mark = r.opt_str(26)};
      AGORA_ASSERT(row.breakdown.total() == row.price && row.cycle_id == cycle_id);
      by_id.emplace(row.id, std::move(row));
    }
    for (int64_t id : ids) {
      auto it = by_id.find(id);
      AGORA_ASSERT(it != by_id.end());
      out.items.push_back(std::move(it->second));
    }
  }
  constexpr const char* kFrom =
      " FROM market_offers o JOIN market_products p ON p.id = o.product_id WHERE o.cycle_id = $1";
  {
    Params params{cycle_id};
    std::string where = kFrom + where_of(f, "o.price", {.category = false}, params);
    out.categories =
        facets_of(tx.query("SELECT p.category, COUNT(*)" + where + " GROUP BY p.category", params));
  }
  {
    Params params{cycle_id};
    std::string where = kFrom + where_of(f, "o.price", {.territory = false}, params);
    out.territories = facets_of(
        tx.query("SELECT p.territory, COUNT(*)" + where + " GROUP BY p.territory", params));
  }
  if (!f.category) {
    for (const auto& c : out.categories) out.total += c.count;
  } else if (!f.territory) {
    for (const auto& t : out.territories) out.total += t.count;
  } else {
    Params params{cycle_id};
    std::string where = kFrom + where_of(f, "o.price", {}, params);
    out.total = tx.query("SELECT COUNT(*)" + where, params).one().i64(0);
  }
  return out;
}

// ---- the Data Food Consortium export

std::vector<ProductRow> export_products(store::Tx& tx, std::optional<int64_t> producer_org_id,
                                        Timestamp now, int64_t limit) {
  Params params;
  std::string sealed = live_seal_exists(params, now);
  std::string sql = "SELECT " AGORA_PRODUCT_COLS ", CASE WHEN " + sealed +
                    " THEN 1 ELSE 0 END FROM market_products p JOIN orgs g ON g.id = "
                    "p.producer_org_id WHERE p.active = 1 AND p.min_price IS NOT NULL";
  if (producer_org_id) sql += " AND p.producer_org_id = " + next(params, *producer_org_id);
  sql += " ORDER BY p.producer_org_id, p.id LIMIT " + next(params, limit);
  std::vector<ProductRow> out;
  for (const auto& r : tx.query(sql, params).rows) {
    out.push_back(product_of(r));
    out.back().sealed = r.boolean(kProductCols);
  }
  return out;
}

std::vector<VariantRow> export_variants(store::Tx& tx, std::optional<int64_t> producer_org_id,
                                        int64_t limit) {
  Params params;
  std::string sql = "SELECT " AGORA_VARIANT_COLS
                    "FROM market_variants v JOIN market_products p ON p.id = v.product_id "
                    "WHERE v.active = 1 AND p.active = 1";
  if (producer_org_id) sql += " AND p.producer_org_id = " + next(params, *producer_org_id);
  sql += " ORDER BY p.producer_org_id, p.id, v.id LIMIT " + next(params, limit);
  return variants_from(tx.query(sql, params));
}

// ---- identity

std::string sqlite_database_file(store::Tx& tx) {
  if (tx.dialect() != store::Dialect::sqlite) return "";
  for (const auto& r : tx.query("PRAGMA database_list").rows) {
    if (r.str(1) == "main") return r.opt_str(2).value_or("");
  }
  return "";
}

}  // namespace agora::app::repo
