// The demo's governance: constitutions for every org, and in the demo
// member's co-op a vote of each kind and state, all through the use cases
// of governance.h as one journaled command.

#include "app/demo_governance.h"

#include <algorithm>
#include <optional>
#include <string>

#include "app/demo.h"
#include "app/demo_data.h"
#include "app/governance.h"
#include "app/repo/auth_repo.h"
#include "app/repo/registry_repo.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app::demo {

namespace {

constexpr int64_t kHourUs = int64_t{3600} * 1000000;
constexpr int64_t kDayUs = 24 * kHourUs;
constexpr uint64_t kGovernanceSeed = 0x476F7665726E616Eull;  // "Governan"

// The day every demo org adopted its rules, on the demo's own calendar:
// after every org was founded, before any proposal of the demo (the
// workplaces' lease decisions reach back to the summer of 2025, 15 months
// before today).
Timestamp founding_day() { return parse_iso8601("2025-01-15T10:00:00Z"); }
// Proposals sit around "today"; never before the demo's history ends.
Timestamp earliest_today() { return parse_iso8601("2026-07-01T00:00:00Z"); }

std::string_view example_for(std::string_view org_kind) {
  if (org_kind == "federation") return "federation";
  if (org_kind == "consumer") return "consumer";
  if (org_kind == "worker") return "worker";
  if (org_kind == "producer") return "producer";
  if (org_kind == "multi_stakeholder") return "multi_stakeholder";
  return {};
}

// The example's text with its title replaced by the org's own; the rest,
// comments included, as members read it in examples/constitutions/.
std::string titled(std::string_view toml, const std::string& org_name) {
  size_t pos = 0;
  while (pos < toml.size()) {
    size_t end = toml.find('\n', pos);
    if (end == std::string_view::npos) end = toml.size();
    if (toml.substr(pos, end - pos).starts_with("name = ")) {
      return std::string(toml.substr(0, pos)) +
             "name = " + Json(org_name + ": rules of governance").dump() +
             std::string(toml.substr(end));
    }
    pos = end + 1;
  }
  AGORA_ASSERT(false);  // every example opens with its name
  return {};
}

// A demo member acting for themself (they have no login; the loader acts
// with the platform's rights, as the person).
Actor as_person(int64_t person_id) {
  return Actor{.account_id = 0, .person_id = person_id, .admin = true, .address = "demo"};
}

Timestamp at(Timestamp today, int64_t days, int64_t hours = 0, int64_t minutes = 0) {
  return Timestamp{today.us + days * kDayUs + hours * kHourUs + minutes * 60 * 1000000};
}

class GovernanceLoader {
 public:
  GovernanceLoader(store::Tx& tx, const Ctx& ctx)
      : tx_(tx), system_(Actor::system()), rng_(kGovernanceSeed) {
    const int64_t day_start = ctx.now.us / kDayUs * kDayUs;
    today_ = Timestamp{std::max(day_start, earliest_today().us)};
  }

  GovernanceReport run() {
    found_constitutions();
    const auto member = repo::find_person_by_email(tx_, kDemoMemberEmail);
    const auto coordinator = repo::find_person_by_email(tx_, kDemoCoordinatorEmail);
    AGORA_ASSERT(member && coordinator);
    member_ = *member;
    coordinator_ = *coordinator;
    for (const auto& m : repo::memberships_of_person(tx_, member_)) {
      if (m.status == "active" && m.org_kind == "consumer") coop_ = m.org_id;
    }
    AGORA_ASSERT(coop_ > 0);
    past_fund_allocation();
    past_market_policy();
    board_election_voting();
    motion_voting();
    fund_allocation_in_notice();
    return report_;
  }

 private:
  void found_constitutions() {
    std::vector<repo::TreeNode> orgs;
    for (const auto& root : repo::list_roots(tx_, 0, 100)) {
      for (auto& node : repo::subtree(tx_, root.id, 16, 100000)) orgs.push_back(std::move(node));
    }
    for (const auto& org : orgs) {
      const std::string_view example = example_for(org.kind);
      if (example.empty()) continue;
      found_constitution(tx_, Ctx{system_, founding_day()}, org.id,
                         titled(example_constitution(example), org.name));
      ++report_.constitutions;
    }
  }

  // ---- steps shared by the proposals

  int64_t propose(int64_t author, Timestamp when, const ProposalInput& in) {
    const Json p = create_proposal(tx_, Ctx{as_person(author), when}, in);
    ++report_.proposals;
    return p.at("id").get<int64_t>();
  }

  Json open(int64_t author, Timestamp when, int64_t proposal) {
    return open_proposal(tx_, Ctx{as_person(author), when}, proposal, std::nullopt);
  }

  std::vector<int64_t> roll(int64_t proposal, Timestamp when) {
    return full_roll(tx_, Ctx{system_, when}, proposal);
  }

