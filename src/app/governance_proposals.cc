// Decisions and their proposals (governance.h): creating them where the
// constitutions say the matter is decided, their lifecycle from draft to
// counted, what a passed decision sets in motion (a second stage, a new
// constitution, a seated board), discussion, candidacies and seats.
//
// Choices the headers leave open, made here:
// - A decision row belongs to the org the matter concerns (so
//   decision_passed(org, ...) answers for it); each proposal to the org whose
//   body decides (the federation's, when it reserves the domain).
// - A two-stage first stage records the confirming threshold beside its own
//   (0005_governance.sql), so the second stage created when it passes
//   runs under the rule in force when the matter was put.
// - An amendment is its own decision with one proposal, to the amended
//   proposal's body under its rule (never two-stage).
// - Withdrawing any proposal of a decision rejects the decision.
// - A matter decided above the org it concerns (subsidiarity) may also be
//   raised by a coordinator of that org.
// - Changing a draft changes that proposal only, not the decision's others.
// - A passed election seats the elected in `elects_body` (in the election's
//   chamber); the seats of that body and chamber held by people not elected
//   end, and the re-elected keep their seat.
// - Candidacies may change while an election is in notice; the ballot's
//   options follow them until voting opens (no ballot can exist before).
#include <sodium.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/authz.h"
#include "app/encode.h"
#include "app/governance.h"
#include "governance/voting/voting.h"

// governance_internal.h names voting:: in ProposalRow before it declares the
// alias; declaring the same alias first lets it compile (a redeclaration of
// an alias to the same namespace is allowed).
namespace agora::app::gov {
namespace voting = governance::voting;
}  // namespace agora::app::gov

#include "app/governance_internal.h"
#include "app/repo/proposals_repo.h"
#include "app/repo/registry_repo.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app {

