// The ballots half of governance (governance.h, governance_internal.h): the
// roll, casting secret and open ballots, receipts, running and final
// results, who voted, BLT export, proxies and member spend.
#include <sodium.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

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
#include "app/repo/auth_repo.h"
#include "app/repo/ballots_repo.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"
#include "governance/ballot_files.h"

namespace agora::app {
namespace {

namespace voting = governance::voting;
using gov::ProposalRow;

constexpr int64_t kUsPerDay = int64_t{86'400} * 1'000'000;
constexpr int64_t kSpendWindowDays = 365;
// A receipt code: 120 random bits, 24 Crockford base32 digits in groups of 4.
constexpr size_t kReceiptBytes = 15;
constexpr size_t kReceiptDigits = 24;
constexpr size_t kReceiptGroup = 4;
static_assert(kReceiptBytes * 8 == kReceiptDigits * 5);
constexpr size_t kMaxCodeBytes = 64;  // a typed code with spaces and dashes
constexpr size_t kMaxClasses = 100;
constexpr int64_t kMaxProxiesListed = 200;
constexpr size_t kMaxBodyKeyBytes = 40;
constexpr int64_t kMaxSpendMinor = int64_t{1'000'000'000'000};
constexpr size_t kMaxSourceBytes = 100;
constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
static_assert(kCrockford.size() == 32);

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] { AGORA_ASSERT(sodium_init() >= 0); });
}




bool is_staff(store::Tx& tx, const Actor& actor, int64_t org_id) {
  return has_role(tx, actor, org_id, {Role::coordinator, Role::auditor});
}

// Counted by close_proposal (or the scheduler): the result is stored.
bool counted(const ProposalRow& p) { return p.result_json.has_value(); }

bool in_window(const ProposalRow& p, Timestamp now) {
  return p.status == "open" && p.voting_opens_at && p.voting_closes_at &&
         *p.voting_opens_at <= now && now < *p.voting_closes_at;
}

void require_window(const ProposalRow& p, Timestamp now) {
  if (p.status != "open" || !p.voting_opens_at || !p.voting_closes_at) {
    throw Error(Code::invalid_state, "this proposal is not open for voting");
  }
  if (!in_window(p, now)) {
    throw Error(Code::invalid_state, "voting is open from " + format_iso8601(*p.voting_opens_at) +
                                         " until " + format_iso8601(*p.voting_closes_at));
  }
}

// ---- receipts

std::string to_hex(const unsigned char* data, size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 15];
  }
  return out;
}

// BLAKE2b-256 of the normalized code (24 digits, no dashes).
std::string receipt_hash_hex(std::string_view digits) {
  ensure_sodium();
  AGORA_ASSERT(digits.size() == kReceiptDigits);
  std::array<unsigned char, 32> h{};
  crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(digits.data()),
                     digits.size(), nullptr, 0);
  return to_hex(h.data(), h.size());
}

// 24 Crockford digits from 120 random bits (libsodium's CSPRNG: Random is
// not part of Ctx, and a receipt must be unguessable in production).
std::string new_receipt_digits() {
  ensure_sodium();
  std::array<unsigned char, kReceiptBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string out;
  out.reserve(kReceiptDigits);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kCrockford[(acc >> bits) & 31];
    }
  }
  AGORA_ASSERT(bits == 0 && out.size() == kReceiptDigits);
  return out;
}

std::string grouped(std::string_view digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && i % kReceiptGroup == 0) out += '-';
    out += digits[i];
  }
  return out;
}

// Upper-cases, drops dashes and spaces, reads I/L as 1 and O as 0 (Crockford).
std::string normalize_receipt(std::string_view code) {
  if (code.size() > kMaxCodeBytes)
    throw Error(Code::out_of_range, "a receipt code has 24 digits", "/code");
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'I' || c == 'L') c = '1';
    if (c == 'O') c = '0';
    if (kCrockford.find(c) == std::string_view::npos) {
      throw Error(Code::invalid_value,
                  "a receipt code has only the digits 0-9 and letters A-Z but I, L, O, U", "/code");
    }
    out += c;
  }
  if (out.size() != kReceiptDigits)
    throw Error(Code::invalid_value, "a receipt code has 24 digits", "/code");
  return out;
}

// ---- the roll

