#include "app/demo.h"

#include <algorithm>
#include <set>

#include "app/auth.h"
#include "app/demo_accounts.h"
#include "app/demo_data.h"
#include "app/demo_governance.h"
#include "app/demo_ledger.h"
#include "app/demo_market.h"
#include "app/demo_workplaces.h"
#include "app/import_members.h"
#include "app/registry.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app {

namespace {

using demo::Culture;
using demo::Kind;
using demo::Rng;

constexpr int64_t kDayUs = int64_t{86400} * 1000000;

// Calendar day -> midnight UTC (Hinnant's days_from_civil).
int64_t day(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

Timestamp at_day(int64_t days) { return Timestamp{days * kDayUs}; }

// The demo's history is fixed in time, not read from the clock, so two loads
// are identical whatever day they run: it starts in 2016 and ends here.
const int64_t kFirstDay = day(2016, 1, 11);
const int64_t kLastDay = day(2026, 6, 30);

// A random moment during office hours of a day in [from, to].
Timestamp when(Rng& rng, int64_t from_day, int64_t to_day) {
  if (to_day < from_day) to_day = from_day;
  const int64_t d = rng.between(from_day, to_day);
  const int64_t minute = rng.between(9 * 60, 19 * 60);
  return Timestamp{d * kDayUs + minute * 60 * 1000000};
}

enum class Lang { es, gl, pt };

Lang lang_of(Culture c) {
  switch (c) {
    case Culture::spanish: return Lang::es;
    case Culture::galician: return Lang::gl;
    case Culture::portuguese: return Lang::pt;
  }
  return Lang::es;
}

std::string_view tr(Lang l, std::string_view es, std::string_view gl, std::string_view pt) {
  return l == Lang::es ? es : l == Lang::gl ? gl : pt;
}

struct ClassDef {
  std::string_view code;
  std::string name;
  int64_t price_minor;
  int64_t min_shares;
};

std::vector<ClassDef> classes_for(Kind kind, Lang l, bool national) {
  switch (kind) {
    case Kind::federation:
      if (national) {
        return {{"federation", "Federación territorial", 50000, 1}};
      }
      return {{"coop", std::string(tr(l, "Cooperativa socia", "Cooperativa socia",
                                       "Cooperativa associada")),
               10000, 2}};
    case Kind::consumer:
      return {{"consumer",
               std::string(tr(l, "Persona consumidora", "Persoa consumidora", "Consumidor/a")),
               1000, 5},
              {"supporter",
               std::string(tr(l, "Persona colaboradora", "Persoa colaboradora", "Colaborador/a")),
               1000, 10},
              {"coop", std::string(tr(l, "Cooperativa de trabajo", "Cooperativa de traballo",
                                      "Cooperativa de trabalho")),
               10000, 5}};
    case Kind::worker:
      return {{"worker", std::string(tr(l, "Socia/o trabajador/a", "Socia/o traballador/a",
                                        "Sócio/a trabalhador/a")),
               50000, 4}};
    case Kind::producer:
      return {{"producer", std::string(tr(l, "Socia/o productor/a", "Socia/o produtor/a",
                                          "Produtor/a associado/a")),
               25000, 2}};
  }
  return {};
}

struct OrgPlan {
  int64_t id = 0;
  Kind kind = Kind::consumer;
  std::string name;
  Timestamp founded;
  std::vector<ClassDef> classes;
};

struct PersonPlan {
  PersonInput in;
  Timestamp created;
  int64_t id = 0;
};

struct MemberPlan {
  size_t org = 0;                    // index into Loader::orgs_
  std::optional<size_t> person;      // index into the region's persons
  std::optional<size_t> member_org;  // index into Loader::orgs_
  std::string class_code;
  int64_t shares = 0;
  int64_t paid_minor = 0;
  int instalments = 1;
  bool admit = true;
  Timestamp applied_at;
  Timestamp admitted_at;
  std::optional<Timestamp> leave_at;
  size_t seq = 0;  // tie-break: the order plans were made in
};

class Loader {
 public:
  Loader(App& app, const DemoProgress& progress, uint64_t seed)
      : app_(app), progress_(progress), rng_(seed), seed_(seed), actor_(Actor::system()) {}

  DemoReport run() {
    const auto& spec = demo::federation_spec();
    total_steps_ = 2;
    for (const auto& r : spec.regions) {
      total_steps_ += static_cast<int64_t>(r.consumers.size() + r.producers.size()) + 1;
      for (const auto& c : r.consumers) total_steps_ += static_cast<int64_t>(c.workplaces.size());
    }
    const std::string hash = hash_password(kDemoPassword);
    step("federation");
    app_.write(actor_, "demo_federation", Json{{"seed", std::to_string(seed_of())}},
               [&](store::Tx& tx, const Ctx& ctx) {
                 build_structure(tx, ctx);
                 return Json{{"orgs", orgs_.size()}};
               });
    for (size_t r = 0; r < spec.regions.size(); ++r) {
      const auto& region = spec.regions[r];
      app_.write(actor_, "demo_region", Json{{"region", std::string(region.slug)}},
                 [&](store::Tx& tx, const Ctx& ctx) {
                   load_region(tx, ctx, r);
                   return Json{{"persons", report_.persons}};
                 });
    }
    step("accounts");
    app_.write(actor_, "demo_accounts", Json::object(), [&](store::Tx& tx, const Ctx& ctx) {
      make_accounts(tx, ctx, hash);
      return Json::object();
    });
    demo::load_demo_governance(app_);
    demo::load_demo_ledger(app_);
    demo::load_demo_market(app_, report_);
    demo::load_demo_workplaces(app_);
    step("done");
    return report_;
  }

 private:
  uint64_t seed_of() const { return seed_; }

  void step(std::string_view stage) {
    if (progress_) progress_(done_steps_, total_steps_, stage);
    ++done_steps_;
  }

  size_t add_org(store::Tx& tx, const Ctx& ctx, std::optional<size_t> parent, Kind kind,
                 std::string_view name, std::string_view slug, std::string_view territory,
                 Lang lang, Timestamp founded) {
    OrgInput in;
    if (parent) in.parent_id = orgs_[*parent].id;
    in.kind = std::string(demo::kind_name(kind));
    in.name = std::string(name);
    in.slug = std::string(slug);
    in.territory = std::string(territory);
    in.admission = "coordinator";
    in.currency = "EUR";
    const Ctx at{ctx.actor, founded};
    const Json org = create_org(tx, at, in);
    OrgPlan plan;
    plan.id = org.at("id").get<int64_t>();
    plan.kind = kind;
    plan.name = std::string(name);
    plan.founded = founded;
    plan.classes = classes_for(kind, lang, !parent.has_value());
    for (const auto& c : plan.classes) {
      create_class(tx, at, plan.id,
                   ClassInput{.code = std::string(c.code),
                              .name = c.name,
                              .share_price_minor = c.price_minor,
                              .min_shares = c.min_shares});
    }
    orgs_.push_back(std::move(plan));
    ++report_.orgs;
    switch (kind) {
      case Kind::federation: ++report_.federations; break;
      case Kind::consumer: ++report_.consumer_coops; break;
      case Kind::worker: ++report_.worker_coops; break;
      case Kind::producer: ++report_.producer_coops; break;
    }
    return orgs_.size() - 1;
  }

  // Orgs in spec order, founded over the first years of the federation.
  void build_structure(store::Tx& tx, const Ctx& ctx) {
    const auto& spec = demo::federation_spec();
    national_ = add_org(tx, ctx, std::nullopt, Kind::federation, spec.name, spec.slug,
                        spec.territory, Lang::es, when(rng_, kFirstDay, kFirstDay));
    for (const auto& r : spec.regions) {
      const Lang lang = lang_of(r.culture);
      RegionOrgs ro;
      ro.region = add_org(tx, ctx, national_, Kind::federation, r.name, r.slug, r.territory, lang,
                          when(rng_, kFirstDay + 20, kFirstDay + 150));
      const int64_t region_day = orgs_[ro.region].founded.us / kDayUs;
      for (const auto& c : r.consumers) {
        const size_t ci = add_org(tx, ctx, ro.region, Kind::consumer, c.name, c.slug,
                                  c.territory, lang, when(rng_, region_day + 10, day(2019, 6, 1)));
        ro.consumers.push_back(ci);
        std::vector<size_t> work;
        const int64_t consumer_day = orgs_[ci].founded.us / kDayUs;
        for (const auto& w : c.workplaces) {
          work.push_back(add_org(tx, ctx, ro.region, w.kind, w.name, w.slug, c.territory, lang,
                                 when(rng_, consumer_day + 60, day(2022, 3, 1))));
        }
        ro.workplaces.push_back(std::move(work));
      }
      for (const auto& p : r.producers) {
        ro.producers.push_back(add_org(tx, ctx, ro.region, p.kind, p.name, p.slug, r.territory,
                                       lang, when(rng_, region_day + 30, day(2020, 12, 1))));
      }
      regions_.push_back(std::move(ro));
    }
  }

  size_t new_person(Culture culture, Timestamp created) {
    demo::PersonName n = demo::make_name(rng_, culture);
    PersonPlan p;
    p.in.given_name = n.given_name;
    p.in.family_name = n.family_name;
    const std::string first_given = n.given_name.substr(0, n.given_name.find(' '));
    const std::string first_family = n.family_name.substr(0, n.family_name.find(' '));
    const std::string local = demo::ascii_fold(first_given) + "." +
                              demo::ascii_fold(first_family == "da" || first_family == "de" ||
                                                       first_family == "do" ||
                                                       first_family == "dos" ||
                                                       first_family == "das"
                                                   ? n.family_name
                                                   : first_family);
    const std::string domain =
        culture == Culture::portuguese ? "@correio.example" : "@correo.example";
    std::string email = local + domain;
    for (int k = 2; !used_emails_.insert(email).second; ++k) {
      email = local + std::to_string(k) + domain;
    }
    p.in.email = email;
    if (rng_.chance(85)) p.in.phone = demo::make_phone(rng_, culture);
    p.in.locale = culture == Culture::portuguese ? "pt" : "es";
    p.created = created;
    persons_.push_back(std::move(p));
    return persons_.size() - 1;
  }

  size_t fixed_person(std::string_view given, std::string_view family, std::string_view email,
                      std::string_view locale, Timestamp created) {
    PersonPlan p;
    p.in.given_name = std::string(given);
    p.in.family_name = std::string(family);
    p.in.email = std::string(email);
    p.in.locale = std::string(locale);
    p.created = created;
    used_emails_.insert(std::string(email));
    persons_.push_back(std::move(p));
    return persons_.size() - 1;
  }

  const ClassDef& class_of(size_t org, std::string_view code) const {
    for (const auto& c : orgs_[org].classes) {
      if (c.code == code) return c;
    }
    AGORA_ASSERT(false);
    return orgs_[org].classes.front();
  }

  // A membership with its payment story. `profile` picks how the shares are
  // paid: most in full, some in instalments still running, a few not yet.
  MemberPlan plan_member(size_t org, std::string_view code, int64_t shares, int64_t from_day,
                         bool may_leave) {
    const ClassDef& cls = class_of(org, code);
    MemberPlan m;
    m.org = org;
    m.class_code = std::string(code);
    m.shares = std::max(shares, cls.min_shares);
    const int64_t amount = m.shares * cls.price_minor;
    const int roll = static_cast<int>(rng_.below(100));
    const bool big = cls.price_minor * cls.min_shares >= 50000;  // worth paying in instalments
    if (roll < (big ? 55 : 80)) {  // paid in full long ago
      m.instalments = big ? static_cast<int>(rng_.between(4, 10)) : 1;
      m.paid_minor = amount;
      m.applied_at = when(rng_, from_day, day(2025, 3, 1));
    } else if (roll < (big ? 60 : 90)) {  // paid in full in a few instalments
      m.instalments = static_cast<int>(rng_.between(2, 3));
      m.paid_minor = amount;
      m.applied_at = when(rng_, std::max(from_day, day(2023, 1, 1)), day(2025, 9, 1));
    } else if (roll < 96) {  // still paying: some instalments in, the rest due
      const int total_parts = big ? 10 : 4;
      const int64_t parts_paid = rng_.between(1, total_parts - 1);
      m.paid_minor = amount * parts_paid / total_parts;
      m.instalments = static_cast<int>(std::min<int64_t>(parts_paid, 6));
      m.applied_at = when(rng_, std::max(from_day, day(2025, 7, 1)), day(2025, 11, 30));
    } else {  // admitted, nothing paid yet
      m.paid_minor = 0;
      m.applied_at = when(rng_, std::max(from_day, day(2026, 3, 1)), day(2026, 6, 15));
    }
    m.admitted_at = Timestamp{m.applied_at.us + rng_.between(2, 21) * kDayUs};
    if (may_leave && m.paid_minor == amount && m.applied_at.us < at_day(day(2023, 6, 1)).us &&
        rng_.chance(5)) {
      m.leave_at = when(rng_, m.admitted_at.us / kDayUs + 400, kLastDay - 1);
    }
    return m;
  }

  void add_plan(MemberPlan m) {
    m.seq = plans_.size();
    plans_.push_back(std::move(m));
  }

  void person_joins(size_t person, MemberPlan m) {
    m.person = person;
    // A person exists from their first application on.
    if (m.applied_at.us < persons_[person].created.us) persons_[person].created = m.applied_at;
    add_plan(std::move(m));
  }

  int64_t consumer_shares() {
    const int roll = static_cast<int>(rng_.below(100));
    if (roll < 60) return 5;
    if (roll < 85) return 10;
    return rng_.between(6, 30);
  }

  void load_region(store::Tx& tx, const Ctx& ctx, size_t ri) {
    const auto& spec = demo::federation_spec().regions[ri];
    const RegionOrgs& ro = regions_[ri];
    const Culture culture = spec.culture;
    persons_.clear();
    plans_.clear();
    const Timestamp never{kLastDay * kDayUs};

    for (size_t ci = 0; ci < spec.consumers.size(); ++ci) {
      const auto& cs = spec.consumers[ci];
      const size_t consumer = ro.consumers[ci];
      const int64_t opened = orgs_[consumer].founded.us / kDayUs + 1;
      if (ri == 0 && ci == 0) {
        // The demo logins that belong to a co-op (docs/DEMO.md).
        const size_t coordinator = fixed_person("Uxía", "Castro Lema", kDemoCoordinatorEmail, "es",
                                                never);
        MemberPlan c = plan_member(consumer, "consumer", 10, opened, false);
        c.paid_minor = 10 * 1000;
        c.instalments = 1;
        c.applied_at = at_day(opened + 3);
        c.admitted_at = at_day(opened + 5);
        person_joins(coordinator, std::move(c));
        const size_t member = fixed_person("Xoán", "Pazos Rivas", kDemoMemberEmail, "es", never);
        MemberPlan m = plan_member(consumer, "consumer", 5, opened, false);
        m.paid_minor = 5 * 1000;
        m.instalments = 1;
        m.applied_at = at_day(day(2021, 4, 12));
        m.admitted_at = at_day(day(2021, 4, 20));
        person_joins(member, std::move(m));
      }
      const int64_t n = rng_.between(cs.members_min, cs.members_max);
      for (int64_t i = 0; i < n; ++i) {
        const size_t p = new_person(culture, never);
        if (rng_.chance(7)) {
          person_joins(p, plan_member(consumer, "supporter", rng_.between(10, 50), opened, true));
        } else {
          person_joins(p, plan_member(consumer, "consumer", consumer_shares(), opened, true));
        }
      }
      // Workers of the workplaces this co-op leases out: members of their
      // worker co-op, most of them also consumer members here, and the
      // worker co-op itself an organisation member of the consumer co-op.
      for (size_t wi = 0; wi < cs.workplaces.size(); ++wi) {
        const auto& ws = cs.workplaces[wi];
        const size_t work = ro.workplaces[ci][wi];
        const int64_t started = orgs_[work].founded.us / kDayUs + 1;
        const int64_t k = rng_.between(ws.members_min, ws.members_max);
        for (int64_t i = 0; i < k; ++i) {
          const size_t p = new_person(culture, never);
          const int64_t shares = rng_.chance(70) ? 4 : rng_.between(6, 10);
          person_joins(p, plan_member(work, "worker", shares, i < 3 ? started : started + 30,
                                      i >= 3));
          if (rng_.chance(80)) {
            person_joins(p, plan_member(consumer, "consumer", consumer_shares(), started, false));
          }
        }
        MemberPlan org_member = plan_member(consumer, "coop", 5, started + 7, false);
        org_member.member_org = work;
        org_member.paid_minor = 5 * 10000;
        org_member.instalments = 1;
        org_member.leave_at.reset();
        org_member.applied_at = when(rng_, started + 7, started + 40);
        org_member.admitted_at = Timestamp{org_member.applied_at.us + 14 * kDayUs};
        add_plan(std::move(org_member));
      }
      // A few applications waiting for a coordinator.
      const int64_t waiting = rng_.between(2, 4);
      for (int64_t i = 0; i < waiting; ++i) {
        const size_t p = new_person(culture, never);
        MemberPlan m;
        m.org = consumer;
        m.class_code = "consumer";
        m.shares = consumer_shares();
        m.admit = false;
        m.applied_at = when(rng_, day(2026, 6, 1), kLastDay - 1);
        person_joins(p, std::move(m));
      }
    }
    for (size_t pi = 0; pi < spec.producers.size(); ++pi) {
      const auto& ps = spec.producers[pi];
      const size_t producer = ro.producers[pi];
      const int64_t started = orgs_[producer].founded.us / kDayUs + 1;
      const int64_t k = rng_.between(ps.members_min, ps.members_max);
      for (int64_t i = 0; i < k; ++i) {
        const size_t p = new_person(culture, never);
        person_joins(p, plan_member(producer, "producer", rng_.between(2, 8), started, i >= 3));
        if (rng_.chance(30)) {
          const size_t consumer = ro.consumers[rng_.below(ro.consumers.size())];
          person_joins(p, plan_member(consumer, "consumer", consumer_shares(),
                                      orgs_[consumer].founded.us / kDayUs + 1, false));
        }
      }
    }
    // Every co-op of the region is an organisation member of its federation,
    // and the region one of the national federation.
    auto org_joins = [&](size_t org, size_t member, int64_t shares, int64_t price) {
      MemberPlan m;
      m.org = org;
      m.member_org = member;
      m.class_code = std::string(orgs_[org].classes.front().code);
      m.shares = shares;
      m.paid_minor = shares * price;
      const int64_t from = std::max(orgs_[org].founded.us, orgs_[member].founded.us) / kDayUs;
      m.applied_at = when(rng_, from + 5, from + 60);
      m.admitted_at = Timestamp{m.applied_at.us + rng_.between(7, 40) * kDayUs};
      add_plan(std::move(m));
    };
    for (size_t i = 0; i < ro.consumers.size(); ++i) {
      org_joins(ro.region, ro.consumers[i], rng_.between(2, 5), 10000);
      for (size_t w : ro.workplaces[i]) org_joins(ro.region, w, 2, 10000);
    }
    for (size_t p : ro.producers) org_joins(ro.region, p, rng_.between(2, 5), 10000);
    org_joins(national_, ro.region, 2, 50000);

    // People first (each dated by their first application), then each org's
    // members in the order they applied, so member numbers follow history.
    std::vector<size_t> order(persons_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return persons_[a].created.us < persons_[b].created.us;
    });
    for (size_t i : order) {
      persons_[i].id = create_person(tx, Ctx{ctx.actor, persons_[i].created}, persons_[i].in);
    }
    report_.persons += static_cast<int64_t>(persons_.size());
    for (const auto& p : persons_) {
      if (p.in.email == kDemoCoordinatorEmail) coordinator_person_ = p.id;
      if (p.in.email == kDemoMemberEmail) member_person_ = p.id;
    }

    std::vector<size_t> orgs_here = {ro.region};
    for (size_t i = 0; i < ro.consumers.size(); ++i) {
      orgs_here.push_back(ro.consumers[i]);
      for (size_t w : ro.workplaces[i]) orgs_here.push_back(w);
    }
    for (size_t p : ro.producers) orgs_here.push_back(p);
    orgs_here.push_back(national_);

    std::vector<std::pair<int64_t, Timestamp>> leaving;
    for (size_t org : orgs_here) {
      std::vector<const MemberPlan*> mine;
      for (const auto& m : plans_) {
        if (m.org == org) mine.push_back(&m);
      }
      std::stable_sort(mine.begin(), mine.end(), [](const MemberPlan* a, const MemberPlan* b) {
        const int64_t ta = a->admit ? a->admitted_at.us : a->applied_at.us;
        const int64_t tb = b->admit ? b->admitted_at.us : b->applied_at.us;
        return ta != tb ? ta < tb : a->seq < b->seq;
      });
      std::optional<int64_t> first_person;
      for (const MemberPlan* m : mine) {
        Enrolment e;
        if (m->person) e.person_id = persons_[*m->person].id;
        if (m->member_org) e.member_org_id = orgs_[*m->member_org].id;
        e.class_code = m->class_code;
        e.shares = m->shares;
        e.paid_minor = m->paid_minor;
        e.instalments = m->instalments;
        e.admit = m->admit;
        e.applied_at = m->applied_at;
        e.admitted_at = m->admitted_at;
        const Enrolled done = enrol_member(tx, ctx, orgs_[org].id, e);
        ++report_.memberships;
        if (m->member_org) ++report_.org_memberships;
        report_.subscribed_minor += m->shares * class_of(org, m->class_code).price_minor;
        if (!m->admit) {
          ++report_.applied;
          continue;
        }
        report_.paid_minor += m->paid_minor;
        if (m->leave_at) {
          leaving.emplace_back(done.membership_id, *m->leave_at);
        } else {
          ++report_.active;
        }
        if (!first_person && e.person_id && orgs_[org].kind != Kind::federation &&
            e.person_id != coordinator_person_) {
          first_person = e.person_id;
          coordinators_.emplace_back(*e.person_id, orgs_[org].id);
        }
      }
      if (orgs_[org].kind != Kind::federation) step(orgs_[org].name);
    }
    std::stable_sort(leaving.begin(), leaving.end(),
                     [](const auto& a, const auto& b) { return a.second.us < b.second.us; });
    for (const auto& [membership, at] : leaving) {
      leave_at(tx, ctx, membership, at);
      ++report_.left;
    }
    step(orgs_[ro.region].name);
  }

  void make_accounts(store::Tx& tx, const Ctx& ctx, const std::string& hash) {
    AGORA_ASSERT(coordinator_person_ > 0 && member_person_ > 0);
    const Timestamp at{kLastDay * kDayUs};
    PersonInput admin;
    admin.given_name = "Agora";
    admin.family_name = "Admin";
    admin.email = std::string(kDemoAdminEmail);
    admin.locale = "en";
    const int64_t admin_person = create_person(tx, Ctx{ctx.actor, at}, admin);
    const int64_t admin_account =
        demo::insert_account_with_hash(tx, admin_person, kDemoAdminEmail, hash, true, at);
    demo::insert_account_with_hash(tx, coordinator_person_, kDemoCoordinatorEmail, hash, false,
                                   at);
    demo::insert_account_with_hash(tx, member_person_, kDemoMemberEmail, hash, false, at);
    const size_t first_region = regions_.front().region;
    demo::grant_role(tx, coordinator_person_, orgs_[first_region].id, "coordinator",
                     admin_account, at);
    // Each co-op's first member coordinates it (they have no login; the
    // role lists show them).
    for (const auto& [person, org] : coordinators_) {
      demo::grant_role(tx, person, org, "coordinator", admin_account, at);
    }
    report_.persons += 1;
    const std::string region_name = orgs_[first_region].name;
    const std::string first_coop = orgs_[regions_.front().consumers.front()].name;
    report_.logins = {
        {std::string(kDemoAdminEmail), std::string(kDemoPassword), "platform admin"},
        {std::string(kDemoCoordinatorEmail), std::string(kDemoPassword),
         "coordinator of " + region_name + " and every co-op in it, treasurer of " + first_coop},
        {std::string(kDemoMemberEmail), std::string(kDemoPassword), "member of " + first_coop},
    };
  }

  struct RegionOrgs {
    size_t region = 0;
    std::vector<size_t> consumers;
    std::vector<std::vector<size_t>> workplaces;  // per consumer co-op
    std::vector<size_t> producers;
  };

  App& app_;
  const DemoProgress& progress_;
  Rng rng_;
  uint64_t seed_ = 0;
  Actor actor_;
  int64_t total_steps_ = 0;
  int64_t done_steps_ = 0;
  std::vector<OrgPlan> orgs_;
  std::vector<RegionOrgs> regions_;
  size_t national_ = 0;
  std::vector<PersonPlan> persons_;  // of the region being loaded
  std::vector<MemberPlan> plans_;
  std::set<std::string> used_emails_;
  std::vector<std::pair<int64_t, int64_t>> coordinators_;  // (person, org)
  int64_t coordinator_person_ = 0;
  int64_t member_person_ = 0;
  DemoReport report_;
};

}  // namespace

DbContents database_contents(App& app) {
  DbContents c;
  app.read(Actor::system(), [&](store::Tx& tx, const Ctx&) {
    c.orgs = tx.query("SELECT COUNT(*) FROM orgs").one().i64(0);
    c.persons = tx.query("SELECT COUNT(*) FROM persons").one().i64(0);
    return Json();
  });
  return c;
}

DemoReport load_demo(App& app, const DemoProgress& progress, uint64_t seed) {
  const DbContents c = database_contents(app);
  if (!c.empty()) {
    throw Error(Code::invalid_state,
                "the database already holds " + std::to_string(c.orgs) + " organisations and " +
                    std::to_string(c.persons) +
                    " persons; the demo loads only into an empty database");
  }
  return Loader(app, progress, seed).run();
}

}  // namespace agora::app
