#include "http/router.h"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <memory>

#include "app/registry.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::http {
namespace asio = boost::asio;

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  if (!path.empty() && path[0] == '/') i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool is_param(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

// Matches one pattern; on success fills params and a specificity score where
// literal segments early in the path count most, so "/orgs/tree" beats
// "/orgs/{id}" whatever the order routes were added in. Runs for every route
// on every request, so the pattern is walked in place and nothing is
// allocated unless it matches.
bool match_pattern(std::string_view pattern, const std::vector<std::string_view>& segs,
                   std::map<std::string, std::string>& params, uint64_t& score) {
  size_t i = (!pattern.empty() && pattern[0] == '/') ? 1 : 0;
  size_t n = 0;
  uint64_t sc = 0;
  bool any_param = false;
  for (;;) {
    size_t j = pattern.find('/', i);
    if (j == std::string_view::npos) j = pattern.size();
    std::string_view seg = pattern.substr(i, j - i);
    if (n >= segs.size()) return false;
    sc <<= 1;
    if (is_param(seg)) {
      if (segs[n].empty()) return false;
      any_param = true;
    } else {
      if (seg != segs[n]) return false;
      sc |= 1;
    }
    ++n;
    if (j == pattern.size()) break;
    i = j + 1;
  }
  if (n != segs.size()) return false;
  params.clear();
  score = sc;
  if (any_param) {
    auto pat = split_path(pattern);
    for (size_t k = 0; k < pat.size(); ++k) {
      if (is_param(pat[k])) {
        params[std::string(pat[k].substr(1, pat[k].size() - 2))] = percent_decode(segs[k], false);
      }
    }
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) throw Error(Code::bad_request, "bad percent-escape in URL");
      int h = hex_value(in[i + 1]);
      int l = hex_value(in[i + 2]);
      if (h < 0 || l < 0) throw Error(Code::bad_request, "bad percent-escape in URL");
      out.push_back(static_cast<char>(h * 16 + l));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  size_t count = 0;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) continue;
    if (++count > kMaxQueryParams) throw Error(Code::bad_request, "too many query parameters");
    size_t eq = part.find('=');
    std::string key = percent_decode(part.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? std::string{} : percent_decode(part.substr(eq + 1), true);
    out[std::move(key)] = std::move(value);
  }
  return out;
}

int64_t Request::id_param(std::string_view name) const {
  // A path segment that is not a positive id cannot name anything: 404, the
  // same answer as for an id that does not exist.
  auto it = params.find(std::string(name));
  AGORA_ASSERT(it != params.end());  // the pattern names it, or the handler has a bug
  const std::string& s = it->second;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || v <= 0 || s[0] == '+') {
    throw Error(Code::not_found, "no such " + std::string(name) + ": " + s.substr(0, 32),
                "/" + std::string(name));
  }
  return v;
}

Json Request::json_body() const {
  auto ct = header("content-type");
  std::string_view media = ct ? std::string_view(*ct) : std::string_view{};
  media = trim(media.substr(0, media.find(';')));
  std::string lower(media);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower != "application/json") {
    throw Error(Code::unsupported_media_type, "the request body must be application/json");
  }
  if (body.empty()) throw Error(Code::malformed_json, "the request body is empty");
  return parse_json(body);
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  auto h = header("cookie");
  if (!h) return std::nullopt;
  std::string_view rest = *h;
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string_view part = trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(part.substr(0, eq)) == name) {
      std::string_view v = trim(part.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
  }
  return std::nullopt;
}

Response Response::json(const Json& j, int status) {
  Response r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Response::text(std::string body, std::string content_type, int status) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

void Router::add(std::string method, std::string pattern, Handler handler) {
  AGORA_ASSERT(!pattern.empty() && pattern[0] == '/');
  AGORA_ASSERT(find(method, pattern) == nullptr);  // a route registered twice is a bug
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler)});
}

