#include "members/org.h"

#include <algorithm>
#include <string>

#include "core/error.h"

namespace agora::members {

std::string_view kind_name(OrgKind k) { return kOrgKindNames[static_cast<size_t>(k)]; }

OrgKind parse_kind(std::string_view s) {
  for (size_t i = 0; i < std::size(kOrgKindNames); ++i) {
    if (kOrgKindNames[i] == s) return static_cast<OrgKind>(i);
  }
  throw Error(Code::invalid_value, "unknown organisation kind", "/kind");
}

std::string_view admission_name(Admission a) {
  return a == Admission::automatic ? "automatic" : "coordinator";
}

Admission parse_admission(std::string_view s) {
  if (s == "coordinator") return Admission::coordinator;
  if (s == "automatic") return Admission::automatic;
  throw Error(Code::invalid_value, "admission must be coordinator or automatic", "/admission");
}

bool can_hold_children(OrgKind k) { return k == OrgKind::federation || k == OrgKind::secondary; }

void check_parent_kind(OrgKind parent) {
  if (!can_hold_children(parent)) {
    throw Error(Code::rule_violation,
                "only a federation or a secondary co-op can hold other organisations", "/parent_id");
  }
}

void check_no_cycle(int64_t org_id, std::span<const int64_t> parent_chain) {
  if (std::find(parent_chain.begin(), parent_chain.end(), org_id) != parent_chain.end()) {
    throw Error(Code::rule_violation, "an organisation cannot be placed below itself", "/parent_id");
  }
  if (parent_chain.size() >= static_cast<size_t>(kMaxNestingDepth)) {
    throw Error(Code::rule_violation, "the federation would nest too deep", "/parent_id");
  }
}

void check_slug(std::string_view slug) {
  bool ok = slug.size() >= 2 && slug.size() <= 64 && slug.front() != '-' && slug.back() != '-';
  for (char c : slug) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok) {
    throw Error(Code::invalid_value, "slug must be 2-64 of a-z, 0-9 and '-'", "/slug");
  }
}

void check_currency(std::string_view code) {
  bool ok = code.size() >= 3 && code.size() <= 8;
  for (char c : code) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  if (!ok) throw Error(Code::invalid_value, "currency must be 3-8 of A-Z and 0-9", "/currency");
}

}  // namespace agora::members
