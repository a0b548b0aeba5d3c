#include "app/encode.h"

#include "core/error.h"

namespace agora::app {

void check_page(PageReq page) {
  if (page.limit < 1 || page.limit > 200)
    throw Error(Code::out_of_range, "limit must be 1..200", "/limit");
  if (page.after < 0) throw Error(Code::out_of_range, "after must not be negative", "/after");
}

void check_len(std::string_view value, size_t min_len, size_t max_len, const char* field) {
  if (value.size() < min_len || value.size() > max_len) {
    throw Error(Code::out_of_range,
                "length must be between " + std::to_string(min_len) + " and " +
                    std::to_string(max_len) + " bytes",
                field);
  }
}

Json iso(Timestamp t) { return format_iso8601(t); }
Json iso(const std::optional<Timestamp>& t) { return t ? Json(format_iso8601(*t)) : Json(nullptr); }
Json opt_json(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }
Json opt_json(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

Json page_json(Json items, bool full, int64_t last_id) {
  if (!items.is_array()) items = Json::array();
  return Json{{"items", std::move(items)}, {"next_after", full ? Json(last_id) : Json(nullptr)}};
}

}  // namespace agora::app
