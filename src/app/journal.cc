#include "app/journal.h"

#include <sodium.h>

#include <array>

#include "core/assert.h"
#include "core/error.h"

namespace agora::app {
namespace {

std::string to_hex(const unsigned char* data, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 15];
  }
  return out;
}

std::string blake2b_hex(std::string_view data) {
  std::array<unsigned char, 32> h{};
  crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), nullptr, 0);
  return to_hex(h.data(), h.size());
}

// The fields an entry's hash covers, in a fixed unambiguous layout.
std::string entry_hash(int64_t at_us, int64_t account_id, int64_t person_id,
                       std::string_view address, std::string_view command,
                       std::string_view payload_hash, std::string_view prev_hash) {
  std::string buf;
  buf.reserve(256);
  buf += std::to_string(at_us);
  buf += '\x1f';
  buf += std::to_string(account_id);
  buf += '\x1f';
  buf += std::to_string(person_id);
  buf += '\x1f';
  buf += address;
  buf += '\x1f';
  buf += command;
  buf += '\x1f';
  buf += payload_hash;
  buf += '\x1f';
  buf += prev_hash;
  return blake2b_hex(buf);
}

}  // namespace

std::string journal_payload_hash(const Json& payload) { return blake2b_hex(payload.dump()); }

std::string journal_append(store::Tx& tx, const Actor& actor, Timestamp at, std::string_view command,
                           const std::string& payload_hash_hex, const std::string& prev_hash_hex) {
  AGORA_ASSERT(payload_hash_hex.size() == 64);
  std::string hash = entry_hash(at.us, actor.account_id, actor.person_id, actor.address, command,
                                payload_hash_hex, prev_hash_hex);
  tx.exec(
      "INSERT INTO audit_journal (at_us, actor_account_id, actor_person_id, actor_address, command, "
      "payload_hash, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {at.us, actor.account_id, actor.person_id, actor.address, std::string(command),
       payload_hash_hex, prev_hash_hex, hash});
  return hash;
}

std::string journal_head(store::Tx& tx) {
  auto rows = tx.query("SELECT hash FROM audit_journal ORDER BY seq DESC LIMIT 1");
  return rows.empty() ? std::string() : rows.rows[0].str(0);
}

VerifyReport verify_journal(store::Database& db) {
  VerifyReport report;
  std::string prev;
  int64_t after = 0;
  constexpr int64_t kPage = 5000;
  for (;;) {
    store::Rows rows;
    db.read([&](store::Tx& tx) {
      rows = tx.query(
          "SELECT seq, at_us, actor_account_id, actor_person_id, actor_address, command, "
          "payload_hash, prev_hash, hash FROM audit_journal WHERE seq > $1 ORDER BY seq LIMIT $2",
          {after, kPage});
    });
    for (const auto& r : rows.rows) {
      int64_t seq = r.i64(0);
      after = seq;
      ++report.entries;
      if (r.str(7) != prev) {
        report.first_broken_seq = seq;
        report.reason = "previous-hash link does not match the entry before it";
        return report;
      }
      std::string expect = entry_hash(r.i64(1), r.i64(2), r.i64(3), r.str(4), r.str(5), r.str(6), prev);
      if (expect != r.str(8)) {
        report.first_broken_seq = seq;
        report.reason = "entry's hash does not match its contents";
        return report;
      }
      prev = r.str(8);
    }
    if (static_cast<int64_t>(rows.rows.size()) < kPage) break;
  }
  return report;
}

}  // namespace agora::app