const Route* Router::find(std::string_view method, std::string_view pattern) const {
  for (const auto& r : routes_) {
    if (r.method == method && r.pattern == pattern) return &r;
  }
  return nullptr;
}

const Route* Router::match(Request& req, bool* path_exists) const {
  auto segs = split_path(req.path);
  const Route* best = nullptr;
  uint64_t best_score = 0;
  std::map<std::string, std::string> best_params;
  bool exists = false;
  // Scores are compared per method, but existence of the path under any
  // method decides 405 vs 404.
  std::map<std::string, std::string> params;
  for (const auto& r : routes_) {
    uint64_t score = 0;
    if (!match_pattern(r.pattern, segs, params, score)) continue;
    exists = true;
    bool method_ok = r.method == req.method || (req.method == "HEAD" && r.method == "GET");
    if (!method_ok) continue;
    if (!best || score > best_score || (score == best_score && r.method == req.method)) {
      best = &r;
      best_score = score;
      best_params.swap(params);
    }
  }
  if (path_exists) *path_exists = exists;
  if (best) req.params = std::move(best_params);
  return best;
}

asio::awaitable<Json> write(app::App& app, const app::Actor& actor, std::string_view name,
                            const Json& payload, app::WriteFn fn) {
  // Deliberately not a coroutine: g++ 12 mishandles by-value parameters of a
  // coroutine called with temporaries inside co_await (double destruction of
  // the WriteFn's captures, seen in the API tests). Here the command is queued
  // when the returned awaitable starts, so the arguments are copied now.
  auto initiate = [&app, actor, name = std::string(name), payload, fn = std::move(fn)](
                      auto handler) mutable {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    // The batcher calls `done` on its own thread; resume the handler on the
    // coroutine's executor instead.
    auto executor = asio::get_associated_executor(*shared);
    app.write_async(actor, name, payload, std::move(fn),
                    [shared, executor](std::exception_ptr error, Json result) {
                      asio::post(executor, [shared, error, result = std::move(result)]() mutable {
                        (*shared)(error, std::move(result));
                      });
                    });
  };
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr, Json)>(
      std::move(initiate), asio::use_awaitable);
}

Page page_of(const Request& req) {
  static_assert(kMaxPageSize >= 50, "the default page must fit under the maximum");
  Page p;
  auto parse = [](const std::string& s, int64_t min, int64_t max, const char* field) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) {
      throw Error(Code::invalid_value, std::string(field) + " must be an integer", field);
    }
    if (v < min || v > max) {
      throw Error(Code::out_of_range,
                  std::string(field) + " must be between " + std::to_string(min) + " and " +
                      std::to_string(max),
                  field);
    }
    return v;
  };
  if (auto l = req.query_param("limit")) p.limit = parse(*l, 1, kMaxPageSize, "limit");
  if (auto a = req.query_param("after")) p.after = parse(*a, 0, INT64_MAX, "after");
  return p;
}

app::PageReq page_req(const Request& req) {
  Page p = page_of(req);
  return app::PageReq{.limit = p.limit, .after = p.after};
}

void no_body(const Request& req) {
  if (req.body.empty()) return;
  Json body = req.json_body();
  JsonReader in(body);
  in.done();
}

int64_t query_i64(const Request& req, std::string_view name, int64_t def, int64_t min,
                  int64_t max) {
  auto v = req.query_param(name);
  if (!v) return def;
  int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  std::string field(name);
  if (v->empty() || ec != std::errc{} || end != v->data() + v->size()) {
    throw Error(Code::invalid_value, field + " must be an integer", field);
  }
  if (out < min || out > max) {
    throw Error(Code::out_of_range,
                field + " must be between " + std::to_string(min) + " and " + std::to_string(max),
                field);
  }
  return out;
}

std::optional<int64_t> opt_query_i64(const Request& req, std::string_view name, int64_t min,
                                     int64_t max) {
  if (!req.query_param(name)) return std::nullopt;
  return query_i64(req, name, 0, min, max);
}

}  // namespace agora::http