// "YYYY-MM-DD" of the last birth date that is at least `age` years before `day`.
// 29 February in a year without one compares after 28 February and before
// 1 March, so such a birthday comes on 1 March.
std::string born_by(Timestamp day, int32_t age) {
  using namespace std::chrono;
  sys_days d = floor<days>(sys_time<microseconds>(microseconds(day.us)));
  year_month_day ymd{d};
  int y = static_cast<int>(ymd.year()) - age;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

void roll_general(store::Tx& tx, const Ctx& ctx, const ProposalRow& p, const governance::Body& body,
                  std::vector<std::string> classes) {
  const auto& e = body.electorate;
  repo::GeneralRollQuery q{
      .proposal_id = p.id,
      .org_id = p.org_id,
      .classes = std::move(classes),
      .admitted_by = Timestamp{ctx.now.us - int64_t{e.min_tenure_days} * kUsPerDay},
      .born_by = std::nullopt,
      .min_spend_minor = std::nullopt};
  // Age on the day voting opens (open_proposal sets it before fixing the
  // roll); tenure and spend as of the notice.
  if (e.min_age > 0) q.born_by = born_by(p.voting_opens_at.value_or(ctx.now), e.min_age);
  if (e.min_yearly_spend_minor > 0) {
    q.min_spend_minor = e.min_yearly_spend_minor;
    q.spend_from = Timestamp{ctx.now.us - kSpendWindowDays * kUsPerDay};
    q.spend_to = ctx.now;
  }
  repo::insert_general_roll(tx, q);
}

// Delegates of the member orgs (direct children): each child's members are
// split over its delegates by largest remainder, at least 1 each. The
// electorate's classes (and an election's chamber) are those of the child
// org's own membership in the deciding org (Eroski: consumer and worker
// co-ops' delegates). A person delegating for two co-ops carries both.
void roll_congress(store::Tx& tx, const ProposalRow& p, const governance::Body& body,
                   const std::vector<std::string>& classes) {
  auto rows = repo::child_org_delegates(tx, p.org_id);
  if (!classes.empty()) {
    std::erase_if(rows, [&](const repo::DelegateRow& d) {
      return std::find(classes.begin(), classes.end(), d.member_class) == classes.end();
    });
  }
  bool by_members = body.weights == governance::WeightRule::delegate;
  std::map<int64_t, repo::RollRow> by_person;
  for (size_t i = 0; i < rows.size();) {
    size_t j = i;
    while (j < rows.size() && rows[j].child_org_id == rows[i].child_org_id) ++j;
    const auto& child = rows[i];
    std::vector<int64_t> parts(j - i, 0);
    if (by_members && child.child_member_count > 0) {
      std::vector<int64_t> equal(j - i, 1);
      parts = split_largest_remainder(child.child_member_count, equal);
    }
    std::string represents = child.child_name + ", " + std::to_string(child.child_member_count) +
                             (child.child_member_count == 1 ? " member" : " members");
    for (size_t k = i; k < j; ++k) {
      int64_t w = by_members ? std::max<int64_t>(1, parts[k - i]) : 1;
      auto& e = by_person[rows[k].person_id];
      e.person_id = rows[k].person_id;
      e.weight += w;
      if (!e.represents.empty()) e.represents += "; ";
      e.represents += represents;
    }
    i = j;
  }
  std::vector<repo::RollRow> out;
  out.reserve(by_person.size());
  for (auto& [id, e] : by_person) out.push_back(std::move(e));
  repo::insert_roll_rows(tx, p.id, out);
}

// ---- counting

// Every ballot of the proposal as the methods read them, with its weight.
voting::BallotSet stored_ballots(store::Tx& tx, const ProposalRow& p, const voting::Options& o) {
  auto n = static_cast<int32_t>(o.names.size());
  auto stored = repo::ballots_for_count(tx, p.id, p.secret);
  voting::BallotSet set;
  set.option_count = n;
  set.reserve(stored.size(), stored.size());
  for (const auto& b : stored) {
    Json j = parse_json(b.ballot_json);
    // The stored ballot is the canonical form without its reason; an
    // objection is read back whole.
    if (b.reason) j["reason"] = *b.reason;
    auto parsed = governance::parse_ballot(j, p.method, n, o);
    set.add(b.weight, parsed.items, parsed.values);
  }
  return set;
}

struct Tally {
  voting::Options options;
  voting::Result result;
};

Tally tally_of(store::Tx& tx, const ProposalRow& p) {
  Tally t{gov::tally_options(p), {}};
  t.result = voting::tally(p.method, stored_ballots(tx, p, t.options), t.options);
  return t;
}

Json results_of_stored(const ProposalRow& p) {
  Json stored = parse_json(*p.result_json);
  if (stored.is_object() && stored.contains("tally")) return stored;
  return Json{{"proposal_id", p.id}, {"final", true}, {"tally", std::move(stored)}};
}

// ---- proxies

Json proxy_json(const repo::ProxyRow& x) {
  return Json{{"id", x.id},
              {"org_id", x.org_id},
              {"body_key", x.body_key},
              {"proposal_id", opt_json(x.proposal_id)},
              {"grantor", {{"person_id", x.grantor_person_id}, {"name", x.grantor_name}}},
              {"holder", {{"person_id", x.holder_person_id}, {"name", x.holder_name}}},
              {"granted_at", iso(x.granted_at)},
              {"revoked_at", iso(x.revoked_at)}};
}

repo::ProxyRow load_proxy(store::Tx& tx, int64_t proxy_id) {
  auto x = repo::find_proxy(tx, proxy_id);
  if (!x) throw Error(Code::not_found, "no such proxy");
  return *x;
}

}  // namespace

