#pragma once
// Small helpers every use case shares: bounds on paging and text input, and
// the JSON encoders of optional values and timestamps the API uses.
// Thread-safe: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/registry.h"
#include "core/clock.h"
#include "core/json.h"

namespace agora::app {

// Error(out_of_range, "/limit" or "/after") unless 1 <= limit <= 200 and after >= 0.
void check_page(PageReq page);
// Error(out_of_range, field) unless min_len <= value.size() <= max_len (bytes).
void check_len(std::string_view value, size_t min_len, size_t max_len, const char* field);

Json iso(Timestamp t);                          // "2026-01-01T00:00:00Z"
Json iso(const std::optional<Timestamp>& t);    // or null
Json opt_json(const std::optional<int64_t>& v);
Json opt_json(const std::optional<std::string>& v);
// {"items": items, "next_after": last id or null}; `full` says a whole page came back.
Json page_json(Json items, bool full, int64_t last_id);

}  // namespace agora::app
