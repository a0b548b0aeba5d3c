#include "store/sqlite/wal_buffer_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include "core/error.h"

namespace agora::store::sqlite {
namespace {

constexpr const char* kName = "agora-walbuf";
constexpr int kBufferBytes = 2 << 20;  // a few batches' frames; settlements flush as they go
constexpr int kWriteBytes = 64 << 10;  // per write call

sqlite3_vfs* base_vfs = nullptr;
sqlite3_vfs vfs;

// Our file object. The platform VFS's own object follows it in the same
// allocation (szOsFile covers both).
struct File {
  sqlite3_file base;     // base.pMethods: &kMethods, or null when the open failed
  sqlite3_file* real;    // the platform VFS's file
  bool is_wal;
  File* wal;             // on a database file: its connection's WAL file, if open
  File* db;              // on a WAL file: its database file
  char* buf;             // on a WAL file: pending bytes, written at buf_off
  sqlite3_int64 buf_off;
  int buf_len;
};

constexpr size_t kRealOffset = (sizeof(File) + 15) & ~size_t{15};

File* of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }

// Writes what the buffer holds, in pieces the platform VFS takes whole (the
// unix VFS writes at most 128 KiB - 1 per call). On failure the bytes are
// dropped: SQLite rolls the transaction back on the error and never
// publishes them.
int flush(File* p) {
  if (!p || p->buf_len == 0) return SQLITE_OK;
  const int n = p->buf_len;
  p->buf_len = 0;
  for (int at = 0; at < n; at += kWriteBytes) {
    const int len = std::min(kWriteBytes, n - at);
    int rc = p->real->pMethods->xWrite(p->real, p->buf + at, len, p->buf_off + at);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

int x_close(sqlite3_file* f) {
  File* p = of(f);
  int rc = flush(p);
  if (p->is_wal && p->db && p->db->wal == p) p->db->wal = nullptr;
  if (!p->is_wal && p->wal) p->wal->db = nullptr;
  sqlite3_free(p->buf);
  p->buf = nullptr;
  int rc2 = p->real->pMethods->xClose(p->real);
  return rc != SQLITE_OK ? rc : rc2;
}

int x_read(sqlite3_file* f, void* out, int amt, sqlite3_int64 off) {
  File* p = of(f);
  if (p->buf_len > 0 && off < p->buf_off + p->buf_len && off + amt > p->buf_off) {
    if (int rc = flush(p); rc != SQLITE_OK) return rc;
  }
  return p->real->pMethods->xRead(p->real, out, amt, off);
}

int x_write(sqlite3_file* f, const void* data, int amt, sqlite3_int64 off) {
  File* p = of(f);
  if (!p->is_wal) return p->real->pMethods->xWrite(p->real, data, amt, off);
  const sqlite3_int64 end = p->buf_off + p->buf_len;
  if (p->buf_len > 0 && off >= p->buf_off && off + amt <= end) {
    // A frame rewritten within the buffer (SQLite overwrites a page written
    // earlier in the same transaction in place).
    std::memcpy(p->buf + (off - p->buf_off), data, static_cast<size_t>(amt));
    return SQLITE_OK;
  }
  if (p->buf_len > 0 && off == end && p->buf_len + amt <= kBufferBytes) {
    std::memcpy(p->buf + p->buf_len, data, static_cast<size_t>(amt));
    p->buf_len += amt;
    return SQLITE_OK;
  }
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  if (amt >= kBufferBytes) return p->real->pMethods->xWrite(p->real, data, amt, off);
  if (!p->buf) {
    p->buf = static_cast<char*>(sqlite3_malloc(kBufferBytes));
    if (!p->buf) return p->real->pMethods->xWrite(p->real, data, amt, off);
  }
  std::memcpy(p->buf, data, static_cast<size_t>(amt));
  p->buf_off = off;
  p->buf_len = amt;
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  File* p = of(f);
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  return p->real->pMethods->xTruncate(p->real, size);
}

int x_sync(sqlite3_file* f, int flags) {
  File* p = of(f);
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  return p->real->pMethods->xSync(p->real, flags);
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  File* p = of(f);
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  return p->real->pMethods->xFileSize(p->real, size);
}

int x_lock(sqlite3_file* f, int level) {
  File* p = of(f);
  return p->real->pMethods->xLock(p->real, level);
}

int x_unlock(sqlite3_file* f, int level) {
  File* p = of(f);
  if (int rc = flush(p->wal); rc != SQLITE_OK) return rc;
  return p->real->pMethods->xUnlock(p->real, level);
}

int x_check_reserved_lock(sqlite3_file* f, int* out) {
  File* p = of(f);
  return p->real->pMethods->xCheckReservedLock(p->real, out);
}

int x_file_control(sqlite3_file* f, int op, void* arg) {
  File* p = of(f);
  if (p->is_wal) {
    if (int rc = flush(p); rc != SQLITE_OK) return rc;
  }
  if (op == SQLITE_FCNTL_VFSNAME) {
    // Name the stack the way SQLite's own shims do: ours over the platform's.
    int rc = p->real->pMethods->xFileControl(p->real, op, arg);
    if (rc == SQLITE_OK) {
      char** name = static_cast<char**>(arg);
      *name = sqlite3_mprintf("%s/%z", kName, *name);
    }
    return rc;
  }
  return p->real->pMethods->xFileControl(p->real, op, arg);
}

int x_sector_size(sqlite3_file* f) {
  File* p = of(f);
  return p->real->pMethods->xSectorSize(p->real);
}

int x_device_characteristics(sqlite3_file* f) {
  File* p = of(f);
  return p->real->pMethods->xDeviceCharacteristics(p->real);
}

// The wal-index (shared memory) belongs to the database file. Every use of
// it first writes the connection's buffered WAL bytes: a commit becomes
// visible to other connections through it, and the write lock passes
// through it to the next writer.
int x_shm_map(sqlite3_file* f, int page, int page_size, int extend, void volatile** out) {
  File* p = of(f);
  if (int rc = flush(p->wal); rc != SQLITE_OK) return rc;
  return p->real->pMethods->xShmMap(p->real, page, page_size, extend, out);
}

int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  File* p = of(f);
  if (int rc = flush(p->wal); rc != SQLITE_OK) return rc;
  return p->real->pMethods->xShmLock(p->real, offset, n, flags);
}

void x_shm_barrier(sqlite3_file* f) {
  File* p = of(f);
  // A barrier cannot report an error. Under synchronous = FULL (agora sets
  // it on every connection) a commit's frames were written, or their error
  // returned, by the sync before the commit's header is published, so this
  // flush finds nothing to write; it is here for a connection that commits
  // without a sync.
  (void)flush(p->wal);
  p->real->pMethods->xShmBarrier(p->real);
}

int x_shm_unmap(sqlite3_file* f, int delete_flag) {
  File* p = of(f);
  if (int rc = flush(p->wal); rc != SQLITE_OK) return rc;
  return p->real->pMethods->xShmUnmap(p->real, delete_flag);
}

int x_fetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** out) {
  File* p = of(f);
  if (p->is_wal) {
    if (int rc = flush(p); rc != SQLITE_OK) return rc;
  }
  return p->real->pMethods->xFetch(p->real, off, amt, out);
}

int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* ptr) {
  File* p = of(f);
  return p->real->pMethods->xUnfetch(p->real, off, ptr);
}

