// The market's catalog (app/market.h): producers' labels, products and
// their variants with price breakdowns, certifications, the federation's
// solidarity seal and the public browse; and the helpers of
// app/market_catalog_internal.h that the shop and the DFC export share.
//
// Choices the header leaves open, made here:
// - Every command on a product returns the whole product JSON (with its
//   variants, certifications and seal), so a client re-renders from it.
// - A product has at most 50 variants and 50 certifications.
// - A seal decision may belong to the federation itself, or to the org the
//   matter concerns when every one of its proposals was decided by bodies of
//   the federation (subsidiarity: the federation reserves the domain).
// - The search column is refreshed when the product changes; renaming the
//   producer org refreshes it at the product's next change.

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "app/authz.h"
#include "app/encode.h"
#include "app/market.h"
#include "app/market_catalog_internal.h"
#include "app/repo/catalog_repo.h"
#include "app/repo/ledger_repo.h"
#include "app/repo/registry_repo.h"
#include "core/assert.h"
#include "core/error.h"
#include "market/units.h"

namespace agora::app {

namespace rules = ::agora::market;

namespace catalog_detail {

std::string fold(std::string_view text) {
  std::string out(text);
  for (size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < out.size()) {
      auto d = static_cast<unsigned char>(out[i + 1]);
      // U+00C0..U+00DE are capitals except U+00D7 (multiplication sign).
      if (d >= 0x80 && d <= 0x9E && d != 0x97) out[i + 1] = static_cast<char>(d + 0x20);
      ++i;
    }
  }
  return out;
}

std::string search_text(std::string_view name, std::string_view producer,
                        std::string_view description) {
  std::string s(name);
  s += '\n';
  s += producer;
  s += '\n';
  s += description;
  return fold(s);
}

std::string like_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  return out;
}

void check_category(const std::string& category, const std::string& field) {
  bool ok = !category.empty() && category.size() <= 100 && category.front() != '/' &&
            category.back() != '/' && category.find("//") == std::string::npos;
  for (char c : category) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '/')) ok = false;
  }
  if (!ok) {
    throw Error(Code::invalid_value,
                "a category is 1..100 of a-z 0-9 - / with no empty segment, like dairy/cheese",
                field);
  }
}

repo::CatalogSort sort_of(const market::CatalogQuery& q) {
  if (q.sort == "name") return repo::CatalogSort::name;
  if (q.sort == "price") return repo::CatalogSort::price;
  if (q.sort == "distance") return repo::CatalogSort::distance;
  throw Error(Code::invalid_value, "sort must be name, price or distance", "/sort");
}

repo::CatalogFilter filter_of(const market::CatalogQuery& q, Timestamp now) {
  if (q.offset < 0 || q.offset > kMaxOffset) {
    throw Error(Code::out_of_range, "offset must be 0..100000", "/offset");
  }
  if (q.limit < 1 || q.limit > kMaxPageLimit) {
    throw Error(Code::out_of_range, "limit must be 1..200", "/limit");
  }
  (void)sort_of(q);
  repo::CatalogFilter f;
  f.now = now;
  if (q.q) {
    check_len(*q.q, 1, kMaxQueryBytes, "/q");
    f.search_pattern = "%" + like_escape(fold(*q.q)) + "%";
  }
  if (q.category) {
    check_category(*q.category, "/category");
    f.category = *q.category;
    f.category_below = like_escape(*q.category) + "/%";
  }
  if (q.territory) {
    check_len(*q.territory, 1, market::kMaxNameBytes, "/territory");
    f.territory = *q.territory;
  }
  if (q.producer_org_id && *q.producer_org_id <= 0) {
    throw Error(Code::out_of_range, "producer must be a positive id", "/producer");
  }
  f.producer_org_id = q.producer_org_id;
  f.sealed = q.sealed;
  for (auto [v, field] :
       {std::pair{q.min_price, "/min_price"}, std::pair{q.max_price, "/max_price"}}) {
    if (v && (*v < 0 || *v > market::kMaxPrice)) {
      throw Error(Code::out_of_range, "a price filter must be 0..10^12 minor units", field);
    }
  }
  f.min_price = q.min_price;
  f.max_price = q.max_price;
  return f;
}

std::string date_of(Timestamp t) { return format_iso8601(t).substr(0, 10); }

