#pragma once
// Helpers shared by the catalog's use cases (market_catalog.cc, market_shop.cc,
// market_dfc.cc) only: the folding of text for the catalog's search, the
// checks and decoding of a catalog query, and the JSON encoders of variants,
// certifications, seals and facets (shapes in app/market.h). Not part of the
// app API; include app/market.h instead.
// Thread-safe: stateless.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/market.h"
#include "app/repo/catalog_repo.h"
#include "core/clock.h"
#include "core/json.h"

namespace agora::app::catalog_detail {

inline constexpr int64_t kMaxOffset = 100'000;
inline constexpr int64_t kMaxPageLimit = 200;
inline constexpr size_t kMaxQueryBytes = 100;
inline constexpr size_t kMaxFacetValues = 100;  // most frequent first

// Lower-cases ASCII and the Latin-1 capitals (À..Þ) of UTF-8 text, so that
// "Açaí" and "AÇAÍ" match alike. Written by hand: the catalog needs only
// this much, and no Debian library of the project folds case for UTF-8.
std::string fold(std::string_view text);
// The text `search` column of a product: its folded name, producer and description.
std::string search_text(std::string_view name, std::string_view producer,
                        std::string_view description);
// Escapes LIKE's wildcards with '!' (the catalog's ESCAPE character).
std::string like_escape(std::string_view text);

// Error(invalid_value, field) unless a slug path: 1..100 of [a-z0-9-/]
// with no empty segment.
void check_category(const std::string& category, const std::string& field);

// Checks a query (bounds, sort, category) and turns it into the repository's
// filter; `now` decides which seals are live.
repo::CatalogFilter filter_of(const market::CatalogQuery& q, Timestamp now);
repo::CatalogSort sort_of(const market::CatalogQuery& q);

// "YYYY-MM-DD" of a time (UTC).
std::string date_of(Timestamp t);

Json variant_json(const repo::VariantRow& v);
// valid: granted on or before today and not expired (expires_on >= today).
Json certification_json(const repo::CertificationRow& c, Timestamp now);
Json seal_json(const repo::SealRow& s, Timestamp now);
// {categories:[{category,count}], territories:[{territory,count}]}: most
// frequent first, then by value; at most kMaxFacetValues each.
Json facets_json(std::vector<repo::FacetCount> categories,
                 std::vector<repo::FacetCount> territories);

}  // namespace agora::app::catalog_detail