// ---- shared with the proposals half

namespace gov {

voting::Options tally_options(const ProposalRow& p) {
  voting::Options o;
  if (p.method == voting::Method::majority) {
    o.names = voting::kMajorityOptions;
  } else if (p.method == voting::Method::consent) {
    o.names = voting::kConsentOptions;
  } else {
    o.names = p.options;
  }
  o.seats = static_cast<int32_t>(p.seats);
  o.score_max = static_cast<int32_t>(p.score_max);
  o.dots = static_cast<int32_t>(p.dots);
  o.threshold = p.rule.threshold;
  o.eligible = p.eligible_weight.value_or(0);
  o.tie_seed = static_cast<uint64_t>(p.tie_seed);
  return o;
}

Roll fix_roll(store::Tx& tx, const Ctx& ctx, const ProposalRow& p, const governance::Body& body) {
  AGORA_ASSERT(p.id > 0 && body.key == p.body_key);
  // The election's chamber narrows the classes to its own.
  std::vector<std::string> classes = body.electorate.classes;
  bool nobody = false;
  if (!p.chamber.empty()) {
    nobody =
        !classes.empty() && std::find(classes.begin(), classes.end(), p.chamber) == classes.end();
    classes = {p.chamber};
  }
  if (classes.size() > kMaxClasses) {
    throw Error(Code::out_of_range, "an electorate names at most 100 classes");
  }
  if (!nobody) {
    switch (body.kind) {
      case governance::BodyKind::general_meeting:
      case governance::BodyKind::worker_assembly:
        roll_general(tx, ctx, p, body, classes);
        break;
      case governance::BodyKind::board:
      case governance::BodyKind::committee:
      case governance::BodyKind::council: {
        std::optional<std::string> cls;
        if (!p.chamber.empty()) cls = p.chamber;
        repo::insert_seated_roll(tx, p.id, p.org_id, p.body_key, ctx.now, cls);
        break;
      }
      case governance::BodyKind::congress:
        roll_congress(tx, p, body, classes);
        break;
    }
  }
  auto t = repo::roll_totals(tx, p.id);
  return Roll{.count = t.count, .weight = t.weight};
}

Count count_ballots(store::Tx& tx, const ProposalRow& p) {
  auto t = tally_of(tx, p);
  Count c{.tally = voting::to_json(t.result, p.method, t.options),
          .result = t.result,
          .decision = voting::decide(p.method, t.result, p.rule, p.eligible_weight.value_or(0))};
  return c;
}

}  // namespace gov

// ---- voting