Json variant_json(const repo::VariantRow& v) {
  auto per_base = rules::price_per_base(v.price, v.unit_code, v.net_milli);
  return Json{{"id", v.id},
              {"product_id", v.product_id},
              {"name", v.name},
              {"unit_code", v.unit_code},
              {"unit_label", std::string(rules::unit_label(v.unit_code))},
              {"net_milli", v.net_milli},
              {"case_size", v.case_size},
              {"price", v.price},
              {"price_per_base", opt_json(per_base)},
              {"base_unit", std::string(rules::base_unit(v.unit_code))},
              {"breakdown", v.breakdown.to_json()},
              {"active", v.active}};
}

Json certification_json(const repo::CertificationRow& c, Timestamp now) {
  std::string today = date_of(now);
  bool valid = c.granted_on <= today && (!c.expires_on || *c.expires_on >= today);
  return Json{{"id", c.id},
              {"name", c.name},
              {"certifier", c.certifier},
              {"reference", c.reference},
              {"granted_on", c.granted_on},
              {"expires_on", opt_json(c.expires_on)},
              {"valid", valid}};
}

Json seal_json(const repo::SealRow& s, Timestamp now) {
  return Json{{"id", s.id},
              {"federation_org_id", s.federation_org_id},
              {"grant_decision_id", s.grant_decision_id},
              {"granted_at", iso(s.granted_at)},
              {"expires_at", iso(s.expires_at)},
              {"withdraw_decision_id", opt_json(s.withdraw_decision_id)},
              {"withdrawn_at", iso(s.withdrawn_at)},
              {"live", s.live(now)}};
}

