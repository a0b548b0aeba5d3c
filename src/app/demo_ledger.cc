// The demo's ledger (demo_ledger.h). Two phases on the demo's calendar: the
// first half of 2026 up to 26 June (opening balances, levies to the mutual
// funds, members' deposits and purchases, capital accounts,
// mutual-credit trades), planned per account so no balance leaves its
// bounds and then applied in date order; then 27-30 June step by step in
// date order (holds posted, voided and expired, a reversal, payment requests
// in every state, the half year's results into the surplus accounts).

#include "app/demo_ledger.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/demo.h"
#include "app/demo_accounts.h"
#include "app/demo_data.h"
#include "app/governance.h"
#include "app/ledger.h"
#include "app/repo/auth_repo.h"
#include "app/repo/registry_repo.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app::demo {

namespace {

namespace lg = agora::app::ledger;

constexpr int64_t kMinuteUs = int64_t{60} * 1000000;
constexpr int64_t kHourUs = 60 * kMinuteUs;
constexpr int64_t kDayUs = 24 * kHourUs;
constexpr uint64_t kLedgerSeed = 0x4C65646765724D6Full;  // "LedgerMo"

// The mutual-credit currency's bounds on every account, in its cents.
constexpr int64_t kXeiraLower = -300000;  // may owe up to 3,000 Xeira
constexpr int64_t kXeiraUpper = 1000000;  // may hold up to 10,000 Xeira

// Days since 1970-01-01 of a civil date and back (Hinnant's algorithms).
int64_t day_of(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string iso_day(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[32];  // room for any int year, so no truncation is possible
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(y), m, d);
  return buf;
}

// 0 = Monday (1970-01-01 was a Thursday).
int64_t weekday(int64_t day) { return (day + 3) % 7; }

Timestamp at(int64_t day, int64_t hour, int64_t minute = 0) {
  return Timestamp{day * kDayUs + hour * kHourUs + minute * kMinuteUs};
}

enum class Lang { gl, es, pt };

struct Words {
  std::array<std::string_view, 12> months;
  std::string_view deposit;
  std::string_view purchases_of;  // + month
  std::string_view purchase;
  std::string_view opening;
  std::string_view capital;
  std::string_view levy;
  std::string_view levy_up;
  std::string_view result;
};

const Words& words(Lang l) {
  static const Words gl{{"xaneiro", "febreiro", "marzo", "abril", "maio", "xuño", "xullo", "agosto",
                         "setembro", "outubro", "novembro", "decembro"},
                        "Ingreso por transferencia",
                        "Compras de ",
                        "Compra na tenda",
                        "Saldo de apertura",
                        "Saldo de apertura da conta de capital",
                        "Achega ao fondo mutuo 2025",
                        "Achega ao fondo mutuo da Federación Ibérica 2025",
                        "Resultado provisional do primeiro semestre"};
  static const Words es{{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                         "septiembre", "octubre", "noviembre", "diciembre"},
                        "Ingreso por transferencia",
                        "Compras de ",
                        "Compra en la tienda",
                        "Saldo de apertura",
                        "Saldo de apertura de la cuenta de capital",
                        "Aportación al fondo mutuo 2025",
                        "Aportación al fondo mutuo de la Federación Ibérica 2025",
                        "Resultado provisional del primer semestre"};
  static const Words pt{{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
                         "agosto", "setembro", "outubro", "novembro", "dezembro"},
                        "Depósito por transferência",
                        "Compras de ",
                        "Compra na loja",
                        "Saldo de abertura",
                        "Saldo de abertura da conta de capital",
                        "Contribuição para o fundo mútuo 2025",
                        "Contribuição para o fundo mútuo da Federação Ibérica 2025",
                        "Resultado provisório do primeiro semestre"};
  switch (l) {
    case Lang::gl:
      return gl;
    case Lang::es:
      return es;
    case Lang::pt:
      return pt;
  }
  return es;
}

struct OrgInfo {
  int64_t id = 0;
  std::optional<int64_t> parent_id;
  std::string slug;
  std::string kind;
  size_t region = 0;  // index into Loader::regions_ (federations below the root)
  Lang lang = Lang::es;
};

struct Spend {
  int64_t org_id = 0;
  int64_t person_id = 0;
  int64_t amount = 0;
};

// One call of apply_transfers (a single transfer or a linked batch) and the
// purchases it records.
struct Planned {
  Timestamp at;
  int64_t seq = 0;
  std::vector<lg::TransferInput> batch;
  std::vector<Spend> spends;
};

// Trades in the mutual-credit currency: who buys what from whom.
struct TradeKind {
  std::string_view buyer;
  std::string_view seller;
  std::string_view memo;
  int64_t min_units;
  int64_t max_units;
};
constexpr std::array kTrades = {
    TradeKind{"a-cesta-santiago", "lacteos-terra-cha", "Leite, queixo e iogures", 300, 900},
    TradeKind{"vigo-consume", "lacteos-terra-cha", "Leite e iogures", 300, 900},
    TradeKind{"coruna-comun", "lacteos-terra-cha", "Leite e manteiga", 200, 700},
    TradeKind{"a-cesta-santiago", "hortas-do-ulla", "Verdura de tempada", 150, 600},
    TradeKind{"cova-da-terra-lugo", "hortas-do-ulla", "Verdura de tempada", 100, 400},
    TradeKind{"vigo-consume", "mel-do-courel", "Mel de castiñeiro", 100, 350},
    TradeKind{"a-cesta-santiago", "forno-de-sar", "Pan e empanadas", 200, 700},
    TradeKind{"cafe-a-fouce", "forno-de-sar", "Bolería para o café", 60, 250},
    TradeKind{"forno-de-sar", "lacteos-terra-cha", "Manteiga e leite para o obradoiro", 100, 400},
    TradeKind{"forno-de-sar", "mel-do-courel", "Mel para a bolería", 40, 160},
    TradeKind{"lacteos-terra-cha", "imprenta-berbes", "Etiquetas dos iogures", 150, 500},
    TradeKind{"hortas-do-ulla", "imprenta-berbes", "Caixas impresas", 80, 300},
    TradeKind{"coruna-comun", "limpezas-mareira", "Limpeza da tenda", 150, 450},
    TradeKind{"a-cesta-santiago", "limpezas-mareira", "Limpeza do almacén", 150, 450},
    TradeKind{"hortas-do-ulla", "a-roda-bicicletas", "Reparación das bicicletas de carga", 40, 200},
    TradeKind{"mel-do-courel", "cafe-a-fouce", "Xantar da asemblea de socias", 60, 220},
    TradeKind{"vigo-consume", "imprenta-berbes", "Folletos da campaña de socias", 80, 300},
    TradeKind{"cova-da-terra-lugo", "a-roda-bicicletas", "Mantemento das bicicletas", 40, 150},
};
// The dozen Galician co-ops that trade in it.
constexpr std::array<std::string_view, 12> kTraders = {
    "a-cesta-santiago", "forno-de-sar",      "a-roda-bicicletas",  "vigo-consume",
    "imprenta-berbes",  "cafe-a-fouce",      "cova-da-terra-lugo", "coruna-comun",
    "limpezas-mareira", "lacteos-terra-cha", "hortas-do-ulla",     "mel-do-courel"};

class LedgerLoader {
 public:
  explicit LedgerLoader(store::Tx& tx) : tx_(tx), rng_(kLedgerSeed) {}

