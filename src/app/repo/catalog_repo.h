#pragma once
// SQL for the market's catalog (tables market_producers, market_products,
// market_variants, market_certifications and market_seals of
// 0007_market.sql): producers' labels, products and their variants,
// certifications, the solidarity seal, the catalog's browse and facet
// queries, a cycle's shopfront and the rows of the Data Food Consortium
// export. Plain functions over a transaction; the rules live in
// market/ and app/market_catalog.cc.
// Thread-safe: stateless; each call uses only the Tx it is given.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "market/price.h"
#include "store/database.h"

namespace agora::app::repo {

// ---- producers

// An organisation with its label facts (story "" and no mark until set).
struct ProducerRow {
  int64_t org_id = 0;
  std::string name{};
  std::string kind{};
  std::string territory{};
  std::string currency{};
  std::string story{};
  std::optional<std::string> territory_mark = std::nullopt;
};
std::optional<ProducerRow> find_producer(store::Tx& tx, int64_t org_id);
void upsert_producer(store::Tx& tx, int64_t org_id, const std::string& story,
                     const std::optional<std::string>& territory_mark, Timestamp now);

// ---- products

struct ProductRow {
  int64_t id = 0;
  int64_t producer_org_id = 0;
  std::string producer_name{};  // read only (orgs.name)
  std::string name{};
  std::string description{};
  std::string category{};
  std::string territory{};
  int64_t distance_km = 0;
  std::string packaging{};
  std::string currency{};
  std::optional<int64_t> min_price = std::nullopt;  // kept by refresh_prices
  std::optional<int64_t> max_price = std::nullopt;
  bool active = true;
  bool sealed = false;  // read only: a live seal (browse and DFC rows)
  Timestamp created_at{};
  Timestamp updated_at{};
};
std::optional<ProductRow> find_product(store::Tx& tx, int64_t product_id);
// `search` is the folded text the catalog's q matches.
int64_t insert_product(store::Tx& tx, const ProductRow& p, const std::string& search);
void update_product(store::Tx& tx, const ProductRow& p, const std::string& search);
// Sets min_price/max_price from the product's active variants (NULL when none).
void refresh_prices(store::Tx& tx, int64_t product_id);

// ---- variants

struct VariantRow {
  int64_t id = 0;
  int64_t product_id = 0;
  std::string name{};
  std::string unit_code{};
  int64_t net_milli = 0;
  int64_t case_size = 1;
  int64_t price = 0;
  ::agora::market::Breakdown breakdown{};
  bool active = true;
  Timestamp created_at{};
  Timestamp updated_at{};
};
std::optional<VariantRow> find_variant(store::Tx& tx, int64_t variant_id);
std::vector<VariantRow> variants_of(store::Tx& tx, int64_t product_id);  // by id
// Active variants of several products, by product then id.
std::vector<VariantRow> active_variants_of(store::Tx& tx, const std::vector<int64_t>& product_ids);
int64_t count_variants(store::Tx& tx, int64_t product_id);
int64_t insert_variant(store::Tx& tx, const VariantRow& v);
void update_variant(store::Tx& tx, const VariantRow& v);

// ---- certifications

struct CertificationRow {
  int64_t id = 0;
  int64_t product_id = 0;
  std::string name{};
  std::string certifier{};
  std::string reference{};
  std::string granted_on{};  // YYYY-MM-DD
  std::optional<std::string> expires_on = std::nullopt;
  Timestamp created_at{};
};
std::optional<CertificationRow> find_certification(store::Tx& tx, int64_t id);
// By product then id.
std::vector<CertificationRow> certifications_of(store::Tx& tx,
                                                const std::vector<int64_t>& product_ids);
int64_t count_certifications(store::Tx& tx, int64_t product_id);
int64_t insert_certification(store::Tx& tx, const CertificationRow& c);
void delete_certification(store::Tx& tx, int64_t id);

// ---- the solidarity seal

struct SealRow {
  int64_t id = 0;
  int64_t product_id = 0;
  int64_t federation_org_id = 0;
  int64_t grant_decision_id = 0;
  Timestamp granted_at{};
  std::optional<Timestamp> expires_at = std::nullopt;
  std::optional<int64_t> withdraw_decision_id = std::nullopt;
  std::optional<Timestamp> withdrawn_at = std::nullopt;
  bool live(Timestamp now) const { return !withdrawn_at && (!expires_at || *expires_at > now); }
};
std::vector<SealRow> seals_of(store::Tx& tx, int64_t product_id);  // newest first
int64_t insert_seal(store::Tx& tx, const SealRow& s);
// Guarded: only a seal not yet withdrawn; returns whether it changed.
bool withdraw_seal(store::Tx& tx, int64_t seal_id, int64_t decision_id, Timestamp now);
// Whether a seal was granted or withdrawn by this decision.
bool decision_used(store::Tx& tx, int64_t decision_id);

// The facts of a decision the seal relies on.
struct DecisionFacts {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string domain{};
  std::string subject{};
  std::string status{};
  int64_t proposals = 0;         // how many proposals it has
  int64_t proposals_in_org = 0;  // of which decided by bodies of `in_org`
};
std::optional<DecisionFacts> find_decision(store::Tx& tx, int64_t decision_id, int64_t in_org);

// ---- browse and search

// A filter on products (browse) or on a cycle's offers (shop). Patterns are
// LIKE patterns with '!' as the escape character, already folded.
struct CatalogFilter {
  std::optional<std::string> search_pattern{};  // "%text%"
  std::optional<std::string> category{};        // matches itself ...
  std::optional<std::string> category_below{};  // ... and "category/%"
  std::optional<std::string> territory{};
  std::optional<int64_t> producer_org_id{};
  std::optional<bool> sealed{};
  std::optional<int64_t> min_price{}, max_price{};
  Timestamp now{};  // for live seals
};
enum class CatalogSort { name, price, distance };

struct FacetCount {
  std::string value{};
  int64_t count = 0;
};
struct BrowsePage {
  std::vector<ProductRow> items{};
  int64_t total = 0;
  std::vector<FacetCount> categories{}, territories{};  // unsorted
};
// Active products with at least one active variant.
BrowsePage browse_products(store::Tx& tx, const CatalogFilter& f, CatalogSort sort, int64_t offset,
                           int64_t limit);

// ---- a cycle's shopfront

struct ShopCycle {
  int64_t id = 0;
  std::string name{};
  std::string state{};
  Timestamp closes_at{};
  std::string currency{};
};
std::optional<ShopCycle> find_shop_cycle(store::Tx& tx, int64_t cycle_id);

// An offer with its product's label.
struct ShopRow {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t variant_id = 0;
  int64_t product_id = 0;
  int64_t producer_org_id = 0;
  std::string producer_name{};
  std::string product_name{};
  std::string variant_name{};
  std::string unit_code{};
  int64_t net_milli = 0;
  int64_t case_size = 1;
  std::optional<int64_t> max_units = std::nullopt;
  int64_t price = 0;
  ::agora::market::Breakdown breakdown{};
  std::string category{};
  bool sealed = false;
  std::string description{};
  std::string territory{};
  int64_t distance_km = 0;
  std::string packaging{};
  std::string story{};
  std::optional<std::string> territory_mark = std::nullopt;
};
struct ShopPage {
  std::vector<ShopRow> items{};
  int64_t total = 0;
  std::vector<FacetCount> categories{}, territories{};
};
// Price filters apply to the offer's price.
ShopPage shop_offers(store::Tx& tx, int64_t cycle_id, const CatalogFilter& f, CatalogSort sort,
                     int64_t offset, int64_t limit);

// ---- the Data Food Consortium export

// Active products (of one producer, or all) with at least one active
// variant, by producer then id; at most `limit` (the caller refuses more).
std::vector<ProductRow> export_products(store::Tx& tx, std::optional<int64_t> producer_org_id,
                                        Timestamp now, int64_t limit);
// Their active variants, by producer, product, id; at most `limit`.
std::vector<VariantRow> export_variants(store::Tx& tx, std::optional<int64_t> producer_org_id,
                                        int64_t limit);

// ---- identity of the database (the shop cache)

// A name that tells this database from another open in the same process
// (the SQLite main file's path); "" when there is none (in memory).
std::string sqlite_database_file(store::Tx& tx);

}  // namespace agora::app::repo
