#pragma once
// `agora demo`: loads a deterministic demo federation (a national federation,
// four regions in Spain and Portugal, 14 local consumer co-ops, 21 worker co-ops
// leasing their workplaces, 11 producer co-ops, about 2,300 people with share
// capital in every state) plus the demo logins, all through the registry's use
// cases. Same seed, same rows, on every machine (docs/DEMO.md).
// Thread-safe: functions over App; the load is a handful of App::write commands.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"

namespace agora::app {

inline constexpr uint64_t kDemoSeed = 0x41676F7261446D6Full;  // "AgoraDmo"
inline constexpr std::string_view kDemoPassword = "agora-demo";
inline constexpr std::string_view kDemoAdminEmail = "admin@demo.agora.coop";
inline constexpr std::string_view kDemoCoordinatorEmail = "coordinator@demo.agora.coop";
inline constexpr std::string_view kDemoMemberEmail = "member@demo.agora.coop";

struct DemoLogin {
  std::string email;
  std::string password;
  std::string what;  // "platform admin", "coordinator of …"
};

struct DemoReport {
  int64_t orgs = 0;
  int64_t federations = 0;
  int64_t consumer_coops = 0;
  int64_t worker_coops = 0;
  int64_t producer_coops = 0;
  int64_t persons = 0;
  int64_t memberships = 0;      // person and organisation memberships
  int64_t org_memberships = 0;
  int64_t active = 0;
  int64_t applied = 0;
  int64_t left = 0;
  int64_t subscribed_minor = 0;  // EUR cents, all subscriptions
  int64_t paid_minor = 0;
  std::vector<DemoLogin> logins;
};

using DemoProgress = std::function<void(int64_t done, int64_t total, std::string_view stage)>;

struct DbContents {
  int64_t orgs = 0;
  int64_t persons = 0;
  bool empty() const { return orgs == 0 && persons == 0; }
};
DbContents database_contents(App& app);

// Loads the demo. Error(invalid_state) unless the database holds no
// organisation and no person. Hashes the demo password once (argon2id is
// deliberately slow) and gives that hash to every demo account.
DemoReport load_demo(App& app, const DemoProgress& progress = {}, uint64_t seed = kDemoSeed);

}  // namespace agora::app