  LedgerReport run() {
    load_orgs();
    load_people();
    set_rules();
    base_accounts();
    opening_balances();
    levies();
    bakery_sales("forno-de-sar");
    consumer_members("a-cesta-santiago", 3, true);
    consumer_members("la-alacena-sevilla", 5, false);
    consumer_members("mercearia-porto", 5, false);
    capital_accounts("forno-de-sar");
    mutual_credit();
    apply_plan();
    end_of_june();
    work_hours("forno-de-sar");
    return report_;
  }

 private:
  // ---- who and where

  void load_orgs() {
    std::vector<repo::TreeNode> nodes;
    for (const auto& root : repo::list_roots(tx_, 0, 100)) {
      for (auto& node : repo::subtree(tx_, root.id, 16, 100000)) nodes.push_back(std::move(node));
    }
    std::map<int64_t, size_t> index;
    for (const auto& n : nodes) {
      const auto row = repo::find_org(tx_, n.id);
      AGORA_ASSERT(row.has_value());
      OrgInfo o;
      o.id = n.id;
      o.parent_id = n.parent_id;
      o.slug = row->slug;
      o.kind = n.kind;
      index[o.id] = orgs_.size();
      by_slug_[o.slug] = orgs_.size();
      orgs_.push_back(std::move(o));
    }
    // Regions are the federations right below the root; every org below
    // one belongs to it and speaks its language.
    for (auto& o : orgs_) {
      if (!o.parent_id) {
        national_ = o.id;
        continue;
      }
      const OrgInfo* up = &o;
      while (up->parent_id && orgs_[index.at(*up->parent_id)].parent_id) {
        up = &orgs_[index.at(*up->parent_id)];
      }
      o.region = index.at(up->id);
    }
    for (auto& o : orgs_) {
      if (!o.parent_id) continue;
      const std::string& region = orgs_[o.region].slug;
      o.lang = region == "galicia" ? Lang::gl : region == "andalucia" ? Lang::es : Lang::pt;
    }
    AGORA_ASSERT(national_ > 0);
  }

