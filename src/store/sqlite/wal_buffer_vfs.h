#pragma once

// An SQLite VFS that wraps the platform's default one and gathers the
// sequential writes SQLite makes to a WAL file into one buffer, written
// with one pwrite instead of two per page (a frame header, then the page).
// A batch of the write lane commits ~3 pages per transfer, so without it
// the kernel's per-call cost was a quarter of bench/ledger's CPU.
//
// The buffer reaches the file before anything can depend on it: before the
// file is synced (every commit under synchronous = FULL), read, sized,
// truncated or closed, and before any shared-memory lock, barrier or unmap
// on the database's wal-index (so before a commit is published to other
// connections, and before the write lock passes to another writer). Data
// still in the buffer at a crash was never synced, so never acknowledged:
// WAL recovery discards it as it would an unsynced frame.

namespace agora::store::sqlite {

// Registers the VFS once (thread-safe) and returns its name, for
// sqlite3_open_v2. Throws Error(database) if SQLite refuses it.
const char* wal_buffer_vfs();

}  // namespace agora::store::sqlite
