#include "governance/voting/ties.h"

#include "core/assert.h"

namespace agora::governance::voting {
namespace {
uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

uint64_t lot_value(uint64_t seed, std::string_view stage, int32_t option) {
  uint64_t h = splitmix64(seed);
  for (unsigned char c : stage) h = splitmix64(h ^ c);
  return splitmix64(h ^ static_cast<uint64_t>(static_cast<uint32_t>(option)));
}

int32_t draw_lot(uint64_t seed, std::string_view stage, std::span<const int32_t> tied) {
  AGORA_ASSERT(!tied.empty());
  int32_t best = tied[0];
  uint64_t best_v = lot_value(seed, stage, best);
  for (int32_t o : tied.subspan(1)) {
    uint64_t v = lot_value(seed, stage, o);
    if (v < best_v || (v == best_v && o < best)) best = o, best_v = v;
  }
  return best;
}

}  // namespace agora::governance::voting
