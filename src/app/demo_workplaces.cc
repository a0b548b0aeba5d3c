// The demo's workplaces, leases, funds and budgeting rounds
// (demo_workplaces.h). One journaled command for the workplaces: the
// decisions first (real votes of the co-ops' assemblies and the federation's
// council), then the assets, the buy-out and the leases, then month by month
// what the scheduler would have done — raise the leases' invoices, pay the
// buy-out's installments — and the tenants paying their invoices through the
// ledger a few days after they fall due. Then A Cesta's budgeting rounds: one
// command up to the close of the past round's voting, its tally (which reads,
// computes and writes on its own, as over the API), and one command for its
// decision and payout and the two rounds running now.

#include "app/demo_workplaces.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "app/budgeting.h"
#include "app/demo.h"
#include "app/demo_data.h"
#include "app/demo_governance.h"
#include "app/governance.h"
#include "app/ledger.h"
#include "app/repo/auth_repo.h"
#include "app/repo/proposals_repo.h"
#include "app/repo/registry_repo.h"
#include "app/workplaces.h"
#include "core/assert.h"
#include "core/error.h"
#include "workplaces/calendar.h"

namespace agora::app::demo {

namespace {

namespace wp = agora::workplaces;
namespace wk = agora::app::workplaces;

constexpr int64_t kMinuteUs = int64_t{60} * 1000000;
constexpr int64_t kHourUs = 60 * kMinuteUs;
constexpr int64_t kDayUs = 24 * kHourUs;
constexpr uint64_t kWorkplacesSeed = 0x576F726B706C6163ull;  // "Workplac"

// Like the votes now running (demo_governance.cc): "today" is the day of
// loading, never before the end of the demo's history.
Timestamp earliest_today() { return parse_iso8601("2026-07-01T00:00:00Z"); }

Timestamp at(const wp::Date& d, int64_t hour, int64_t minute = 0) {
  return Timestamp{wp::start_of(d).us + hour * kHourUs + minute * kMinuteUs};
}

wp::Date days_before(const wp::Date& d, int64_t days) {
  return wp::date_of(Timestamp{wp::start_of(d).us - days * kDayUs});
}

// "agosto de 2025"
std::string galician_month(const wp::Date& d) {
  static constexpr const char* kMonths[] = {"xaneiro",  "febreiro", "marzo",    "abril",
                                            "maio",     "xuño",     "xullo",    "agosto",
                                            "setembro", "outubro",  "novembro", "decembro"};
  return std::string(kMonths[d.month - 1]) + " de " + std::to_string(d.year);
}

std::string portuguese_month(const wp::Date& d) {
  static constexpr const char* kMonths[] = {"janeiro",  "fevereiro", "março",    "abril",
                                            "maio",     "junho",     "julho",    "agosto",
                                            "setembro", "outubro",   "novembro", "dezembro"};
  return std::string(kMonths[d.month - 1]) + " de " + std::to_string(d.year);
}

class WorkplacesLoader {
 public:
  WorkplacesLoader(store::Tx& tx, const Ctx& ctx)
      : tx_(tx), system_(Actor::system()), rng_(kWorkplacesSeed) {
    const int64_t day_start = ctx.now.us / kDayUs * kDayUs;
    today_ = Timestamp{std::max(day_start, earliest_today().us)};
    const wp::Date d = wp::date_of(today_);
    month_ = wp::Date{d.year, d.month, 1};
  }

  Timestamp today() const { return today_; }

  WorkplacesReport run() {
    load_orgs();
    load_people();
    council_seats();
    bakery();
    workshop();
    free_bakery();
    months();
    return report_;
  }

 private:
  // ---- who

  void load_orgs() {
    for (const auto& root : repo::list_roots(tx_, 0, 100)) {
      for (const auto& node : repo::subtree(tx_, root.id, 16, 100000)) {
        const auto row = repo::find_org(tx_, node.id);
        AGORA_ASSERT(row.has_value());
        slugs_[row->slug] = node.id;
      }
    }
  }

  int64_t org(std::string_view slug) const {
    const auto it = slugs_.find(std::string(slug));
    AGORA_ASSERT(it != slugs_.end());
    return it->second;
  }

  void load_people() {
    const auto admin = repo::find_account_by_email(tx_, kDemoAdminEmail);
    const auto coordinator = repo::find_person_by_email(tx_, kDemoCoordinatorEmail);
    AGORA_ASSERT(admin && coordinator);
    admin_account_ = admin->id;
    coordinator_ = *coordinator;
    cesta_ = org("a-cesta-santiago");
    galicia_ = org("galicia");
    forno_ = org("forno-de-sar");
    roda_ = org("a-roda-bicicletas");
    evora_ = org("evora-coop");
    rossio_ = org("padaria-rossio");
  }