namespace {

namespace voting = governance::voting;
using gov::ProposalRow;

constexpr int64_t kDayUs = int64_t{86'400} * 1'000'000;
constexpr const char* kConstitutionAmend = "constitution.amend";
constexpr size_t kMaxOptions = 100;
constexpr int64_t kMaxSeatsListed = 10'000;
constexpr int64_t kMaxDueLimit = 1000;
constexpr int64_t kMaxOpenAheadDays = 366;

// The status the API shows, from what is stored and the time.
std::string status_at(const std::string& stored, const std::optional<std::string>& outcome,
                      const std::optional<Timestamp>& opens, const std::optional<Timestamp>& closes,
                      Timestamp now) {
  if (stored == "open") {
    AGORA_ASSERT(opens && closes);
    if (now < *opens) return "open";
    if (now < *closes) return "voting";
    return "closed";
  }
  if (stored == "closed") {
    AGORA_ASSERT(outcome.has_value());
    return *outcome;
  }
  return stored;
}

}  // namespace

namespace gov {

ProposalRow load_proposal(store::Tx& tx, int64_t proposal_id) {
  auto p = repo::find_proposal(tx, proposal_id);
  if (!p) throw Error(Code::not_found, "no such proposal");
  return *p;
}

std::string shown_status(const ProposalRow& p, Timestamp now) {
  return status_at(p.status, p.outcome, p.voting_opens_at, p.voting_closes_at, now);
}

}  // namespace gov

namespace {

using gov::load_proposal;
using gov::shown_status;

// ---- small checks



void check_body_key(const std::string& key) {
  bool ok = !key.empty() && key.size() <= 40;
  for (char c : key) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok) throw Error(Code::invalid_value, "a body key is 1..40 of a-z, 0-9 and '_'", "/body_key");
}

repo::OrgRow load_org(store::Tx& tx, int64_t org_id) {
  auto org = repo::find_org(tx, org_id);
  if (!org) throw Error(Code::not_found, "no such organisation");
  return *org;
}

bool is_coordinator(store::Tx& tx, const Actor& actor, int64_t org_id) {
  if (actor.admin) return true;
  if (actor.anonymous()) return false;
  return has_role(tx, actor, org_id, {Role::coordinator});
}

bool is_author(const Actor& actor, const ProposalRow& p) {
  return actor.person_id > 0 && p.author_person_id == actor.person_id;
}

void require_author_or_coordinator(store::Tx& tx, const Actor& actor, const ProposalRow& p) {
  require_signed_in(actor);
  if (is_author(actor, p) || is_coordinator(tx, actor, p.org_id)) return;
  throw Error(Code::forbidden, "only the author or a coordinator may do this");
}

void require_coordinator(store::Tx& tx, const Actor& actor, int64_t org_id, const char* what) {
  require_signed_in(actor);
  if (!is_coordinator(tx, actor, org_id)) {
    throw Error(Code::forbidden, std::string("only a coordinator may ") + what);
  }
}

// Before voting opens: a draft, or open with the window still ahead.
bool before_voting(const ProposalRow& p, Timestamp now) {
  return p.status == "draft" || (p.status == "open" && now < *p.voting_opens_at);
}

std::optional<voting::Threshold> second_of(const governance::Domain& d) {
  if (!d.two_stage) return std::nullopt;
  return d.two_stage->second;
}

const std::vector<std::string>* fixed_options(voting::Method m) {
  if (m == voting::Method::majority) return &voting::kMajorityOptions;
  if (m == voting::Method::consent) return &voting::kConsentOptions;
  return nullptr;
}

// A motion's options under `method`: fixed for majority and consent, else
// 2..100 distinct names of 1..200 bytes.
std::vector<std::string> motion_options(voting::Method method, const std::vector<std::string>& in) {
  if (const auto* fixed = fixed_options(method)) {
    if (!in.empty()) {
      throw Error(Code::invalid_value,
                  std::string("a ") + std::string(voting::method_name(method)) +
                      " vote has fixed options; give none",
                  "/options");
    }
    return *fixed;
  }
  if (in.size() < 2 || in.size() > kMaxOptions) {
    throw Error(Code::out_of_range,
                "a " + std::string(voting::method_name(method)) + " vote needs 2..100 options",
                "/options");
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < in.size(); ++i) {
    std::string field = "/options/" + std::to_string(i);
    check_len(in[i], 1, 200, field.c_str());
    if (!seen.insert(in[i]).second) {
      throw Error(Code::invalid_value, "options must differ", field);
    }
  }
  return in;
}

bool elects(voting::Method m) { return fixed_options(m) == nullptr; }

// The ballot's options of an election: candidates' names in candidacy order,
// names two candidates share told apart by their person id.
std::vector<std::string> candidate_options(const std::vector<repo::CandidacyRow>& cands) {
  std::map<std::string, int> uses;
  for (const auto& c : cands) ++uses[c.name];
  std::vector<std::string> out;
  out.reserve(cands.size());
  for (const auto& c : cands) {
    out.push_back(uses[c.name] > 1 ? c.name + " (" + std::to_string(c.person_id) + ")" : c.name);
  }
  return out;
}

// Reproducible and recorded: the lot of a proposal is drawn from a seed
// derived from its id and creation time.
int64_t tie_seed_for(int64_t proposal_id, Timestamp created_at) {
  std::string in =
      "agora tie seed " + std::to_string(proposal_id) + " " + std::to_string(created_at.us);
  unsigned char out[crypto_generichash_BYTES_MIN];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(in.data()), in.size(),
                     nullptr, 0);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | out[i];
  return static_cast<int64_t>(v & 0x7fff'ffff'ffff'ffffULL);
}

int64_t insert_with_seed(store::Tx& tx, ProposalRow p,
                         const std::optional<voting::Threshold>& second) {
  int64_t id = repo::insert_proposal(tx, p, second);
  repo::set_tie_seed(tx, id, tie_seed_for(id, p.created_at));
  return id;
}

// A draft proposal to `body_key` of `org_id` under the domain's rule.
ProposalRow draft_from(const governance::Domain& d, int64_t decision_id, int64_t org_id,
                       const std::string& body_key, const std::string& domain, const Ctx& ctx) {
  ProposalRow p;
  p.decision_id = decision_id;
  p.org_id = org_id;
  p.body_key = body_key;
  p.domain = domain;
  p.method = d.method;
  p.method_name = std::string(voting::method_name(d.method));
  p.seats = d.seats;
  p.rule = d.rule;
  p.notice_days = d.notice_days;
  p.voting_days = d.voting_days;
  p.secret = d.secret;
  p.results_hidden = d.results_hidden;
  if (d.two_stage) {
    p.min_gap_days = d.two_stage->min_gap_days;
    p.max_gap_days = d.two_stage->max_gap_days;
  }
  p.status = "draft";
  p.author_person_id =
      ctx.actor.person_id > 0 ? std::optional<int64_t>(ctx.actor.person_id) : std::nullopt;
  p.created_at = ctx.now;
  return p;
}

// A constitution.amend proposal's new text, refused as a bad value of the
// proposal (whatever the parser's own code) so the field is named.
void check_amended_constitution(const std::string& toml) {
  try {
    governance::parse_constitution(toml);
  } catch (const Error& e) {
    throw Error(Code::invalid_value,
                std::string("the amended constitution is not valid: ") + e.what(),
                "/constitution_toml");
  }
}

// ---- JSON


Json body_json(const std::optional<governance::Constitution>& c, const std::string& key) {
  const governance::Body* b = c ? c->body(key) : nullptr;
  // A body an amendment removed still names the proposals it decided.
  if (b == nullptr) return Json{{"key", key}, {"name", key}, {"kind", ""}};
  return Json{{"key", b->key}, {"name", b->name}, {"kind", governance::body_kind_name(b->kind)}};
}

Json rule_json(const ProposalRow& p) {
  return Json{{"quorum", voting::ratio_text(p.rule.quorum)},
              {"threshold", voting::ratio_text(p.rule.threshold.ratio)},
              {"threshold_of",
               p.rule.threshold.of == voting::Threshold::Of::eligible ? "eligible" : "cast"},
              {"threshold_strict", p.rule.threshold.strict},
              {"notice_days", p.notice_days},
              {"voting_days", p.voting_days},
              {"secret", p.secret},
              {"results_hidden", p.results_hidden}};
}

Json candidacy_json(const repo::CandidacyRow& c) {
  return Json{{"id", c.id},
              {"proposal_id", c.proposal_id},
              {"person_id", c.person_id},
              {"name", c.name},
              {"chamber", c.chamber},
              {"statement", c.statement},
              {"created_at", iso(c.created_at)},
              {"withdrawn_at", iso(c.withdrawn_at)}};
}

Json seat_json(const repo::SeatRow& s) {
  return Json{{"id", s.id},
              {"org_id", s.org_id},
              {"body_key", s.body_key},
              {"person_id", s.person_id},
              {"name", s.name},
              {"chamber", s.chamber},
              {"since", iso(s.since_at)},
              {"until", iso(s.until_at)}};
}

Json comment_json(const repo::CommentRow& c) {
  return Json{{"id", c.id},
              {"person_id", c.person_id},
              {"name", c.name},
              {"text", c.text},
              {"created_at", iso(c.created_at)}};
}

Json decision_proposals_json(const std::vector<repo::ProposalBrief>& ps, Timestamp now) {
  Json items = Json::array();
  for (const auto& b : ps) {
    items.push_back(Json{
        {"id", b.id},
        {"org_id", b.org_id},
        {"body_key", b.body_key},
        {"stage", b.stage},
        {"status", status_at(b.status, b.outcome, b.voting_opens_at, b.voting_closes_at, now)}});
  }
  return items;
}

Json proposal_json(store::Tx& tx, const Ctx& ctx, const ProposalRow& p) {
  auto c = gov::constitution_of(tx, p.org_id);
  Json author = nullptr;
  if (p.author_person_id) {
    author = Json{{"person_id", *p.author_person_id},
                  {"name", repo::person_name(tx, *p.author_person_id).value_or("")}};
  }
  Json gap = nullptr;
  if (p.min_gap_days && p.max_gap_days)
    gap = Json{{"min", *p.min_gap_days}, {"max", *p.max_gap_days}};
  auto d = repo::find_decision(tx, p.decision_id);
  AGORA_ASSERT(d.has_value());
  Json j{
      {"id", p.id},
      {"decision_id", p.decision_id},
      {"org_id", p.org_id},
      {"body", body_json(c, p.body_key)},
      {"domain", p.domain},
      {"kind", p.kind},
      {"title", p.title},
      {"text", p.text},
      {"method", p.method_name},
      {"ballot_kind", voting::ballot_kind_name(voting::ballot_kind(p.method))},
      {"options", p.options},
      {"seats", p.seats},
      {"chamber", p.chamber},
      {"elects_body", opt_json(p.elects_body)},
      {"score_max", p.score_max},
      {"dots", p.dots},
      {"rule", rule_json(p)},
      {"stage", p.stage},
      {"first_stage_id", opt_json(p.first_stage_id)},
      {"second_stage_id", opt_json(repo::second_stage_of(tx, p.id))},
      {"gap_days", gap},
      {"amends_id", opt_json(p.amends_id)},
      {"amendments", repo::amendments_of(tx, p.id)},
      {"constitution_toml", opt_json(p.constitution_toml)},
      {"status", shown_status(p, ctx.now)},
      {"outcome_statement", opt_json(p.outcome_statement)},
      {"author", author},
      {"created_at", iso(p.created_at)},
      {"opened_at", iso(p.opened_at)},
      {"voting_opens_at", iso(p.voting_opens_at)},
      {"voting_closes_at", iso(p.voting_closes_at)},
      {"closed_at", iso(p.closed_at)},
      {"turnout",
       {{"eligible_count", opt_json(p.eligible_count)},
        {"eligible_weight", opt_json(p.eligible_weight)},
        {"voters", p.voters_count},
        {"voted_weight", p.voted_weight}}},
      {"decision",
       {{"id", d->id},
        {"status", d->status},
        {"subject", d->subject},
        {"proposals", decision_proposals_json(repo::proposals_of_decision(tx, d->id), ctx.now)}}}};
  if (p.kind == "election") {
    Json cands = Json::array();
    for (const auto& cand : repo::active_candidacies(tx, p.id)) {
      cands.push_back(Json{{"id", cand.id},
                           {"person_id", cand.person_id},
                           {"name", cand.name},
                           {"chamber", cand.chamber},
                           {"statement", cand.statement}});
    }
    j["candidates"] = std::move(cands);
  }
  return j;
}

// ---- what a count sets in motion

// Moves a pending decision on from its proposals: any withdrawn, rejected or
// without quorum rejects it; all passed (with no stage left to run) passes
// it. Returns true when it has just passed.
bool settle_decision(store::Tx& tx, const Ctx& ctx, int64_t decision_id) {
  auto d = repo::find_decision(tx, decision_id);
  AGORA_ASSERT(d.has_value());
  if (d->status != "pending") return false;
  auto ps = repo::proposals_of_decision(tx, decision_id);
  AGORA_ASSERT(!ps.empty());
  bool all_passed = true;
  bool any_failed = false;
  for (const auto& b : ps) {
    bool passed = b.status == "closed" && b.outcome == "passed";
    all_passed = all_passed && passed;
    any_failed = any_failed || b.status == "withdrawn" || (b.status == "closed" && !passed);
  }
  if (any_failed) {
    repo::set_decision_status(tx, decision_id, "rejected", ctx.now);
    return false;
  }
  if (!all_passed) return false;
  repo::set_decision_status(tx, decision_id, "passed", ctx.now);
  return true;
}

// A passed first stage calls its confirmation: the second stage's draft,
// under the second threshold copied when the first was created.
void create_second_stage(store::Tx& tx, const Ctx& ctx, const ProposalRow& first) {
  auto second = repo::second_threshold(tx, first.id);
  AGORA_ASSERT(second.has_value() && first.min_gap_days && first.max_gap_days);
  ProposalRow p;
  p.decision_id = first.decision_id;
  p.org_id = first.org_id;
  p.body_key = first.body_key;
  p.domain = first.domain;
  p.kind = first.kind;
  p.title = first.title;
  p.text = first.text;
  p.method_name = first.method_name;
  p.method = first.method;
  p.options = first.options;
  p.seats = first.seats;
  p.chamber = first.chamber;
  p.elects_body = first.elects_body;
  p.score_max = first.score_max;
  p.dots = first.dots;
  p.rule = voting::DecisionRule{.quorum = first.rule.quorum, .threshold = *second};
  p.notice_days = first.notice_days;
  p.voting_days = first.voting_days;
  p.secret = first.secret;
  p.results_hidden = first.results_hidden;
  p.stage = 2;
  p.first_stage_id = first.id;
  p.min_gap_days = first.min_gap_days;
  p.max_gap_days = first.max_gap_days;
  p.constitution_toml = first.constitution_toml;
  p.status = "draft";
  p.author_person_id = first.author_person_id;
  p.created_at = ctx.now;
  insert_with_seed(tx, p, std::nullopt);
}

// A passed constitution.amend: its text becomes the next version of the
// constitution of the org the decision concerns.
void adopt_constitution(store::Tx& tx, const Ctx& ctx, const repo::DecisionRow& d,
                        const ProposalRow& p) {
  AGORA_ASSERT(p.constitution_toml.has_value());
  governance::parse_constitution(*p.constitution_toml);
  auto current = repo::latest_constitution(tx, d.org_id);
  repo::insert_constitution(tx, repo::ConstitutionRow{.org_id = d.org_id,
                                                      .version = current ? current->version + 1 : 1,
                                                      .toml = *p.constitution_toml,
                                                      .adopted_at = ctx.now,
                                                      .adopted_by_account = std::nullopt,
                                                      .adopted_by_proposal = p.id});
}

// A passed election: the elected take their seats in elects_body (in the
// election's chamber); seats there of those not elected end.
void seat_elected(store::Tx& tx, const Ctx& ctx, const ProposalRow& p, const voting::Result& r) {
  if (!p.elects_body) return;
  auto cands = repo::active_candidacies(tx, p.id);
  AGORA_ASSERT(cands.size() == p.options.size());
  std::set<int64_t> elected;
  for (int32_t w : r.winners) {
    AGORA_ASSERT(w >= 0 && static_cast<size_t>(w) < cands.size());
    elected.insert(cands[static_cast<size_t>(w)].person_id);
  }
  std::set<int64_t> kept;
  for (const auto& s : repo::current_seats(tx, p.org_id, *p.elects_body, kMaxSeatsListed)) {
    if (s.chamber != p.chamber) continue;
    if (elected.contains(s.person_id)) {
      kept.insert(s.person_id);
    } else {
      repo::end_seat(tx, s.id, ctx.now);
    }
  }
  for (int32_t w : r.winners) {
    int64_t person = cands[static_cast<size_t>(w)].person_id;
    if (kept.contains(person)) continue;
    repo::insert_seat(tx, repo::SeatRow{.org_id = p.org_id,
                                        .body_key = *p.elects_body,
                                        .person_id = person,
                                        .chamber = p.chamber,
                                        .since_at = ctx.now,
                                        .until_at = std::nullopt,
                                        .elected_by_proposal = p.id,
                                        .name = ""});
  }
}

// Re-reads the candidates into the ballot's options of an election in notice.
void refreeze_options(store::Tx& tx, const ProposalRow& p,
                      const std::vector<repo::CandidacyRow>& cands) {
  if (cands.empty()) {
    throw Error(
        Code::rule_violation,
        "an election in notice needs at least one candidate; withdraw the election instead");
  }
  repo::set_options(tx, p.id, candidate_options(cands));
}

}  // namespace