const sqlite3_io_methods kMethods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved_lock,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  File* p = of(f);
  std::memset(p, 0, sizeof(File));
  p->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(p) + kRealOffset);
  int rc = base_vfs->xOpen(base_vfs, name, p->real, flags, out_flags);
  if (rc != SQLITE_OK || !p->real->pMethods) {
    p->base.pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  if (p->real->pMethods->iVersion < 3) {
    // A platform without shared memory or mmap methods: nothing to gather.
    p->real->pMethods->xClose(p->real);
    p->base.pMethods = nullptr;
    return SQLITE_CANTOPEN;
  }
  p->base.pMethods = &kMethods;
  if ((flags & SQLITE_OPEN_WAL) && name) {
    p->is_wal = true;
    File* db = of(sqlite3_database_file_object(name));
    if (db && db->base.pMethods == &kMethods) {
      p->db = db;
      db->wal = p;
    }
  }
  return SQLITE_OK;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return base_vfs->xDelete(base_vfs, name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return base_vfs->xAccess(base_vfs, name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return base_vfs->xFullPathname(base_vfs, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return base_vfs->xDlOpen(base_vfs, name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { base_vfs->xDlError(base_vfs, n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* h, const char* sym))(void) {
  return base_vfs->xDlSym(base_vfs, h, sym);
}
void x_dl_close(sqlite3_vfs*, void* h) { base_vfs->xDlClose(base_vfs, h); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return base_vfs->xRandomness(base_vfs, n, out); }
int x_sleep(sqlite3_vfs*, int us) { return base_vfs->xSleep(base_vfs, us); }
int x_current_time(sqlite3_vfs*, double* out) { return base_vfs->xCurrentTime(base_vfs, out); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) {
  return base_vfs->xGetLastError ? base_vfs->xGetLastError(base_vfs, n, out) : 0;
}
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return base_vfs->xCurrentTimeInt64(base_vfs, out);
}

}  // namespace

const char* wal_buffer_vfs() {
  static std::once_flag once;
  static int rc = SQLITE_OK;
  std::call_once(once, [] {
    base_vfs = sqlite3_vfs_find(nullptr);
    if (!base_vfs || base_vfs->iVersion < 2 || !base_vfs->xCurrentTimeInt64) {
      rc = SQLITE_ERROR;
      return;
    }
    vfs = sqlite3_vfs{};
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(kRealOffset) + base_vfs->szOsFile;
    vfs.mxPathname = base_vfs->mxPathname;
    vfs.zName = kName;
    vfs.xOpen = x_open;
    vfs.xDelete = x_delete;
    vfs.xAccess = x_access;
    vfs.xFullPathname = x_full_pathname;
    vfs.xDlOpen = x_dl_open;
    vfs.xDlError = x_dl_error;
    vfs.xDlSym = x_dl_sym;
    vfs.xDlClose = x_dl_close;
    vfs.xRandomness = x_randomness;
    vfs.xSleep = x_sleep;
    vfs.xCurrentTime = x_current_time;
    vfs.xGetLastError = x_get_last_error;
    vfs.xCurrentTimeInt64 = x_current_time_int64;
    rc = sqlite3_vfs_register(&vfs, 0);
  });
  if (rc != SQLITE_OK) {
    throw Error(Code::database, std::string("cannot register the SQLite VFS ") + kName + ": " +
                                    sqlite3_errstr(rc));
  }
  return kName;
}

}  // namespace agora::store::sqlite