  // A demo person acting with the platform's rights (they have no login).
  Actor as_person(int64_t person_id) const {
    return Actor{
        .account_id = admin_account_, .person_id = person_id, .admin = true, .address = "demo"};
  }

  // The co-op's coordinator (the demo gives each co-op one, its first member).
  int64_t coordinator_of(int64_t org_id) {
    const auto it = coordinators_.find(org_id);
    if (it != coordinators_.end()) return it->second;
    int64_t after = 0;
    std::optional<int64_t> first;
    for (;;) {
      auto page = repo::list_memberships(tx_, org_id, "active", after, 200);
      if (page.empty()) break;
      after = page.back().id;
      for (const auto& m : page) {
        if (!m.person_id) continue;
        if (!first) first = *m.person_id;
        if (repo::active_grant_exists(tx_, *m.person_id, org_id, "coordinator")) {
          coordinators_[org_id] = *m.person_id;
          return *m.person_id;
        }
      }
    }
    AGORA_ASSERT(first.has_value());
    coordinators_[org_id] = *first;
    return *first;
  }

  // ---- decisions, by vote

  std::vector<int64_t> roll(int64_t proposal, Timestamp when) {
    return full_roll(tx_, Ctx{system_, when}, proposal);
  }

  // Proposes, gives notice, votes (about `percent`% of each roll, most in
  // favour, at least one voter) and counts every proposal of one decision —
  // both co-ops' for a joint one. Returns the passed decision's id.
  int64_t decide(int64_t author, Timestamp created, ProposalInput in, int percent) {
    const Json first = create_proposal(tx_, Ctx{as_person(author), created}, in);
    const int64_t decision = first.at("decision_id").get<int64_t>();
    last_closed_ = created;
    for (const auto& p : repo::proposals_of_decision(tx_, decision)) {
      const Json opened = open_proposal(
          tx_, Ctx{as_person(author), Timestamp{created.us + 5 * kMinuteUs}}, p.id, std::nullopt);
      const Timestamp opens = parse_iso8601(opened.at("voting_opens_at").get<std::string>());
      const Timestamp closes = parse_iso8601(opened.at("voting_closes_at").get<std::string>());
      int64_t minutes = 60;
      int64_t cast = 0;
      const std::vector<int64_t> voters = roll(p.id, opens);
      AGORA_ASSERT(!voters.empty());
      // Small bodies (a worker assembly, a council) turn out almost whole;
      // a general meeting well above its quorum.
      const int64_t n = static_cast<int64_t>(voters.size());
      const bool small = n <= 20;
      const int64_t needed = small ? (2 * n + 2) / 3 : n / 10 + 1;
      for (int64_t i = 0; i < n; ++i) {
        const bool must = needed - cast >= n - i;
        if (!must && !rng_.chance(small ? 90 : percent)) continue;
        minutes += rng_.between(3, 90);
        const int choice = cast > 0 && rng_.chance(12) ? 1 : 0;
        cast_ballot(tx_,
                    Ctx{as_person(voters[static_cast<size_t>(i)]),
                        Timestamp{opens.us + minutes * kMinuteUs}},
                    p.id,
                    CastInput{.ballot = Json{{"choice", choice}}, .on_behalf_of = std::nullopt});
        ++cast;
      }
      const Json closed = close_proposal(tx_, Ctx{system_, Timestamp{closes.us + kHourUs}}, p.id);
      AGORA_ASSERT(closed.at("status") == "passed");
      last_closed_ = Timestamp{std::max(last_closed_.us, closes.us + kHourUs)};
    }
    const auto d = repo::find_decision(tx_, decision);
    AGORA_ASSERT(d && d->status == "passed");
    ++report_.decisions;
    return decision;
  }

  // The Federación Galega's council (elected by its congress; the demo
  // seats five co-ops' coordinators, the demo coordinator among them).
  void council_seats() {
    council_ = {coordinator_, coordinator_of(org("vigo-consume")),
                coordinator_of(org("cova-da-terra-lugo")), coordinator_of(org("coruna-comun")),
                coordinator_of(org("lacteos-terra-cha"))};
    const Timestamp when = parse_iso8601("2026-01-20T12:00:00Z");
    int64_t minute = 0;
    for (int64_t person : council_) {
      appoint_seat(tx_, Ctx{as_person(coordinator_), Timestamp{when.us + minute++ * kMinuteUs}},
                   galicia_, "council", person, "");
    }
  }