// ---- seats

Json list_body_seats(store::Tx& tx, const Ctx&, int64_t org_id, const std::string& body_key) {
  check_body_key(body_key);
  load_org(tx, org_id);
  Json items = Json::array();
  for (const auto& s : repo::current_seats(tx, org_id, body_key, kMaxSeatsListed)) {
    items.push_back(Json{{"id", s.id},
                         {"person_id", s.person_id},
                         {"name", s.name},
                         {"chamber", s.chamber},
                         {"since", iso(s.since_at)}});
  }
  return Json{{"items", std::move(items)}};
}

Json appoint_seat(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& body_key,
                  int64_t person_id, const std::string& chamber) {
  require_signed_in(ctx.actor);
  load_org(tx, org_id);
  require_coordinator(tx, ctx.actor, org_id, "appoint to a body");
  check_body_key(body_key);
  auto c = gov::constitution_of(tx, org_id);
  if (!c) throw Error(Code::rule_violation, "this organisation has no constitution yet");
  const governance::Body* body = c->body(body_key);
  if (body == nullptr)
    throw Error(Code::invalid_value, "the constitution has no such body", "/body_key");
  if (!body->seated()) {
    throw Error(Code::rule_violation, "only boards, committees and councils have seats",
                "/body_key");
  }
  if (!repo::person_name(tx, person_id))
    throw Error(Code::not_found, "no such person", "/person_id");
  int32_t room = body->seats;
  if (!chamber.empty()) {
    auto it =
        std::find_if(body->chambers.begin(), body->chambers.end(),
                     [&](const governance::Chamber& ch) { return ch.member_class == chamber; });
    if (it == body->chambers.end()) {
      throw Error(Code::invalid_value, "the body has no chamber for this class", "/chamber");
    }
    room = it->seats;
  }
  auto seats = repo::current_seats(tx, org_id, body_key, kMaxSeatsListed);
  int64_t taken = 0;
  for (const auto& s : seats) {
    if (s.person_id == person_id)
      throw Error(Code::duplicate, "the person already holds a seat on this body");
    if (chamber.empty() || s.chamber == chamber) ++taken;
  }
  if (room > 0 && taken >= room) {
    throw Error(Code::rule_violation, "every seat is taken (" + std::to_string(room) + ")");
  }
  int64_t id = repo::insert_seat(tx, repo::SeatRow{.org_id = org_id,
                                                   .body_key = body_key,
                                                   .person_id = person_id,
                                                   .chamber = chamber,
                                                   .since_at = ctx.now,
                                                   .until_at = std::nullopt,
                                                   .elected_by_proposal = std::nullopt,
                                                   .name = ""});
  auto s = repo::find_seat(tx, id);
  AGORA_ASSERT(s && s->org_id == org_id && !s->until_at);
  return seat_json(*s);
}

