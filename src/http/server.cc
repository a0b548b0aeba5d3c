#include "http/server.h"

#include <utility>  // before boost/asio/awaitable.hpp (boost 1.74)

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "app/auth.h"
#include "core/assert.h"
#include "core/error.h"
#include "http/logging.h"
#include "http/metrics.h"
#include "http/problem.h"
#include "http/static_files.h"

namespace agora::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Metric labels for requests that matched no route: a bounded set, never the
// raw path (which would let any client create unbounded series).
constexpr const char* kRouteStatic = "static";
constexpr const char* kRouteNone = "unmatched";
constexpr const char* kRouteInvalid = "invalid";

std::string make_request_id() {
  static const uint32_t prefix = std::random_device{}();
  static std::atomic<uint64_t> counter{0};
  return fmt::format("{:08x}{:08x}", prefix, static_cast<uint32_t>(++counter));
}

// A client may pass its own X-Request-Id to correlate logs; accept only a
// short token so it cannot inject anything into log lines.
bool acceptable_request_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

bool is_api_path(std::string_view path) {
  return path == "/api" || path.starts_with("/api/") || path == "/metrics" ||
         path.starts_with("/metrics/");
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> bearer_token(const Request& req) {
  auto h = req.header("authorization");
  if (!h || h->size() < 7 || lower(std::string_view(*h).substr(0, 7)) != "bearer ") {
    return std::nullopt;
  }
  std::string_view t = std::string_view(*h).substr(7);
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return std::string(t);
}

struct Conn {
  explicit Conn(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  bool busy = false;  // touched only on the connection's strand
};

}  // namespace

struct Server::Impl {
  Impl(app::App& a, const Router& r, ServerOptions o)
      : app(a),
        router(r),
        opt(std::move(o)),
        statics(opt.web_dir.empty() ? default_web_dir() : std::filesystem::path(opt.web_dir)),
        ioc(opt.threads > 0 ? opt.threads : std::max(1u, std::thread::hardware_concurrency())),
        acceptor(asio::make_strand(ioc)) {}

  app::App& app;
  const Router& router;
  ServerOptions opt;
  StaticFiles statics;
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  uint16_t bound_port = 0;

  std::mutex mu;
  std::condition_variable cv;
  std::set<std::shared_ptr<Conn>> conns;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  bool started = false;
  bool stopped = false;

  void start();
  void stop();
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(std::shared_ptr<Conn> c);
  asio::awaitable<bool> serve_one(std::shared_ptr<Conn> c, beast::flat_buffer& buffer,
                                  const std::string& address, bool& linger, beast::error_code& ec,
                                  bool& busy);
  asio::awaitable<Response> dispatch(Request& req);
  asio::awaitable<void> linger_close(std::shared_ptr<Conn> c);
  void forget(const std::shared_ptr<Conn>& c) {
    std::lock_guard lock(mu);
    conns.erase(c);
    cv.notify_all();
  }
};

void Server::Impl::start() {
  AGORA_ASSERT(!started);
  beast::error_code ec;
  asio::ip::address address = asio::ip::make_address(opt.host, ec);
  if (ec) {
    tcp::resolver resolver(ioc);
    auto results = resolver.resolve(opt.host, std::to_string(opt.port), ec);
    if (ec || results.empty()) {
      throw Error(Code::bad_config, "cannot resolve host \"" + opt.host + "\": " + ec.message(),
                  "host");
    }
    address = results.begin()->endpoint().address();
  }
  tcp::endpoint endpoint(address, opt.port);
  auto fail = [&](const char* what) {
    throw Error(Code::bad_config,
                fmt::format("cannot listen on {}:{}: {} ({})", opt.host, opt.port, ec.message(), what),
                "port");
  };
  acceptor.open(endpoint.protocol(), ec);
  if (ec) fail("open");
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) fail("reuse_address");
  acceptor.bind(endpoint, ec);
  if (ec) fail("bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail("listen");
  bound_port = acceptor.local_endpoint().port();

  work.emplace(ioc.get_executor());
  asio::co_spawn(acceptor.get_executor(), accept_loop(), asio::detached);
  int n = opt.threads > 0 ? opt.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([this] {
      for (;;) {
        try {
          ioc.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("server thread: {}", e.what());
        }
      }
    });
  }
  started = true;
}

void Server::Impl::stop() {
  if (!started || stopped) return;
  stopping = true;
  asio::post(acceptor.get_executor(), [this] {
    beast::error_code ec;
    acceptor.close(ec);
  });
  {
    std::unique_lock lock(mu);
    // Idle keep-alive connections are closed now; busy ones close after
    // answering their request (keep-alive is refused once stopping).
    for (const auto& c : conns) {
      asio::post(c->stream.get_executor(), [c] {
        if (!c->busy) c->stream.cancel();
      });
    }
    if (!cv.wait_for(lock, opt.shutdown_grace, [&] { return conns.empty(); })) {
      spdlog::warn("shutdown: {} connection(s) still busy after {} ms; closing them",
                   conns.size(), opt.shutdown_grace.count());
    }
  }
  work.reset();
  ioc.stop();
  for (auto& t : threads) t.join();
  threads.clear();
  stopped = true;
  flush_logs();
}