  const OrgInfo& org(std::string_view slug) const {
    const auto it = by_slug_.find(std::string(slug));
    AGORA_ASSERT(it != by_slug_.end());
    return orgs_[it->second];
  }

  void load_people() {
    const auto admin = repo::find_account_by_email(tx_, kDemoAdminEmail);
    const auto coordinator = repo::find_person_by_email(tx_, kDemoCoordinatorEmail);
    const auto member = repo::find_person_by_email(tx_, kDemoMemberEmail);
    AGORA_ASSERT(admin && coordinator && member);
    admin_account_ = admin->id;
    coordinator_ = *coordinator;
    member_ = *member;
    cesta_ = org("a-cesta-santiago").id;
    // The demo coordinator keeps A Cesta's books (docs/DEMO.md).
    grant_role(tx_, coordinator_, cesta_, "treasurer", admin_account_, at(day_of(2026, 1, 12), 10));
  }

  std::vector<repo::MembershipRow> active_persons(int64_t org_id) {
    std::vector<repo::MembershipRow> out;
    int64_t after = 0;
    for (;;) {
      auto page = repo::list_memberships(tx_, org_id, "active", after, 200);
      if (page.empty()) break;
      after = page.back().id;
      for (auto& m : page) {
        if (m.person_id) out.push_back(std::move(m));
      }
    }
    return out;
  }

  // The co-op's coordinator (the demo gives each co-op one, its first member).
  int64_t coordinator_of(int64_t org_id) {
    for (const auto& m : active_persons(org_id)) {
      if (repo::active_grant_exists(tx_, *m.person_id, org_id, "coordinator")) return *m.person_id;
    }
    AGORA_ASSERT(false);
    return 0;
  }

  // A demo person acting with the platform's rights (they have no login).
  Actor as_person(int64_t person_id) const {
    return Actor{
        .account_id = admin_account_, .person_id = person_id, .admin = true, .address = "demo"};
  }

  // ---- accounts and plans

  int64_t ensure(Timestamp when, int64_t org_id, const std::string& holder,
                 std::optional<int64_t> person, const std::string& currency,
                 const std::string& kind) {
    ++report_.accounts;
    return lg::ensure_account(tx_, when, org_id, holder, person, currency, kind);
  }

  std::string key(std::string_view what) {
    return "demo:" + std::string(what) + ":" + std::to_string(++keys_);
  }

  lg::TransferInput transfer(std::string_view what, int64_t debit, int64_t credit, int64_t amount,
                             std::string code, std::string memo) {
    lg::TransferInput t;
    t.key = key(what);
    t.debit_account_id = debit;
    t.credit_account_id = credit;
    t.amount = amount;
    t.code = std::move(code);
    t.memo = std::move(memo);
    return t;
  }

  void plan(Timestamp when, std::vector<lg::TransferInput> batch, std::vector<Spend> spends = {}) {
    AGORA_ASSERT(when.us < at(day_of(2026, 6, 27), 0).us);
    plan_.push_back(
        Planned{when, static_cast<int64_t>(plan_.size()), std::move(batch), std::move(spends)});
  }

