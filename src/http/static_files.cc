#include "http/static_files.h"

#include <fstream>
#include <map>
#include <system_error>
#include <vector>

#include "core/error.h"
#include "http/problem.h"

namespace agora::http {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPlaceholder = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Agora</title></head>
<body><h1>Agora is running</h1>
<p>The web front end has not been built (run <code>make build</code>), or the server was
started with a web directory that does not exist. The API is at <a href="/api/v1/health">/api/v1/</a>
and is described by <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body></html>
)";

bool read_file(const fs::path& p, std::string& out) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return false;
  auto size = fs::file_size(p, ec);
  if (ec || size > StaticFiles::kMaxFileBytes) return false;
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out.resize(static_cast<size_t>(size));
  in.read(out.data(), static_cast<std::streamsize>(size));
  out.resize(static_cast<size_t>(in.gcount()));
  return true;
}

Response file_response(const fs::path& file, std::string body, bool immutable) {
  Response r;
  r.status = 200;
  r.content_type = content_type_for(file);
  r.body = std::move(body);
  // Vite names files under assets/ by content hash: they never change.
  r.headers.emplace_back("Cache-Control",
                         immutable ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace

fs::path default_web_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fs::path("web/dist");
  return (exe.parent_path() / ".." / "web" / "dist").lexically_normal();
}

std::string content_type_for(const fs::path& file) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

StaticFiles::StaticFiles(fs::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  has_build_ = fs::is_regular_file(dir_ / "index.html", ec);
  if (has_build_) dir_ = fs::canonical(dir_, ec);
  if (ec) has_build_ = false;
}

Response StaticFiles::serve(const Request& req) const {
  if (!has_build_) return Response::text(std::string(kPlaceholder), "text/html; charset=utf-8");

  // Build the relative path segment by segment from the decoded URL so that
  // "..", "." and empty segments can never climb out of dir_.
  std::string decoded = percent_decode(req.path, false);
  fs::path rel;
  size_t i = 0;
  bool bad = false;
  while (i <= decoded.size()) {
    size_t j = decoded.find('/', i);
    if (j == std::string::npos) j = decoded.size();
    std::string_view seg(decoded.data() + i, j - i);
    i = j + 1;
    if (seg.empty() || seg == ".") continue;
    if (seg == ".." || seg.find('\0') != std::string_view::npos ||
        seg.find('\\') != std::string_view::npos) {
      bad = true;
      break;
    }
    rel /= std::string(seg);
  }
  if (bad) throw Error(Code::not_found, "no such file");

  bool under_assets = !rel.empty() && *rel.begin() == "assets";
  if (!rel.empty()) {
    fs::path file = dir_ / rel;
    std::error_code ec;
    fs::path real = fs::weakly_canonical(file, ec);
    // A symlink inside the build that points elsewhere is refused too.
    auto [d, f] = std::mismatch(dir_.begin(), dir_.end(), real.begin(), real.end());
    std::string body;
    if (!ec && d == dir_.end() && read_file(real, body)) {
      return file_response(real, std::move(body), under_assets);
    }
  }
  // A missing hashed asset is a real 404 (an old page asking for a replaced
  // bundle); every other path, /assets/12 (an asset's page) too, is a
  // client-side route of the SPA.
  if (under_assets && rel.has_extension()) throw Error(Code::not_found, "no such file");
  std::string index;
  if (!read_file(dir_ / "index.html", index)) throw Error(Code::not_found, "no index.html");
  return file_response(dir_ / "index.html", std::move(index), false);
}

}  // namespace agora::http
