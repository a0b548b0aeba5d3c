#include "core/error.h"

namespace agora {

std::string_view code_name(Code code) {
  switch (code) {
#define AGORA_X(e, s, h, t) \
  case Code::e:             \
    return s;
    AGORA_ERROR_CODES(AGORA_X)
#undef AGORA_X
  }
  return "internal";
}

int http_status(Code code) {
  switch (code) {
#define AGORA_X(e, s, h, t) \
  case Code::e:             \
    return h;
    AGORA_ERROR_CODES(AGORA_X)
#undef AGORA_X
  }
  return 500;
}

std::string_view code_title(Code code) {
  switch (code) {
#define AGORA_X(e, s, h, t) \
  case Code::e:             \
    return t;
    AGORA_ERROR_CODES(AGORA_X)
#undef AGORA_X
  }
  return "Internal error";
}

}  // namespace agora
