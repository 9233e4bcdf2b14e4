// Upload bodies for the file routes' tests: bytes with NULs and high bytes
// in them (so a text round trip would show), as a PDF or a PNG by their
// magic numbers.
#pragma once

#include <cstddef>
#include <string>

namespace carecity::testing {

inline std::string Binary(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) {
    s[i] = static_cast<char>((i * 37 + 11) % 256);
  }
  return s;
}
inline std::string Pdf(size_t n = 2000) { return "%PDF-1.7\n" + Binary(n) + "\n%%EOF\n"; }
inline std::string Png(size_t n = 1500) { return std::string("\x89PNG\r\n\x1A\n", 8) + Binary(n); }

}  // namespace carecity::testing
