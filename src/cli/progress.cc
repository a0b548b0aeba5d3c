#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>

namespace agora::cli {

Progress::Progress(std::string label, std::FILE* out, bool force)
    : label_(std::move(label)), out_(out), enabled_(force || ::isatty(::fileno(out)) == 1) {}

Progress::~Progress() { finish(); }

void Progress::update(int64_t done, int64_t total, std::string_view stage) {
  if (!enabled_) return;
  const int permille =
      total > 0 ? static_cast<int>(std::clamp<int64_t>(done * 1000 / total, 0, 1000)) : 0;
  if (permille / 10 == last_permille_ / 10 && stage == last_stage_) return;
  last_permille_ = permille;
  last_stage_ = std::string(stage);
  constexpr int kBar = 24;
  const int filled = permille * kBar / 1000;
  std::string line = label_ + " [";
  line.append(static_cast<size_t>(filled), '#');
  line.append(static_cast<size_t>(kBar - filled), '.');
  line += "] " + std::to_string(permille / 10) + "% " + std::to_string(done) + "/" +
          std::to_string(total);
  if (!stage.empty()) line += " " + std::string(stage);
  // Pad over the remains of a longer previous line instead of relying on an
  // ANSI erase, which some terminals and CI log viewers do not honour.
  const size_t width = line.size();
  if (width < last_width_) line.append(last_width_ - width, ' ');
  last_width_ = width;
  std::fprintf(out_, "\r%s", line.c_str());
  std::fflush(out_);
}

void Progress::finish() {
  if (!enabled_ || last_width_ == 0) return;
  std::fprintf(out_, "\r%s\r", std::string(last_width_, ' ').c_str());
  std::fflush(out_);
  last_width_ = 0;
  last_permille_ = -1;
  last_stage_.clear();
}

}  // namespace agora::cli