  void apply_plan() {
    std::stable_sort(plan_.begin(), plan_.end(), [](const Planned& a, const Planned& b) {
      return a.at.us != b.at.us ? a.at.us < b.at.us : a.seq < b.seq;
    });
    for (const Planned& p : plan_) {
      const std::vector<Json> done = lg::apply_transfers(tx_, p.at, admin_account_, p.batch);
      report_.transfers += static_cast<int64_t>(done.size());
      for (const Json& t : done) {
        if (t.at("key").get<std::string>() == remember_key_)
          remembered_id_ = t.at("id").get<int64_t>();
      }
      for (const Spend& s : p.spends) {
        record_member_spend(tx_, s.org_id, s.person_id, p.at, s.amount, "shop");
        ++report_.spend_rows;
      }
    }
    plan_.clear();
  }

  // One transfer now, in the June steps.
  int64_t apply_now(Timestamp when, const lg::TransferInput& t) {
    const std::vector<Json> done =
        lg::apply_transfers(tx_, when, admin_account_, std::span<const lg::TransferInput>(&t, 1));
    ++report_.transfers;
    return done.front().at("id").get<int64_t>();
  }

  // ---- the first half of 2026

  void set_rules() {
    const Timestamp when = at(day_of(2026, 1, 15), 10, 30);
    // A Spanish consumer co-op: the legal reserve and education fund, a
    // little for the federation, the rest back to members by purchases,
    // paying their unpaid shares first.
    rules(cesta_, coordinator_, when,
          Json{{"legal_reserve_bp", 2000},
               {"indivisible_reserve_bp", 1000},
               {"education_bp", 500},
               {"federation_levy_bp", 100},
               {"basis", "purchases"},
               {"refund", "share_capital_first"}});
    // Italian law's shares: 30% legal reserve, 3% to the mutual funds.
    const int64_t alacena = org("la-alacena-sevilla").id;
    rules(alacena, coordinator_of(alacena), when,
          Json{{"legal_reserve_bp", 3000},
               {"federation_levy_bp", 300},
               {"basis", "purchases"},
               {"refund", "cash"}});
    // A stepped monthly purchase bonus (S Group's pattern), paid into
    // unpaid share capital first.
    const int64_t porto = org("mercearia-porto").id;
    rules(porto, coordinator_of(porto), when,
          Json{{"legal_reserve_bp", 2000},
               {"education_bp", 500},
               {"basis", "purchases"},
               {"refund", "cash"},
               {"bonus_steps", Json::array({Json{{"from_minor", 5000}, {"rate_bp", 100}},
                                            Json{{"from_minor", 20000}, {"rate_bp", 200}},
                                            Json{{"from_minor", 40000}, {"rate_bp", 300}},
                                            Json{{"from_minor", 60000}, {"rate_bp", 400}},
                                            Json{{"from_minor", 90000}, {"rate_bp", 500}}})},
               {"bonus_refund", "share_capital_first"}});
    // Mondragon's pattern: 45% to reserves, 10% education, 45% to the
    // workers by hours x pay index into their capital accounts, which earn
    // interest first.
    const int64_t forno = org("forno-de-sar").id;
    rules(forno, coordinator_of(forno), when,
          Json{{"legal_reserve_bp", 2000},
               {"indivisible_reserve_bp", 2500},
               {"education_bp", 1000},
               {"basis", "hours"},
               {"refund", "capital_account"},
               {"capital_interest_bp", 600},
               {"capital_interest_cap_bp", 750}});
  }

  void rules(int64_t org_id, int64_t person, Timestamp when, const Json& r) {
    const Actor actor = as_person(person);
    lg::set_surplus_rules(tx_, Ctx{actor, when}, org_id, r);
  }

  bool has_books(const OrgInfo& o) const { return o.kind == "consumer" || o.kind == "worker"; }

  void base_accounts() {
    const Timestamp when = at(day_of(2026, 1, 1), 9);
    for (const auto& o : orgs_) {
      if (has_books(o)) {
        bank_[o.id] = ensure(when, o.id, "external", std::nullopt, "EUR", "bank");
        operating_[o.id] = ensure(when, o.id, "org", std::nullopt, "EUR", "operating");
        surplus_[o.id] = ensure(when, o.id, "org", std::nullopt, "EUR", "surplus");
      } else if (o.kind == "federation") {
        mutual_[o.id] = ensure(when, o.id, "fund", std::nullopt, "EUR", "mutual");
      }
    }
  }