Json cast_ballot(store::Tx& tx, const Ctx& ctx, int64_t proposal_id, const CastInput& in) {
  require_signed_in(ctx.actor);
  const int64_t actor = ctx.actor.person_id;
  if (actor <= 0) throw Error(Code::forbidden, "this account has no person to vote as");
  auto p = gov::load_proposal(tx, proposal_id);
  require_window(p, ctx.now);
  const int64_t voter = in.on_behalf_of.value_or(actor);
  auto entry = repo::find_roll_entry(tx, p.id, voter);
  if (!entry) {
    throw voter == actor
        ? Error(Code::forbidden, "not on the roll for this vote")
        : Error(Code::forbidden, "not on the roll: that person may not vote here", "/on_behalf_of");
  }
  if (voter != actor && !repo::live_proxy_exists(tx, p.org_id, p.body_key, p.id, voter, actor)) {
    throw Error(Code::forbidden, "you hold no proxy from this person for this vote",
                "/on_behalf_of");
  }
  if (repo::has_voted(tx, p.id, voter)) {
    throw Error(Code::duplicate, "a ballot was already cast for this voter");
  }
  auto options = gov::tally_options(p);
  auto n = static_cast<int32_t>(options.names.size());
  auto parsed = governance::parse_ballot(in.ballot, p.method, n, options);
  Json canonical = governance::ballot_json(p.method, n, parsed.items, parsed.values);

  repo::VoterRow v{.person_id = voter,
                   .cast_by_person_id = actor,
                   .weight = entry->weight,
                   .voted_at = ctx.now,
                   .ballot_json = std::nullopt,
                   .reason = std::nullopt,
                   .name = {}};
  Json out{{"proposal_id", p.id}, {"secret", p.secret}};
  if (p.secret) {
    // The voters row says who voted; the ballot row carries no person and
    // no time, keyed by the receipt's hash.
    std::string digits = new_receipt_digits();
    repo::insert_voter(tx, p.id, v);
    repo::insert_secret_ballot(tx, p.id,
                               repo::SecretBallotRow{.receipt_hash_hex = receipt_hash_hex(digits),
                                                     .weight = entry->weight,
                                                     .ballot_json = canonical.dump(),
                                                     .reason = parsed.reason});
    out["receipt"] = grouped(digits);
  } else {
    v.ballot_json = canonical.dump();
    v.reason = parsed.reason;
    repo::insert_voter(tx, p.id, v);
    out["ballot"] = canonical;
  }
  repo::add_to_turnout(tx, p.id, 1, entry->weight);
  return out;
}

Json my_vote(store::Tx& tx, const Ctx& ctx, int64_t proposal_id) {
  require_signed_in(ctx.actor);
  auto p = gov::load_proposal(tx, proposal_id);
  const int64_t me = ctx.actor.person_id;
  std::optional<repo::RollRow> entry;
  bool voted = false;
  if (me > 0) {
    entry = repo::find_roll_entry(tx, p.id, me);
    voted = repo::has_voted(tx, p.id, me);
  }
  bool open = in_window(p, ctx.now);
  Json held = Json::array();
  if (me > 0) {
    std::vector<repo::RollRow> grantors;
    std::vector<int64_t> ids;
    for (const auto& x : repo::live_proxies_held_for(tx, p.org_id, p.body_key, p.id, me)) {
      if (!ids.empty() && ids.back() == x.grantor_person_id) continue;  // ordered by grantor
      auto g = repo::find_roll_entry(tx, p.id, x.grantor_person_id);
      if (!g) continue;  // a proxy from someone who may not vote here carries nothing
      ids.push_back(x.grantor_person_id);
      grantors.push_back(*g);
    }
    auto done = repo::voted_among(tx, p.id, ids);
    for (const auto& g : grantors) {
      bool v = std::find(done.begin(), done.end(), g.person_id) != done.end();
      held.push_back(
          Json{{"person_id", g.person_id}, {"name", g.name}, {"weight", g.weight}, {"voted", v}});
    }
  }
  return Json{{"on_roll", entry.has_value()},
              {"weight", entry ? entry->weight : 0},
              {"voted", voted},
              {"can_vote_now", entry.has_value() && !voted && open},
              {"proxies_held", std::move(held)}};
}

Json check_receipt(store::Tx& tx, const Ctx& /*ctx*/, int64_t proposal_id,
                   const std::string& code) {
  std::string digits = normalize_receipt(code);
  auto p = gov::load_proposal(tx, proposal_id);
  auto b = p.secret ? repo::find_secret_ballot(tx, p.id, receipt_hash_hex(digits)) : std::nullopt;
  if (!b) throw Error(Code::not_found, "no ballot with this receipt in this vote");
  Json ballot = parse_json(b->ballot_json);
  if (b->reason) ballot["reason"] = *b->reason;
  return Json{{"counted", true}, {"ballot", std::move(ballot)}, {"final", counted(p)}};
}

Json get_results(store::Tx& tx, const Ctx& ctx, int64_t proposal_id) {
  auto p = gov::load_proposal(tx, proposal_id);
  if (counted(p)) return results_of_stored(p);
  if (p.status != "open" && p.status != "closed") {
    throw Error(Code::invalid_state, "this proposal has no votes to count");
  }
  if (p.secret || p.results_hidden) {
    throw Error(Code::forbidden, "results are published when voting closes");
  }
  if (!p.voting_opens_at || ctx.now < *p.voting_opens_at) {
    throw Error(Code::invalid_state, "voting has not opened yet");
  }
  auto t = tally_of(tx, p);
  return Json{{"proposal_id", p.id},
              {"final", false},
              {"tally", voting::to_json(t.result, p.method, t.options)}};
}

