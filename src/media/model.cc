#include "media/model.h"

#include <algorithm>
#include <charconv>

namespace carecity::media {

std::string ImageUrl(std::string_view public_id, std::string_view variant) {
  std::string url = "/media/images/";
  url += public_id;
  url += '/';
  url += variant;
  url += ".webp";
  return url;
}

std::string EncodePhotos(const std::vector<Image>& photos) {
  std::string out;
  for (const Image& p : photos) {
    if (!out.empty()) {
      out += ' ';
    }
    out += p.public_id + ':' + std::to_string(p.width) + ':' + std::to_string(p.height);
  }
  return out;
}

std::vector<Image> DecodePhotos(std::string_view text) {
  std::vector<Image> out;
  while (!text.empty()) {
    const size_t end = std::min(text.find(' '), text.size());
    const std::string_view entry = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    const size_t a = entry.find(':');
    const size_t b = a == std::string_view::npos ? a : entry.find(':', a + 1);
    if (b == std::string_view::npos) {
      continue;
    }
    Image image;
    image.public_id = std::string(entry.substr(0, a));
    const std::string_view w = entry.substr(a + 1, b - a - 1);
    const std::string_view h = entry.substr(b + 1);
    if (std::from_chars(w.data(), w.data() + w.size(), image.width).ec != std::errc() ||
        std::from_chars(h.data(), h.data() + h.size(), image.height).ec != std::errc()) {
      continue;
    }
    out.push_back(std::move(image));
  }
  return out;
}

bool IsVariantName(std::string_view name) { return name == kFullVariant || name == kThumbVariant; }

}  // namespace carecity::media