  void opening_balances() {
    const int64_t d = day_of(2026, 1, 2);
    int64_t minute = 0;
    for (const auto& o : orgs_) {
      if (!has_books(o)) continue;
      const int64_t euros =
          o.kind == "consumer" ? rng_.between(12000, 60000) : rng_.between(3000, 20000);
      plan(at(d, 9, minute++), {transfer("open", bank_.at(o.id), operating_.at(o.id), euros * 100,
                                         "opening_balance", std::string(words(o.lang).opening))});
    }
  }

  // Each region's co-ops pay last year's levy into its mutual fund, which
  // passes a fifth on to the national one: one linked batch per region.
  void levies() {
    int64_t d = day_of(2026, 2, 10);
    for (const auto& region : orgs_) {
      if (!region.parent_id || *region.parent_id != national_) continue;
      std::vector<lg::TransferInput> batch;
      int64_t total = 0;
      for (const auto& o : orgs_) {
        if (!has_books(o) || orgs_[o.region].id != region.id) continue;
        const int64_t amount =
            (o.kind == "consumer" ? rng_.between(600, 1500) : rng_.between(150, 400)) * 100;
        total += amount;
        batch.push_back(transfer("levy", operating_.at(o.id), mutual_.at(region.id), amount, "levy",
                                 std::string(words(region.lang).levy)));
      }
      batch.push_back(transfer("levy", mutual_.at(region.id), mutual_.at(national_), total / 5,
                               "levy", std::string(words(region.lang).levy_up)));
      plan(at(d++, 11), std::move(batch));
    }
  }

  // The bakery's takings, banked each month.
  void bakery_sales(std::string_view slug) {
    const OrgInfo& o = org(slug);
    for (unsigned month = 1; month <= 6; ++month) {
      plan(at(day_of(2026, month, 3), 16),
           {transfer("sales", bank_.at(o.id), operating_.at(o.id), rng_.between(9000, 14000) * 100,
                     "sales",
                     "Vendas do obradoiro: " + std::string(words(o.lang).months[month - 1]))});
    }
  }

  // Every active member of the co-op gets a current account; from
  // `first_month` to June they top it up from their bank and spend it in the
  // shop (one purchase a month; the demo's two logins shop every week, so
  // their statements read like a member's).
  void consumer_members(std::string_view slug, unsigned first_month, bool showcase) {
    const OrgInfo& o = org(slug);
    const Words& w = words(o.lang);
    const Timestamp opened = at(day_of(2026, first_month, 1), 8);
    for (const auto& m : active_persons(o.id)) {
      const int64_t person = *m.person_id;
      const int64_t account = ensure(opened, o.id, "member", person, "EUR", "current");
      if (showcase) cesta_accounts_.emplace_back(person, account);
      const bool weekly = showcase && (person == member_ || person == coordinator_);
      int64_t balance = 0;
      for (unsigned month = first_month; month <= 6; ++month) {
        std::vector<std::pair<Timestamp, int64_t>> buys;
        if (weekly) {
          for (int64_t week = 0; week < 4; ++week) {
            const int64_t d = day_of(2026, month, 2) + week * 7 + rng_.between(0, 3);
            buys.emplace_back(at(d, rng_.between(10, 20), rng_.between(0, 59)),
                              rng_.between(1200, 7500));
          }
        } else if (rng_.chance(85)) {
          buys.emplace_back(
              at(day_of(2026, month, 20) + rng_.between(0, 6), 21, rng_.between(0, 59)),
              rng_.between(2500, 42000));
        }
        int64_t needed = 0;
        for (const auto& b : buys) needed += b.second;
        if (needed > balance) {
          // Members top up in round hundreds, enough for a month or two.
          const int64_t top_up =
              (needed - balance + 9999) / 10000 * 10000 + rng_.between(2, 5) * 10000;
          plan(at(day_of(2026, month, 1), rng_.between(8, 12), rng_.between(0, 59)),
               {transfer("deposit", bank_.at(o.id), account, top_up, "deposit",
                         std::string(w.deposit))});
          balance += top_up;
        }
        for (const auto& [when, amount] : buys) {
          std::string memo = weekly
                                 ? std::string(w.purchase)
                                 : std::string(w.purchases_of) + std::string(w.months[month - 1]);
          lg::TransferInput t =
              transfer("buy", account, operating_.at(o.id), amount, "purchase", std::move(memo));
          if (person == member_) remember_key_ = t.key;
          plan(when, {std::move(t)}, {Spend{o.id, person, amount}});
          balance -= amount;
          purchases_[o.id] += amount;
        }
      }
      balances_[account] = balance;
    }
  }

