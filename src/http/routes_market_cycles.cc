// Routes of the solidarity market (being built; see /api/v1/openapi.json).

#include "http/router.h"

namespace agora::http {

void add_market_cycle_routes(Router& r, app::App& app) {
  (void)r;
  (void)app;
}

}  // namespace agora::http