Json end_seat(store::Tx& tx, const Ctx& ctx, int64_t seat_id) {
  require_signed_in(ctx.actor);
  auto s = repo::find_seat(tx, seat_id);
  if (!s) throw Error(Code::not_found, "no such seat");
  require_coordinator(tx, ctx.actor, s->org_id, "end a seat");
  if (s->until_at) throw Error(Code::invalid_state, "this seat has already ended");
  int64_t changed = repo::end_seat(tx, seat_id, ctx.now);
  AGORA_ASSERT(changed == 1);
  s = repo::find_seat(tx, seat_id);
  AGORA_ASSERT(s && s->until_at);
  return seat_json(*s);
}

// ---- proposals

Json create_proposal(store::Tx& tx, const Ctx& ctx, const ProposalInput& in) {
  require_signed_in(ctx.actor);
  if (in.kind != "motion" && in.kind != "election") {
    throw Error(Code::invalid_value, "kind must be motion or election", "/kind");
  }
  check_len(in.title, 1, 200, "/title");
  check_len(in.text, 0, 20000, "/text");
  if (in.subject) check_len(*in.subject, 0, 200, "/subject");
  if (in.options.size() > kMaxOptions)
    throw Error(Code::out_of_range, "at most 100 options", "/options");
  if (in.constitution_toml && in.constitution_toml->size() > governance::kMaxConstitutionBytes) {
    throw Error(Code::out_of_range, "a constitution is at most 256 KiB", "/constitution_toml");
  }

  // An amendment goes to the amended proposal's body under its rule.
  if (in.amends_id) {
    auto a = repo::find_proposal(tx, *in.amends_id);
    if (!a) throw Error(Code::invalid_value, "no such proposal to amend", "/amends_id");
    if (a->org_id != in.org_id) {
      throw Error(Code::invalid_value, "the amended proposal belongs to another organisation",
                  "/amends_id");
    }
    if (!has_role(tx, ctx.actor, a->org_id, {Role::member, Role::coordinator})) {
      throw Error(Code::forbidden, "only an active member or a coordinator may propose here");
    }
    std::string shown = shown_status(*a, ctx.now);
    if (shown != "draft" && shown != "open" && shown != "voting") {
      throw Error(Code::invalid_state, "a proposal that is " + shown + " can no longer be amended",
                  "/amends_id");
    }
    if (a->kind != "motion" || in.kind != "motion" || a->stage != 1) {
      throw Error(Code::rule_violation, "only a first-stage motion can be amended, by a motion",
                  "/amends_id");
    }
    if (!in.domain.empty() && in.domain != a->domain) {
      throw Error(Code::invalid_value, "an amendment is in the amended proposal's domain",
                  "/domain");
    }
    if (in.counterparty_org_id || in.elects_body || in.chamber) {
      throw Error(Code::invalid_value, "an amendment has no counterparty, elected body or chamber");
    }
    bool amends_constitution = a->domain == kConstitutionAmend;
    if (amends_constitution && !in.constitution_toml) {
      throw Error(Code::missing_field, "the amended constitution's text is required",
                  "/constitution_toml");
    }
    if (!amends_constitution && in.constitution_toml) {
      throw Error(Code::invalid_value, "only a constitution.amend proposal carries a constitution",
                  "/constitution_toml");
    }
    std::vector<std::string> options = motion_options(a->method, in.options);
    if (in.constitution_toml) check_amended_constitution(*in.constitution_toml);

    int64_t decision_id =
        repo::insert_decision(tx, repo::DecisionRow{.org_id = a->org_id,
                                                    .domain = a->domain,
                                                    .subject = in.subject.value_or(""),
                                                    .counterparty_org_id = std::nullopt,
                                                    .status = "pending",
                                                    .created_at = ctx.now,
                                                    .decided_at = std::nullopt});
    ProposalRow p = *a;
    p.id = 0;
    p.decision_id = decision_id;
    p.kind = "motion";
    p.title = in.title;
    p.text = in.text;
    p.options = options;
    p.stage = 1;
    p.first_stage_id = std::nullopt;
    p.min_gap_days = std::nullopt;
    p.max_gap_days = std::nullopt;
    p.amends_id = a->id;
    p.constitution_toml = in.constitution_toml;
    p.status = "draft";
    p.outcome = std::nullopt;
    p.outcome_statement = std::nullopt;
    p.eligible_count = std::nullopt;
    p.eligible_weight = std::nullopt;
    p.voters_count = 0;
    p.voted_weight = 0;
    p.result_json = std::nullopt;
    p.author_person_id =
        ctx.actor.person_id > 0 ? std::optional<int64_t>(ctx.actor.person_id) : std::nullopt;
    p.created_at = ctx.now;
    p.opened_at = p.voting_opens_at = p.voting_closes_at = p.closed_at = std::nullopt;
    int64_t id = insert_with_seed(tx, p, std::nullopt);
    return proposal_json(tx, ctx, load_proposal(tx, id));
  }

  // Who decides: subsidiarity over the chain of constitutions.
  Json who = who_decides(tx, ctx, in.org_id, in.domain);
  int64_t deciding = who["org_id"].get<int64_t>();
  // The matter may be raised by the deciding org's members and coordinators,
  // and by a coordinator of the org it concerns when that is decided above it.
  if (!has_role(tx, ctx.actor, deciding, {Role::member, Role::coordinator}) &&
      !is_coordinator(tx, ctx.actor, in.org_id)) {
    throw Error(Code::forbidden,
                "only an active member or a coordinator of the deciding organisation may propose");
  }
  auto constitution = gov::constitution_of(tx, deciding);
  AGORA_ASSERT(constitution.has_value());
  const governance::Domain* dp = constitution->domain(in.domain);
  AGORA_ASSERT(dp != nullptr);
  const governance::Domain& d = *dp;

  std::vector<std::string> options;
  int64_t seats = d.seats;
  std::string chamber;
  if (in.kind == "election") {
    if (!elects(d.method)) {
      throw Error(Code::rule_violation,
                  "the domain's method " + std::string(voting::method_name(d.method)) +
                      " cannot elect anyone",
                  "/kind");
    }
    if (d.bodies.size() != 1 || !d.joint_with.empty() || d.two_stage) {
      throw Error(Code::rule_violation, "an election is held by one body in one stage", "/domain");
    }
    if (!in.options.empty()) {
      throw Error(Code::invalid_value, "an election's options are its candidates", "/options");
    }
    const governance::Body* elected = nullptr;
    if (in.elects_body) {
      elected = constitution->body(*in.elects_body);
      if (elected == nullptr || !elected->seated()) {
        throw Error(Code::invalid_value, "elects_body must name a board, committee or council",
                    "/elects_body");
      }
    }
    if (in.chamber) {
      if (elected == nullptr) {
        throw Error(Code::invalid_value, "a chamber belongs to the elected body", "/chamber");
      }
      auto it = std::find_if(
          elected->chambers.begin(), elected->chambers.end(),
          [&](const governance::Chamber& ch) { return ch.member_class == *in.chamber; });
      if (it == elected->chambers.end()) {
        throw Error(Code::invalid_value, "the elected body has no chamber for this class",
                    "/chamber");
      }
      seats = it->seats;
      chamber = *in.chamber;
    }
  } else {
    if (in.elects_body)
      throw Error(Code::invalid_value, "only an election elects a body", "/elects_body");
    if (in.chamber) throw Error(Code::invalid_value, "only an election has a chamber", "/chamber");
    options = motion_options(d.method, in.options);
  }

  bool amends_constitution = in.domain == kConstitutionAmend;
  if (amends_constitution && !in.constitution_toml) {
    throw Error(Code::missing_field, "the amended constitution's text is required",
                "/constitution_toml");
  }
  if (!amends_constitution && in.constitution_toml) {
    throw Error(Code::invalid_value, "only a constitution.amend proposal carries a constitution",
                "/constitution_toml");
  }
  if (in.constitution_toml) check_amended_constitution(*in.constitution_toml);

  // A joint decision: the counterparty's bodies, each under the
  // counterparty's own rule for the domain (or this org's when it has none).
  std::optional<governance::Constitution> theirs;
  const governance::Domain* their_domain = nullptr;
  std::vector<std::string> their_options;
  if (!d.joint_with.empty()) {
    if (!in.counterparty_org_id) {
      throw Error(Code::missing_field, "a joint decision needs the counterparty organisation",
                  "/counterparty_org_id");
    }
    if (*in.counterparty_org_id == deciding || !repo::find_org(tx, *in.counterparty_org_id)) {
      throw Error(Code::invalid_value, "no such other organisation", "/counterparty_org_id");
    }
    theirs = gov::constitution_of(tx, *in.counterparty_org_id);
    if (!theirs) {
      throw Error(Code::rule_violation, "the counterparty has no constitution",
                  "/counterparty_org_id");
    }
    for (const auto& key : d.joint_with) {
      if (theirs->body(key) == nullptr) {
        throw Error(Code::rule_violation, "the counterparty has no body " + key,
                    "/counterparty_org_id");
      }
    }
    their_domain = theirs->domain(in.domain);
    if (their_domain == nullptr) their_domain = &d;
    their_options = motion_options(their_domain->method, in.options);
  } else if (in.counterparty_org_id) {
    throw Error(Code::invalid_value,
                "the constitution does not make " + in.domain + " a joint decision",
                "/counterparty_org_id");
  }

  int64_t decision_id =
      repo::insert_decision(tx, repo::DecisionRow{.org_id = in.org_id,
                                                  .domain = in.domain,
                                                  .subject = in.subject.value_or(""),
                                                  .counterparty_org_id = in.counterparty_org_id,
                                                  .status = "pending",
                                                  .created_at = ctx.now,
                                                  .decided_at = std::nullopt});
  auto fill = [&](ProposalRow& p, std::vector<std::string> opts) {
    p.kind = in.kind;
    p.title = in.title;
    p.text = in.text;
    p.options = std::move(opts);
    p.constitution_toml = in.constitution_toml;
  };
  int64_t first_id = 0;
  for (const auto& key : d.bodies) {
    ProposalRow p = draft_from(d, decision_id, deciding, key, in.domain, ctx);
    fill(p, options);
    if (in.kind == "election") {
      p.seats = seats;
      p.chamber = chamber;
      p.elects_body = in.elects_body;
    }
    int64_t id = insert_with_seed(tx, p, second_of(d));
    if (first_id == 0) first_id = id;
  }
  for (const auto& key : d.joint_with) {
    ProposalRow p =
        draft_from(*their_domain, decision_id, *in.counterparty_org_id, key, in.domain, ctx);
    fill(p, their_options);
    insert_with_seed(tx, p, second_of(*their_domain));
  }
  AGORA_ASSERT(first_id > 0);
  return proposal_json(tx, ctx, load_proposal(tx, first_id));
}