Json list_votes(store::Tx& tx, const Ctx& ctx, int64_t proposal_id, PageReq page) {
  check_page(page);
  require_signed_in(ctx.actor);
  auto p = gov::load_proposal(tx, proposal_id);
  bool staff = is_staff(tx, ctx.actor, p.org_id);
  auto rows = [&] {
    if (p.secret) {
      if (!staff) throw Error(Code::forbidden, "only coordinators and auditors may see who voted");
    } else {
      // Members of the org, and whoever is on the roll (a congress's
      // delegates belong to the member co-ops, not to the federation).
      if (!staff && !has_role(tx, ctx.actor, p.org_id, {Role::member}) &&
          !(ctx.actor.person_id > 0 && repo::find_roll_entry(tx, p.id, ctx.actor.person_id))) {
        throw Error(Code::forbidden, "only members may see how members voted");
      }
      if (p.results_hidden && !counted(p)) {
        throw Error(Code::forbidden, "results are published when voting closes");
      }
    }
    return repo::list_voters(tx, p.id, page.after, page.limit);
  }();
  Json items = Json::array();
  for (const auto& v : rows) {
    if (p.secret) {
      AGORA_ASSERT(!v.ballot_json);
      items.push_back(
          Json{{"person_id", v.person_id}, {"name", v.name}, {"voted_at", iso(v.voted_at)}});
      continue;
    }
    items.push_back(Json{{"person_id", v.person_id},
                         {"name", v.name},
                         {"cast_by", v.cast_by_person_id},
                         {"weight", v.weight},
                         {"ballot", v.ballot_json ? parse_json(*v.ballot_json) : Json(nullptr)},
                         {"reason", opt_json(v.reason)},
                         {"voted_at", iso(v.voted_at)}});
  }
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                   rows.empty() ? 0 : rows.back().person_id);
}

Json list_roll(store::Tx& tx, const Ctx& ctx, int64_t proposal_id, PageReq page) {
  check_page(page);
  require_signed_in(ctx.actor);
  auto p = gov::load_proposal(tx, proposal_id);
  if (!is_staff(tx, ctx.actor, p.org_id)) {
    throw Error(Code::forbidden, "only coordinators and auditors may see the roll");
  }
  auto rows = repo::list_roll(tx, p.id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& e : rows) {
    items.push_back(Json{{"person_id", e.person_id},
                         {"name", e.name},
                         {"weight", e.weight},
                         {"represents", e.represents}});
  }
  return page_json(std::move(items), static_cast<int64_t>(rows.size()) == page.limit,
                   rows.empty() ? 0 : rows.back().person_id);
}

std::string export_ballots_blt(store::Tx& tx, const Ctx& /*ctx*/, int64_t proposal_id) {
  auto p = gov::load_proposal(tx, proposal_id);
  if (voting::ballot_kind(p.method) != voting::BallotKind::ranking) {
    throw Error(Code::invalid_state, "only ranked ballots export as BLT");
  }
  // Once counted the results are public, and so are the anonymous ballots.
  if (!counted(p))
    throw Error(Code::invalid_state, "ballots are exported once the vote is counted");
  governance::BallotFile f;
  f.title = p.title;
  f.options = gov::tally_options(p);
  f.names = f.options.names;
  f.method = p.method;
  f.ballots = voting::group_identical(stored_ballots(tx, p, f.options));
  return governance::write_blt(f);
}

// ---- proxies

