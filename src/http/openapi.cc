#include "http/openapi.h"

#include "core/error.h"

namespace agora::http {

Json merge_openapi(const std::vector<OpenApiFragment>& fragments) {
  Json doc = Json::object();
  auto parse = [](const OpenApiFragment& f) {
    try {
      return parse_json(f.text);
    } catch (const Error& e) {
      throw Error(Code::bad_config, std::string("OpenAPI fragment ") + f.name + ": " + e.what());
    }
  };
  for (const auto& f : fragments) {
    if (std::string_view(f.name) == "base.json") doc = parse(f);
  }
  if (!doc.is_object()) throw Error(Code::bad_config, "OpenAPI base.json is not an object");
  for (const auto& f : fragments) {
    if (std::string_view(f.name) == "base.json") continue;
    Json part = parse(f);
    auto fail = [&](const std::string& what) {
      throw Error(Code::bad_config, std::string("OpenAPI fragment ") + f.name + ": " + what);
    };
    if (!part.is_object()) fail("not an object");
    for (auto it = part.begin(); it != part.end(); ++it) {
      if (it.key() != "paths" && it.key() != "components") fail("unexpected key " + it.key());
    }
    if (part.contains("paths")) {
      for (auto& [path, ops] : part["paths"].items()) {
        if (!ops.is_object()) fail("path " + path + " is not an object");
        Json& target = doc["paths"][path];
        for (auto& [method, op] : ops.items()) {
          if (target.contains(method)) fail(method + " " + path + " is defined twice");
          target[method] = op;
        }
      }
    }
    if (part.contains("components")) {
      for (auto& [section, items] : part["components"].items()) {
        if (!items.is_object()) fail("components/" + section + " is not an object");
        Json& target = doc["components"][section];
        for (auto& [name, item] : items.items()) {
          if (target.contains(name)) fail("components/" + section + "/" + name + " is defined twice");
          target[name] = item;
        }
      }
    }
  }
  return doc;
}

const Json& openapi_document() {
  static const Json doc = merge_openapi(openapi_fragments());
  return doc;
}

const std::string& openapi_text() {
  static const std::string text = openapi_document().dump();
  return text;
}

}  // namespace agora::http