Json update_proposal(store::Tx& tx, const Ctx& ctx, int64_t proposal_id, const ProposalPatch& in) {
  require_signed_in(ctx.actor);
  ProposalRow p = load_proposal(tx, proposal_id);
  require_author_or_coordinator(tx, ctx.actor, p);
  if (p.status != "draft") {
    throw Error(Code::invalid_state,
                "only a draft can be changed; this proposal is " + shown_status(p, ctx.now));
  }
  if (in.title) {
    check_len(*in.title, 1, 200, "/title");
    p.title = *in.title;
  }
  if (in.text) {
    check_len(*in.text, 0, 20000, "/text");
    p.text = *in.text;
  }
  if (in.options) {
    if (p.kind == "election") {
      throw Error(Code::invalid_value, "an election's options are its candidates", "/options");
    }
    p.options = motion_options(p.method, *in.options);
  }
  repo::update_draft(tx, p);
  return proposal_json(tx, ctx, load_proposal(tx, proposal_id));
}

Json open_proposal(store::Tx& tx, const Ctx& ctx, int64_t proposal_id,
                   std::optional<Timestamp> voting_opens_at) {
  require_signed_in(ctx.actor);
  ProposalRow p = load_proposal(tx, proposal_id);
  require_author_or_coordinator(tx, ctx.actor, p);
  if (p.status != "draft") {
    throw Error(Code::invalid_state,
                "only a draft can be opened; this proposal is " + shown_status(p, ctx.now));
  }
  if (voting_opens_at && voting_opens_at->us > ctx.now.us + kMaxOpenAheadDays * kDayUs) {
    throw Error(Code::out_of_range, "voting may open at most a year ahead", "/voting_opens_at");
  }
  Timestamp opens{
      std::max(voting_opens_at.value_or(ctx.now).us, ctx.now.us + p.notice_days * kDayUs)};
  Timestamp closes{opens.us + p.voting_days * kDayUs};
  if (p.stage == 2) {
    AGORA_ASSERT(p.first_stage_id && p.min_gap_days && p.max_gap_days);
    ProposalRow first = load_proposal(tx, *p.first_stage_id);
    AGORA_ASSERT(first.voting_closes_at.has_value());
    Timestamp earliest{first.voting_closes_at->us + *p.min_gap_days * kDayUs};
    Timestamp latest{first.voting_closes_at->us + *p.max_gap_days * kDayUs};
    if (opens < earliest || opens > latest) {
      throw Error(Code::rule_violation,
                  "the second stage must open between " + format_iso8601(earliest) + " and " +
                      format_iso8601(latest) + "; it would open at " + format_iso8601(opens),
                  "/voting_opens_at");
    }
  }
  auto constitution = gov::constitution_of(tx, p.org_id);
  const governance::Body* body = constitution ? constitution->body(p.body_key) : nullptr;
  if (body == nullptr) {
    throw Error(Code::rule_violation, "the constitution in force has no body " + p.body_key);
  }
  if (p.kind == "election") {
    auto cands = repo::active_candidacies(tx, p.id);
    if (cands.empty())
      throw Error(Code::rule_violation, "an election needs at least one candidate");
    p.options = candidate_options(cands);
  }
  p.status = "open";
  p.opened_at = ctx.now;
  p.voting_opens_at = opens;
  p.voting_closes_at = closes;
  repo::set_opened(tx, p);
  gov::Roll roll = gov::fix_roll(tx, ctx, p, *body);
  repo::set_eligible(tx, p.id, roll.count, roll.weight);
  return proposal_json(tx, ctx, load_proposal(tx, proposal_id));
}

