#pragma once
// Serves the built web front end (web/dist) for every GET outside /api: files
// by path with their content type, index.html for unknown paths (the SPA
// routes on the client), and a plain placeholder page when there is no build.
// Thread-safe: immutable after construction; files are read per request.

#include <filesystem>
#include <string>

#include "http/router.h"

namespace agora::http {

// <directory of the running binary>/../web/dist
std::filesystem::path default_web_dir();

class StaticFiles {
 public:
  // Largest file served; the front end's bundles are far smaller.
  static constexpr uintmax_t kMaxFileBytes = uintmax_t{64} << 20;

  explicit StaticFiles(std::filesystem::path dir);
  bool has_build() const { return has_build_; }
  // GET or HEAD of req.path; never reads outside the directory.
  Response serve(const Request& req) const;

 private:
  std::filesystem::path dir_;
  bool has_build_ = false;
};

// "text/javascript; charset=utf-8" for "app.js"; octet-stream when unknown.
std::string content_type_for(const std::filesystem::path& file);

}  // namespace agora::http
