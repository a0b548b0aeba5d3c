#pragma once
// Breaking ties the same way in every method. A tie that the method's own
// rule (earlier rounds, for IRV and STV) does not break is drawn by lot: a
// deterministic draw from Options::tie_seed and the stage, so the same
// ballots and seed always give the same result, and the working says so.
// Thread-safe: pure functions.

#include <cstdint>
#include <span>
#include <string_view>

namespace agora::governance::voting {

// splitmix64 of (seed, stage, salt): the lot's random stream.
uint64_t lot_value(uint64_t seed, std::string_view stage, int32_t option);
// The option among `tied` (non-empty) with the lowest lot value for this stage.
int32_t draw_lot(uint64_t seed, std::string_view stage, std::span<const int32_t> tied);

}  // namespace agora::governance::voting
