#pragma once
// Use cases of governance (DOMAIN.md §2, docs/GOVERNANCE.md): constitutions,
// decisions and their proposals, elections, the roll, ballots secret and
// open, receipts and proxies. Rules come from governance/ (constitution.h,
// voting/); SQL lives in app/repo/governance_repo.*; the migration is
// store/migrations/0005_governance.sql.
// Same conventions as registry.h: commands run inside App::write and throw
// agora::Error before writing anything when refused; queries run inside
// App::read; results are the JSON the HTTP API returns.
// Thread-safe: stateless functions over the given transaction.
//
// ---- The proposal JSON (get_proposal, and every command on a proposal)
// {"id", "decision_id", "org_id", "body": {"key","name","kind"}, "domain",
//  "kind": "motion"|"election", "title", "text", "method",
//  "ballot_kind": "choice"|"marks"|"scores"|"ranking",
//  "options": ["for","against","abstain"] | names | candidates' names,
//  "seats", "chamber": ""|class code, "elects_body": null|key,
//  "score_max", "dots",
//  "rule": {"quorum": "1/10", "threshold": "1/2", "threshold_of": "cast",
//           "threshold_strict": true, "notice_days", "voting_days",
//           "secret", "results_hidden"},
//  "stage": 1|2, "first_stage_id": null|id, "second_stage_id": null|id,
//  "gap_days": null|{"min","max"},
//  "amends_id": null|id, "amendments": [ids], "constitution_toml": null|text,
//  "status": "draft"|"open"|"voting"|"closed"|"passed"|"rejected"|"no_quorum"|"withdrawn",
//  "outcome_statement": null|text,
//  "author": {"person_id","name"}, "created_at", "opened_at", "voting_opens_at",
//  "voting_closes_at", "closed_at" (ISO 8601 or null),
//  "turnout": {"eligible_count","eligible_weight","voters","voted_weight"},
//  "candidates": [{"id","person_id","name","chamber","statement"}] (elections),
//  "decision": {"id","status":"pending"|"passed"|"rejected","subject",
//               "proposals":[{"id","org_id","body_key","stage","status"}]}}
// status: draft (editable) -> open (notice given, voting_opens_at in the
// future) -> voting (now within [voting_opens_at, voting_closes_at)) ->
// closed (window over, not yet counted) -> passed | rejected | no_quorum
// (counted by close_proposal or the scheduler). withdrawn: the author or a
// coordinator withdrew it before voting opened.
//
// ---- Results JSON (get_results; stored at close)
// {"proposal_id", "final": bool, "tally": voting::to_json(...),
//  "decision": voting::Decision::to_json() (final only)}

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/registry.h"
#include "store/database.h"