Json withdraw_proposal(store::Tx& tx, const Ctx& ctx, int64_t proposal_id) {
  require_signed_in(ctx.actor);
  ProposalRow p = load_proposal(tx, proposal_id);
  require_author_or_coordinator(tx, ctx.actor, p);
  if (!before_voting(p, ctx.now)) {
    throw Error(Code::invalid_state,
                "a proposal can be withdrawn only before voting opens; this one is " +
                    shown_status(p, ctx.now));
  }
  repo::set_withdrawn(tx, p.id, ctx.now);
  settle_decision(tx, ctx, p.decision_id);
  return proposal_json(tx, ctx, load_proposal(tx, proposal_id));
}

Json close_proposal(store::Tx& tx, const Ctx& ctx, int64_t proposal_id) {
  require_signed_in(ctx.actor);
  ProposalRow p = load_proposal(tx, proposal_id);
  require_coordinator(tx, ctx.actor, p.org_id, "close a vote");
  if (p.status != "open") {
    throw Error(Code::invalid_state,
                "only an open proposal is counted; this one is " + shown_status(p, ctx.now));
  }
  if (ctx.now < *p.voting_closes_at) {
    throw Error(Code::invalid_state, "voting closes at " + format_iso8601(*p.voting_closes_at) +
                                         "; count it after that");
  }
  gov::Count count = gov::count_ballots(tx, p);
  p.status = "closed";
  p.outcome = std::string(voting::outcome_name(count.decision.outcome));
  p.closed_at = ctx.now;
  p.result_json = Json{{"proposal_id", p.id},
                       {"final", true},
                       {"tally", count.tally},
                       {"decision", count.decision.to_json()}}
                      .dump();
  repo::set_closed(tx, p);
  bool passed = count.decision.outcome == voting::Outcome::passed;
  if (passed && p.stage == 1 && p.min_gap_days) create_second_stage(tx, ctx, p);
  if (settle_decision(tx, ctx, p.decision_id)) {
    auto d = repo::find_decision(tx, p.decision_id);
    AGORA_ASSERT(d && d->status == "passed");
    if (p.domain == kConstitutionAmend && !p.amends_id) adopt_constitution(tx, ctx, *d, p);
    if (p.kind == "election") seat_elected(tx, ctx, p, count.result);
  }
  return proposal_json(tx, ctx, load_proposal(tx, proposal_id));
}

