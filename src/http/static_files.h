// Serves the built web app (web/dist): hashed assets under /assets/ with a
// one-year immutable cache, precompressed .br/.gz siblings when the client
// accepts them, and index.html for any other unknown path (history-mode
// routing in the browser). Thread-safe: reads files on each request and
// keeps no state beyond the root path.
#pragma once

#include <optional>
#include <string>

#include "http/message.h"

namespace carecity::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root);

  // A response for GET/HEAD `req`, or nullopt when the web app is not built
  // (no index.html under root).
  std::optional<Response> Serve(const Request& req) const;

 private:
  std::string root_;
};

}  // namespace carecity::http
