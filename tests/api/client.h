#pragma once
// A small blocking HTTP/1.1 client over Beast for the API tests: one
// keep-alive connection, reconnecting when the server closed it, plus a raw
// socket mode for tests that send bytes a normal client would not.
// Not thread-safe: one client per test thread.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>

namespace agora::test_api {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; repeated ones joined by "\n"
  std::string body;
  bool keep_alive = true;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port) {}
  ~HttpClient();

  HttpResponse request(const std::string& method, const std::string& target,
                       const std::vector<std::pair<std::string, std::string>>& headers = {},
                       const std::string& body = {});
  // Whether the last request reused an already open connection.
  bool reused() const { return reused_; }
  int connections_opened() const { return opened_; }
  void close();

 private:
  void connect();
  uint16_t port_;
  boost::asio::io_context ioc_;
  std::optional<boost::asio::ip::tcp::socket> socket_;
  boost::beast::flat_buffer buffer_;
  bool reused_ = false;
  int opened_ = 0;
};

// Sends raw bytes on a fresh connection and reads one response (with a
// deadline); for malformed requests and limits.
HttpResponse raw_exchange(uint16_t port, const std::string& bytes);

}  // namespace agora::test_api
