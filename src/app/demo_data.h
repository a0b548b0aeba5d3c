#pragma once
// The fixed material of the demo federation: a seeded PRNG (splitmix64, so the
// same seed gives the same federation on every machine and compiler), Spanish
// and Portuguese names, and the shape of the federation (regions, consumer
// co-ops, the worker and producer co-ops around them).
// Thread-safe: the tables are immutable; a Rng belongs to one thread.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace agora::app::demo {

// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and fully specified, so
// unlike std::uniform_int_distribution its output never depends on the
// standard library in use.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0. Multiply-shift keeps the bias below 2^-32.
  uint64_t below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  int64_t between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1)));
  }
  // True with probability percent/100.
  bool chance(int percent) { return below(100) < static_cast<uint64_t>(percent); }
  template <typename T>
  const T& pick(std::span<const T> items) {
    return items[below(items.size())];
  }

 private:
  uint64_t state_;
};

// Galician regions mix local names into the Spanish ones.
enum class Culture { spanish, galician, portuguese };

struct PersonName {
  std::string given_name;   // "María José"
  std::string family_name;  // "García Fernández" / "Pereira da Silva"
};

// A plausible name: Spanish people carry two surnames (father's, mother's);
// Portuguese people one or two given names and their surnames in the usual
// order, with particles ("da Silva", "dos Santos").
PersonName make_name(Rng& rng, Culture culture);

// Lower-case ASCII for an email local part: "María José" -> "mariajose".
std::string ascii_fold(std::string_view utf8);

// "+34 6xx xxx xxx" or "+351 9xx xxx xxx".
std::string make_phone(Rng& rng, Culture culture);

enum class Kind { federation, consumer, worker, producer };
std::string_view kind_name(Kind k);

// A co-op hung under a consumer co-op (its workplace) or under the region.
struct EnterpriseSpec {
  Kind kind;             // worker or producer
  std::string_view name;
  std::string_view slug;
  int members_min;       // workers or farmers
  int members_max;
};

struct ConsumerSpec {
  std::string_view name;
  std::string_view slug;
  std::string_view territory;  // town
  int members_min;
  int members_max;
  std::span<const EnterpriseSpec> workplaces;  // worker co-ops leasing its workplaces
};

struct RegionSpec {
  std::string_view name;
  std::string_view slug;
  std::string_view territory;
  Culture culture;
  std::span<const ConsumerSpec> consumers;
  std::span<const EnterpriseSpec> producers;  // farmers' co-ops federated in the region
};

struct FederationSpec {
  std::string_view name;
  std::string_view slug;
  std::string_view territory;
  std::span<const RegionSpec> regions;
};

const FederationSpec& federation_spec();

}  // namespace agora::app::demo