asio::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(
        asio::make_strand(ioc), asio::redirect_error(asio::use_awaitable, ec));
    if (stopping || ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      // Out of file descriptors and the like: back off instead of spinning.
      spdlog::warn("accept: {}", ec.message());
      asio::steady_timer t(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    auto c = std::make_shared<Conn>(std::move(socket));
    {
      std::lock_guard lock(mu);
      conns.insert(c);
    }
    asio::co_spawn(c->stream.get_executor(), session(c), asio::detached);
  }
}

// After an error response the client may still be sending a body we refused:
// closing at once would reset the connection and could lose our answer, so
// stop sending, drain briefly, then close (what nginx calls lingering close).
asio::awaitable<void> Server::Impl::linger_close(std::shared_ptr<Conn> c) {
  beast::error_code ec;
  c->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  c->stream.expires_after(std::chrono::seconds(2));
  std::array<char, 16384> scratch;
  size_t drained = 0;
  while (!ec && drained < 8 * opt.body_limit) {
    drained += co_await c->stream.async_read_some(asio::buffer(scratch),
                                                  asio::redirect_error(asio::use_awaitable, ec));
  }
  c->stream.close();
}

asio::awaitable<Response> Server::Impl::dispatch(Request& req) {
  try {
    bool path_exists = false;
    const Route* route = router.match(req, &path_exists);
    if (route) {
      req.route = route->pattern;
      std::optional<std::string> token = req.cookie(app::kSessionCookie);
      if (!token || token->empty()) token = bearer_token(req);
      if (token && !token->empty()) {
        req.session_token = *token;
        if (auto actor = app::resolve_session(app, *token, req.actor.address)) req.actor = *actor;
      }
      co_return co_await route->handler(req);
    }
    if (path_exists) throw Error(Code::method_not_allowed, req.method + " is not allowed here");
    if (is_api_path(req.path)) throw Error(Code::not_found, "no such route");
    if (req.method != "GET" && req.method != "HEAD") {
      throw Error(Code::method_not_allowed, req.method + " is not allowed here");
    }
    req.route = kRouteStatic;
    co_return statics.serve(req);
  } catch (const Error& e) {
    if (http_status(e.code()) >= 500) {
      // Server-side failures may carry SQL or paths: log them, answer generically.
      spdlog::error("request {} {} {}: {} [{}]", req.request_id, req.method, req.path, e.what(),
                    code_name(e.code()));
      co_return problem_response(e.code(), "the server could not complete the request");
    }
    co_return problem_response(e);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {}: unexpected exception: {}", req.request_id, req.method,
                  req.path, e.what());
    co_return problem_response(Code::internal, "the server could not complete the request");
  }
}

