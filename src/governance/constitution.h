#pragma once
// A co-op's or federation's constitution as data (DOMAIN.md §2): its
// bodies, who may vote in each, how votes are weighed, and for each decision
// domain which bodies decide it, by which method, quorum, threshold, notice
// period and voting window. Stored as TOML (the file members read and
// exchange, examples/constitutions/*.toml) and served as JSON.
//
// TOML form (every key is documented in docs/GOVERNANCE.md):
//
//   name = "Riverside Consumer Co-op: rules of governance"
//   reserved = ["asset.sale"]        # federations: domains decided here for every org below
//
//   [[body]]
//   key = "general_meeting"          # [a-z0-9_]{1,40}, unique
//   kind = "general_meeting"         # general_meeting|worker_assembly|board|committee|council|congress
//   name = "General meeting"
//   weights = "one_member_one_vote"  # | "delegate": each member org's delegates carry its members
//   proxies = true                   # may a voter give a proxy for this body
//   max_proxies_per_holder = 2       # 0..100
//   seats = 0                        # board/committee/council: seats (0 for general bodies)
//   elected_by = ""                  # board/...: the body that elects its members
//     [body.electorate]
//     classes = ["consumer"]         # member class codes; [] or absent: every class
//     min_age = 16                   # 0..150, years on the day voting opens
//     min_yearly_spend_minor = 0     # spend in the 365 days before voting opens
//     min_tenure_days = 0            # membership age to vote
//     candidate_min_tenure_days = 0  # membership age to stand
//     [[body.chamber]]               # reserved seats by class (Eroski: 6 consumers, 6 workers)
//     class = "worker"
//     seats = 2
//
//   [[domain]]
//   key = "fund.allocation"          # [a-z0-9_.*]{1,60}; "*" is the default for domains not listed
//   bodies = ["general_meeting"]     # all must pass (a joint decision within the org)
//   joint_with = ["worker_assembly"] # bodies of the counterparty org that must also pass
//   method = "majority"              # voting::parse_method names
//   quorum = "1/10"                  # of eligible weight; default "0/1"
//   threshold = "1/2"                # default "1/2"
//   threshold_of = "cast"            # cast | eligible
//   threshold_strict = true          # more than (true) / at least (false)
//   notice_days = 14                 # 0..365
//   voting_days = 7                  # 1..90 (window length)
//   secret = false                   # secret ballot
//   results_hidden = false           # results only after close
//   seats = 1                        # elections
//     [domain.two_stage]             # optional: confirmation at a second meeting
//     second_threshold = "1/2"
//     second_threshold_strict = true
//     min_gap_days = 14
//     max_gap_days = 31
//
// Thread-safe: values and pure functions.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "governance/voting/rules.h"
#include "governance/voting/voting.h"

namespace agora::governance {

enum class BodyKind { general_meeting, worker_assembly, board, committee, council, congress };
std::string_view body_kind_name(BodyKind k);
enum class WeightRule { one_member_one_vote, delegate };

struct Electorate {
  std::vector<std::string> classes;  // empty: all classes
  int32_t min_age = 0;
  int64_t min_yearly_spend_minor = 0;
  int32_t min_tenure_days = 0;
  int32_t candidate_min_tenure_days = 0;
};

struct Chamber {
  std::string member_class;
  int32_t seats = 1;
};

struct Body {
  std::string key;
  BodyKind kind = BodyKind::general_meeting;
  std::string name;
  WeightRule weights = WeightRule::one_member_one_vote;
  bool proxies = false;
  int32_t max_proxies_per_holder = 1;
  int32_t seats = 0;
  std::string elected_by;  // "" for general bodies
  Electorate electorate;
  std::vector<Chamber> chambers;
  // general_meeting, worker_assembly, congress: membership follows the org's
  // members (or delegates); board, committee, council: seated members.
  bool seated() const;
};

struct TwoStage {
  voting::Threshold second{{1, 2}, voting::Threshold::Of::cast, true};
  int32_t min_gap_days = 14;
  int32_t max_gap_days = 31;
};

struct Domain {
  std::string key;
  std::vector<std::string> bodies;      // at least one, each a body key
  std::vector<std::string> joint_with;  // bodies of the counterparty org
  voting::Method method = voting::Method::majority;
  voting::DecisionRule rule{};
  int32_t notice_days = 0;
  int32_t voting_days = 7;
  bool secret = false;
  bool results_hidden = false;
  int32_t seats = 1;
  std::optional<TwoStage> two_stage;
};

struct Constitution {
  std::string name;
  std::vector<std::string> reserved;  // domain keys decided at this level for the orgs below
  std::vector<Body> bodies;
  std::vector<Domain> domains;

  const Body* body(std::string_view key) const;
  // The domain's entry, else the "*" entry, else nullptr.
  const Domain* domain(std::string_view key) const;
  bool reserves(std::string_view domain_key) const;
};

// Parses and validates (every body/domain reference resolves, keys unique,
// numbers in range, elected_by names a body, chambers' seats sum to at most
// the body's seats). Error(bad_file, "<line>:<column>: <reason>") for TOML
// syntax; Error(invalid_value/out_of_range, message naming the key path such
// as "domain[2].quorum") for bad content. At most 256 KiB of text, 50
// bodies, 200 domains.
inline constexpr size_t kMaxConstitutionBytes = 256 * 1024;
Constitution parse_constitution(std::string_view toml_text);
// Canonical TOML (round-trips: parse(to_toml(c)) == c).
std::string to_toml(const Constitution& c);
// The JSON served by the API: the same keys as the TOML, ratios as "2/3".
Json to_json(const Constitution& c);
bool operator==(const Constitution& a, const Constitution& b);

// Subsidiarity: `chain` is the org's constitution first, then its parent's,
// up to the root (nullptr where an org has none). The deciding level is the
// highest ancestor whose constitution reserves the domain; otherwise the org
// itself. Returns the index into `chain` and that constitution's Domain
// entry, or nullopt when the deciding constitution does not say who decides
// (no entry and no "*").
struct Where {
  size_t level = 0;  // 0: the org itself; 1: its parent ...
  const Domain* domain = nullptr;
  bool reserved = false;  // decided above the org because a federation reserves it
};
std::optional<Where> where_decided(std::span<const Constitution* const> chain, std::string_view domain_key);

}  // namespace agora::governance
