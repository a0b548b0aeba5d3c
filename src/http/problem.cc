#include "http/problem.h"

namespace agora::http {

Json problem_json(Code code, std::string_view detail, std::string_view field) {
  return Json{{"type", "https://agora.coop/problems/" + std::string(code_name(code))},
              {"title", std::string(code_title(code))},
              {"status", http_status(code)},
              {"code", std::string(code_name(code))},
              {"detail", std::string(detail)},
              {"field", field.empty() ? Json(nullptr) : Json(std::string(field))}};
}

Response problem_response(Code code, std::string_view detail, std::string_view field) {
  Response r;
  r.status = http_status(code);
  r.content_type = std::string(kProblemContentType);
  // Error messages may quote raw input; replace invalid UTF-8 rather than throw.
  r.body = problem_json(code, detail, field).dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

Response problem_response(const Error& e) { return problem_response(e.code(), e.what(), e.field()); }

}  // namespace agora::http
