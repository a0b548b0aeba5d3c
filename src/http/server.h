#pragma once
// The HTTP server: Boost.Beast over an io_context run by one thread per core,
// one C++20 coroutine per connection, HTTP/1.1 keep-alive, limits on body and
// header size, a per-request deadline and an idle timeout. Routes come from a
// Router; everything else that is a GET serves the web front end.
// Thread-safe: start()/stop()/wait_for_signal() from one controlling thread;
// port() from any thread once start() returned.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "app/app.h"
#include "http/router.h"

namespace agora::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port; port() tells which
  int threads = 0;       // 0: one per core
  std::string web_dir;   // "" : default_web_dir()
  size_t body_limit = kMaxBodyBytes;
  size_t header_limit = kMaxHeaderBytes;
  std::chrono::milliseconds request_timeout{30'000};  // reading, handling and writing one request
  std::chrono::milliseconds idle_timeout{75'000};     // waiting for the next request on a connection
  std::chrono::milliseconds shutdown_grace{10'000};   // in-flight requests get this long on stop()
};

class Server {
 public:
  // `app` and `router` must outlive the server. Call app.stop() only after
  // stop(): in-flight requests may still be waiting on the write batcher.
  Server(app::App& app, const Router& router, ServerOptions options);
  ~Server();  // stop()s if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the threads. Error(bad_config) if it cannot listen.
  void start();
  uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:8080"

  // Graceful: stops accepting, closes idle keep-alive connections, lets
  // requests in flight finish (up to shutdown_grace), then stops the threads.
  void stop();
  // Blocks until SIGINT or SIGTERM.
  static void wait_for_signal();

  // Requests being handled right now; for tests and shutdown.
  int in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace agora::http