  // The workers' individual capital accounts: the capital they paid in and
  // the refunds of past years left there.
  void capital_accounts(std::string_view slug) {
    const OrgInfo& o = org(slug);
    const int64_t d = day_of(2026, 1, 2);
    int64_t minute = 30;
    for (const auto& m : active_persons(o.id)) {
      const int64_t account = ensure(at(d, 9), o.id, "member", *m.person_id, "EUR", "capital");
      const int64_t amount = m.paid_minor + rng_.between(0, 60) * 10000;
      if (amount <= 0) continue;
      plan(at(d, 9, minute++), {transfer("capital", bank_.at(o.id), account, amount, "capital",
                                         std::string(words(o.lang).capital))});
    }
  }

  // The Galician federation issues Xeira, a mutual-credit currency; a dozen
  // co-ops open clearing accounts (each starting at zero) and trade.
  void mutual_credit() {
    const int64_t galicia = org("galicia").id;
    const Actor issuer = as_person(coordinator_);
    lg::CurrencyInput c;
    c.code = std::string(kDemoCommunityCurrency);
    c.name = "Xeira, moeda común das cooperativas galegas";
    c.issuer_org_id = galicia;
    c.minor_units = 2;
    c.mutual_credit = true;
    c.default_lower_limit = kXeiraLower;
    c.default_upper_limit = kXeiraUpper;
    lg::create_currency(tx_, Ctx{issuer, at(day_of(2026, 1, 20), 12)}, c);
    std::map<std::string_view, int64_t> account;
    int64_t minute = 0;
    for (std::string_view slug : kTraders) {
      account[slug] = ensure(at(day_of(2026, 1, 26), 10, minute++), org(slug).id, "org",
                             std::nullopt, c.code, "clearing");
    }
    std::vector<int64_t> days;
    for (int i = 0; i < 64; ++i)
      days.push_back(rng_.between(day_of(2026, 2, 2), day_of(2026, 6, 26)));
    std::sort(days.begin(), days.end());
    std::map<int64_t, int64_t> balance;
    for (const int64_t d : days) {
      const TradeKind& t = kTrades[rng_.below(kTrades.size())];
      const int64_t buyer = account.at(t.buyer);
      const int64_t seller = account.at(t.seller);
      const int64_t amount = rng_.between(t.min_units, t.max_units) * 100;
      if (balance[buyer] - amount < kXeiraLower || balance[seller] + amount > kXeiraUpper) continue;
      balance[buyer] -= amount;
      balance[seller] += amount;
      plan(at(d, rng_.between(9, 18), rng_.between(0, 59)),
           {transfer("xeira", buyer, seller, amount, "trade", std::string(t.memo))});
    }
  }

  // ---- 27 to 30 June, in date order

