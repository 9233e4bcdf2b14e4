// Keys kept outside the database they protect (the casework data key, the
// checkpoint signing key): from the configuration (or its environment
// variable), else from a key file. Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace carecity::app {

// Where a 32-byte key comes from, and the settings that name it in errors.
struct KeySource {
  std::string hex;           // the configured value, 64 hex characters ("" = none)
  std::string file;          // the key file, read when `hex` is empty
  std::string hex_setting;   // e.g. "casework.data_key"
  std::string file_setting;  // e.g. "casework.data_key_file"
  std::string purpose;       // e.g. "casework data key", for the log line when a file is created
};

// The key's 32 bytes. When nothing is configured and the file is missing:
// with `create`, a new random key written to the file (mode 0600, fsynced);
// without, nullopt (and no file is made). Errors: invalid_config naming the
// setting (malformed hex, a file that cannot be read or created).
Result<std::optional<std::string>> LoadKey(const KeySource& source, bool create);

// A file that belongs beside the database: "<sqlite path><suffix>" for a
// SQLite URL, else `elsewhere` (relative to the working directory).
std::string BesideDatabase(const std::string& db_url, std::string_view suffix, std::string_view elsewhere);

}  // namespace carecity::app
