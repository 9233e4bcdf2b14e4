// CSV for spreadsheet exports (RFC 4180): every field quoted, quotes doubled.
#pragma once

#include <string>
#include <string_view>

namespace carecity::http {

inline std::string CsvField(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    out += c == '"' ? std::string_view("\"\"") : std::string_view(&c, 1);
  }
  return out + "\"";
}

}  // namespace carecity::http