  // ---- O Forno de Sar's bakery

  void bakery() {
    const wp::Date starts = wp::add_months(month_, -15);
    const wp::Date recorded = days_before(starts, 75);
    const Actor uxia = as_person(coordinator_);

    wk::AssetInput a;
    a.kind = "workplace";
    a.name = "Obradoiro e despacho de pan da rúa do Sar";
    a.description =
        "Baixo de pedra de dúas plantas ao carón do río Sar: obradoiro con forno de leña "
        "restaurado, cámara de levedado, despacho de pan á rúa e almacén de fariñas. A Cesta "
        "comprouno en 2019 coa axuda do fondo da Federación Galega para que a panadaría do "
        "barrio seguise aberta como cooperativa de traballo.";
    a.address = "Rúa do Sar 41, 15702 Santiago de Compostela";
    a.territory = "Santiago de Compostela";
    a.floor_area_m2 = 210;
    a.valuation = 38'500'000;
    a.valued_on = wp::to_string(days_before(recorded, 20));
    a.use_text =
        "Obradoiro de panadaría e repostaría e despacho de pan, traballado por unha cooperativa "
        "de traballo asociado.";
    a.statutes =
        "Propiedade colectiva baixo o bloqueo de activos da federación: non se vende nin se "
        "hipoteca nin cambia de uso sen o acordo da asemblea de A Cesta e do consello da "
        "Federación Galega.";
    a.stakes = {{.org_id = cesta_, .share_bps = 4600}, {.org_id = galicia_, .share_bps = 5400}};
    const Json asset = wk::create_asset(tx_, Ctx{uxia, at(recorded, 10)}, a);
    report_.bakery_asset_id = asset.at("id").get<int64_t>();
    ++report_.assets;
    const std::string id = std::to_string(report_.bakery_asset_id);

    // The lease, decided jointly by A Cesta's general meeting and the
    // bakery's worker assembly.
    ProposalInput in;
    in.org_id = cesta_;
    in.domain = "workplace.lease";
    in.title = "Arrendamento do obradoiro da rúa do Sar a Panadería O Forno de Sar";
    in.text =
        "Proponse arrendar o obradoiro da rúa do Sar (210 m²) á cooperativa de traballo "
        "Panadería O Forno de Sar durante dez anos desde " +
        galician_month(starts) +
        ": 1.480 EUR ao mes, actualizados un 2 % cada ano. Deles, 620 EUR van ao servizo "
        "da débeda da compra, 240 EUR á reserva de mantemento e o resto ao fondo de "
        "investimento. A cooperativa achega ademais ao fondo de solidariedade da "
        "federación 0,50 EUR por m² e mes o primeiro ano, 0,75 o segundo e 1,00 desde o "
        "terceiro.";
    in.subject = "asset:" + id + ":lessee:" + std::to_string(forno_);
    in.counterparty_org_id = forno_;
    const int64_t lease_decision = decide(coordinator_, at(days_before(starts, 50), 10), in, 25);

    wk::LeaseInput l;
    l.asset_id = report_.bakery_asset_id;
    l.lessor_org_id = cesta_;
    l.lessee_org_id = forno_;
    l.starts_on = wp::to_string(starts);
    l.ends_on = wp::to_string(wp::add_months(starts, 120));
    l.rent_kind = "indexed";
    l.rent_monthly = 148'000;
    l.index_bps = 200;
    l.debt_service = 62'000;
    l.maintenance = 24'000;
    l.due_day = 5;
    l.steps = {{wp::to_string(starts), 50},
               {wp::to_string(wp::add_months(starts, 12)), 75},
               {wp::to_string(wp::add_months(starts, 24)), 100}};
    l.decision_id = lease_decision;
    const Json lease = wk::create_lease(tx_, Ctx{uxia, Timestamp{last_closed_.us + kDayUs}}, l);
    report_.bakery_lease_id = lease.at("id").get<int64_t>();
    ++report_.leases;
    payers_[report_.bakery_lease_id] = coordinator_of(forno_);

    // A Cesta buys a tenth of the building from the federation, a month at
    // a time over ten months from four months ago: 46 % -> 51 % now.
    const wp::Date buys_from = wp::add_months(month_, -4);
    ProposalInput sale;
    sale.org_id = galicia_;
    sale.domain = "asset.stake";
    sale.title = "Venda a A Cesta dun 10 % do obradoiro da rúa do Sar";
    sale.text =
        "A federación adiantou en 2019 a maior parte da compra do obradoiro. A Cesta pide "
        "mercar un 10 % máis do edificio por 24.000 EUR en dez prazos mensuais de 2.400 EUR, "
        "que volven ao fondo da federación para outras cooperativas.";
    sale.subject = "asset:" + id;
    const int64_t sale_decision =
        decide(coordinator_, at(days_before(buys_from, 30), 11), sale, 100);
    wk::BuyoutInput b;
    b.seller_org_id = galicia_;
    b.buyer_org_id = cesta_;
    b.share_bps = 1000;
    b.price_total = 2'400'000;
    b.installments = 10;
    b.period_months = 1;
    b.starts_on = wp::to_string(buys_from);
    b.decision_id = sale_decision;
    const Json buyout = wk::create_buyout(tx_, Ctx{uxia, Timestamp{last_closed_.us + kDayUs}},
                                          report_.bakery_asset_id, b);
    report_.buyout_id = buyout.at("id").get<int64_t>();
  }