Json grant_proxy(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& body_key,
                 int64_t holder_person_id, std::optional<int64_t> proposal_id) {
  require_signed_in(ctx.actor);
  const int64_t grantor = ctx.actor.person_id;
  if (grantor <= 0) throw Error(Code::forbidden, "this account has no person to give a proxy");
  if (body_key.empty() || body_key.size() > kMaxBodyKeyBytes) {
    throw Error(Code::out_of_range, "a body key has 1 to 40 bytes", "/body_key");
  }
  if (!repo::org_exists(tx, org_id)) throw Error(Code::not_found, "no such organisation");
  auto constitution = gov::constitution_of(tx, org_id);
  if (!constitution) throw Error(Code::rule_violation, "this organisation has no constitution");
  const governance::Body* body = constitution->body(body_key);
  if (!body) throw Error(Code::invalid_value, "the constitution has no such body", "/body_key");
  if (!body->proxies) {
    throw Error(Code::rule_violation, "the constitution allows no proxies for this body");
  }
  if (proposal_id) {
    auto p = gov::load_proposal(tx, *proposal_id);
    if (p.org_id != org_id || p.body_key != body_key) {
      throw Error(Code::invalid_value, "that proposal is not before this body", "/proposal_id");
    }
    if (p.status == "withdrawn" || counted(p)) {
      throw Error(Code::invalid_state, "that proposal is no longer being decided");
    }
  }
  if (holder_person_id == grantor) {
    throw Error(Code::invalid_value, "a proxy goes to another member", "/holder_person_id");
  }
  if (!repo::is_active_member(tx, grantor, org_id)) {
    throw Error(Code::forbidden, "only active members may give a proxy");
  }
  if (!repo::is_active_member(tx, holder_person_id, org_id)) {
    throw Error(Code::rule_violation, "the holder must be an active member", "/holder_person_id");
  }
  if (repo::live_proxy_same_scope(tx, org_id, body_key, proposal_id, grantor)) {
    throw Error(Code::duplicate, "you already gave a proxy for this; revoke it first");
  }
  if (repo::count_live_proxies_held(tx, org_id, body_key, holder_person_id) >=
      body->max_proxies_per_holder) {
    throw Error(Code::rule_violation,
                "the holder already holds " + std::to_string(body->max_proxies_per_holder) +
                    " proxies for this body, the most the constitution allows",
                "/holder_person_id");
  }
  int64_t id = repo::insert_proxy(tx, repo::ProxyRow{.org_id = org_id,
                                                     .body_key = body_key,
                                                     .proposal_id = proposal_id,
                                                     .grantor_person_id = grantor,
                                                     .holder_person_id = holder_person_id,
                                                     .granted_at = ctx.now});
  return proxy_json(load_proxy(tx, id));
}

Json revoke_proxy(store::Tx& tx, const Ctx& ctx, int64_t proxy_id) {
  require_signed_in(ctx.actor);
  auto x = load_proxy(tx, proxy_id);
  if (ctx.actor.person_id != x.grantor_person_id &&
      !has_role(tx, ctx.actor, x.org_id, {Role::coordinator})) {
    throw Error(Code::forbidden,
                "only the member who gave the proxy or a coordinator may revoke it");
  }
  if (x.revoked_at) throw Error(Code::invalid_state, "this proxy is already revoked");
  int64_t changed = repo::revoke_proxy(tx, proxy_id, ctx.now);
  AGORA_ASSERT(changed == 1);
  return proxy_json(load_proxy(tx, proxy_id));
}

Json my_proxies(store::Tx& tx, const Ctx& ctx) {
  require_signed_in(ctx.actor);
  Json given = Json::array();
  Json held = Json::array();
  if (ctx.actor.person_id > 0) {
    for (const auto& x : repo::proxies_given(tx, ctx.actor.person_id, kMaxProxiesListed)) {
      Json j = proxy_json(x);
      j.erase("grantor");
      given.push_back(std::move(j));
    }
    for (const auto& x : repo::proxies_held(tx, ctx.actor.person_id, kMaxProxiesListed)) {
      Json j = proxy_json(x);
      j.erase("holder");
      held.push_back(std::move(j));
    }
  }
  return Json{{"given", std::move(given)}, {"held", std::move(held)}};
}

// ---- activity

void record_member_spend(store::Tx& tx, int64_t org_id, int64_t person_id, Timestamp at,
                         int64_t amount_minor, const std::string& source) {
  if (amount_minor == 0 || amount_minor > kMaxSpendMinor || amount_minor < -kMaxSpendMinor) {
    throw Error(Code::out_of_range, "a spend is a non-zero amount up to 10^12", "/amount_minor");
  }
  if (source.empty() || source.size() > kMaxSourceBytes) {
    throw Error(Code::out_of_range, "a spend's source has 1 to 100 bytes", "/source");
  }
  if (!repo::org_exists(tx, org_id))
    throw Error(Code::invalid_value, "no such organisation", "/org_id");
  if (!repo::person_exists(tx, person_id))
    throw Error(Code::invalid_value, "no such person", "/person_id");
  repo::insert_member_spend(tx, org_id, person_id, at, amount_minor, source);
}

}  // namespace agora::app
