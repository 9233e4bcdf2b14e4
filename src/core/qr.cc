#include "core/qr.h"

#include <fmt/format.h>
#include <qrencode.h>

namespace carecity {

std::string QrSvg(const std::string& text) {
  QRcode* qr = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
  if (qr == nullptr) {
    return {};
  }
  const int n = qr->width;
  constexpr int kQuiet = 4;
  std::string path;
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      if (qr->data[y * n + x] & 1) {
        path += fmt::format("M{},{}h1v1h-1z", x + kQuiet, y + kQuiet);
      }
    }
  }
  QRcode_free(qr);
  const int size = n + 2 * kQuiet;
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {0}\" shape-rendering=\"crispEdges\">"
      "<rect width=\"{0}\" height=\"{0}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{1}\"/></svg>",
      size, path);
}

}  // namespace carecity
