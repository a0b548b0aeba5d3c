#pragma once
// RFC 9457 problem+json bodies for errors. Every error response of the API has
// all six keys: {"type","title","status","code","detail","field"}; "field" is
// null when no single input is at fault. Thread-safe: pure functions.

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/json.h"
#include "http/router.h"

namespace agora::http {

inline constexpr std::string_view kProblemContentType = "application/problem+json";

Json problem_json(Code code, std::string_view detail, std::string_view field = {});
Response problem_response(Code code, std::string_view detail, std::string_view field = {});
Response problem_response(const Error& e);

}  // namespace agora::http
