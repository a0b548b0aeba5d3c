#pragma once
// What every kind of unit test shares: the Code of the agora::Error a call
// throws, and a day in microseconds. Test files take them by using-declaration
// (repeatable in one namespace, so files built together in one unity batch
// agree on them).

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>

#include "core/error.h"

namespace agora::test_support {

inline constexpr int64_t kDayUs = int64_t{86'400} * 1'000'000;

// The Code of the Error `fn` throws; a test failure (and Code::internal) if it
// throws none.
inline Code code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "expected an agora::Error";
  return Code::internal;
}

}  // namespace agora::test_support
