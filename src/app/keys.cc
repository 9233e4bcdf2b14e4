#include "app/keys.h"

#include <fcntl.h>
#include <unistd.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/crypto.h"

namespace carecity::app {

Result<std::optional<std::string>> LoadKey(const KeySource& source, bool create) {
  if (!source.hex.empty()) {
    auto key = ParseDataKey(source.hex);
    if (!key) {
      return Error::Invalid("invalid_config", source.hex_setting, "expected 64 hex characters");
    }
    return std::optional<std::string>(std::move(*key));
  }
  const std::string& path = source.file;
  if (std::ifstream in(path); in) {
    std::string hex;
    std::getline(in, hex);
    auto key = ParseDataKey(hex);
    if (!key) {
      return Error::Invalid("invalid_config", source.file_setting, path + " does not hold 64 hex characters");
    }
    return std::optional<std::string>(std::move(*key));
  }
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return Error{ErrorCode::kUnavailable, "invalid_config", source.file_setting, "cannot read " + path};
  }
  if (!create) {
    return std::optional<std::string>();
  }
  const std::string hex = NewDataKeyHex();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    return Error{ErrorCode::kUnavailable, "invalid_config", source.file_setting,
                 "cannot create " + path + ": " + std::strerror(errno)};
  }
  const std::string line = hex + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    return Error{ErrorCode::kUnavailable, "invalid_config", source.file_setting, "cannot write " + path};
  }
  spdlog::warn("created a new {} in {} (back it up with the database; keep it secret)", source.purpose, path);
  return ParseDataKey(hex);
}

std::string BesideDatabase(const std::string& db_url, std::string_view suffix, std::string_view elsewhere) {
  if (db_url.rfind("sqlite:", 0) == 0) {
    return db_url.substr(7) + std::string(suffix);
  }
  return std::string(elsewhere);
}

}  // namespace carecity::app