  // ---- A Roda's workshop: a fixed rent, renewed a year at a time

  void workshop() {
    const wp::Date starts = wp::add_months(month_, -8);
    const Actor uxia = as_person(coordinator_);
    wk::AssetInput a;
    a.kind = "workplace";
    a.name = "Local do taller de bicicletas A Roda";
    a.description = "Antigo garaxe con porta á rúa, banco de traballo e almacén de pezas.";
    a.address = "Rúa da Rosa 12, 15701 Santiago de Compostela";
    a.territory = "Santiago de Compostela";
    a.floor_area_m2 = 70;
    a.valuation = 9'600'000;
    a.valued_on = wp::to_string(days_before(starts, 90));
    a.use_text = "Taller de reparación de bicicletas e punto de aluguer de bicicletas de carga.";
    a.stakes = {{.org_id = cesta_, .share_bps = 10000}};
    const Json asset = wk::create_asset(tx_, Ctx{uxia, at(days_before(starts, 70), 10)}, a);
    report_.workshop_asset_id = asset.at("id").get<int64_t>();
    ++report_.assets;

    ProposalInput in;
    in.org_id = cesta_;
    in.domain = "workplace.lease";
    in.title = "Arrendamento do local da rúa da Rosa ao Taller de Bicicletas A Roda";
    in.text = "Cinco anos desde " + galician_month(starts) +
              ", renovables por anos: 420 EUR fixos ao mes (60 á reserva de mantemento, o "
              "resto ao fondo de investimento) e 0,50 EUR por m² e mes ao fondo de solidariedade "
              "da federación.";
    in.subject =
        "asset:" + std::to_string(report_.workshop_asset_id) + ":lessee:" + std::to_string(roda_);
    in.counterparty_org_id = roda_;
    const int64_t decision = decide(coordinator_, at(days_before(starts, 50), 10), in, 20);

    wk::LeaseInput l;
    l.asset_id = report_.workshop_asset_id;
    l.lessor_org_id = cesta_;
    l.lessee_org_id = roda_;
    l.starts_on = wp::to_string(starts);
    l.ends_on = wp::to_string(wp::add_months(starts, 60));
    l.renewal = "auto";
    l.renew_months = 12;
    l.rent_kind = "fixed";
    l.rent_monthly = 42'000;
    l.maintenance = 6'000;
    l.due_day = 10;
    l.steps = {{wp::to_string(starts), 50}};
    l.decision_id = decision;
    const Json lease = wk::create_lease(tx_, Ctx{uxia, Timestamp{last_closed_.us + kDayUs}}, l);
    report_.workshop_lease_id = lease.at("id").get<int64_t>();
    ++report_.leases;
    payers_[report_.workshop_lease_id] = coordinator_of(roda_);
  }

  // ---- Évora: a free lease while a new bakery finds its feet

