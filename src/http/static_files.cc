#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

namespace carecity::http {
namespace {

namespace fs = std::filesystem;

std::string_view MimeType(std::string_view ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".webmanifest") return "application/manifest+json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".webp") return "image/webp";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".map") return "application/json";
  return "application/octet-stream";
}

std::optional<std::string> ReadFile(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) {
    return std::nullopt;
  }
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Accepts(std::string_view accept_encoding, std::string_view coding) {
  // Good enough for real browsers: they list codings without q=0.
  return accept_encoding.find(coding) != std::string_view::npos;
}

}  // namespace

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {}

std::optional<Response> StaticFiles::Serve(const Request& req) const {
  // Refuse anything that could climb out of the root.
  std::string rel = req.path;
  if (rel.find("..") != std::string::npos || rel.find('\\') != std::string::npos || rel.find('\0') != std::string::npos) {
    rel = "/";
  }
  while (!rel.empty() && rel.front() == '/') {
    rel.erase(0, 1);
  }
  fs::path file = fs::path(root_) / rel;
  std::error_code ec;
  bool is_asset = rel.rfind("assets/", 0) == 0;
  if (rel.empty() || !fs::is_regular_file(file, ec)) {
    if (is_asset) {
      // A missing hashed asset is a real 404, not the app shell.
      Response r;
      r.status = 404;
      r.Set("Content-Type", "text/plain; charset=utf-8");
      r.Set("Cache-Control", "no-store");
      r.body = "not found\n";
      return r;
    }
    file = fs::path(root_) / "index.html";
    is_asset = false;
    if (!fs::is_regular_file(file, ec)) {
      return std::nullopt;
    }
  }
  Response r;
  const std::string ext = file.extension().string();
  r.Set("Content-Type", std::string(MimeType(ext)));
  const std::string_view accept = req.Header("accept-encoding");
  std::optional<std::string> body;
  for (const auto& [coding, suffix] : {std::pair{"br", ".br"}, std::pair{"gzip", ".gz"}}) {
    if (Accepts(accept, coding)) {
      body = ReadFile(fs::path(file.string() + suffix));
      if (body) {
        r.Set("Content-Encoding", coding);
        break;
      }
    }
  }
  if (!body) {
    body = ReadFile(file);
    if (!body) {
      return std::nullopt;
    }
  }
  r.Set("Vary", "Accept-Encoding");
  if (is_asset) {
    r.Set("Cache-Control", "public, max-age=31536000, immutable");
  } else {
    // The shell and the service worker must be revalidated so updates arrive.
    r.Set("Cache-Control", "no-cache");
  }
  r.body = std::move(*body);
  return r;
}

}  // namespace carecity::http
