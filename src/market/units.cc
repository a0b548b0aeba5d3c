#include "market/units.h"

#include <array>
#include <limits>
#include <string>

#include "core/error.h"

namespace agora::market {

namespace {

struct UnitInfo {
  std::string_view code;
  std::string_view base;
  int64_t milli;  // thousandths of the base in one unit of the code
  std::string_view label;
};

constexpr std::array<UnitInfo, 8> kUnits = {{
    {"KGM", "KGM", 1000, "kg"},
    {"GRM", "KGM", 1, "g"},
    {"LTR", "LTR", 1000, "l"},
    {"MLT", "LTR", 1, "ml"},
    {"H87", "H87", 1000, "piece"},
    {"DZN", "H87", 12000, "dozen"},
    {"MTR", "MTR", 1000, "m"},
    {"MTK", "MTK", 1000, "m\u00b2"},
}};

const UnitInfo* find(std::string_view code) {
  for (const auto& u : kUnits)
    if (u.code == code) return &u;
  return nullptr;
}

const UnitInfo& info(std::string_view code, std::string_view field = "/unit_code") {
  const UnitInfo* u = find(code);
  if (!u)
    throw Error(Code::invalid_value,
                "unknown unit code '" + std::string(code.substr(0, 16)) +
                    "' (use KGM, GRM, LTR, MLT, H87, DZN, MTR or MTK)",
                std::string(field));
  return *u;
}

}  // namespace

void check_unit(std::string_view code, std::string_view field) { info(code, field); }

std::string_view base_unit(std::string_view code) { return info(code).base; }

int64_t milli_of_base(std::string_view code) { return info(code).milli; }

int64_t base_micro(std::string_view code, int64_t net_milli) {
  const UnitInfo& u = info(code);
  int64_t r;
  if (__builtin_mul_overflow(net_milli, u.milli, &r))
    throw Error(Code::out_of_range, "the net quantity is too large", "/net_milli");
  return r;
}

std::optional<int64_t> price_per_base(int64_t price, std::string_view code, int64_t net_milli) {
  const UnitInfo* u = find(code);
  if (!u || price < 0 || net_milli <= 0) return std::nullopt;
  // price per ordered unit / (net_milli * milli / 1e6) base units, half up.
  const __int128 micro = static_cast<__int128>(net_milli) * u->milli;
  const __int128 num = static_cast<__int128>(price) * 1'000'000;
  const __int128 r = (2 * num + micro) / (2 * micro);
  if (r > std::numeric_limits<int64_t>::max()) return std::nullopt;
  return static_cast<int64_t>(r);
}

std::string_view unit_label(std::string_view code) { return info(code).label; }

}  // namespace agora::market