  void free_bakery() {
    const wp::Date starts = wp::add_months(month_, -2);
    const int64_t evora_coordinator = coordinator_of(evora_);
    const Actor who = as_person(evora_coordinator);
    wk::AssetInput a;
    a.kind = "workplace";
    a.name = "Forno comunitário da Rua do Raimundo";
    a.description = "Forno a lenha e amassaria recuperados pelos sócios da Évora Coop.";
    a.address = "Rua do Raimundo 27, 7000-661 Évora";
    a.territory = "Évora";
    a.floor_area_m2 = 95;
    a.valuation = 14'000'000;
    a.valued_on = wp::to_string(days_before(starts, 100));
    a.use_text = "Padaria cooperativa e forno comunitário aberto aos vizinhos ao domingo.";
    a.stakes = {{.org_id = evora_, .share_bps = 10000}};
    const Json asset = wk::create_asset(tx_, Ctx{who, at(days_before(starts, 80), 10)}, a);
    report_.free_asset_id = asset.at("id").get<int64_t>();
    ++report_.assets;

    ProposalInput in;
    in.org_id = evora_;
    in.domain = "workplace.lease";
    in.title = "Cedência gratuita do forno comunitário à Padaria do Rossio";
    in.text = "Três anos sem renda desde " + portuguese_month(starts) +
              ", enquanto a padaria arranca; a cooperativa de trabalho cuida do forno e abre-o "
              "aos vizinhos ao domingo.";
    in.subject =
        "asset:" + std::to_string(report_.free_asset_id) + ":lessee:" + std::to_string(rossio_);
    in.counterparty_org_id = rossio_;
    const int64_t decision = decide(evora_coordinator, at(days_before(starts, 50), 10), in, 20);

    wk::LeaseInput l;
    l.asset_id = report_.free_asset_id;
    l.lessor_org_id = evora_;
    l.lessee_org_id = rossio_;
    l.starts_on = wp::to_string(starts);
    l.ends_on = wp::to_string(wp::add_months(starts, 36));
    l.rent_kind = "free";
    l.decision_id = decision;
    const Json lease = wk::create_lease(tx_, Ctx{who, Timestamp{last_closed_.us + kDayUs}}, l);
    report_.free_lease_id = lease.at("id").get<int64_t>();
    ++report_.leases;
  }

  // ---- month by month, what the scheduler and the tenants did

  // The bakery's invoices of the last two months already due stay unpaid.
  std::set<std::string> unpaid_periods() const {
    std::set<std::string> out;
    const std::string today = wp::to_string(wp::date_of(today_));
    for (int64_t back = 0; back <= 2 && out.size() < 2; ++back) {
      const wp::Date m = wp::add_months(month_, -back);
      const wp::Date due{m.year, m.month, 5};
      if (wp::to_string(due) < today) out.insert(wp::period_of(m));
    }
    return out;
  }

  void months() {
    const std::set<std::string> unpaid = unpaid_periods();
    for (wp::Date m = wp::add_months(month_, -15); m <= month_; m = wp::add_months(m, 1)) {
      const Timestamp dawn = at(m, 6);
      if (dawn.us >= today_.us + kDayUs) break;
      report_.lease_months += wk::raise_due_invoices(tx_, dawn, 1000);
      report_.installments += wk::run_due_installments(tx_, Timestamp{dawn.us + kMinuteUs}, 100);
      for (const auto& [lease_id, payer] : payers_) {
        const bool bakery = lease_id == report_.bakery_lease_id;
        if (bakery && unpaid.count(wp::period_of(m))) continue;
        pay_month(lease_id, payer, wp::period_of(m));
      }
    }
  }

  // The tenant accepts and pays the month's invoices a few days after they
  // fall due (never after the day before loading).
  void pay_month(int64_t lease_id, int64_t payer, const std::string& period) {
    const Json page =
        wk::lease_invoices(tx_, Ctx{system_, today_}, lease_id, PageReq{.limit = 8, .after = 0});
    const int64_t late_days = rng_.between(0, 4);
    for (const Json& i : page.at("items")) {
      if (i.at("period") != period || i.at("state") != "open") continue;
      const Timestamp due = wp::start_of(wp::parse_date(i.at("due_on").get<std::string>()));
      if (due.us >= today_.us) continue;  // not due yet
      const Timestamp when{
          std::min(due.us + late_days * kDayUs + 11 * kHourUs, today_.us - kHourUs)};
      const int64_t request = i.at("request_id").get<int64_t>();
      ledger::accept_request(tx_, Ctx{as_person(payer), when}, request);
      ledger::pay_request(tx_, Ctx{as_person(payer), Timestamp{when.us + kMinuteUs}}, request,
                          "demo:lease:" + std::to_string(request));
      ++report_.requests_paid;
    }
  }