  // Casts `ballot(i)` for about `percent`% of the roll, one voter a few
  // minutes after the other from `from`. The demo member votes only when
  // `member_votes` (so they can try it on the votes running now).
  template <typename BallotFn>
  void vote(int64_t proposal, Timestamp from, int percent, bool member_votes, BallotFn ballot) {
    int64_t minutes = 0;
    for (int64_t voter : roll(proposal, from)) {
      if (voter == member_ && !member_votes) continue;
      if (voter != member_ && !rng_.chance(percent)) continue;
      minutes += rng_.between(1, 9);
      cast_ballot(tx_, Ctx{as_person(voter), Timestamp{from.us + minutes * 60 * 1000000}}, proposal,
                  CastInput{.ballot = ballot()});
      ++report_.ballots;
    }
  }

  Json choice(int for_percent, int against_percent) {
    const int64_t draw = rng_.between(0, 99);
    if (draw < for_percent) return Json{{"choice", 0}};
    if (draw < for_percent + against_percent) return Json{{"choice", 1}};
    return Json{{"choice", 2}};
  }

  // Approvals of options with these popularities (percent each).
  Json approvals(const std::vector<int>& popularity) {
    Json marks = Json::array();
    for (size_t i = 0; i < popularity.size(); ++i) {
      if (rng_.chance(popularity[i])) marks.push_back(static_cast<int>(i));
    }
    return Json{{"approve", marks}};
  }

  // ---- the proposals

  // Counted: last spring's share-out of the investment fund (approval, open ballot).
  void past_fund_allocation() {
    ProposalInput in;
    in.org_id = coop_;
    in.domain = "fund.allocation";
    in.title = "Reparto del fondo de inversión de la primavera";
    in.text =
        "El fondo de inversión recibe el alquiler de los locales cedidos a las cooperativas de "
        "trabajo. Este año reparte 24.000 EUR. Marca todos los proyectos que apoyas: se financian "
        "los tres más votados.";
    in.options = {"Horno nuevo para O Forno de Sar", "Placas solares en el almacén",
                  "Furgoneta eléctrica de reparto",  "Cámara frigorífica para productores",
                  "Taller de formación cooperativa", "Local para un grupo de consumo en Conxo"};
    const Timestamp created = at(today_, -125, 10);
    const int64_t id = propose(coordinator_, created, in);
    const Json opened = open(coordinator_, created, id);
    const Timestamp votes_from = parse_iso8601(opened.at("voting_opens_at").get<std::string>());
    const std::vector<int> popularity = {62, 55, 48, 37, 21, 30};
    vote(id, Timestamp{votes_from.us + kHourUs}, 42, true, [&] { return approvals(popularity); });
    const Timestamp closes = parse_iso8601(opened.at("voting_closes_at").get<std::string>());
    close_proposal(tx_, Ctx{system_, Timestamp{closes.us + kHourUs}}, id);
    record_outcome_statement(
        tx_, Ctx{system_, Timestamp{closes.us + 2 * kDayUs}}, id,
        "Se financian el horno de O Forno de Sar, las placas solares y la furgoneta eléctrica. "
        "Las obras del horno empiezan en septiembre.");
  }

  // Counted: the sourcing policy, argued in the open (majority, open ballot).
  void past_market_policy() {
    ProposalInput in;
    in.org_id = coop_;
    in.domain = "market.policy";
    in.title = "Priorizar a los productores a menos de 150 km";
    in.text =
        "Proponemos que, a igual calidad, la tienda compre primero a productores y cooperativas "
        "a menos de 150 km, y que la etiqueta de cada producto diga de dónde viene y quién lo "
        "hizo.";
    const Timestamp created = at(today_, -80, 18);
    const int64_t id = propose(member_, created, in);
    const Json opened = open(member_, created, id);
    const Timestamp votes_from = parse_iso8601(opened.at("voting_opens_at").get<std::string>());
    vote(id, Timestamp{votes_from.us + kHourUs}, 38, true, [&] { return choice(71, 21); });
    const Timestamp closes = parse_iso8601(opened.at("voting_closes_at").get<std::string>());
    close_proposal(tx_, Ctx{system_, Timestamp{closes.us + kHourUs}}, id);
  }

