#pragma once
// SQL for the federation registry (tables of migration 0002_registry.sql):
// organisations, member classes, persons, memberships and their events, share
// subscriptions, payments and the share register. Plain functions over a
// transaction; the rules live in members/ and the checks in app/registry*.cc.
// Thread-safe: stateless; each call uses only the Tx it is given.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace agora::app::repo {

struct OrgRow {
  int64_t id = 0;
  std::optional<int64_t> parent_id = std::nullopt;
  std::string kind;
  std::string name;
  std::string slug;
  std::string territory;
  std::string admission;
  std::string currency;
  int64_t member_count = 0;
  int64_t child_count = 0;
  int64_t next_member_number = 1;
};

struct ClassRow {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string code;
  std::string name;
  int64_t share_price_minor = 0;
  int64_t min_shares = 0;
};

struct OrgRef {
  int64_t id = 0;
  std::string name;
};

// ---- organisations
int64_t insert_org(store::Tx& tx, const OrgRow& org, Timestamp now);
std::optional<OrgRow> find_org(store::Tx& tx, int64_t org_id);
// The org and its classes in one query (the co-op page's hot read).
std::optional<std::pair<OrgRow, std::vector<ClassRow>>> find_org_with_classes(store::Tx& tx,
                                                                               int64_t org_id);
bool slug_taken(store::Tx& tx, std::string_view slug, int64_t except_org_id);
// Writes name, territory, admission and parent_id.
void update_org(store::Tx& tx, const OrgRow& org);
void add_child_count(store::Tx& tx, int64_t org_id, int64_t delta);
void add_member_count(store::Tx& tx, int64_t org_id, int64_t delta);
void set_next_member_number(store::Tx& tx, int64_t org_id, int64_t next);
// Ancestors of org_id, root first, not including org_id; at most max_depth.
std::vector<OrgRef> ancestors(store::Tx& tx, int64_t org_id, int max_depth);
// Orgs without a parent / with this parent, by id, after `after`, at most limit.
std::vector<OrgRow> list_roots(store::Tx& tx, int64_t after, int64_t limit);
std::vector<OrgRow> list_children(store::Tx& tx, int64_t parent_id, int64_t after, int64_t limit);

struct TreeNode {
  int64_t id = 0;
  std::optional<int64_t> parent_id = std::nullopt;
  std::string name;
  std::string kind;
  int depth = 0;
};
// org_id and its descendants down to `depth` levels below it, breadth-first
// order by depth then id; at most max_nodes rows (one more signals overflow).
std::vector<TreeNode> subtree(store::Tx& tx, int64_t org_id, int depth, int64_t max_nodes);

// ---- member classes
int64_t insert_class(store::Tx& tx, const ClassRow& c, Timestamp now);
std::vector<ClassRow> list_classes(store::Tx& tx, int64_t org_id);
std::optional<ClassRow> find_class(store::Tx& tx, int64_t class_id);
std::optional<ClassRow> find_class_by_code(store::Tx& tx, int64_t org_id, std::string_view code);

// ---- persons
struct PersonRow {
  int64_t id = 0;
  std::string given_name;
  std::string family_name;
  std::optional<std::string> email = std::nullopt;
  std::optional<std::string> phone = std::nullopt;
  std::string locale;
};
int64_t insert_person_row(store::Tx& tx, const PersonRow& p, Timestamp now);
std::optional<PersonRow> find_person(store::Tx& tx, int64_t person_id);
bool person_email_taken(store::Tx& tx, std::string_view email_lower);