bool any_proposal_due(store::Tx& tx, const Ctx& ctx) {
  return !repo::due_proposals(tx, ctx.now, 1).empty();
}

Json close_due_proposals(store::Tx& tx, const Ctx& ctx, int64_t limit) {
  require_signed_in(ctx.actor);
  if (!ctx.actor.admin) throw Error(Code::forbidden, "only the scheduler closes due proposals");
  if (limit < 1 || limit > kMaxDueLimit)
    throw Error(Code::out_of_range, "limit must be 1..1000", "/limit");
  Json closed = Json::array();
  Json failed = Json::array();
  for (int64_t id : repo::due_proposals(tx, ctx.now, limit)) {
    // Each close stands alone: one that fails leaves the others counted.
    tx.savepoint("agora_close_due");
    try {
      close_proposal(tx, ctx, id);
      tx.release("agora_close_due");
      closed.push_back(id);
    } catch (const Error& e) {
      tx.rollback_to("agora_close_due");
      tx.release("agora_close_due");
      failed.push_back(
          Json{{"id", id}, {"error", std::string(code_name(e.code())) + ": " + e.what()}});
    }
  }
  return Json{{"closed", std::move(closed)}, {"failed", std::move(failed)}};
}

Json record_outcome_statement(store::Tx& tx, const Ctx& ctx, int64_t proposal_id,
                              const std::string& statement) {
  require_signed_in(ctx.actor);
  ProposalRow p = load_proposal(tx, proposal_id);
  require_coordinator(tx, ctx.actor, p.org_id, "record the outcome");
  check_len(statement, 1, 5000, "/statement");
  if (p.status != "closed") {
    throw Error(Code::invalid_state, "the outcome is recorded after the count; this proposal is " +
                                         shown_status(p, ctx.now));
  }
  repo::set_outcome_statement(tx, p.id, statement);
  return proposal_json(tx, ctx, load_proposal(tx, proposal_id));
}

Json get_proposal(store::Tx& tx, const Ctx& ctx, int64_t proposal_id) {
  return proposal_json(tx, ctx, load_proposal(tx, proposal_id));
}

Json list_proposals(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& body_key,
                    const std::string& filter, PageReq page) {
  check_page(page);
  if (!body_key.empty()) check_body_key(body_key);
  std::vector<std::string> statuses;
  if (filter == "current") {
    statuses = {"draft", "open"};
  } else if (filter == "past") {
    statuses = {"closed", "withdrawn"};
  } else if (!filter.empty()) {
    throw Error(Code::invalid_value, "filter must be current or past", "/filter");
  }
  load_org(tx, org_id);
  auto c = gov::constitution_of(tx, org_id);
  auto rows = repo::list_proposals(tx, org_id, body_key, statuses, page.after, page.limit);
  Json items = Json::array();
  for (const auto& b : rows) {
    items.push_back(Json{
        {"id", b.id},
        {"title", b.title},
        {"domain", b.domain},
        {"body", body_json(c, b.body_key)},
        {"kind", b.kind},
        {"method", b.method},
        {"status", status_at(b.status, b.outcome, b.voting_opens_at, b.voting_closes_at, ctx.now)},
        {"voting_opens_at", iso(b.voting_opens_at)},
        {"voting_closes_at", iso(b.voting_closes_at)}});
  }
  bool full = static_cast<int64_t>(rows.size()) == page.limit;
  return Json{{"items", std::move(items)},
              {"next_after", full ? Json(rows.back().id) : Json(nullptr)}};
}

Json get_decision(store::Tx& tx, const Ctx& ctx, int64_t decision_id) {
  auto d = repo::find_decision(tx, decision_id);
  if (!d) throw Error(Code::not_found, "no such decision");
  return Json{
      {"id", d->id},
      {"org_id", d->org_id},
      {"domain", d->domain},
      {"subject", d->subject},
      {"counterparty_org_id", opt_json(d->counterparty_org_id)},
      {"status", d->status},
      {"created_at", iso(d->created_at)},
      {"decided_at", iso(d->decided_at)},
      {"proposals", decision_proposals_json(repo::proposals_of_decision(tx, d->id), ctx.now)}};
}

