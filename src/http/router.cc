#include "http/router.h"

#include <algorithm>

namespace carecity::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) {
      out.push_back(path.substr(start, end - start));
    }
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  return out;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  Route r{std::move(method), pattern, {}, std::move(handler), options};
  for (std::string_view s : Split(pattern)) {
    r.segments.emplace_back(s);
  }
  routes_.push_back(std::move(r));
}

void Router::AddWebSocket(std::string pattern, WebSocketHandler handler) {
  Add("GET", std::move(pattern), nullptr);
  routes_.back().websocket = std::move(handler);
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  const auto parts = Split(path);
  Match result;
  for (const Route& r : routes_) {
    if (r.segments.size() != parts.size()) {
      continue;
    }
    std::vector<std::pair<std::string, std::string>> params;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& seg = r.segments[i];
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        params.emplace_back(seg.substr(1, seg.size() - 2), std::string(parts[i]));
      } else {
        ok = seg == parts[i];
      }
    }
    if (!ok) {
      continue;
    }
    if (r.method != method) {
      result.path_matched = true;
      result.route = r.pattern;
      continue;
    }
    if (r.websocket) {
      result.websocket = &r.websocket;
    } else {
      result.handler = &r.handler;
    }
    result.route = r.pattern;
    result.from_servers = r.options.from_servers;
    result.options = &r.options;
    result.params = std::move(params);
    return result;
  }
  return result;
}

}  // namespace carecity::http