namespace agora::app {

// ---- constitutions

// Public. {"org_id","version","adopted_at","adopted_by_proposal":null|id,
// "toml": text, "constitution": governance::to_json(...)}; Error(not_found)
// when the org has none.
Json get_constitution(store::Tx& tx, const Ctx& ctx, int64_t org_id);
// Public. {"items":[{"version","adopted_at","adopted_by_proposal"}],"next_after"} newest first
// (after = a version number).
Json constitution_versions(store::Tx& tx, const Ctx& ctx, int64_t org_id, PageReq page);
// Coordinator of the org (or admin): founds version 1. Once an org has a
// constitution it changes only by a passed proposal in constitution.amend:
// Error(invalid_state) here. Error(bad_file/invalid_value) for a bad text.
Json found_constitution(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& toml);
// Public. Who decides `domain` for `org_id` under subsidiarity:
// {"domain","org_id": the deciding org,"reserved": bool,"bodies":[{"key","name","kind"}],
//  "joint_with":[keys],"method","rule":{...as in the proposal},"seats",
//  "two_stage": null|{"second_threshold","second_threshold_strict","min_gap_days","max_gap_days"}}
// Error(rule_violation) when no constitution says who decides it.
Json who_decides(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& domain);

// ---- seats on boards, committees and councils

// Public: current seats {"items":[{"id","person_id","name","chamber","since"}]}.
Json list_body_seats(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& body_key);
// Coordinator: appoints (e.g. the founding board) / ends a seat.
Json appoint_seat(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& body_key,
                  int64_t person_id, const std::string& chamber);
Json end_seat(store::Tx& tx, const Ctx& ctx, int64_t seat_id);

// ---- proposals

struct ProposalInput {
  int64_t org_id = 0;                 // the org the matter concerns (subsidiarity may move it up)
  std::string domain{};               // e.g. "fund.allocation"
  std::string title{};                // 1..200 bytes
  std::string text{};                 // 0..20000 bytes
  std::string kind = "motion";        // motion | election
  std::vector<std::string> options{}; // options for approval/score/star/dot/plurality/ranked
                                      // motions (2..100, each 1..200 bytes); none for
                                      // majority/consent (fixed) and elections (candidates)
  std::optional<std::string> subject = std::nullopt;   // 0..200: "asset:12"
  std::optional<int64_t> counterparty_org_id = std::nullopt;  // joint decisions
  std::optional<int64_t> amends_id = std::nullopt;     // an amendment to that proposal
  std::optional<std::string> elects_body = std::nullopt;  // election: the seated body it fills
  std::optional<std::string> chamber = std::nullopt;   // election: class code of the chamber
  std::optional<std::string> constitution_toml = std::nullopt;  // constitution.amend: the new text
};
// An active member of the deciding org (or a coordinator). Resolves who
// decides (who_decides), creates the decision and one draft proposal per
// deciding body — and, for a joint decision, drafts in the counterparty org's
// bodies (counterparty_org_id required then). Returns the first proposal.
// Error(rule_violation) when the constitution does not provide for it;
// Error(invalid_value, "/constitution_toml") for a bad amended constitution.
Json create_proposal(store::Tx& tx, const Ctx& ctx, const ProposalInput& in);

struct ProposalPatch {
  std::optional<std::string> title = std::nullopt;
  std::optional<std::string> text = std::nullopt;
  std::optional<std::vector<std::string>> options = std::nullopt;
};
// The author or a coordinator; drafts only (Error(invalid_state)).
Json update_proposal(store::Tx& tx, const Ctx& ctx, int64_t proposal_id, const ProposalPatch& in);
// The author or a coordinator: gives notice. Voting opens at
// max(voting_opens_at or now, now + notice_days) and closes voting_days
// later. The roll is fixed now (eligible voters and weights). A second stage
// must open within [first close + min_gap_days, first close + max_gap_days]:
// Error(rule_violation) otherwise. An election needs at least one candidate.
Json open_proposal(store::Tx& tx, const Ctx& ctx, int64_t proposal_id,
                   std::optional<Timestamp> voting_opens_at);
// The author or a coordinator, before voting opens.
Json withdraw_proposal(store::Tx& tx, const Ctx& ctx, int64_t proposal_id);
// A coordinator (or the system actor of the scheduler), once the window is
// over: counts, applies quorum and threshold, records the outcome and
// result; moves the decision on (all proposals passed: passed; any
// rejected/no_quorum: rejected); a passed first stage creates the second
// stage's draft; a passed constitution.amend adopts the new version; a
// passed election seats the elected. Error(invalid_state) before the window ends.
Json close_proposal(store::Tx& tx, const Ctx& ctx, int64_t proposal_id);
// The scheduler: closes up to `limit` proposals whose window has ended.
// {"closed":[ids]}.
Json close_due_proposals(store::Tx& tx, const Ctx& ctx, int64_t limit);
// Read-only: is any proposal's window over and not yet counted? (The
// scheduler asks first, so an idle round writes nothing to the journal.)
bool any_proposal_due(store::Tx& tx, const Ctx& ctx);
// A coordinator, after close: the minutes' outcome statement (1..5000).
Json record_outcome_statement(store::Tx& tx, const Ctx& ctx, int64_t proposal_id,
                              const std::string& statement);

// Public for public bodies' proposals (all of them today).
Json get_proposal(store::Tx& tx, const Ctx& ctx, int64_t proposal_id);
// Public. filter: "" all | "current" (draft/open/voting/closed) | "past"
// (passed/rejected/no_quorum/withdrawn). body_key "" for all bodies.
// {"items":[proposal summaries {id,title,domain,body,kind,method,status,
//  voting_opens_at,voting_closes_at}],"next_after"} newest first.
Json list_proposals(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& body_key,
                    const std::string& filter, PageReq page);
Json get_decision(store::Tx& tx, const Ctx& ctx, int64_t decision_id);
// For other capabilities (asset lock, leases): does a passed decision on
// this subject exist in this org's domain?
bool decision_passed(store::Tx& tx, int64_t org_id, const std::string& domain,
                     const std::string& subject);

// ---- discussion

// Active members of the proposal's org (or coordinators): 1..5000 bytes.
Json add_comment(store::Tx& tx, const Ctx& ctx, int64_t proposal_id, const std::string& text);
// Public: {"items":[{"id","person_id","name","text","created_at"}],"next_after"} oldest first.
Json list_comments(store::Tx& tx, const Ctx& ctx, int64_t proposal_id, PageReq page);

// ---- elections

// A member may stand (themself) while the election is a draft or in notice;
// person_id other than oneself: coordinator only. The candidate must meet
// the body's candidate tenure and belong to the election's chamber class.
Json stand_candidate(store::Tx& tx, const Ctx& ctx, int64_t proposal_id,
                     std::optional<int64_t> person_id, const std::string& statement);
Json withdraw_candidacy(store::Tx& tx, const Ctx& ctx, int64_t candidacy_id);

// ---- voting

struct CastInput {
  Json ballot;                                   // governance/ballot_files.h JSON ballot
  std::optional<int64_t> on_behalf_of = std::nullopt;  // a grantor whose proxy the actor holds
};
// Signed-in voter on the roll (or proxy holder for a grantor on the roll),
// within the window. Refused: Error(invalid_state) outside the window,
// Error(forbidden) not on the roll / no proxy, Error(duplicate) already
// voted (for that person, whoever cast it), Error(invalid_value) bad ballot.
// Secret: {"proposal_id","receipt": "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX", "secret": true}
// — the receipt is shown once and stored only as a hash beside the ballot.
// Open: {"proposal_id","secret": false,"ballot":{...}}.
// The journal gets {"proposal_id","voter","cast_by"} and never the ballot.
Json cast_ballot(store::Tx& tx, const Ctx& ctx, int64_t proposal_id, const CastInput& in);
// Signed-in: {"on_roll","weight","voted","can_vote_now","proxies_held":[{"person_id","name","weight","voted"}]}.
Json my_vote(store::Tx& tx, const Ctx& ctx, int64_t proposal_id);
// Anyone with the code: {"counted": true, "ballot": {...}, "final": bool}
// (final: the proposal was counted with this ballot in it); Error(not_found) otherwise.
Json check_receipt(store::Tx& tx, const Ctx& ctx, int64_t proposal_id, const std::string& code);
// Running or final results (see above). Hidden results (or secret ballots
// during the window, where counts could be watched change) are
// Error(forbidden) until close.
Json get_results(store::Tx& tx, const Ctx& ctx, int64_t proposal_id);
// Open ballots only: who voted what, {"items":[{"person_id","name","cast_by","weight","ballot","reason","voted_at"}]}.
// Secret ballots: who voted (never what): {"items":[{"person_id","name","voted_at"}]} — coordinators and auditors only.
Json list_votes(store::Tx& tx, const Ctx& ctx, int64_t proposal_id, PageReq page);
// The roll: {"items":[{"person_id","name","weight","represents"}]} (coordinators/auditors).
Json list_roll(store::Tx& tx, const Ctx& ctx, int64_t proposal_id, PageReq page);
// Ranked ballots of a counted proposal, anonymous, as BLT (write_blt).
// Coordinators/auditors, or anyone once the results are public.
std::string export_ballots_blt(store::Tx& tx, const Ctx& ctx, int64_t proposal_id);

// ---- proxies

// The grantor (an active member) gives a proxy for a body (or one proposal)
// to another active member. Refused when the body's constitution allows no
// proxies, or the holder already holds max_proxies_per_holder live proxies
// for that body (Error(rule_violation)), or the grantor has a live one for
// the same body/proposal (Error(duplicate)).
Json grant_proxy(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& body_key,
                 int64_t holder_person_id, std::optional<int64_t> proposal_id);
// The grantor, or a coordinator.
Json revoke_proxy(store::Tx& tx, const Ctx& ctx, int64_t proxy_id);
// Signed-in: proxies the actor gave and holds
// {"given":[{"id","org_id","body_key","proposal_id","holder":{"person_id","name"},"granted_at","revoked_at"}],"held":[...with "grantor"]}.
Json my_proxies(store::Tx& tx, const Ctx& ctx);

// ---- activity

// Records spend for "active member" rules (the market's settlement calls this).
void record_member_spend(store::Tx& tx, int64_t org_id, int64_t person_id, Timestamp at,
                         int64_t amount_minor, const std::string& source);

}  // namespace agora::app
