// Roles (app/authz.h) and role grants (app/auth.h) on every engine under
// test: inheritance down the federation tree, membership as the member role,
// revocation keeping history, and who may grant.

#include "app/authz.h"

#include <gtest/gtest.h>

#include <map>

#include "app/auth.h"
#include "core/error.h"
#include "support/test_db.h"
#include "support/error_test.h"

namespace agora::app {
namespace {

using test_support::code_of;

TEST(Roles, NamesRoundTrip) {
  for (Role r : {Role::member, Role::coordinator, Role::worker_member, Role::delegate,
                 Role::auditor}) {
    EXPECT_EQ(parse_role(role_name(r)), r);
  }
  EXPECT_EQ(code_of([] { parse_role("king"); }), Code::invalid_value);
}

// national > region > local (and a second region beside it), seeded by SQL
// so these tests need nothing from the registry's use cases.
class AuthzTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = test_db::fresh_database(GetParam());
    app_ = App::create(AppOptions{.db = db_.get(), .clock = &clock_});
    db_->write([&](store::Tx& tx) {
      national_ = org(tx, std::nullopt, "national");
      region_ = org(tx, national_, "region");
      other_region_ = org(tx, national_, "other-region");
      local_ = org(tx, region_, "local");
      class_ = tx.query(
                     "INSERT INTO member_classes (org_id, code, name, share_price_minor, "
                     "min_shares, created_at) VALUES ($1, 'user', 'User', 1000, 1, 0) RETURNING id",
                     {local_})
                   .one()
                   .i64(0);
      ana_ = person(tx, "ana");
      bea_ = person(tx, "bea");
      carl_ = person(tx, "carl");
    });
  }
  void TearDown() override { app_->stop(); }

  static int64_t org(store::Tx& tx, std::optional<int64_t> parent, const std::string& slug) {
    store::Params p{nullptr, slug, slug};
    if (parent) p[0] = *parent;
    return tx
        .query(
            "INSERT INTO orgs (parent_id, kind, name, slug, territory, admission, currency, "
            "created_at) VALUES ($1, 'consumer', $2, $3, 'ES', 'coordinator', 'EUR', 0) RETURNING id",
            p)
        .one()
        .i64(0);
  }
  // A person with an account (no usable password: these tests never log in).
  int64_t person(store::Tx& tx, const std::string& name) {
    int64_t id = tx.query(
                       "INSERT INTO persons (given_name, family_name, email, locale, created_at) "
                       "VALUES ($1, 'Test', $2, 'en', 0) RETURNING id",
                       {name, name + "@test.agora"})
                     .one()
                     .i64(0);
    account_of_[id] = tx.query(
                            "INSERT INTO accounts (person_id, email, password_hash, admin, "
                            "created_at) VALUES ($1, $2, 'x', 0, 0) RETURNING id",
                            {id, name + "@test.agora"})
                          .one()
                          .i64(0);
    return id;
  }
  void membership(int64_t person_id, int64_t org_id, const std::string& status) {
    db_->write([&](store::Tx& tx) {
      tx.exec(
          "INSERT INTO memberships (org_id, person_id, class_id, status, requested_shares, "
          "applied_at) VALUES ($1, $2, $3, $4, 1, 0)",
          {org_id, person_id, class_, status});
    });
  }

  Actor as(int64_t person_id) {
    return Actor{.account_id = account_of_.at(person_id), .person_id = person_id, .address = "t"};
  }

  bool has(const Actor& a, int64_t org_id, std::initializer_list<Role> roles) {
    bool out = false;
    db_->read([&](store::Tx& tx) { out = has_role(tx, a, org_id, roles); });
    return out;
  }
  Json grant(const Actor& by, int64_t org_id, int64_t person_id, Role role) {
    return app_->write(by, "grant_role", Json::object(), [=](store::Tx& tx, const Ctx& ctx) {
      return grant_role(tx, ctx, org_id, person_id, role);
    });
  }
  void revoke(const Actor& by, int64_t org_id, int64_t grant_id) {
    app_->write(by, "revoke_role", Json::object(), [=](store::Tx& tx, const Ctx& ctx) {
      revoke_role(tx, ctx, org_id, grant_id);
      return Json();
    });
  }
  Json list(const Actor& by, int64_t org_id, int64_t after = 0, int64_t limit = 50) {
    return app_->read(by, [=](store::Tx& tx, const Ctx& ctx) {
      return list_role_grants(tx, ctx, org_id, after, limit);
    });
  }

  ManualClock clock_{parse_iso8601("2026-11-24T08:00:00Z")};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<App> app_;
  int64_t national_ = 0, region_ = 0, other_region_ = 0, local_ = 0, class_ = 0;
  int64_t ana_ = 0, bea_ = 0, carl_ = 0;
  std::map<int64_t, int64_t> account_of_;
};