  // Voting now: half the board (three seats), by Meek STV and secret ballot,
  // five candidates; results hidden until the count.
  void board_election_voting() {
    ProposalInput in;
    in.org_id = coop_;
    in.domain = "board.election";
    in.kind = "election";
    in.elects_body = "board";
    in.title = "Elección de tres consejeras y consejeros";
    in.text = "Se renuevan tres de los seis puestos abiertos del consejo rector, por dos años.";
    const Timestamp created = at(today_, -25, 9);
    const int64_t id = propose(coordinator_, created, in);

    // Five candidates who have been members for well over the year the
    // rules ask of them: the demo coordinator and four long-standing members.
    std::vector<int64_t> candidates = {coordinator_};
    const Timestamp stand_at = at(today_, -24, 12);
    for (const auto& m : repo::list_memberships(tx_, coop_, "active", 0, 200)) {
      if (candidates.size() == 5) break;
      if (!m.person_id || *m.person_id == coordinator_ || *m.person_id == member_) continue;
      if (m.class_code != "consumer" || !m.admitted_at) continue;
      if (m.admitted_at->us + 3 * 365 * kDayUs > stand_at.us) continue;
      candidates.push_back(*m.person_id);
    }
    AGORA_ASSERT(candidates.size() == 5);
    static constexpr std::string_view kStatements[] = {
        "Coordino la federación gallega; quiero acercar el consejo a los grupos de trabajo.",
        "Llevo el grupo de compras a granel; propongo más producto local y menos envase.",
        "Quiero que las cuentas del fondo de inversión se publiquen cada trimestre.",
        "Trabajo en el barrio de Conxo y quiero abrir allí un punto de recogida.",
        "Me preocupa el relevo: pido formación cooperativa para los socios nuevos.",
    };
    for (size_t i = 0; i < candidates.size(); ++i) {
      stand_candidate(tx_, Ctx{system_, Timestamp{stand_at.us + static_cast<int64_t>(i) * kHourUs}},
                      id, candidates[i], std::string(kStatements[i]));
    }
    const Json opened = open(coordinator_, at(today_, -22, 9), id);
    const Timestamp votes_from = parse_iso8601(opened.at("voting_opens_at").get<std::string>());
    // Preferences lean to some candidates so the count has surpluses and
    // exclusions to show.
    const std::vector<int> appeal = {30, 26, 18, 14, 12};
    vote(id, Timestamp{votes_from.us + kHourUs}, 33, false, [&] {
      std::vector<int> left = {0, 1, 2, 3, 4};
      Json ranking = Json::array();
      const int64_t length = rng_.between(1, 5);
      for (int64_t k = 0; k < length; ++k) {
        int total = 0;
        for (int c : left) total += appeal[c];
        int64_t pick = rng_.between(0, total - 1);
        size_t j = 0;
        while (pick >= appeal[left[j]]) pick -= appeal[left[j++]];
        ranking.push_back(left[j]);
        left.erase(left.begin() + static_cast<std::ptrdiff_t>(j));
      }
      return Json{{"ranking", ranking}};
    });
  }

  // Voting now: a motion decided under the "*" entry (no notice, a week,
  // secret ballot).
  void motion_voting() {
    ProposalInput in;
    in.org_id = coop_;
    in.domain = "shop.opening_hours";
    in.title = "Abrir la tienda los domingos por la mañana";
    in.text =
        "Propuesta de abrir de 10:00 a 14:00 los domingos, con turnos voluntarios de socias y "
        "socios y sin ampliar la jornada de las personas trabajadoras.";
    const Timestamp created = at(today_, -2, 11);
    const int64_t id = propose(coordinator_, created, in);
    open(coordinator_, created, id);
    vote(id, at(today_, -2, 12), 41, false, [&] { return choice(52, 39); });
  }

  // In notice: this autumn's share-out of the fund (approval; voting opens
  // in 13 days).
  void fund_allocation_in_notice() {
    ProposalInput in;
    in.org_id = coop_;
    in.domain = "fund.allocation";
    in.title = "Reparto del fondo de inversión del otoño";
    in.text = "Quedan 18.000 EUR en el fondo. Se financian los tres proyectos con más apoyos.";
    in.options = {"Bicicletas de carga para A Roda", "Aislamiento del almacén",
                  "Ampliación de la sección de granel", "Huerta escolar con Hortas do Ulla",
                  "Fondo de ayuda para cuotas de socios nuevos"};
    const Timestamp created = at(today_, -1, 17);
    const int64_t id = propose(coordinator_, created, in);
    open(coordinator_, created, id);
  }

  store::Tx& tx_;
  Actor system_;
  Rng rng_;
  Timestamp today_;
  int64_t member_ = 0;
  int64_t coordinator_ = 0;
  int64_t coop_ = 0;
  GovernanceReport report_;
};

}  // namespace

std::string_view example_constitution(std::string_view name) {
  for (const auto& e : example_constitutions()) {
    if (e.name == name) return e.toml;
  }
  throw Error(Code::not_found, "no example constitution named " + std::string(name));
}

std::vector<int64_t> full_roll(store::Tx& tx, const Ctx& ctx, int64_t proposal) {
  std::vector<int64_t> out;
  PageReq page{.limit = 200, .after = 0};
  for (;;) {
    const Json r = list_roll(tx, ctx, proposal, page);
    for (const Json& item : r.at("items")) out.push_back(item.at("person_id").get<int64_t>());
    if (r.at("next_after").is_null()) break;
    page.after = r.at("next_after").get<int64_t>();
  }
  return out;
}

GovernanceReport load_demo_governance(App& app) {
  GovernanceReport report;
  app.write(Actor::system(), "demo_governance", Json::object(), [&](store::Tx& tx, const Ctx& ctx) {
    report = GovernanceLoader(tx, ctx).run();
    return Json{{"constitutions", report.constitutions},
                {"proposals", report.proposals},
                {"ballots", report.ballots}};
  });
  return report;
}

}  // namespace agora::app::demo
