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

// ---- share capital and the ledger
// Every payment into or out of share capital moves money through the ledger
// between the co-op's external/bank account and its org/share_capital
// account, in the co-op's currency (code "share_capital"). Transfers of
// shares between members move no money through the co-op.

// Records one instalment on a waiting subscription WITHOUT a ledger transfer:
// the share_payments row, and when it completes the subscription, the shares
// in the register and the member's holding. For callers that move the money
// themselves (the year-end closing pays from the surplus account);
// pay_subscription adds the bank -> share_capital transfer. Does not
// authorize or check the membership's status. Error(invalid_state,
// out_of_range) from members::pay. Returns the updated subscription and the
// payment's id.
struct Instalment {
  repo::SubscriptionRow subscription;
  int64_t payment_id = 0;
};
Instalment record_instalment(store::Tx& tx, const Ctx& ctx, repo::SubscriptionRow row,
                             const repo::MembershipRow& m, int64_t amount_minor);
// The same, loading the subscription and its membership (both must exist).
Instalment record_instalment(store::Tx& tx, const Ctx& ctx, int64_t subscription_id,
                             int64_t amount_minor);

// Posts the money of a sell-back of m's shares recorded as register entry
// `register_entry_id`: amount_minor from org/share_capital to external/bank,
// key "sys:share-sellback:<register_entry_id>". For every path that sells shares
// back (sell_back_shares, and a member leaving with shares).
// Error(invalid_state) when the co-op's currency is not a ledger currency.
void post_sell_back(store::Tx& tx, const Ctx& ctx, const repo::MembershipRow& m,
                    int64_t register_entry_id, int64_t amount_minor);

Json membership_json(const repo::MembershipRow& m);
Json subscription_json(const repo::SubscriptionRow& s, const std::string& currency);
Json register_json(const repo::RegisterRow& r);

}  // namespace agora::app::registry_detail
