// The shopfront of an order cycle (app/market.h shop): its offers with the
// products' labels, filtered, paged and faceted like the catalog, served
// from a cache of whole results.
//
// The cache follows store/database.h: an entry is tagged with
// store::write_generation() read before the read transaction's first
// statement (shop reads it on entry, so it must be the first query of its
// read transaction, as the route runs it), and served only while no write
// of this process has ended since. Only on SQLite, as the org page cache
// (ARCHITECTURE.md): on PostgreSQL other processes may write without moving
// our generation. Entries are keyed by the database file too, since tests
// open many databases in one process, and by the minute, since a seal or a
// certification may lapse with time alone. The cache holds at most
// kMaxEntries results and kMaxItems items in all; past either it starts
// afresh.

#include <mutex>
#include <type_traits>
#include <unordered_map>

#include "app/encode.h"
#include "app/market.h"
#include "app/market_catalog_internal.h"
#include "app/market_internal.h"
#include "app/repo/catalog_repo.h"
#include "app/repo/cycles_repo.h"
#include "core/assert.h"
#include "core/error.h"
#include "market/units.h"

namespace agora::app::market {
namespace {

using namespace catalog_detail;
namespace rules = ::agora::market;

class ShopCache {
 public:
  static constexpr size_t kMaxEntries = 1024;
  static constexpr size_t kMaxItems = 50'000;

  std::optional<Json> get(const std::string& key, uint64_t generation) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end() || it->second.generation != generation) return std::nullopt;
    return it->second.body;
  }

  void put(const std::string& key, uint64_t generation, const Json& body, size_t items) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it != map_.end()) {
      if (it->second.generation > generation) return;  // a newer entry was stored meanwhile
      items_ -= it->second.items;
      map_.erase(it);
    }
    if (map_.size() >= kMaxEntries || items_ + items > kMaxItems) {
      map_.clear();
      items_ = 0;
    }
    map_.emplace(key, Entry{.generation = generation, .items = items, .body = body});
    items_ += items;
  }

 private:
  struct Entry {
    uint64_t generation = 0;
    size_t items = 0;
    Json body;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Entry> map_;
  size_t items_ = 0;
};

ShopCache& shop_cache() {
  static ShopCache cache;
  return cache;
}

std::string cache_key(const std::string& db, int64_t cycle_id, const CatalogQuery& q,
                      Timestamp now) {
  // Fields are separated by a byte no valid query text contains unescaped.
  constexpr char kSep = '\x1f';
  std::string k = db;
  auto add = [&](const std::string& v) {
    k += kSep;
    k += v;
  };
  auto add_opt = [&](const auto& v) {
    if (!v) {
      add("-");
    } else if constexpr (std::is_same_v<std::decay_t<decltype(*v)>, std::string>) {
      add("=" + *v);
    } else {
      add("=" + std::to_string(*v));
    }
  };
  add(std::to_string(cycle_id));
  add_opt(q.q);
  add_opt(q.category);
  add_opt(q.territory);
  add_opt(q.producer_org_id);
  add(q.sealed ? (*q.sealed ? "1" : "0") : "-");
  add_opt(q.min_price);
  add_opt(q.max_price);
  add(q.sort);
  add(std::to_string(q.offset));
  add(std::to_string(q.limit));
  add(std::to_string(now.us / 60'000'000));
  return k;
}