Json facets_json(std::vector<repo::FacetCount> categories,
                 std::vector<repo::FacetCount> territories) {
  auto encode = [](std::vector<repo::FacetCount>& v, const char* key) {
    std::sort(v.begin(), v.end(), [](const repo::FacetCount& a, const repo::FacetCount& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    if (v.size() > kMaxFacetValues) v.resize(kMaxFacetValues);
    Json out = Json::array();
    for (const auto& f : v) out.push_back(Json{{key, f.value}, {"count", f.count}});
    return out;
  };
  Json c = encode(categories, "category");
  Json t = encode(territories, "territory");
  return Json{{"categories", std::move(c)}, {"territories", std::move(t)}};
}

}  // namespace catalog_detail

namespace market {
namespace {

using namespace catalog_detail;

constexpr int64_t kMaxVariants = 50;
constexpr int64_t kMaxCertifications = 50;
constexpr int64_t kMaxDistanceKm = 40'000;
constexpr int64_t kMaxNetMilli = 1'000'000'000'000;
constexpr const char* kSealDomain = "solidarity.seal";

bool may_sell(const std::string& kind) {
  return kind == "producer" || kind == "worker" || kind == "consumer" ||
         kind == "multi_stakeholder";
}

repo::ProducerRow load_producer(store::Tx& tx, int64_t org_id, const char* field) {
  auto p = repo::find_producer(tx, org_id);
  if (!p) throw Error(Code::not_found, "no organisation " + std::to_string(org_id), field);
  return *p;
}

repo::ProductRow load_product(store::Tx& tx, int64_t product_id) {
  auto p = repo::find_product(tx, product_id);
  if (!p) throw Error(Code::not_found, "no product " + std::to_string(product_id));
  return *p;
}

Json producer_json(const repo::ProducerRow& p) {
  return Json{{"org_id", p.org_id},
              {"name", p.name},
              {"territory", p.territory},
              {"story", p.story},
              {"territory_mark", opt_json(p.territory_mark)}};
}

Json product_json(store::Tx& tx, const Ctx& ctx, const repo::ProductRow& p) {
  auto producer = repo::find_producer(tx, p.producer_org_id);
  AGORA_ASSERT(producer.has_value());
  Json variants = Json::array();
  for (const auto& v : repo::variants_of(tx, p.id)) variants.push_back(variant_json(v));
  Json certifications = Json::array();
  for (const auto& c : repo::certifications_of(tx, {p.id})) {
    certifications.push_back(certification_json(c, ctx.now));
  }
  auto seals = repo::seals_of(tx, p.id);
  const repo::SealRow* shown = seals.empty() ? nullptr : &seals.front();
  for (const auto& s : seals) {
    if (s.live(ctx.now)) {
      shown = &s;
      break;
    }
  }
  bool sealed = shown && shown->live(ctx.now);
  return Json{{"id", p.id},
              {"producer", producer_json(*producer)},
              {"name", p.name},
              {"description", p.description},
              {"category", p.category},
              {"territory", p.territory},
              {"distance_km", p.distance_km},
              {"packaging", p.packaging},
              {"currency", p.currency},
              {"min_price", opt_json(p.min_price)},
              {"max_price", opt_json(p.max_price)},
              {"active", p.active},
              {"sealed", sealed},
              {"variants", std::move(variants)},
              {"certifications", std::move(certifications)},
              {"seal", shown ? seal_json(*shown, ctx.now) : Json(nullptr)},
              {"created_at", iso(p.created_at)},
              {"updated_at", iso(p.updated_at)}};
}

Json product_json(store::Tx& tx, const Ctx& ctx, int64_t product_id) {
  return product_json(tx, ctx, load_product(tx, product_id));
}

// The coordinator of the product's producer (or admin) may change it.
void require_producer_coordinator(store::Tx& tx, const Ctx& ctx, int64_t producer_org_id) {
  require_role(tx, ctx.actor, producer_org_id, {Role::coordinator});
}

// Checks a variant's fields; `at` prefixes the fields ("/variants/0" or "").
void check_variant(const VariantInput& v, const std::string& at) {
  check_len(v.name, 1, kMaxNameBytes, (at + "/name").c_str());
  rules::check_unit(v.unit_code, at + "/unit_code");
  if (v.net_milli < 1 || v.net_milli > kMaxNetMilli) {
    throw Error(Code::out_of_range, "net_milli must be 1..10^12", at + "/net_milli");
  }
  if (v.case_size < 1 || v.case_size > kMaxCaseSize) {
    throw Error(Code::out_of_range, "case_size must be 1..100000", at + "/case_size");
  }
  if (v.price < 1 || v.price > kMaxPrice) {
    throw Error(Code::out_of_range, "price must be 1..10^12 minor units", at + "/price");
  }
  rules::check_breakdown(v.breakdown, v.price, at);
  // The quantity in the base unit must be representable (price per kg etc.).
  (void)rules::base_micro(v.unit_code, v.net_milli);
}

repo::VariantRow variant_row(int64_t product_id, const VariantInput& v, Timestamp now) {
  return repo::VariantRow{.id = 0,
                          .product_id = product_id,
                          .name = v.name,
                          .unit_code = v.unit_code,
                          .net_milli = v.net_milli,
                          .case_size = v.case_size,
                          .price = v.price,
                          .breakdown = v.breakdown,
                          .active = v.active,
                          .created_at = now,
                          .updated_at = now};
}

void check_distance(int64_t km) {
  if (km < 0 || km > kMaxDistanceKm) {
    throw Error(Code::out_of_range, "distance_km must be 0..40000", "/distance_km");
  }
}

// YYYY-MM-DD naming a real day (years 1900..9999).
void check_date(const std::string& d, const char* field) {
  auto digits = [&](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(d[i]))) return -1;
      v = v * 10 + (d[i] - '0');
    }
    return v;
  };
  bool ok = d.size() == 10 && d[4] == '-' && d[7] == '-';
  int y = ok ? digits(0, 4) : -1, m = ok ? digits(5, 2) : -1, day = ok ? digits(8, 2) : -1;
  ok = ok && y >= 1900 && m >= 1 && m <= 12 && day >= 1;
  if (ok) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max_day = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
    ok = day <= max_day;
  }
  if (!ok) throw Error(Code::invalid_value, "a date is YYYY-MM-DD", field);
}

// The passed decision of `federation` in the seal's domain on `subject`:
// Error(rule_violation, "/decision_id") unless it is exactly that.
void check_seal_decision(store::Tx& tx, int64_t decision_id, int64_t federation,
                         const std::string& subject) {
  auto d = repo::find_decision(tx, decision_id, federation);
  auto refuse = [&](const std::string& why) {
    throw Error(Code::rule_violation,
                "the seal needs a passed decision of the federation in " +
                    std::string(kSealDomain) + " on \"" + subject + "\": " + why,
                "/decision_id");
  };
  if (!d) refuse("decision " + std::to_string(decision_id) + " does not exist");
  bool federations =
      d->org_id == federation || (d->proposals > 0 && d->proposals == d->proposals_in_org);
  if (!federations) refuse("decision " + std::to_string(decision_id) + " is not the federation's");
  if (d->domain != kSealDomain) refuse("it is a decision in " + d->domain);
  if (d->subject != subject) refuse("its subject is \"" + d->subject + "\"");
  if (d->status != "passed") refuse("it is " + d->status);
}

}  // namespace

