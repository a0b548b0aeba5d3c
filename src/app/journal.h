#pragma once
// The hash-chained audit journal: every state-changing command appends
// (actor, time, command, payload hash, previous entry's hash) and the entry's
// own hash, BLAKE2b-256 over those fields. verify_journal walks the chain.
// Not thread-safe on its own: appends happen only on the write batcher thread.

#include <cstdint>
#include <optional>
#include <string>

#include "app/app.h"
#include "store/database.h"

namespace agora::app {

// The hex BLAKE2b-256 of a command's payload (its compact JSON dump), the
// only trace of the payload the journal keeps. Pure: App::write_async
// computes it on the submitting thread, off the single write lane.
std::string journal_payload_hash(const Json& payload);
// Appends one entry after `prev_hash_hex` and returns the new entry's hash.
std::string journal_append(store::Tx& tx, const Actor& actor, Timestamp at, std::string_view command,
                           const std::string& payload_hash_hex, const std::string& prev_hash_hex);
// The hash of the newest entry ("" for an empty journal).
std::string journal_head(store::Tx& tx);

struct VerifyReport {
  int64_t entries = 0;
  std::optional<int64_t> first_broken_seq;  // set when the chain is broken
  std::string reason;
};
VerifyReport verify_journal(store::Database& db);

}  // namespace agora::app
