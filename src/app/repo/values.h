#pragma once
// Conversions every repository shares between C++ values and the store's
// parameters and rows (app/repo/*.cc only).
// Thread-safe: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "store/database.h"

namespace agora::app::repo::values {

inline store::Value s(std::string_view v) { return std::string(v); }
inline store::Value opt(const std::optional<int64_t>& v) {
  return v ? store::Value{*v} : store::Value{nullptr};
}
inline store::Value opt(const std::optional<std::string>& v) {
  return v ? store::Value{*v} : store::Value{nullptr};
}
inline store::Value opt(const std::optional<Timestamp>& v) {
  return v ? store::Value{v->us} : store::Value{nullptr};
}
inline store::Value flag(bool b) { return int64_t{b ? 1 : 0}; }
inline std::optional<Timestamp> opt_ts(const store::Row& r, size_t col) {
  if (auto v = r.opt_i64(col)) return Timestamp{*v};
  return std::nullopt;
}

}  // namespace agora::app::repo::values