// One request on a connection; false when the connection should close. Kept
// out of session()'s loop: g++ 12 mis-destroys loop-scoped locals of a
// coroutine that live across co_await (double frees seen in testing).
asio::awaitable<bool> Server::Impl::serve_one(std::shared_ptr<Conn> c, beast::flat_buffer& buffer,
                                              const std::string& address, bool& linger,
                                              beast::error_code& ec, bool& busy) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(opt.header_limit));
    parser.body_limit(opt.body_limit);
    c->stream.expires_after(opt.idle_timeout);
    co_await bhttp::async_read_header(c->stream, buffer, parser,
                                      asio::redirect_error(asio::use_awaitable, ec));
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      co_return false;
    }
    auto started_at = Clock::now();
    c->busy = true;
    ++in_flight;
    busy = true;

    Request req;
    req.request_id = make_request_id();
    req.actor.address = address;
    unsigned version = 11;
    std::optional<Response> early;  // an answer decided before any handler runs
    bool keep_alive = true;

    if (!ec) {
      c->stream.expires_after(opt.request_timeout);
      auto& head = parser.get();
      version = head.version();
      if (auto it = head.find(bhttp::field::expect);
          it != head.end() && lower(it->value()) == "100-continue" && !parser.is_done()) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
        co_await bhttp::async_write(c->stream, cont, asio::redirect_error(asio::use_awaitable, ec));
      }
      if (!ec && !parser.is_done()) {
        co_await bhttp::async_read(c->stream, buffer, parser,
                                   asio::redirect_error(asio::use_awaitable, ec));
      }
    }
    if (ec == bhttp::error::body_limit) {
      early = problem_response(Code::payload_too_large,
                               fmt::format("the request body is larger than {} bytes", opt.body_limit));
      linger = true;
    } else if (ec == bhttp::error::header_limit) {
      early = problem_response(Code::header_too_large,
                               fmt::format("the request header is larger than {} bytes", opt.header_limit));
      linger = true;
    } else if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
      early = problem_response(Code::bad_request, "malformed HTTP request");
      linger = true;
    } else if (ec) {
      co_return false;  // the connection failed or timed out; nobody to answer
    }

    auto& msg = parser.get();
    if (!early) {
      version = msg.version();
      keep_alive = msg.keep_alive();
      req.method = std::string(msg.method_string());
      std::string_view target = msg.target();
      size_t q = target.find('?');
      req.path = std::string(target.substr(0, q));
      for (const auto& f : msg) {
        std::string name = lower(f.name_string());
        auto [it, fresh] = req.headers.emplace(name, std::string(f.value()));
        if (!fresh) it->second += (name == "cookie" ? "; " : ", ") + std::string(f.value());
      }
      if (auto rid = req.header("x-request-id"); rid && acceptable_request_id(*rid)) {
        req.request_id = *rid;
      }
      req.body = std::move(msg.body());
      if (req.path.empty() || req.path[0] != '/') {
        early = problem_response(Code::bad_request, "the request target must be an absolute path");
      } else {
        try {
          if (q != std::string_view::npos) req.query = parse_query(target.substr(q + 1));
        } catch (const Error& e) {
          early = problem_response(e);
        }
      }
    } else {
      req.method = std::string(msg.method_string());
      req.path = std::string(msg.target().substr(0, msg.target().find('?')));
      req.route = kRouteInvalid;
    }

    // Not a ?: expression: g++ 12 mis-destroys temporaries of a co_await
    // inside a conditional operator.
    Response res;
    if (early) {
      res = std::move(*early);
    } else {
      res = co_await dispatch(req);
    }
    if (req.route.empty()) req.route = kRouteNone;
    if (linger || stopping) keep_alive = false;

    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
    out.set(bhttp::field::server, "agora");
    if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
    out.set("X-Request-Id", req.request_id);
    out.set("X-Content-Type-Options", "nosniff");
    for (auto& [name, value] : res.headers) out.insert(name, value);
    out.keep_alive(keep_alive);
    if (req.method == "HEAD") {
      out.content_length(res.body.size());
    } else {
      out.body() = std::move(res.body);
      out.prepare_payload();
    }
    bhttp::serializer<false, bhttp::string_body> sr{out};
    if (req.method == "HEAD") sr.split(true);
    if (req.method == "HEAD") {
      co_await bhttp::async_write_header(c->stream, sr, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      co_await bhttp::async_write(c->stream, sr, asio::redirect_error(asio::use_awaitable, ec));
    }

    int64_t duration_us =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_at).count();
    metrics().record(req.route, req.method.empty() ? "-" : req.method, res.status, duration_us);
    log_access(AccessEntry{.request_id = req.request_id,
                           .method = req.method,
                           .path = req.path,
                           .route = req.route,
                           .status = res.status,
                           .duration_us = duration_us,
                           .address = address,
                           .account_id = req.actor.account_id});
    co_return !ec && keep_alive;
}

asio::awaitable<void> Server::Impl::session(std::shared_ptr<Conn> c) {
  beast::error_code ec;
  std::string address;
  {
    auto ep = c->stream.socket().remote_endpoint(ec);
    address = ec ? std::string("unknown") : ep.address().to_string();
  }
  beast::flat_buffer buffer;
  bool linger = false;
  try {
    for (;;) {
      if (stopping) break;
      bool busy = false;
      bool more = co_await serve_one(c, buffer, address, linger, ec, busy);
      if (busy) {
        c->busy = false;
        --in_flight;
      }
      if (!more) break;
    }
    if (linger && !ec) {
      co_await linger_close(c);
    } else {
      beast::error_code ignored;
      c->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      c->stream.close();
    }
  } catch (const std::exception& e) {
    spdlog::error("connection from {}: {}", address, e.what());
  }
  forget(c);
}

Server::Server(app::App& app, const Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(app, router, std::move(options))) {}

Server::~Server() { stop(); }

void Server::start() { impl_->start(); }

uint16_t Server::port() const { return impl_->bound_port; }

std::string Server::url() const {
  std::string host = impl_->opt.host;
  if (host == "0.0.0.0" || host == "::") host = "127.0.0.1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return fmt::format("http://{}:{}", host, port());
}

void Server::stop() { impl_->stop(); }

int Server::in_flight() const { return impl_->in_flight; }

void Server::wait_for_signal() {
  asio::io_context ioc(1);
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  int received = 0;
  signals.async_wait([&](const beast::error_code&, int sig) { received = sig; });
  ioc.run();
  spdlog::info("received signal {}, shutting down", received);
}

}  // namespace agora::http
