#pragma once
// Helpers shared by the registry use cases (registry*.cc) only: loading rows
// or failing with not_found, the authorization questions the registry asks,
// and the JSON encoders. Not part of the app API; include registry.h instead.
// Thread-safe: stateless.

#include <cstdint>
#include <string>
#include <string_view>

#include "app/app.h"
#include "app/encode.h"
#include "app/registry.h"
#include "app/repo/registry_repo.h"
#include "members/membership.h"

namespace agora::app::registry_detail {

repo::OrgRow load_org(store::Tx& tx, int64_t org_id);
repo::MembershipRow load_membership(store::Tx& tx, int64_t membership_id);

bool is_coordinator(store::Tx& tx, const Actor& actor, int64_t org_id);
bool is_coordinator_or_auditor(store::Tx& tx, const Actor& actor, int64_t org_id);
// The actor is the member: the person itself, or a coordinator of the member org.
bool is_owner(store::Tx& tx, const Actor& actor, const repo::MembershipRow& m);
// Signed in, and owner or coordinator (or auditor when `auditor_ok`); else 401/403.
void require_owner_or_coordinator(store::Tx& tx, const Actor& actor, const repo::MembershipRow& m,
                                  bool auditor_ok);

members::MemberClass class_rule(const repo::MembershipRow& m);
members::Status status_of(const repo::MembershipRow& m);

// Records a transition: updates the membership row and the org's member
// count, appends the event.
void record_transition(store::Tx& tx, const Ctx& ctx, repo::MembershipRow& m,
                       const members::Event& ev, const std::optional<std::string>& reason);

Json membership_json(const repo::MembershipRow& m);
Json subscription_json(const repo::SubscriptionRow& s, const std::string& currency);
Json register_json(const repo::RegisterRow& r);

}  // namespace agora::app::registry_detail