void check_packaging(const std::string& p, const std::string& field) {
  if (p != "none" && p != "returnable" && p != "compostable" && p != "recyclable" &&
      p != "plastic") {
    throw Error(Code::invalid_value,
                "packaging must be none, returnable, compostable, recyclable or plastic", field);
  }
}

// ---- producers

Json set_producer(store::Tx& tx, const Ctx& ctx, int64_t org_id, const ProducerInput& in) {
  require_signed_in(ctx.actor);
  auto p = load_producer(tx, org_id, "/org_id");
  require_role(tx, ctx.actor, org_id, {Role::coordinator});
  if (!may_sell(p.kind)) {
    throw Error(Code::rule_violation,
                "only a producer, worker, consumer or multi-stakeholder co-op has a producer label",
                "/org_id");
  }
  check_len(in.story, 0, kMaxTextBytes, "/story");
  if (in.territory_mark) check_len(*in.territory_mark, 1, kMaxNameBytes, "/territory_mark");
  repo::upsert_producer(tx, org_id, in.story, in.territory_mark, ctx.now);
  auto after = repo::find_producer(tx, org_id);
  AGORA_ASSERT(after && after->story == in.story);
  return producer_json(*after);
}

Json get_producer(store::Tx& tx, const Ctx&, int64_t org_id) {
  return producer_json(load_producer(tx, org_id, "/org_id"));
}

// ---- products

Json create_product(store::Tx& tx, const Ctx& ctx, const ProductInput& in) {
  require_signed_in(ctx.actor);
  auto producer = load_producer(tx, in.producer_org_id, "/producer_org_id");
  require_producer_coordinator(tx, ctx, in.producer_org_id);
  if (!may_sell(producer.kind)) {
    throw Error(Code::rule_violation,
                "only a producer, worker, consumer or multi-stakeholder co-op offers products",
                "/producer_org_id");
  }
  check_len(in.name, 1, kMaxNameBytes, "/name");
  check_len(in.description, 0, kMaxTextBytes, "/description");
  check_category(in.category, "/category");
  std::string territory = in.territory.value_or(producer.territory);
  check_len(territory, 0, kMaxNameBytes, "/territory");
  check_distance(in.distance_km);
  check_packaging(in.packaging);
  std::string currency = in.currency.value_or(producer.currency);
  check_len(currency, 3, 8, "/currency");
  if (!repo::find_currency(tx, currency)) {
    throw Error(Code::invalid_value, "no currency " + currency, "/currency");
  }
  if (in.variants.empty() || static_cast<int64_t>(in.variants.size()) > kMaxVariants) {
    throw Error(Code::out_of_range, "a product has 1..50 variants", "/variants");
  }
  for (size_t i = 0; i < in.variants.size(); ++i) {
    check_variant(in.variants[i], "/variants/" + std::to_string(i));
  }
  repo::ProductRow p{.id = 0,
                     .producer_org_id = in.producer_org_id,
                     .producer_name = producer.name,
                     .name = in.name,
                     .description = in.description,
                     .category = in.category,
                     .territory = territory,
                     .distance_km = in.distance_km,
                     .packaging = in.packaging,
                     .currency = currency,
                     .active = true,
                     .created_at = ctx.now,
                     .updated_at = ctx.now};
  p.id = repo::insert_product(tx, p, search_text(p.name, producer.name, p.description));
  for (const auto& v : in.variants) repo::insert_variant(tx, variant_row(p.id, v, ctx.now));
  repo::refresh_prices(tx, p.id);
  auto stored = load_product(tx, p.id);
  AGORA_ASSERT(stored.producer_org_id == in.producer_org_id);
  return product_json(tx, ctx, stored);
}

