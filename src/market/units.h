#pragma once
// Units of measure as UNECE Recommendation 20 codes, and the conversions the
// catalog needs: a variant's ordered unit is net_milli thousandths of a unit
// code (a 500 g bag is GRM 500000); labels compare prices per base unit
// (per kilogram, litre or piece). Integer arithmetic only.
// Thread-safe: pure functions.

#include <cstdint>
#include <optional>
#include <string_view>

namespace agora::market {

// The codes accepted: KGM (kilogram), GRM (gram), LTR (litre), MLT
// (millilitre), H87 (piece), DZN (dozen), MTR (metre), MTK (square metre).
// Throws Error(invalid_value, field) for any other code.
void check_unit(std::string_view code, std::string_view field = "/unit_code");

// The base unit a code converts to (KGM for GRM, LTR for MLT, H87 for DZN;
// itself otherwise) and how many thousandths of the base one unit of the code
// is (GRM: 1, KGM: 1000, DZN: 12000, H87: 1000).
std::string_view base_unit(std::string_view code);
int64_t milli_of_base(std::string_view code);

// The quantity of base unit in one ordered unit, in millionths of the base
// (exact: net_milli × milli_of_base). Error(out_of_range) on overflow.
int64_t base_micro(std::string_view code, int64_t net_milli);

// The price per base unit (per kg, litre, piece) of `price` minor units per
// ordered unit, rounded half up; nullopt when it would overflow.
std::optional<int64_t> price_per_base(int64_t price, std::string_view code, int64_t net_milli);

// English names for labels: "kg", "g", "l", "ml", "piece", "dozen", "m", "m²".
std::string_view unit_label(std::string_view code);

}  // namespace agora::market