bool decision_passed(store::Tx& tx, int64_t org_id, const std::string& domain,
                     const std::string& subject) {
  return repo::passed_decision_exists(tx, org_id, domain, subject);
}

// ---- discussion

Json add_comment(store::Tx& tx, const Ctx& ctx, int64_t proposal_id, const std::string& text) {
  require_signed_in(ctx.actor);
  ProposalRow p = load_proposal(tx, proposal_id);
  if (ctx.actor.person_id <= 0) throw Error(Code::forbidden, "only a person may comment");
  if (!has_role(tx, ctx.actor, p.org_id, {Role::member, Role::coordinator})) {
    throw Error(Code::forbidden, "only an active member or a coordinator may comment");
  }
  check_len(text, 1, 5000, "/text");
  int64_t id = repo::insert_comment(tx, repo::CommentRow{.proposal_id = p.id,
                                                         .person_id = ctx.actor.person_id,
                                                         .text = text,
                                                         .created_at = ctx.now,
                                                         .name = ""});
  auto c = repo::find_comment(tx, id);
  AGORA_ASSERT(c && c->proposal_id == p.id);
  return comment_json(*c);
}

Json list_comments(store::Tx& tx, const Ctx&, int64_t proposal_id, PageReq page) {
  check_page(page);
  load_proposal(tx, proposal_id);
  auto rows = repo::list_comments(tx, proposal_id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& c : rows) items.push_back(comment_json(c));
  bool full = static_cast<int64_t>(rows.size()) == page.limit;
  return Json{{"items", std::move(items)},
              {"next_after", full ? Json(rows.back().id) : Json(nullptr)}};
}

// ---- elections

Json stand_candidate(store::Tx& tx, const Ctx& ctx, int64_t proposal_id,
                     std::optional<int64_t> person_id, const std::string& statement) {
  require_signed_in(ctx.actor);
  ProposalRow p = load_proposal(tx, proposal_id);
  int64_t who = person_id.value_or(ctx.actor.person_id);
  if (who != ctx.actor.person_id || who <= 0) {
    if (!is_coordinator(tx, ctx.actor, p.org_id)) {
      throw Error(Code::forbidden, "only a coordinator may enter another person as a candidate");
    }
    if (who <= 0) throw Error(Code::missing_field, "whom to enter as a candidate", "/person_id");
  }
  if (p.kind != "election") throw Error(Code::rule_violation, "this proposal is not an election");
  if (!before_voting(p, ctx.now)) {
    throw Error(Code::invalid_state, "candidacies close when voting opens; this election is " +
                                         shown_status(p, ctx.now));
  }
  check_len(statement, 0, 2000, "/statement");
  if (!repo::person_name(tx, who)) throw Error(Code::not_found, "no such person", "/person_id");
  auto m = repo::active_membership(tx, p.org_id, who);
  if (!m) throw Error(Code::rule_violation, "a candidate must be an active member");
  if (!p.chamber.empty() && m->class_code != p.chamber) {
    throw Error(Code::rule_violation,
                "this election's seats are reserved for the " + p.chamber + " class");
  }
  // The candidate tenure of the electing body, and of the elected body's own rules.
  int64_t tenure_days = 0;
  if (auto c = gov::constitution_of(tx, p.org_id)) {
    if (const auto* b = c->body(p.body_key)) tenure_days = b->electorate.candidate_min_tenure_days;
    if (p.elects_body) {
      if (const auto* b = c->body(*p.elects_body)) {
        tenure_days = std::max<int64_t>(tenure_days, b->electorate.candidate_min_tenure_days);
      }
    }
  }
  if (m->admitted_at.us + tenure_days * kDayUs > ctx.now.us) {
    throw Error(Code::rule_violation,
                "a candidate must have been a member for " + std::to_string(tenure_days) + " days");
  }
  int64_t id = 0;
  if (auto existing = repo::find_candidacy_of(tx, p.id, who)) {
    if (!existing->withdrawn_at)
      throw Error(Code::duplicate, "already a candidate in this election");
    repo::reinstate_candidacy(tx, existing->id, statement);
    id = existing->id;
  } else {
    id = repo::insert_candidacy(tx, repo::CandidacyRow{.proposal_id = p.id,
                                                       .person_id = who,
                                                       .chamber = p.chamber,
                                                       .statement = statement,
                                                       .created_at = ctx.now,
                                                       .withdrawn_at = std::nullopt,
                                                       .name = ""});
  }
  if (p.status == "open") refreeze_options(tx, p, repo::active_candidacies(tx, p.id));
  auto c = repo::find_candidacy(tx, id);
  AGORA_ASSERT(c && !c->withdrawn_at && c->person_id == who);
  return candidacy_json(*c);
}

Json withdraw_candidacy(store::Tx& tx, const Ctx& ctx, int64_t candidacy_id) {
  require_signed_in(ctx.actor);
  auto c = repo::find_candidacy(tx, candidacy_id);
  if (!c) throw Error(Code::not_found, "no such candidacy");
  ProposalRow p = load_proposal(tx, c->proposal_id);
  bool own = ctx.actor.person_id > 0 && ctx.actor.person_id == c->person_id;
  if (!own && !is_coordinator(tx, ctx.actor, p.org_id)) {
    throw Error(Code::forbidden, "only the candidate or a coordinator may withdraw a candidacy");
  }
  if (c->withdrawn_at) throw Error(Code::invalid_state, "this candidacy is already withdrawn");
  if (!before_voting(p, ctx.now)) {
    throw Error(Code::invalid_state, "candidacies close when voting opens; this election is " +
                                         shown_status(p, ctx.now));
  }
  if (p.status == "open") {
    auto cands = repo::active_candidacies(tx, p.id);
    std::erase_if(cands, [&](const repo::CandidacyRow& x) { return x.id == c->id; });
    refreeze_options(tx, p, cands);
  }
  repo::withdraw_candidacy(tx, c->id, ctx.now);
  c = repo::find_candidacy(tx, candidacy_id);
  AGORA_ASSERT(c && c->withdrawn_at);
  return candidacy_json(*c);
}

}  // namespace agora::app
