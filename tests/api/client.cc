#include "api/client.h"

#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>

namespace agora::test_api {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

HttpResponse convert(bhttp::response<bhttp::string_body>& res) {
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    std::string name = lower(f.name_string());
    auto [it, fresh] = out.headers.emplace(name, std::string(f.value()));
    if (!fresh) it->second += "\n" + std::string(f.value());
  }
  out.body = std::move(res.body());
  out.keep_alive = res.keep_alive();
  return out;
}

void set_timeout(tcp::socket& s, int seconds) {
  struct timeval tv{seconds, 0};
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

HttpClient::~HttpClient() { close(); }

void HttpClient::close() {
  if (socket_) {
    beast::error_code ec;
    socket_->shutdown(tcp::socket::shutdown_both, ec);
    socket_->close(ec);
    socket_.reset();
  }
  buffer_.clear();
}

void HttpClient::connect() {
  close();
  socket_.emplace(ioc_);
  socket_->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  set_timeout(*socket_, 60);
  ++opened_;
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 const std::string& body) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.insert(k, v);
  req.body() = body;
  req.prepare_payload();
  req.keep_alive(true);

  // A kept-alive connection may have been closed by the server meanwhile;
  // retry once on a fresh one in that case.
  for (int attempt = 0; attempt < 2; ++attempt) {
    reused_ = socket_.has_value();
    if (!socket_) connect();
    beast::error_code ec;
    bhttp::write(*socket_, req, ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    if (method == "HEAD") parser.skip(true);  // a HEAD answer has a length but no body
    if (!ec) bhttp::read(*socket_, buffer_, parser, ec);
    if (ec) {
      if (reused_ && attempt == 0) {
        close();
        continue;
      }
      close();
      throw std::runtime_error("HTTP exchange failed: " + ec.message());
    }
    HttpResponse out = convert(parser.get());
    if (!out.keep_alive) close();
    return out;
  }
  throw std::runtime_error("unreachable");
}

HttpResponse raw_exchange(uint16_t port, const std::string& bytes) {
  asio::io_context ioc;
  tcp::socket s(ioc);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  set_timeout(s, 10);
  beast::error_code ec;
  asio::write(s, asio::buffer(bytes), ec);
  // The server may answer before reading everything we sent (a refused
  // body); read the answer regardless of a write error.
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  bhttp::read(s, buffer, parser, ec);
  if (ec) throw std::runtime_error("raw exchange: " + ec.message());
  return convert(parser.get());
}

}  // namespace agora::test_api