  store::Tx& tx_;
  Actor system_;
  Rng rng_;
  Timestamp today_;
  wp::Date month_;
  Timestamp last_closed_{};
  std::map<std::string, int64_t> slugs_;
  std::map<int64_t, int64_t> coordinators_;
  std::map<int64_t, int64_t> payers_;  // lease -> the tenant's coordinator
  std::vector<int64_t> council_;
  int64_t admin_account_ = 0;
  int64_t coordinator_ = 0;
  int64_t cesta_ = 0, galicia_ = 0, forno_ = 0, roda_ = 0, evora_ = 0, rossio_ = 0;
  WorkplacesReport report_;
};

// ---- budgeting rounds of A Cesta's investment fund

struct ProjectSpec {
  const char* title;
  const char* description;
  int64_t cost;    // minor units
  int popularity;  // percent of voters approving it
};

// Last spring's round: eight projects for 9,000 EUR.
constexpr ProjectSpec kPastProjects[] = {
    {"Forno novo para O Forno de Sar",
     "Substituír o forno de leña de 1980 por un forno de solera máis eficiente.", 380'000, 55},
    {"Placas solares no almacén", "Doce paneis no tellado do almacén da rúa da Rosa.", 260'000, 48},
    {"Bicicleta de carga eléctrica para repartos",
     "Reparto a domicilio sen furgoneta no casco vello.", 220'000, 62},
    {"Cámara frigorífica para as hortas",
     "Unha cámara compartida para que as produtoras deixen a colleita a calquera hora.", 190'000,
     30},
    {"Obradoiro de formación cooperativa",
     "Seis sesións para as socias novas sobre como funciona A Cesta.", 60'000, 41},
    {"Punto de recollida en Conxo", "Un local pequeno e andeis para os pedidos do barrio.", 150'000,
     27},
    {"Andeis para o granel", "Dispensadores de gravidade para legumes, arroz e cereais.", 95'000,
     44},
    {"Horta escolar co CEIP de Vite", "Sementes, ferramentas e dúas xornadas coas Hortas do Ulla.",
     120'000, 24},
};

// The round voting now: seven projects for 6,000 EUR.
constexpr ProjectSpec kOpenProjects[] = {
    {"Illamento térmico do almacén", "Cuberta e paredes do almacén, para gastar menos en frío.",
     280'000, 45},
    {"Ampliación da sección de granel", "Máis dispensadores e unha báscula con etiquetas.", 140'000,
     52},
    {"Fondo de axuda para cotas de socias novas",
     "Adianta a achega a quen non pode pagala dunha vez.", 100'000, 38},
    {"Toldo e bancos na entrada da tenda", "Un sitio para esperar á sombra e á choiva.", 90'000,
     30},
    {"Furgoneta compartida coa Vigo Consume",
     "A metade dunha furgoneta usada para a compra rexional.", 320'000, 20},
    {"Cociña para os obradoiros de conservas", "Placas, potas e frascos para os sábados.", 110'000,
     33},
    {"Web de pedidos accesible", "Revisar a tenda en liña con persoas maiores do barrio.", 70'000,
     28},
};

// The round taking projects now: three submitted so far, 4,000 EUR.
constexpr ProjectSpec kNewProjects[] = {
    {"Compostador comunitario", "Tres composteiros no patio para os restos da tenda.", 45'000, 0},
    {"Biblioteca de ferramentas", "Un armario de ferramentas para emprestar entre socias.", 80'000,
     0},
    {"Cursiño de reparación de bicicletas con A Roda", "Catro tardes no taller.", 30'000, 0},
};

class RoundsLoader {
 public:
  RoundsLoader(App& app, Timestamp today)
      : app_(app), system_(Actor::system()), rng_(kRoundsSeed), today_(today) {}

  void run(WorkplacesReport& report) {
    app_.write(system_, "demo_budget_rounds", Json::object(), [&](store::Tx& tx, const Ctx&) {
      people(tx);
      past_round(tx);
      return Json{{"round", report.paid_round_id = past_}};
    });
    // The tally computes outside the write lane, as the server does.
    budgeting::tally_round(app_, Ctx{as_person(coordinator_), counted_at_}, past_);
    app_.write(system_, "demo_budget_rounds", Json::object(), [&](store::Tx& tx, const Ctx&) {
      pay_past_round(tx);
      report.voting_round_id = voting_round(tx);
      report.submission_round_id = submission_round(tx);
      report.decisions += 1;
      return Json{{"voting", report.voting_round_id}, {"submission", report.submission_round_id}};
    });
    report.rounds = 3;
  }

 private:
  static constexpr uint64_t kRoundsSeed = 0x526F756E64734465ull;  // "RoundsDe"

  Actor as_person(int64_t person_id) const {
    return Actor{
        .account_id = admin_account_, .person_id = person_id, .admin = true, .address = "demo"};
  }
  Timestamp days(int64_t n, int64_t hour = 0) const {
    return Timestamp{today_.us + n * kDayUs + hour * kHourUs};
  }

  void people(store::Tx& tx) {
    const auto admin = repo::find_account_by_email(tx, kDemoAdminEmail);
    const auto coordinator = repo::find_person_by_email(tx, kDemoCoordinatorEmail);
    const auto member = repo::find_person_by_email(tx, kDemoMemberEmail);
    AGORA_ASSERT(admin && coordinator && member);
    admin_account_ = admin->id;
    coordinator_ = *coordinator;
    member_ = *member;
    for (const auto& m : repo::memberships_of_person(tx, member_)) {
      if (m.status == "active" && m.org_kind == "consumer") cesta_ = m.org_id;
    }
    AGORA_ASSERT(cesta_ > 0);
    int64_t after = 0;
    for (;;) {
      auto page = repo::list_memberships(tx, cesta_, "active", after, 200);
      if (page.empty()) break;
      after = page.back().id;
      for (const auto& m : page) {
        if (m.person_id && *m.person_id != member_ && m.class_code == "consumer") {
          members_.push_back(*m.person_id);
        }
      }
    }
    AGORA_ASSERT(members_.size() > 60);
  }

  int64_t open(store::Tx& tx, Timestamp at_time, const std::string& title, const std::string& text,
               int64_t budget, Timestamp submission_closes, Timestamp voting_closes) {
    budgeting::RoundInput in;
    in.title = title;
    in.description = text;
    in.budget = budget;
    in.method = "equal-shares";
    in.completion = "add1";
    in.ballot = "approval";
    in.utility = "cost";
    in.submission_closes_at = submission_closes;
    in.voting_closes_at = voting_closes;
    const Json r = budgeting::open_round(tx, Ctx{as_person(coordinator_), at_time}, cesta_, in);
    return r.at("id").get<int64_t>();
  }

  // Each project proposed by a different member, a few hours apart.
  std::vector<int64_t> submit(store::Tx& tx, int64_t round, Timestamp from,
                              std::span<const ProjectSpec> projects) {
    std::vector<int64_t> ids;
    for (size_t i = 0; i < projects.size(); ++i) {
      const int64_t who = members_[(i * 7 + static_cast<size_t>(round)) % members_.size()];
      budgeting::ProjectInput in;
      in.title = projects[i].title;
      in.description = projects[i].description;
      in.cost = projects[i].cost;
      const Json p = budgeting::submit_project(
          tx, Ctx{as_person(who), Timestamp{from.us + static_cast<int64_t>(i) * 5 * kHourUs}},
          round, in);
      ids.push_back(p.at("id").get<int64_t>());
    }
    return ids;
  }

  // `voters` members (never the demo member) approve projects by their
  // popularity, each approving at least one.
  void vote(store::Tx& tx, int64_t round, Timestamp from, const std::vector<int64_t>& projects,
            std::span<const ProjectSpec> specs, size_t voters) {
    int64_t minutes = 0;
    for (size_t v = 0; v < voters; ++v) {
      const int64_t who = members_[(v * 5 + 3) % members_.size()];
      std::vector<budgeting::BallotItem> items;
      for (size_t i = 0; i < projects.size(); ++i) {
        if (rng_.chance(specs[i].popularity))
          items.push_back({.project_id = projects[i], .points = 1});
      }
      if (items.empty()) {
        items.push_back({.project_id = projects[rng_.below(projects.size())], .points = 1});
      }
      minutes += rng_.between(20, 400);
      budgeting::cast_ballot(tx, Ctx{as_person(who), Timestamp{from.us + minutes * kMinuteUs}},
                             round, items);
    }
  }

  // Tallied and paid: submission from 70 days ago, voting closed 40 days ago.
  void past_round(store::Tx& tx) {
    const Timestamp opened = days(-70, 10);
    past_ = open(tx, opened, "Orzamentos participativos da primavera",
                 "O fondo de investimento recibe o excedente dos alugueiros dos obradoiros. Esta "
                 "rolda reparte 9.000 EUR entre os proxectos que propoñades: marca todos os que "
                 "apoies; repártese polo Método das Partes Iguais.",
                 900'000, days(-55, 20), days(-40, 20));
    const std::vector<int64_t> ids = submit(tx, past_, days(-68, 9), kPastProjects);
    vote(tx, past_, days(-54, 8), ids, kPastProjects, 31);
    counted_at_ = days(-39, 9);
  }

  void pay_past_round(store::Tx& tx) {
    ProposalInput in;
    in.org_id = cesta_;
    in.domain = budgeting::kDecisionDomain;
    in.title = "Aprobar o resultado dos orzamentos participativos da primavera";
    in.text =
        "Proponse pagar desde o fondo de investimento os proxectos que saíron financiados "
        "no reconto polo Método das Partes Iguais.";
    in.subject = "budget_round:" + std::to_string(past_);
    const Timestamp created = days(-38, 10);
    const Json first = create_proposal(tx, Ctx{as_person(coordinator_), created}, in);
    const int64_t decision = first.at("decision_id").get<int64_t>();
    Timestamp closed_at{};
    for (const auto& p : repo::proposals_of_decision(tx, decision)) {
      const Json opened =
          open_proposal(tx, Ctx{as_person(coordinator_), Timestamp{created.us + 5 * kMinuteUs}},
                        p.id, std::nullopt);
      const Timestamp opens = parse_iso8601(opened.at("voting_opens_at").get<std::string>());
      const Timestamp closes = parse_iso8601(opened.at("voting_closes_at").get<std::string>());
      const std::vector<int64_t> roll = full_roll(tx, Ctx{system_, opens}, p.id);
      int64_t minutes = 30;
      int64_t cast = 0;
      for (int64_t voter : roll) {
        if (voter == member_ || !rng_.chance(22)) continue;
        minutes += rng_.between(10, 200);
        const int choice = cast++ % 9 == 8 ? 1 : 0;
        cast_ballot(tx, Ctx{as_person(voter), Timestamp{opens.us + minutes * kMinuteUs}}, p.id,
                    CastInput{.ballot = Json{{"choice", choice}}, .on_behalf_of = std::nullopt});
      }
      AGORA_ASSERT(cast * 20 > static_cast<int64_t>(roll.size()));
      const Json closed = close_proposal(tx, Ctx{system_, Timestamp{closes.us + kHourUs}}, p.id);
      AGORA_ASSERT(closed.at("status") == "passed");
      closed_at = Timestamp{closes.us + kHourUs};
    }
    budgeting::pay_out(tx, Ctx{as_person(coordinator_), Timestamp{closed_at.us + kDayUs}}, past_,
                       decision);
  }

  // Voting now, closing in nine days; the demo member has not voted.
  int64_t voting_round(store::Tx& tx) {
    const int64_t id = open(tx, days(-16, 10), "Orzamentos participativos do outono",
                            "Segunda rolda do ano: 4.000 EUR do fondo de investimento. Marca "
                            "todos os proxectos que apoies.",
                            400'000, days(-6, 20), days(9, 20));
    const std::vector<int64_t> ids = submit(tx, id, days(-15, 9), kOpenProjects);
    vote(tx, id, days(-5, 8), ids, kOpenProjects, 27);
    return id;
  }

  // Taking projects until twelve days from now; voting after.
  int64_t submission_round(store::Tx& tx) {
    const int64_t id = open(tx, days(-3, 10), "Pequenos proxectos do inverno",
                            "2.500 EUR para proxectos pequenos do barrio. Propón o teu ata o "
                            "peche da presentación.",
                            250'000, days(12, 20), days(26, 20));
    submit(tx, id, days(-2, 9), kNewProjects);
    return id;
  }

  App& app_;
  Actor system_;
  Rng rng_;
  Timestamp today_;
  Timestamp counted_at_{};
  int64_t admin_account_ = 0;
  int64_t coordinator_ = 0;
  int64_t member_ = 0;
  int64_t cesta_ = 0;
  int64_t past_ = 0;
  std::vector<int64_t> members_;
};

}  // namespace

WorkplacesReport load_demo_workplaces(App& app) {
  WorkplacesReport report;
  Timestamp today{};
  app.write(Actor::system(), "demo_workplaces", Json::object(), [&](store::Tx& tx, const Ctx& ctx) {
    WorkplacesLoader loader(tx, ctx);
    report = loader.run();
    today = loader.today();
    return Json{{"assets", report.assets},
                {"leases", report.leases},
                {"lease_months", report.lease_months},
                {"installments", report.installments}};
  });
  RoundsLoader(app, today).run(report);
  return report;
}

}  // namespace agora::app::demo
