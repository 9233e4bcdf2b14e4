#include "media/model.h"

namespace carecity::media {

std::string ImageUrl(std::string_view public_id, std::string_view variant) {
  std::string url = "/media/images/";
  url += public_id;
  url += '/';
  url += variant;
  url += ".webp";
  return url;
}

bool IsVariantName(std::string_view name) { return name == kFullVariant || name == kThumbVariant; }

}  // namespace carecity::media
