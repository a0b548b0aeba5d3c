#pragma once
// Progress of a long CLI job: one line on stderr redrawn in place when stderr
// is a terminal, nothing at all otherwise (logs and pipes stay clean).
// Not thread-safe: one Progress per job, updated from the thread running it.

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace agora::cli {

class Progress {
 public:
  // Draws only when `out` is a terminal; `force` overrides that (for tests).
  explicit Progress(std::string label, std::FILE* out = stderr, bool force = false);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool enabled() const { return enabled_; }
  // Redraws when the whole percentage or `stage` changed, so a tight loop can
  // call this on every item without flooding the terminal.
  void update(int64_t done, int64_t total, std::string_view stage = {});
  // Erases the line (the caller prints its own summary).
  void finish();

 private:
  std::string label_;
  std::FILE* out_;
  bool enabled_;
  int last_permille_ = -1;
  std::string last_stage_;
  size_t last_width_ = 0;
};

}  // namespace agora::cli
