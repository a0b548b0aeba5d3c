#pragma once
// Use cases of the federation registry: organisations and their nesting,
// member classes, persons, the membership lifecycle and share capital.
// Each function authorizes the actor (app/authz.h), loads through
// app/repo/registry_repo.h, applies the rules of members/ and writes.
// Commands (create_*, apply_*, admit_*, ...) must run inside App::write /
// http::write so they land in the audit journal; queries (get_*, list_*)
// run inside App::read. Results are the JSON the HTTP API returns; a
// command's result always carries the new or changed row's "id".
// A refused command throws agora::Error before writing anything.
// Thread-safe: stateless functions over the given transaction.

#include <cstdint>
#include <optional>
#include <string>

#include "app/app.h"
#include "store/database.h"

namespace agora::app {

// A page of a list: ids strictly after `after`, at most `limit` (1..200).
// Lists answer {"items":[...], "next_after": id of the last item or null}.
struct PageReq {
  int64_t limit = 50;
  int64_t after = 0;
};

// ---- persons

struct PersonInput {
  std::string given_name{};              // 1..100 bytes
  std::string family_name{};             // 0..100 bytes
  std::optional<std::string> email = std::nullopt;    // stored lower-case; unique; 3..254 bytes
  std::optional<std::string> phone = std::nullopt;    // 3..40 bytes
  std::string locale = "en";           // en | es | pt
};
// Creates a person. No authorization: callers (registration, the demo loader,
// CSV import) decide who may. Error(duplicate, "/email") when the email is
// already a person's; Error(out_of_range/invalid_value) for bad fields.
int64_t create_person(store::Tx& tx, const Ctx& ctx, const PersonInput& in);

// ---- organisations

struct OrgInput {
  std::optional<int64_t> parent_id = std::nullopt;  // none: a root federation (platform admin only)
  std::string kind{};                  // federation|consumer|worker|producer|multi_stakeholder|secondary|informal
  std::string name{};                  // 1..200
  std::string slug{};                  // 2..64 of [a-z0-9-], unique
  std::string territory{};             // 0..200
  std::string admission = "coordinator";  // coordinator|automatic
  std::string currency = "EUR";      // 3..8 of [A-Z0-9]
};
// Coordinator of the parent (or admin). Returns the org as get_org does.
Json create_org(store::Tx& tx, const Ctx& ctx, const OrgInput& in);

struct OrgPatch {
  std::optional<std::string> name = std::nullopt;
  std::optional<std::string> territory = std::nullopt;
  std::optional<std::string> admission = std::nullopt;
  std::optional<int64_t> parent_id = std::nullopt;  // move below another federation/secondary co-op
};
// Coordinator of the org; moving it also needs coordinator of the new parent.
Json update_org(store::Tx& tx, const Ctx& ctx, int64_t org_id, const OrgPatch& in);

// Public. {id, parent_id, kind, name, slug, territory, admission, currency,
// classes:[{id,code,name,share_price_minor,min_shares}], path:[{id,name}],
// counts:{children, members}}. Two indexed queries.
Json get_org(store::Tx& tx, const Ctx& ctx, int64_t org_id);
// Public lists of org summaries {id,parent_id,kind,name,slug,territory,counts}.
Json list_federations(store::Tx& tx, const Ctx& ctx, PageReq page);
Json list_children(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page);
// Public. Nested {id,name,kind,children:[...]} down to depth (1..6) levels.
Json org_tree(store::Tx& tx, const Ctx& ctx, int64_t org_id, int depth);

// ---- member classes

struct ClassInput {
  std::string code{};            // 1..32 of [a-z0-9_], unique in the org
  std::string name{};            // 1..100
  int64_t share_price_minor = 0;  // 1..10^12
  int64_t min_shares = 1;         // 1..10^6
};
Json list_classes(store::Tx& tx, const Ctx& ctx, int64_t org_id);  // public
Json create_class(store::Tx& tx, const Ctx& ctx, int64_t org_id, const ClassInput& in);  // coordinator

// ---- memberships

struct ApplicationInput {
  std::string class_code{};
  int64_t shares = 1;                   // at least the class minimum
  std::optional<int64_t> member_org_id = std::nullopt;  // apply for an organisation (its coordinator only)
  std::optional<std::string> message = std::nullopt;   // 0..2000
  // Apply on behalf of this person: admin or coordinator of the org only
  // (the demo loader, CSV import). Default: the actor's own person.
  std::optional<int64_t> person_id = std::nullopt;
};
// Signed-in. Creates the membership (applied, or active with a member number
// where the org admits automatically) and a waiting subscription for the
// shares. Error(duplicate) when an applied or active membership exists.
Json apply_for_membership(store::Tx& tx, const Ctx& ctx, int64_t org_id, const ApplicationInput& in);
// Coordinator (or admin). Transitions validated by members/membership.h.
Json admit_member(store::Tx& tx, const Ctx& ctx, int64_t membership_id);
Json reject_application(store::Tx& tx, const Ctx& ctx, int64_t membership_id,
                        const std::optional<std::string>& reason);
Json expel_member(store::Tx& tx, const Ctx& ctx, int64_t membership_id,
                  const std::optional<std::string>& reason);
// The member (or the member org's coordinator) or a coordinator. Remaining
// shares are sold back and waiting subscriptions cancelled.
Json leave_membership(store::Tx& tx, const Ctx& ctx, int64_t membership_id);

// The member, or a coordinator/auditor of the org.
Json get_membership(store::Tx& tx, const Ctx& ctx, int64_t membership_id);
Json membership_events(store::Tx& tx, const Ctx& ctx, int64_t membership_id, PageReq page);
// Coordinators/auditors see email, phone and holdings; active members see
// names, classes and member numbers of active members only; others 401/403.
// status: empty for all, else applied|active|left|expelled|rejected.
Json list_members(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& status,
                  PageReq page);
// Coordinator/auditor: the applied memberships.
Json list_applications(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page);
// A person's memberships for GET /me: [{id, org:{id,name,kind}, status,
// class:{code,name}, member_number, shares}]. No authorization (the caller
// passes the actor's own person).
Json person_memberships(store::Tx& tx, int64_t person_id);

// ---- share capital

// The member or a coordinator; the membership must be active.
Json subscribe_shares(store::Tx& tx, const Ctx& ctx, int64_t membership_id, int64_t shares);
// Coordinator records an instalment; when fully paid the shares enter the register.
Json pay_subscription(store::Tx& tx, const Ctx& ctx, int64_t subscription_id, int64_t amount_minor);
// The member or a coordinator.
Json cancel_subscription(store::Tx& tx, const Ctx& ctx, int64_t subscription_id);
// {shares, paid_minor, currency, register:[...], subscriptions:[...]} (newest 200 of each).
Json membership_shares(store::Tx& tx, const Ctx& ctx, int64_t membership_id);
// The member or a coordinator; to an active membership of the same org and class.
Json transfer_shares(store::Tx& tx, const Ctx& ctx, int64_t membership_id,
                     int64_t to_membership_id, int64_t shares);
// Coordinator: the co-op buys shares back at nominal price.
Json sell_back_shares(store::Tx& tx, const Ctx& ctx, int64_t membership_id, int64_t shares);
// Coordinator/auditor: the org's register, oldest first.
Json org_share_register(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page);

}  // namespace agora::app
