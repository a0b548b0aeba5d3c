#pragma once
// The shape of a federation: kinds of organisation, how they nest (any depth,
// only federations and secondary co-ops hold other organisations, never a
// cycle) and how a co-op admits members. Pure functions over value types.
// Thread-safe: no state.

#include <cstdint>
#include <span>
#include <string_view>

namespace agora::members {

enum class OrgKind { federation, consumer, worker, producer, multi_stakeholder, secondary, informal };
inline constexpr std::string_view kOrgKindNames[] = {
    "federation", "consumer", "worker", "producer", "multi_stakeholder", "secondary", "informal"};

std::string_view kind_name(OrgKind k);
OrgKind parse_kind(std::string_view s);  // Error(invalid_value, "/kind")

// How an application becomes a membership: a coordinator decides, or the
// co-op's rules admit every applicant at once.
enum class Admission { coordinator, automatic };
std::string_view admission_name(Admission a);
Admission parse_admission(std::string_view s);  // Error(invalid_value, "/admission")

// Only federations and secondary co-ops have member organisations below them.
bool can_hold_children(OrgKind k);
// Throws Error(rule_violation, "/parent_id") when `parent` may not hold children.
void check_parent_kind(OrgKind parent);

// Moving `org_id` under a parent whose chain of ancestors, starting with the
// parent itself, is `parent_chain` must not create a cycle.
// Throws Error(rule_violation, "/parent_id").
void check_no_cycle(int64_t org_id, std::span<const int64_t> parent_chain);

// Bounds shared by the API and imports.
inline constexpr int kMaxTreeDepth = 6;
inline constexpr int kMaxNestingDepth = 32;  // a path longer than this is refused
// Throws Error(invalid_value, "/slug") unless 2..64 of [a-z0-9-], not starting or ending with '-'.
void check_slug(std::string_view slug);
// Throws Error(invalid_value, "/currency") unless 3..8 of [A-Z0-9].
void check_currency(std::string_view code);

}  // namespace agora::members