  void end_of_june() {
    const int64_t d27 = day_of(2026, 6, 27);
    const int64_t cesta_op = operating_.at(cesta_);
    const Words& w = words(Lang::gl);
    const OrgInfo& forno = org("forno-de-sar");
    const OrgInfo& roda = org("a-roda-bicicletas");
    const Actor treasurer = as_person(coordinator_);
    const Actor baker = as_person(coordinator_of(forno.id));
    const Actor mechanic = as_person(coordinator_of(roda.id));

    // Who holds what: the two logins and two other members of A Cesta.
    AGORA_ASSERT(cesta_accounts_.size() > 4);
    int64_t member_account = 0, coordinator_account = 0;
    std::vector<int64_t> others;
    for (const auto& [person, account] : cesta_accounts_) {
      if (person == member_) {
        member_account = account;
      } else if (person == coordinator_) {
        coordinator_account = account;
      } else if (others.size() < 2) {
        others.push_back(account);
      }
    }
    AGORA_ASSERT(member_account > 0 && coordinator_account > 0 && others.size() == 2);
    const std::array<std::pair<int64_t, int64_t>, 4> needs = {
        std::pair<int64_t, int64_t>{member_account, 15000},
        std::pair<int64_t, int64_t>{coordinator_account, 5000},
        std::pair<int64_t, int64_t>{others[0], 5000}, std::pair<int64_t, int64_t>{others[1], 5000}};
    int64_t minute = 30;
    for (const auto& [account, need] : needs) {
      const int64_t have = balances_[account];
      if (have >= need) continue;
      apply_now(at(d27, 8, minute++), transfer("deposit", bank_.at(cesta_), account,
                                               (need - have + 999) / 1000 * 1000 + 5000, "deposit",
                                               std::string(w.deposit)));
    }

    const int64_t bread_may = request(baker, at(d27, 9, 15), operating_.at(forno.id), cesta_op,
                                      184260, "Pan e empanadas de maio (factura 2026-041)");
    // A yoghurt past its date, brought back: part of the last purchase returned.
    AGORA_ASSERT(remembered_id_ > 0);
    {
      lg::TransferInput t;
      t.key = key("return");
      t.reverses_id = remembered_id_;
      t.amount = 450;
      t.code = "return";
      t.memo = "Devolución: iogur caducado";
      apply_now(at(d27, 10), t);
      record_member_spend(tx_, cesta_, member_, at(d27, 10), -450, "shop");
      ++report_.spend_rows;
    }
    const int64_t fruit = hold(at(d27, 11), coordinator_account, cesta_op, 3000, std::nullopt,
                               "Reserva: caixa de froita");
    const int64_t cancelled =
        hold(at(d27, 12), others[0], cesta_op, 2500, std::nullopt, "Reserva: queixo do Courel");
    hold(at(d27, 13), others[1], cesta_op, 4000, int64_t{2 * 86400},
         "Reserva: año ecolóxico (recoller en dous días)");
    lg::accept_request(tx_, Ctx{treasurer, at(d27, 16)}, bread_may);
    const int64_t bikes = request(mechanic, at(d27, 17), operating_.at(roda.id), cesta_op, 38000,
                                  "Revisión das bicicletas de reparto");

    const int64_t d28 = d27 + 1;
    settle(at(d28, 9, 30), lg::Action::void_, cancelled, 0, "Pedido anulado pola socia");
    settle(at(d28, 10), lg::Action::post, fruit, 2840, "Peso final da caixa");
    lg::reject_request(tx_, Ctx{treasurer, at(d28, 11)}, bikes,
                       "Xa está incluída no contrato de mantemento");
    const int64_t tubes = request(mechanic, at(d28, 12), operating_.at(roda.id), cesta_op, 6400,
                                  "Cámaras de recambio");
    lg::cancel_request(tx_, Ctx{mechanic, at(d28, 12, 30)}, tubes);
    hold(at(d28, 18), member_account, cesta_op, 3500, std::nullopt,
         "Reserva: cesta de produtores de xullo");

    const int64_t d29 = d28 + 1;
    lg::pay_request(tx_, Ctx{treasurer, at(d29, 10)}, bread_may, key("pay"));
    ++report_.transfers;
    const int64_t bread_june = request(baker, at(d29, 11), operating_.at(forno.id), cesta_op,
                                       196730, "Pan e empanadas de xuño (factura 2026-052)");
    lg::accept_request(tx_, Ctx{treasurer, at(d29, 15)}, bread_june);

    const int64_t d30 = d29 + 1;
    report_.transfers += lg::expire_pending(tx_, at(d30, 0, 5), 1000);
    request(baker, at(d30, 10), operating_.at(forno.id), cesta_op, 24500,
            "Bolería para a asemblea xeral");
    request(treasurer, at(d30, 11), cesta_op, member_account, 4250,
            "Pedido de aceite da Sierra de Segura (5 litros)");

    // The half year's provisional results, so the closing preview has a
    // surplus to share out: 3% of the shop's sales to members; the bakery's
    // from its books.
    minute = 0;
    for (std::string_view slug : {"a-cesta-santiago", "la-alacena-sevilla", "mercearia-porto"}) {
      const OrgInfo& o = org(slug);
      const int64_t result = purchases_[o.id] * 3 / 100 / 100 * 100;
      apply_now(at(d30, 19, minute++),
                transfer("result", operating_.at(o.id), surplus_.at(o.id), result, "surplus",
                         std::string(words(o.lang).result)));
    }
    apply_now(at(d30, 19, minute++),
              transfer("result", operating_.at(forno.id), surplus_.at(forno.id), 1480000, "surplus",
                       std::string(w.result)));
  }