// ---- memberships
struct MembershipRow {
  int64_t id = 0;
  int64_t org_id = 0;
  std::optional<int64_t> person_id = std::nullopt;
  std::optional<int64_t> member_org_id = std::nullopt;
  int64_t class_id = 0;
  std::string status;
  std::optional<int64_t> member_number = std::nullopt;
  int64_t requested_shares = 0;
  int64_t shares = 0;
  int64_t paid_minor = 0;
  std::optional<std::string> message = std::nullopt;
  Timestamp applied_at;
  std::optional<Timestamp> admitted_at = std::nullopt;
  std::optional<Timestamp> ended_at = std::nullopt;
  // Joined for display.
  std::string org_name;
  std::string org_kind;
  std::string currency;
  std::string class_code;
  std::string class_name;
  int64_t share_price_minor = 0;
  int64_t min_shares = 0;
  std::string given_name;   // person members
  std::string family_name;
  std::optional<std::string> email = std::nullopt;
  std::optional<std::string> phone = std::nullopt;
  std::string member_org_name;  // organisation members
};
int64_t insert_membership(store::Tx& tx, const MembershipRow& m);
std::optional<MembershipRow> find_membership(store::Tx& tx, int64_t membership_id);
// An applied or active membership of this person / member org in org_id.
bool open_membership_exists(store::Tx& tx, int64_t org_id, std::optional<int64_t> person_id,
                            std::optional<int64_t> member_org_id);
// Writes status, member_number, admitted_at, ended_at.
void update_membership_status(store::Tx& tx, const MembershipRow& m);
void update_holding(store::Tx& tx, int64_t membership_id, int64_t shares, int64_t paid_minor);
// Memberships of org_id (with `status` unless empty), by id, after `after`.
std::vector<MembershipRow> list_memberships(store::Tx& tx, int64_t org_id, std::string_view status,
                                            int64_t after, int64_t limit);
std::vector<MembershipRow> memberships_of_person(store::Tx& tx, int64_t person_id);

struct EventRow {
  int64_t id = 0;
  int64_t membership_id = 0;
  std::string kind;
  std::optional<std::string> from_status = std::nullopt;
  std::string to_status;
  std::optional<std::string> reason = std::nullopt;
  std::optional<int64_t> actor_person_id = std::nullopt;
  Timestamp at;
};
int64_t insert_event(store::Tx& tx, const EventRow& e);
std::vector<EventRow> list_events(store::Tx& tx, int64_t membership_id, int64_t after,
                                  int64_t limit);

// ---- share capital
struct SubscriptionRow {
  int64_t id = 0;
  int64_t membership_id = 0;
  int64_t shares = 0;
  int64_t price_minor = 0;
  int64_t amount_minor = 0;
  int64_t paid_minor = 0;
  std::string state;
  Timestamp created_at;
  std::optional<Timestamp> closed_at = std::nullopt;
};
int64_t insert_subscription(store::Tx& tx, const SubscriptionRow& s);
std::optional<SubscriptionRow> find_subscription(store::Tx& tx, int64_t subscription_id);
// Writes paid_minor, state, closed_at.
void update_subscription(store::Tx& tx, const SubscriptionRow& s);
// Newest first, at most limit.
std::vector<SubscriptionRow> list_subscriptions(store::Tx& tx, int64_t membership_id,
                                                int64_t limit);
std::vector<SubscriptionRow> waiting_subscriptions(store::Tx& tx, int64_t membership_id);
// Returns the payment's id (the key of its ledger transfer).
int64_t insert_payment(store::Tx& tx, int64_t subscription_id, int64_t amount_minor,
                       int64_t recorded_by, Timestamp at);

struct RegisterRow {
  int64_t id = 0;
  int64_t org_id = 0;
  int64_t membership_id = 0;
  std::string kind;
  int64_t shares = 0;  // signed
  int64_t amount_minor = 0;  // signed like shares
  int64_t balance = 0;
  std::optional<int64_t> counterpart_membership_id = std::nullopt;
  std::optional<int64_t> subscription_id = std::nullopt;
  Timestamp at;
  std::optional<int64_t> member_number = std::nullopt;  // joined
};
int64_t insert_register_entry(store::Tx& tx, const RegisterRow& r);
// Newest first, at most limit.
std::vector<RegisterRow> membership_register(store::Tx& tx, int64_t membership_id, int64_t limit);
// Oldest first, after `after`.
std::vector<RegisterRow> org_register(store::Tx& tx, int64_t org_id, int64_t after, int64_t limit);

}  // namespace agora::app::repo
