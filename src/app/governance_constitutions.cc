// Constitutions (governance.h): founding version 1, reading the versions,
// and subsidiarity — who decides a domain for an organisation, found by
// walking the chain of constitutions from the org up to the root.
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
#include "members/org.h"

namespace agora::app {
namespace gov {

std::optional<governance::Constitution> constitution_of(store::Tx& tx, int64_t org_id) {
  auto row = repo::latest_constitution(tx, org_id);
  if (!row) return std::nullopt;
  // Stored texts were validated when adopted.
  return governance::parse_constitution(row->toml);
}

}  // namespace gov

namespace {

namespace voting = governance::voting;



void require_org(store::Tx& tx, int64_t org_id) {
  if (!repo::find_org(tx, org_id)) throw Error(Code::not_found, "no such organisation");
}

// Domain keys as constitution.h allows them: [a-z0-9_.*]{1,60}.
void check_domain_key(const std::string& domain) {
  bool ok = !domain.empty() && domain.size() <= 60;
  for (char c : domain) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.');
  }
  if (!ok)
    throw Error(Code::invalid_value, "a domain is 1..60 of a-z, 0-9, '_' and '.'", "/domain");
}

Json threshold_of_name(voting::Threshold::Of of) {
  return of == voting::Threshold::Of::eligible ? "eligible" : "cast";
}

Json rule_json(const governance::Domain& d) {
  return Json{{"quorum", voting::ratio_text(d.rule.quorum)},
              {"threshold", voting::ratio_text(d.rule.threshold.ratio)},
              {"threshold_of", threshold_of_name(d.rule.threshold.of)},
              {"threshold_strict", d.rule.threshold.strict},
              {"notice_days", d.notice_days},
              {"voting_days", d.voting_days},
              {"secret", d.secret},
              {"results_hidden", d.results_hidden}};
}

}  // namespace

Json get_constitution(store::Tx& tx, const Ctx&, int64_t org_id) {
  require_org(tx, org_id);
  auto row = repo::latest_constitution(tx, org_id);
  if (!row) throw Error(Code::not_found, "this organisation has no constitution yet");
  auto c = governance::parse_constitution(row->toml);
  return Json{{"org_id", row->org_id},
              {"version", row->version},
              {"adopted_at", iso(row->adopted_at)},
              {"adopted_by_proposal", opt_json(row->adopted_by_proposal)},
              {"toml", row->toml},
              {"constitution", governance::to_json(c)}};
}

Json constitution_versions(store::Tx& tx, const Ctx&, int64_t org_id, PageReq page) {
  check_page(page);
  require_org(tx, org_id);
  auto rows = repo::constitution_versions(tx, org_id, page.after, page.limit);
  Json items = Json::array();
  for (const auto& r : rows) {
    items.push_back(Json{{"version", r.version},
                         {"adopted_at", iso(r.adopted_at)},
                         {"adopted_by_proposal", opt_json(r.adopted_by_proposal)}});
  }
  bool full = static_cast<int64_t>(rows.size()) == page.limit;
  return Json{{"items", std::move(items)},
              {"next_after", full ? Json(rows.back().version) : Json(nullptr)}};
}

Json found_constitution(store::Tx& tx, const Ctx& ctx, int64_t org_id, const std::string& toml) {
  require_signed_in(ctx.actor);
  require_org(tx, org_id);
  require_role(tx, ctx.actor, org_id, {Role::coordinator});
  if (repo::latest_constitution(tx, org_id)) {
    throw Error(Code::invalid_state,
                "this organisation already has a constitution; it changes only by a passed "
                "proposal in constitution.amend");
  }
  if (toml.empty()) throw Error(Code::missing_field, "the constitution's text is empty", "/toml");
  governance::parse_constitution(toml);  // throws bad_file / invalid_value / out_of_range
  repo::insert_constitution(
      tx,
      repo::ConstitutionRow{.org_id = org_id,
                            .version = 1,
                            .toml = toml,
                            .adopted_at = ctx.now,
                            .adopted_by_account = ctx.actor.account_id > 0
                                                      ? std::optional<int64_t>(ctx.actor.account_id)
                                                      : std::nullopt,
                            .adopted_by_proposal = std::nullopt});
  return get_constitution(tx, ctx, org_id);
}

Json who_decides(store::Tx& tx, const Ctx&, int64_t org_id, const std::string& domain) {
  check_domain_key(domain);
  require_org(tx, org_id);
  // The chain runs from the org itself up to the root.
  std::vector<int64_t> ids{org_id};
  auto up = repo::ancestors(tx, org_id, members::kMaxNestingDepth);
  for (auto it = up.rbegin(); it != up.rend(); ++it) ids.push_back(it->id);
  std::vector<std::optional<governance::Constitution>> held;
  held.reserve(ids.size());
  for (int64_t id : ids) held.push_back(gov::constitution_of(tx, id));
  std::vector<const governance::Constitution*> chain;
  chain.reserve(held.size());
  for (const auto& c : held) chain.push_back(c ? &*c : nullptr);

  auto where = governance::where_decided(chain, domain);
  if (!where) {
    throw Error(Code::rule_violation,
                "no constitution says who decides " + domain + " for this organisation", "/domain");
  }
  AGORA_ASSERT(where->level < ids.size() && where->domain != nullptr && chain[where->level]);
  const governance::Constitution& c = *chain[where->level];
  const governance::Domain& d = *where->domain;
  Json bodies = Json::array();
  for (const auto& key : d.bodies) {
    const governance::Body* b = c.body(key);
    AGORA_ASSERT(b != nullptr);  // parse_constitution resolves every reference
    bodies.push_back(
        Json{{"key", b->key}, {"name", b->name}, {"kind", governance::body_kind_name(b->kind)}});
  }
  Json two_stage = nullptr;
  if (d.two_stage) {
    two_stage = Json{{"second_threshold", voting::ratio_text(d.two_stage->second.ratio)},
                     {"second_threshold_strict", d.two_stage->second.strict},
                     {"min_gap_days", d.two_stage->min_gap_days},
                     {"max_gap_days", d.two_stage->max_gap_days}};
  }
  return Json{{"domain", domain},
              {"org_id", ids[where->level]},
              {"reserved", where->reserved},
              {"bodies", std::move(bodies)},
              {"joint_with", d.joint_with},
              {"method", voting::method_name(d.method)},
              {"rule", rule_json(d)},
              {"seats", d.seats},
              {"two_stage", std::move(two_stage)}};
}

}  // namespace agora::app