  int64_t hold(Timestamp when, int64_t debit, int64_t credit, int64_t amount,
               std::optional<int64_t> timeout_s, std::string memo) {
    lg::TransferInput t = transfer("hold", debit, credit, amount, "preorder", std::move(memo));
    t.pending = true;
    t.timeout_s = timeout_s;
    return apply_now(when, t);
  }

  void settle(Timestamp when, lg::Action action, int64_t pending_id, int64_t amount,
              std::string memo) {
    lg::TransferInput t;
    t.key = key(action == lg::Action::post ? "post" : "void");
    t.action = action;
    t.pending_id = pending_id;
    t.amount = amount;
    t.memo = std::move(memo);
    apply_now(when, t);
  }

  int64_t request(const Actor& actor, Timestamp when, int64_t payee, int64_t payer, int64_t amount,
                  std::string memo) {
    lg::RequestInput r;
    r.key = key("request");
    r.payee_account_id = payee;
    r.payer_account_id = payer;
    r.amount = amount;
    r.memo = std::move(memo);
    r.due_at = Timestamp{when.us + 30 * kDayUs};
    ++report_.requests;
    return lg::create_request(tx_, Ctx{actor, when}, r).at("id").get<int64_t>();
  }

  // The bakery records its workers' days from April to June: full or part
  // time, at a pay index between 1.0 and 1.4 (the coordinator's is highest).
  void work_hours(std::string_view slug) {
    const OrgInfo& o = org(slug);
    const int64_t coordinator = coordinator_of(o.id);
    const Actor recorder = as_person(coordinator);
    struct Worker {
      int64_t person;
      int64_t hours_milli;
      int64_t pay_index_milli;
    };
    std::vector<Worker> workers;
    static constexpr std::array<int64_t, 5> kIndex = {1000, 1000, 1100, 1200, 1300};
    for (const auto& m : active_persons(o.id)) {
      const int64_t person = *m.person_id;
      workers.push_back(Worker{person, rng_.chance(75) ? 8000 : 6000,
                               person == coordinator ? 1400 : kIndex[rng_.below(kIndex.size())]});
    }
    for (int64_t d = day_of(2026, 4, 1); d <= day_of(2026, 6, 30); ++d) {
      if (weekday(d) > 4) continue;
      for (const Worker& wk : workers) {
        if (rng_.chance(4)) continue;  // a day off
        lg::record_hours(tx_, Ctx{recorder, at(d, 18)}, o.id,
                         lg::HoursInput{.person_id = wk.person,
                                        .day = iso_day(d),
                                        .hours_milli = wk.hours_milli,
                                        .pay_index_milli = wk.pay_index_milli});
        ++report_.hours_rows;
      }
    }
  }

  store::Tx& tx_;
  Rng rng_;
  std::vector<OrgInfo> orgs_;
  std::map<std::string, size_t> by_slug_;
  int64_t national_ = 0;
  int64_t admin_account_ = 0;
  int64_t coordinator_ = 0;
  int64_t member_ = 0;
  int64_t cesta_ = 0;
  std::map<int64_t, int64_t> bank_, operating_, surplus_, mutual_;  // by org id
  std::map<int64_t, int64_t> purchases_;                            // by org id
  std::map<int64_t, int64_t> balances_;  // members' current accounts after the first phase
  std::vector<std::pair<int64_t, int64_t>> cesta_accounts_;  // (person, current account)
  std::vector<Planned> plan_;
  int64_t keys_ = 0;
  std::string remember_key_;
  int64_t remembered_id_ = 0;
  LedgerReport report_;
};

}  // namespace

LedgerReport load_demo_ledger(App& app) {
  LedgerReport report;
  app.write(Actor::system(), "demo_ledger", Json::object(), [&](store::Tx& tx, const Ctx&) {
    report = LedgerLoader(tx).run();
    return Json{{"accounts", report.accounts},
                {"transfers", report.transfers},
                {"spend_rows", report.spend_rows},
                {"hours_rows", report.hours_rows},
                {"requests", report.requests}};
  });
  return report;
}

}  // namespace agora::app::demo
