#pragma once
// SQL for the ballots half of governance (tables of 0005_governance.sql): the
// roll (`electorate`), who voted (`voters`), secret ballots, proxies and
// member spend, plus the few reads of registry tables the roll needs. Plain
// functions over a transaction; the rules live in app/governance_ballots.cc.
// Thread-safe: stateless; each call uses only the Tx it is given.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace agora::app::repo {

// ---- the roll

// Who may vote at a general meeting or worker assembly: person members of
// `org_id` with an active membership, filtered as below. Inserts the
// eligible into `electorate` with weight 1 in one statement; returns how
// many rows it inserted.
struct GeneralRollQuery {
  int64_t proposal_id = 0;
  int64_t org_id = 0;
  std::vector<std::string> classes{};  // class codes; empty: every class
  Timestamp admitted_by{};             // admitted at or before (tenure)
  std::optional<std::string> born_by =
      std::nullopt;  // "YYYY-MM-DD": born on or before (age); unknown: out
  std::optional<int64_t> min_spend_minor =
      std::nullopt;  // spend in [spend_from, spend_to) at least this
  Timestamp spend_from{}, spend_to{};
};
int64_t insert_general_roll(store::Tx& tx, const GeneralRollQuery& q);

// Seated members of a board/committee/council at `at` (seat begun, not
// ended), restricted to active members of `class_code` in the org when set.
// Inserts them with weight 1; returns how many.
int64_t insert_seated_roll(store::Tx& tx, int64_t proposal_id, int64_t org_id,
                           std::string_view body_key, Timestamp at,
                           const std::optional<std::string>& class_code);

// A delegate of a direct child org of `org_id`: a live 'delegate' role
// grant. member_class is the child org's active membership class in `org_id`
// ("" when it is not a member).
struct DelegateRow {
  int64_t person_id = 0;
  int64_t child_org_id = 0;
  std::string child_name;
  int64_t child_member_count = 0;
  std::string member_class;
};
// Ordered by child org, then person.
std::vector<DelegateRow> child_org_delegates(store::Tx& tx, int64_t org_id);

struct RollRow {
  int64_t person_id = 0;
  int64_t weight = 0;
  std::string represents{};
  std::string name{};  // joined for display
};
// Inserts many rows in few statements (chunks).
void insert_roll_rows(store::Tx& tx, int64_t proposal_id, const std::vector<RollRow>& rows);
std::optional<RollRow> find_roll_entry(store::Tx& tx, int64_t proposal_id, int64_t person_id);
// By person_id, after `after`, at most `limit`.
std::vector<RollRow> list_roll(store::Tx& tx, int64_t proposal_id, int64_t after, int64_t limit);
struct RollTotals {
  int64_t count = 0;
  int64_t weight = 0;
};
RollTotals roll_totals(store::Tx& tx, int64_t proposal_id);

// ---- votes

struct VoterRow {
  int64_t person_id = 0;
  int64_t cast_by_person_id = 0;
  int64_t weight = 0;
  Timestamp voted_at{};
  std::optional<std::string> ballot_json = std::nullopt;  // open ballots only
  std::optional<std::string> reason = std::nullopt;       // open ballots only
  std::string name{};                                     // joined for display
};
// Error(duplicate) when the person already voted (primary key).
void insert_voter(store::Tx& tx, int64_t proposal_id, const VoterRow& v);
bool has_voted(store::Tx& tx, int64_t proposal_id, int64_t person_id);
// Which of `person_ids` voted.
std::vector<int64_t> voted_among(store::Tx& tx, int64_t proposal_id,
                                 const std::vector<int64_t>& person_ids);
// By person_id, after `after`, at most `limit`.
std::vector<VoterRow> list_voters(store::Tx& tx, int64_t proposal_id, int64_t after, int64_t limit);
void add_to_turnout(store::Tx& tx, int64_t proposal_id, int64_t voters, int64_t weight);

// receipt_hash is stored as 64 lower-case hex digits (the store binds text
// only), the same on both engines; its order is the hash's order.
struct SecretBallotRow {
  std::string receipt_hash_hex{};
  int64_t weight = 0;
  std::string ballot_json{};
  std::optional<std::string> reason = std::nullopt;
};
void insert_secret_ballot(store::Tx& tx, int64_t proposal_id, const SecretBallotRow& b);
std::optional<SecretBallotRow> find_secret_ballot(store::Tx& tx, int64_t proposal_id,
                                                  std::string_view receipt_hash_hex);

// Every ballot of a proposal, for counting: secret ballots in receipt-hash
// order, or open ballots in person order.
struct StoredBallot {
  int64_t weight = 0;
  std::string ballot_json{};
  std::optional<std::string> reason = std::nullopt;
};
std::vector<StoredBallot> ballots_for_count(store::Tx& tx, int64_t proposal_id, bool secret);

// ---- proxies

struct ProxyRow {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string body_key{};
  std::optional<int64_t> proposal_id = std::nullopt;
  int64_t grantor_person_id = 0;
  int64_t holder_person_id = 0;
  Timestamp granted_at{};
  std::optional<Timestamp> revoked_at = std::nullopt;
  std::string grantor_name{}, holder_name{};  // joined for display
};
int64_t insert_proxy(store::Tx& tx, const ProxyRow& p);
std::optional<ProxyRow> find_proxy(store::Tx& tx, int64_t proxy_id);
// Returns rows changed (0 when already revoked).
int64_t revoke_proxy(store::Tx& tx, int64_t proxy_id, Timestamp at);
// A live proxy from grantor to holder for this body, for all its proposals
// (proposal_id NULL) or for `proposal_id`.
bool live_proxy_exists(store::Tx& tx, int64_t org_id, std::string_view body_key,
                       int64_t proposal_id, int64_t grantor, int64_t holder);
// The grantor's live proxy for exactly this body and scope (proposal or none).
bool live_proxy_same_scope(store::Tx& tx, int64_t org_id, std::string_view body_key,
                           std::optional<int64_t> proposal_id, int64_t grantor);
int64_t count_live_proxies_held(store::Tx& tx, int64_t org_id, std::string_view body_key,
                                int64_t holder);
// Live proxies the holder may use on `proposal_id` (body-wide or that proposal).
std::vector<ProxyRow> live_proxies_held_for(store::Tx& tx, int64_t org_id,
                                            std::string_view body_key, int64_t proposal_id,
                                            int64_t holder);
// Newest first, at most `limit`.
std::vector<ProxyRow> proxies_given(store::Tx& tx, int64_t person_id, int64_t limit);
std::vector<ProxyRow> proxies_held(store::Tx& tx, int64_t person_id, int64_t limit);

// ---- member spend
void insert_member_spend(store::Tx& tx, int64_t org_id, int64_t person_id, Timestamp at,
                         int64_t amount_minor, std::string_view source);

}  // namespace agora::app::repo
