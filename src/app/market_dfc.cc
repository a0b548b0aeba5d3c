// The catalog as Data Food Consortium JSON-LD (app/market.h export_dfc), for
// platforms that speak the DFC business ontology (Open Food Network and
// others). One graph: per producer a dfc-b:Enterprise; per active variant a
// dfc-b:SuppliedProduct (a sellable unit with its quantity), the
// dfc-b:CatalogItem that references it and the dfc-b:Offer with its price.
// Units are mapped to the DFC measures taxonomy where it has them and always
// given as UNECE Rec 20 codes (agora:unitCode); the price breakdown, label
// facts and the solidarity seal go in the agora: namespace. Ids are IRIs
// relative to the serving host.
//
// Quantities and prices are decimal numbers in DFC, so the export (and only
// the export) writes them as JSON numbers converted from the integer minor
// units: values below 2^53 print with their exact decimal digits.

#include <map>

#include "app/market.h"
#include "app/market_catalog_internal.h"
#include "app/repo/catalog_repo.h"
#include "app/repo/ledger_repo.h"
#include "core/error.h"
#include "market/units.h"

namespace agora::app::market {
namespace {

namespace rules = ::agora::market;

constexpr int64_t kMaxExportVariants = 50'000;

// n / 10^digits as a JSON number, for display in the export only.
Json decimal(int64_t n, int64_t digits) {
  if (digits <= 0) return n;
  int64_t scale = 1;
  for (int64_t i = 0; i < digits && i < 18; ++i) scale *= 10;
  if (n % scale == 0) return n / scale;
  return static_cast<double>(n) / static_cast<double>(scale);
}

// The DFC measure of an ordered unit and its quantity in that measure, in
// thousandths: a dozen is 12 pieces; metres have no DFC measure.
std::pair<const char*, int64_t> dfc_quantity(const std::string& code, int64_t net_milli) {
  if (code == "KGM") return {"dfc-m:Kilogram", net_milli};
  if (code == "GRM") return {"dfc-m:Gram", net_milli};
  if (code == "LTR") return {"dfc-m:Litre", net_milli};
  if (code == "MLT") return {"dfc-m:Millilitre", net_milli};
  if (code == "H87") return {"dfc-m:Piece", net_milli};
  if (code == "DZN") return {"dfc-m:Piece", net_milli * 12};
  return {nullptr, net_milli};
}

std::string producer_iri(int64_t org_id) {
  return "/api/v1/market/producers/" + std::to_string(org_id);
}
std::string variant_iri(int64_t variant_id) {
  return "/api/v1/market/variants/" + std::to_string(variant_id);
}

}  // namespace

Json export_dfc(store::Tx& tx, const Ctx& ctx, std::optional<int64_t> producer_org_id) {
  if (producer_org_id) {
    if (!repo::find_producer(tx, *producer_org_id)) {
      throw Error(Code::not_found, "no organisation " + std::to_string(*producer_org_id),
                  "producer");
    }
  }
  auto variants = repo::export_variants(tx, producer_org_id, kMaxExportVariants + 1);
  if (static_cast<int64_t>(variants.size()) > kMaxExportVariants) {
    throw Error(Code::out_of_range,
                "the catalog has more than 50000 variants; export one producer at a time",
                "producer");
  }
  auto products = repo::export_products(tx, producer_org_id, ctx.now, kMaxExportVariants);
  std::map<int64_t, const repo::ProductRow*> product_by_id;
  for (const auto& p : products) product_by_id[p.id] = &p;
  std::map<std::string, int64_t> minor_units;
  auto digits_of = [&](const std::string& currency) {
    auto it = minor_units.find(currency);
    if (it != minor_units.end()) return it->second;
    auto c = repo::find_currency(tx, currency);
    int64_t d = c ? c->minor_units : 2;
    minor_units.emplace(currency, d);
    return d;
  };

  Json graph = Json::array();
  size_t vi = 0;
  // Products and variants both come ordered by producer, then product id.
  for (size_t pi = 0; pi < products.size();) {
    const int64_t org_id = products[pi].producer_org_id;
    auto producer = repo::find_producer(tx, org_id);
    Json enterprise{{"@id", producer_iri(org_id)},
                    {"@type", "dfc-b:Enterprise"},
                    {"dfc-b:name", producer ? producer->name : products[pi].producer_name},
                    {"dfc-b:hasDescription", producer ? producer->story : ""},
                    {"agora:territory", producer ? producer->territory : ""}};
    if (producer && producer->territory_mark) {
      enterprise["agora:territoryMark"] = *producer->territory_mark;
    }
    Json supplies = Json::array();
    Json manages = Json::array();
    Json items = Json::array();
    for (; pi < products.size() && products[pi].producer_org_id == org_id; ++pi) {
      const repo::ProductRow& p = products[pi];
      int64_t digits = digits_of(p.currency);
      while (vi < variants.size() && !product_by_id.contains(variants[vi].product_id)) ++vi;
      for (; vi < variants.size() && variants[vi].product_id == p.id; ++vi) {
        const repo::VariantRow& v = variants[vi];
        const std::string id = variant_iri(v.id);
        auto [measure, amount_milli] = dfc_quantity(v.unit_code, v.net_milli);
        Json quantity{{"@type", "dfc-b:QuantitativeValue"},
                      {"dfc-b:value", decimal(amount_milli, 3)}};
        if (measure) quantity["dfc-b:hasUnit"] = measure;
        Json price{{"@type", "dfc-b:Price"},
                   {"dfc-b:value", decimal(v.price, digits)},
                   {"agora:currency", p.currency},
                   {"agora:minorUnits", v.price}};
        if (p.currency == "EUR") price["dfc-b:hasUnit"] = "dfc-m:Euro";
        Json breakdown = v.breakdown.to_json();
        items.push_back(Json{{"@id", id},
                             {"@type", "dfc-b:SuppliedProduct"},
                             {"dfc-b:name", p.name + " - " + v.name},
                             {"dfc-b:description", p.description},
                             {"dfc-b:hasQuantity", std::move(quantity)},
                             {"dfc-b:referencedBy", id + "#catalog-item"},
                             {"agora:unitCode", v.unit_code},
                             {"agora:netMilli", v.net_milli},
                             {"agora:caseSize", v.case_size},
                             {"agora:category", p.category},
                             {"agora:territory", p.territory},
                             {"agora:distanceKm", p.distance_km},
                             {"agora:packaging", p.packaging},
                             {"agora:solidaritySeal", p.sealed},
                             {"agora:priceBreakdown", std::move(breakdown)}});
        items.push_back(Json{{"@id", id + "#catalog-item"},
                             {"@type", "dfc-b:CatalogItem"},
                             {"dfc-b:references", id},
                             {"dfc-b:sku", "agora-" + std::to_string(v.id)},
                             {"dfc-b:offeredThrough", id + "#offer"}});
        items.push_back(Json{{"@id", id + "#offer"},
                             {"@type", "dfc-b:Offer"},
                             {"dfc-b:offeredItem", id + "#catalog-item"},
                             {"dfc-b:hasPrice", std::move(price)}});
        supplies.push_back(id);
        manages.push_back(id + "#catalog-item");
      }
    }
    enterprise["dfc-b:supplies"] = std::move(supplies);
    enterprise["dfc-b:manages"] = std::move(manages);
    graph.push_back(std::move(enterprise));
    for (auto& item : items) graph.push_back(std::move(item));
  }
  return Json{{"@context", Json::array({"https://www.datafoodconsortium.org",
                                        Json{{"agora", "https://agora.coop/ns/market#"}}})},
              {"@graph", std::move(graph)}};
}

}  // namespace agora::app::market