// `offers` is the cycle whose offers are sold: a local cycle's hub.
Json build_shop(store::Tx& tx, const Ctx& ctx, const repo::ShopCycle& cycle,
                const repo::CycleRow& offers, const CatalogQuery& q, size_t& items_out) {
  repo::CatalogFilter f = filter_of(q, ctx.now);
  auto page = repo::shop_offers(tx, offers.id, f, sort_of(q), q.offset, q.limit);
  // Volume tiers and tier repricing, for the few offers that have them.
  std::unordered_map<int64_t, std::vector<repo::TierRow>> tiers;
  for (const auto& t : repo::cycle_tiers(tx, offers.id)) tiers[t.offer_id].push_back(t);
  std::unordered_map<int64_t, repo::OfferRow> tiered;
  for (auto& o : repo::tiered_offers(tx, offers.id)) tiered.emplace(o.id, std::move(o));
  std::vector<int64_t> product_ids;
  for (const auto& o : page.items) product_ids.push_back(o.product_id);
  std::unordered_map<int64_t, Json> certs;
  for (const auto& c : repo::certifications_of(tx, product_ids)) {
    auto& list = certs[c.product_id];
    if (list.is_null()) list = Json::array();
    list.push_back(certification_json(c, ctx.now));
  }
  Json items = Json::array();
  for (const auto& o : page.items) {
    auto it = certs.find(o.product_id);
    Json label{
        {"description", o.description},
        {"territory", o.territory},
        {"distance_km", o.distance_km},
        {"packaging", o.packaging},
        {"story", o.story},
        {"territory_mark", opt_json(o.territory_mark)},
        {"certifications", it == certs.end() ? Json::array() : it->second},
        {"price_per_base", opt_json(rules::price_per_base(o.price, o.unit_code, o.net_milli))},
        {"base_unit", std::string(rules::base_unit(o.unit_code))}};
    items.push_back(
        Json{{"id", o.id},
             {"cycle_id", o.cycle_id},
             {"variant_id", o.variant_id},
             {"product_id", o.product_id},
             {"producer", Json{{"org_id", o.producer_org_id}, {"name", o.producer_name}}},
             {"product_name", o.product_name},
             {"variant_name", o.variant_name},
             {"unit_code", o.unit_code},
             {"unit_label", std::string(rules::unit_label(o.unit_code))},
             {"net_milli", o.net_milli},
             {"case_size", o.case_size},
             {"max_units", opt_json(o.max_units)},
             {"price", o.price},
             {"breakdown", o.breakdown.to_json()},
             {"category", o.category},
             {"sealed", o.sealed},
             {"list_price", nullptr},
             {"tier_min_units", nullptr},
             {"tiers", Json::array()},
             {"label", std::move(label)}});
    Json& item = items.back();
    if (auto t = tiered.find(o.id); t != tiered.end()) {
      item["list_price"] = opt_json(t->second.list_price);
      item["tier_min_units"] = opt_json(t->second.tier_min_units);
    }
    if (auto t = tiers.find(o.id); t != tiers.end()) {
      item["tiers"] = market_detail::tiers_json(t->second, offers.fees);
    }
  }
  items_out = page.items.size();
  return Json{{"cycle", Json{{"id", cycle.id},
                             {"name", cycle.name},
                             {"state", cycle.state},
                             {"closes_at", iso(cycle.closes_at)},
                             {"currency", cycle.currency},
                             {"hub_cycle_id", opt_json(offers.id == cycle.id
                                                           ? std::optional<int64_t>()
                                                           : std::optional<int64_t>(offers.id))}}},
              {"items", std::move(items)},
              {"total", page.total},
              {"offset", q.offset},
              {"limit", q.limit},
              {"facets", facets_json(std::move(page.categories), std::move(page.territories))}};
}

}  // namespace

Json shop(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, const CatalogQuery& q) {
  // Before any statement of this transaction: see the file comment.
  const uint64_t generation = store::write_generation();
  (void)filter_of(q, ctx.now);  // a bad query fails alike, cached or not
  std::string db = repo::sqlite_database_file(tx);
  std::string key;
  if (!db.empty()) {
    key = cache_key(db, cycle_id, q, ctx.now);
    if (auto hit = shop_cache().get(key, generation)) return std::move(*hit);
  }
  auto cycle = repo::find_shop_cycle(tx, cycle_id);
  if (!cycle)
    throw Error(Code::not_found, "order cycle " + std::to_string(cycle_id) + " not found");
  auto row = repo::find_cycle(tx, cycle_id);
  AGORA_ASSERT(row.has_value());
  const repo::CycleRow offers = market_detail::hub_of(tx, *row);
  size_t items = 0;
  Json out = build_shop(tx, ctx, *cycle, offers, q, items);
  if (!db.empty()) shop_cache().put(key, generation, out, items);
  return out;
}

}  // namespace agora::app::market