TEST_P(AuthzTest, CoordinatorOfRegionCoordinatesEverythingBelow) {
  grant(Actor::system(), region_, ana_, Role::coordinator);
  EXPECT_TRUE(has(as(ana_), region_, {Role::coordinator}));
  EXPECT_TRUE(has(as(ana_), local_, {Role::coordinator}));
  EXPECT_FALSE(has(as(ana_), national_, {Role::coordinator})) << "roles do not reach up";
  EXPECT_FALSE(has(as(ana_), other_region_, {Role::coordinator})) << "nor sideways";
  EXPECT_FALSE(has(as(ana_), local_, {Role::auditor})) << "only the role held";
  EXPECT_FALSE(has(as(bea_), local_, {Role::coordinator}));
}

TEST_P(AuthzTest, AuditorAndDelegateInheritWorkerMemberDoesNot) {
  grant(Actor::system(), national_, ana_, Role::auditor);
  grant(Actor::system(), region_, bea_, Role::delegate);
  grant(Actor::system(), region_, carl_, Role::worker_member);
  EXPECT_TRUE(has(as(ana_), local_, {Role::auditor}));
  EXPECT_TRUE(has(as(bea_), local_, {Role::delegate}));
  EXPECT_TRUE(has(as(carl_), region_, {Role::worker_member}));
  EXPECT_FALSE(has(as(carl_), local_, {Role::worker_member}));
}

TEST_P(AuthzTest, MemberMeansActiveMembershipOfThatOrg) {
  membership(ana_, local_, "active");
  membership(bea_, local_, "applied");
  membership(carl_, local_, "left");
  EXPECT_TRUE(has(as(ana_), local_, {Role::member}));
  EXPECT_FALSE(has(as(ana_), region_, {Role::member})) << "membership does not reach up";
  EXPECT_FALSE(has(as(ana_), local_, {Role::coordinator}));
  EXPECT_FALSE(has(as(bea_), local_, {Role::member})) << "an applicant is not a member yet";
  EXPECT_FALSE(has(as(carl_), local_, {Role::member})) << "a former member is not a member";
  EXPECT_TRUE(has(as(ana_), local_, {Role::coordinator, Role::member})) << "any of the roles";
}

TEST_P(AuthzTest, AdminPassesAnonymousDoesNot) {
  Actor admin{.account_id = account_of_.at(carl_), .person_id = carl_, .admin = true, .address = "t"};
  EXPECT_TRUE(has(admin, local_, {Role::coordinator}));
  EXPECT_TRUE(has(Actor::system(), national_, {Role::auditor}));
  EXPECT_FALSE(has(Actor{}, local_, {Role::member}));
  db_->read([&](store::Tx& tx) {
    EXPECT_EQ(code_of([&] { require_role(tx, Actor{}, local_, {Role::member}); }),
              Code::unauthenticated);
    EXPECT_EQ(code_of([&] { require_role(tx, as(ana_), local_, {Role::member}); }),
              Code::forbidden);
    EXPECT_NO_THROW(require_role(tx, admin, local_, {Role::member}));
  });
  EXPECT_EQ(code_of([] { require_signed_in(Actor{}); }), Code::unauthenticated);
  EXPECT_NO_THROW(require_signed_in(as(ana_)));
}

TEST_P(AuthzTest, RevokedRoleNoLongerCountsButStaysInHistory) {
  Json g = grant(Actor::system(), region_, ana_, Role::coordinator);
  EXPECT_EQ(g["role"], "coordinator");
  EXPECT_EQ(g["person"]["id"], ana_);
  EXPECT_EQ(g["org_id"], region_);
  EXPECT_EQ(g["granted_at"], "2026-11-24T08:00:00.000000Z");
  clock_.advance_us(1000000);
  revoke(Actor::system(), region_, g["id"].get<int64_t>());
  EXPECT_FALSE(has(as(ana_), local_, {Role::coordinator}));
  EXPECT_FALSE(has(as(ana_), region_, {Role::coordinator}));
  db_->read([&](store::Tx& tx) {
    auto r = tx.query("SELECT revoked_at, granted_at FROM role_grants WHERE id = $1",
                      {g["id"].get<int64_t>()})
                 .one();
    EXPECT_EQ(r.i64(0), r.i64(1) + 1000000);
  });
  EXPECT_EQ(code_of([&] { revoke(Actor::system(), region_, g["id"].get<int64_t>()); }),
            Code::invalid_state);
  // Granting again after a revocation is allowed and makes a new row.
  Json again = grant(Actor::system(), region_, ana_, Role::coordinator);
  EXPECT_NE(again["id"], g["id"]);
  EXPECT_TRUE(has(as(ana_), local_, {Role::coordinator}));
}