Json update_product(store::Tx& tx, const Ctx& ctx, int64_t product_id, const ProductPatch& in) {
  require_signed_in(ctx.actor);
  auto p = load_product(tx, product_id);
  require_producer_coordinator(tx, ctx, p.producer_org_id);
  if (in.name) {
    check_len(*in.name, 1, kMaxNameBytes, "/name");
    p.name = *in.name;
  }
  if (in.description) {
    check_len(*in.description, 0, kMaxTextBytes, "/description");
    p.description = *in.description;
  }
  if (in.category) {
    check_category(*in.category, "/category");
    p.category = *in.category;
  }
  if (in.territory) {
    check_len(*in.territory, 0, kMaxNameBytes, "/territory");
    p.territory = *in.territory;
  }
  if (in.packaging) {
    check_packaging(*in.packaging);
    p.packaging = *in.packaging;
  }
  if (in.distance_km) {
    check_distance(*in.distance_km);
    p.distance_km = *in.distance_km;
  }
  if (in.active) p.active = *in.active;
  p.updated_at = ctx.now;
  repo::update_product(tx, p, search_text(p.name, p.producer_name, p.description));
  return product_json(tx, ctx, product_id);
}

Json add_variant(store::Tx& tx, const Ctx& ctx, int64_t product_id, const VariantInput& in) {
  require_signed_in(ctx.actor);
  auto p = load_product(tx, product_id);
  require_producer_coordinator(tx, ctx, p.producer_org_id);
  check_variant(in, "");
  if (repo::count_variants(tx, product_id) >= kMaxVariants) {
    throw Error(Code::rule_violation, "a product has at most 50 variants", "/variants");
  }
  repo::insert_variant(tx, variant_row(product_id, in, ctx.now));
  repo::refresh_prices(tx, product_id);
  p.updated_at = ctx.now;
  repo::update_product(tx, p, search_text(p.name, p.producer_name, p.description));
  return product_json(tx, ctx, product_id);
}

Json update_variant(store::Tx& tx, const Ctx& ctx, int64_t variant_id, const VariantInput& in) {
  require_signed_in(ctx.actor);
  auto v = repo::find_variant(tx, variant_id);
  if (!v) throw Error(Code::not_found, "no variant " + std::to_string(variant_id));
  auto p = load_product(tx, v->product_id);
  require_producer_coordinator(tx, ctx, p.producer_org_id);
  check_variant(in, "");
  auto row = variant_row(p.id, in, ctx.now);
  row.id = v->id;
  row.created_at = v->created_at;
  repo::update_variant(tx, row);
  repo::refresh_prices(tx, p.id);
  p.updated_at = ctx.now;
  repo::update_product(tx, p, search_text(p.name, p.producer_name, p.description));
  return product_json(tx, ctx, p.id);
}

Json get_product(store::Tx& tx, const Ctx& ctx, int64_t product_id) {
  return product_json(tx, ctx, product_id);
}

// ---- certifications

Json add_certification(store::Tx& tx, const Ctx& ctx, int64_t product_id,
                       const CertificationInput& in) {
  require_signed_in(ctx.actor);
  auto p = load_product(tx, product_id);
  require_producer_coordinator(tx, ctx, p.producer_org_id);
  check_len(in.name, 1, kMaxNameBytes, "/name");
  check_len(in.certifier, 1, kMaxNameBytes, "/certifier");
  check_len(in.reference, 1, kMaxNameBytes, "/reference");
  check_date(in.granted_on, "/granted_on");
  if (in.expires_on) {
    check_date(*in.expires_on, "/expires_on");
    if (*in.expires_on <= in.granted_on) {
      throw Error(Code::invalid_value, "expires_on must be after granted_on", "/expires_on");
    }
  }
  if (repo::count_certifications(tx, product_id) >= kMaxCertifications) {
    throw Error(Code::rule_violation, "a product has at most 50 certifications", "/certifications");
  }
  repo::insert_certification(tx, repo::CertificationRow{.id = 0,
                                                        .product_id = product_id,
                                                        .name = in.name,
                                                        .certifier = in.certifier,
                                                        .reference = in.reference,
                                                        .granted_on = in.granted_on,
                                                        .expires_on = in.expires_on,
                                                        .created_at = ctx.now});
  return product_json(tx, ctx, product_id);
}

Json remove_certification(store::Tx& tx, const Ctx& ctx, int64_t certification_id) {
  require_signed_in(ctx.actor);
  auto c = repo::find_certification(tx, certification_id);
  if (!c) throw Error(Code::not_found, "no certification " + std::to_string(certification_id));
  auto p = load_product(tx, c->product_id);
  require_producer_coordinator(tx, ctx, p.producer_org_id);
  repo::delete_certification(tx, certification_id);
  return product_json(tx, ctx, p.id);
}

// ---- the solidarity seal

