#pragma once
// AGORA_ASSERT checks an invariant only a bug can break. It stays on in
// release builds: a broken invariant aborts rather than writing bad data.

#include <cstdio>
#include <cstdlib>

#define AGORA_ASSERT(cond)                                                             \
  do {                                                                                 \
    if (!(cond)) [[unlikely]] {                                                        \
      std::fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)