TEST_P(AuthzTest, WhoMayGrant) {
  grant(Actor::system(), region_, ana_, Role::coordinator);
  membership(bea_, local_, "active");
  // A coordinator of the region grants in a co-op below it.
  EXPECT_NO_THROW(grant(as(ana_), local_, carl_, Role::auditor));
  // Not above or beside the region.
  EXPECT_EQ(code_of([&] { grant(as(ana_), national_, carl_, Role::auditor); }), Code::forbidden);
  EXPECT_EQ(code_of([&] { grant(as(ana_), other_region_, carl_, Role::auditor); }), Code::forbidden);
  // A plain member may not grant, not even to themself.
  EXPECT_EQ(code_of([&] { grant(as(bea_), local_, bea_, Role::coordinator); }), Code::forbidden);
  // An auditor may not grant either.
  EXPECT_EQ(code_of([&] { grant(as(carl_), local_, bea_, Role::delegate); }), Code::forbidden);
  EXPECT_EQ(code_of([&] { grant(Actor{}, local_, bea_, Role::delegate); }), Code::unauthenticated);
  // Nor revoke.
  Json aud = list(as(ana_), local_)["items"][0];
  EXPECT_EQ(code_of([&] { revoke(as(bea_), local_, aud["id"].get<int64_t>()); }), Code::forbidden);
  EXPECT_TRUE(has(as(carl_), local_, {Role::auditor}));
}

TEST_P(AuthzTest, GrantChecksItsInput) {
  grant(Actor::system(), local_, ana_, Role::delegate);
  EXPECT_EQ(code_of([&] { grant(Actor::system(), local_, ana_, Role::delegate); }), Code::duplicate);
  EXPECT_EQ(code_of([&] { grant(Actor::system(), local_, ana_, Role::member); }),
            Code::invalid_value);
  EXPECT_EQ(code_of([&] { grant(Actor::system(), local_, 987654, Role::auditor); }),
            Code::not_found);
  EXPECT_EQ(code_of([&] { grant(Actor::system(), 987654, ana_, Role::auditor); }), Code::not_found);
  // A grant is revoked through its own org only.
  int64_t id = list(Actor::system(), local_)["items"][0]["id"].get<int64_t>();
  EXPECT_EQ(code_of([&] { revoke(Actor::system(), region_, id); }), Code::not_found);
  EXPECT_EQ(code_of([&] { revoke(Actor::system(), local_, 987654); }), Code::not_found);
  int64_t n = 0;
  db_->read([&](store::Tx& tx) { n = tx.query("SELECT COUNT(*) FROM role_grants").one().i64(0); });
  EXPECT_EQ(n, 1) << "refused grants write nothing";
}

TEST_P(AuthzTest, ListingIsPagedAndNeedsARoleThere) {
  grant(Actor::system(), local_, ana_, Role::delegate);
  grant(Actor::system(), local_, bea_, Role::auditor);
  grant(Actor::system(), local_, carl_, Role::worker_member);
  Json page1 = list(Actor::system(), local_, 0, 2);
  ASSERT_EQ(page1["items"].size(), 2u);
  ASSERT_TRUE(page1["next_after"].is_number());
  Json page2 = list(Actor::system(), local_, page1["next_after"].get<int64_t>(), 2);
  ASSERT_EQ(page2["items"].size(), 1u);
  EXPECT_TRUE(page2["next_after"].is_null());
  EXPECT_EQ(page2["items"][0]["person"]["given_name"], "carl");

  EXPECT_NO_THROW(list(as(ana_), local_)) << "any role holder there may look";
  EXPECT_EQ(code_of([&] { list(as(ana_), region_); }), Code::forbidden);
  EXPECT_EQ(code_of([&] { list(Actor{}, local_); }), Code::unauthenticated);
}

TEST_P(AuthzTest, RolesOfListsMembershipsAndGrants) {
  membership(ana_, local_, "active");
  grant(Actor::system(), region_, ana_, Role::coordinator);
  grant(Actor::system(), local_, ana_, Role::worker_member);
  std::vector<RoleGrant> roles;
  db_->read([&](store::Tx& tx) { roles = roles_of(tx, ana_); });
  ASSERT_EQ(roles.size(), 3u);
  auto holds = [&](int64_t org_id, Role r) {
    for (const auto& g : roles) {
      if (g.org_id == org_id && g.role == r) return true;
    }
    return false;
  };
  EXPECT_TRUE(holds(local_, Role::member));
  EXPECT_TRUE(holds(region_, Role::coordinator));
  EXPECT_TRUE(holds(local_, Role::worker_member));
}

INSTANTIATE_TEST_SUITE_P(Engines, AuthzTest, ::testing::ValuesIn(test_db::test_engines()),
                         test_db::engine_name);

}  // namespace
}  // namespace agora::app