Json grant_seal(store::Tx& tx, const Ctx& ctx, int64_t product_id, int64_t federation_org_id,
                int64_t decision_id, std::optional<Timestamp> expires_at) {
  require_signed_in(ctx.actor);
  auto p = load_product(tx, product_id);
  auto fed = repo::find_org(tx, federation_org_id);
  if (!fed) {
    throw Error(Code::not_found, "no organisation " + std::to_string(federation_org_id),
                "/federation_org_id");
  }
  bool above = false;
  for (const auto& a : repo::ancestors(tx, p.producer_org_id, 64)) above |= a.id == fed->id;
  if (fed->kind != "federation" || !above) {
    throw Error(Code::rule_violation, "the seal is granted by a federation above the producer",
                "/federation_org_id");
  }
  check_seal_decision(tx, decision_id, fed->id, "seal:product:" + std::to_string(product_id));
  for (const auto& s : repo::seals_of(tx, product_id)) {
    if (s.live(ctx.now)) throw Error(Code::duplicate, "the product already holds a live seal");
  }
  if (repo::decision_used(tx, decision_id)) {
    throw Error(Code::rule_violation,
                "decision " + std::to_string(decision_id) + " was already used for a seal",
                "/decision_id");
  }
  if (expires_at && *expires_at <= ctx.now) {
    throw Error(Code::out_of_range, "expires_at must be in the future", "/expires_at");
  }
  repo::insert_seal(tx, repo::SealRow{.id = 0,
                                      .product_id = product_id,
                                      .federation_org_id = fed->id,
                                      .grant_decision_id = decision_id,
                                      .granted_at = ctx.now,
                                      .expires_at = expires_at});
  return product_json(tx, ctx, p);
}

Json withdraw_seal(store::Tx& tx, const Ctx& ctx, int64_t product_id, int64_t decision_id) {
  require_signed_in(ctx.actor);
  auto p = load_product(tx, product_id);
  std::optional<repo::SealRow> live;
  for (const auto& s : repo::seals_of(tx, product_id)) {
    if (s.live(ctx.now)) live = s;
  }
  if (!live) throw Error(Code::invalid_state, "the product holds no live seal");
  check_seal_decision(tx, decision_id, live->federation_org_id,
                      "seal-withdraw:product:" + std::to_string(product_id));
  if (repo::decision_used(tx, decision_id)) {
    throw Error(Code::rule_violation,
                "decision " + std::to_string(decision_id) + " was already used for a seal",
                "/decision_id");
  }
  bool changed = repo::withdraw_seal(tx, live->id, decision_id, ctx.now);
  AGORA_ASSERT(changed);
  return product_json(tx, ctx, p);
}

// ---- browse

Json browse_catalog(store::Tx& tx, const Ctx& ctx, const CatalogQuery& q) {
  repo::CatalogFilter f = filter_of(q, ctx.now);
  auto page = repo::browse_products(tx, f, sort_of(q), q.offset, q.limit);
  std::vector<int64_t> ids;
  ids.reserve(page.items.size());
  for (const auto& p : page.items) ids.push_back(p.id);
  auto variants = repo::active_variants_of(tx, ids);
  Json items = Json::array();
  // Pages are sorted by name, price or distance, variants by product id: match by id.
  std::unordered_map<int64_t, Json> by_product;
  for (const auto& v : variants) {
    auto& list = by_product[v.product_id];
    if (list.is_null()) list = Json::array();
    list.push_back(variant_json(v));
  }
  for (const auto& p : page.items) {
    auto it = by_product.find(p.id);
    items.push_back(
        Json{{"id", p.id},
             {"producer", Json{{"org_id", p.producer_org_id}, {"name", p.producer_name}}},
             {"name", p.name},
             {"category", p.category},
             {"territory", p.territory},
             {"distance_km", p.distance_km},
             {"packaging", p.packaging},
             {"currency", p.currency},
             {"min_price", opt_json(p.min_price)},
             {"max_price", opt_json(p.max_price)},
             {"sealed", p.sealed},
             {"variants", it == by_product.end() ? Json::array() : std::move(it->second)}});
  }
  return Json{{"items", std::move(items)},
              {"total", page.total},
              {"offset", q.offset},
              {"limit", q.limit},
              {"facets", facets_json(std::move(page.categories), std::move(page.territories))}};
}

}  // namespace market
}  // namespace agora::app
