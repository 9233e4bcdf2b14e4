// Uploaded images as stored: plain data, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace carecity::media {

inline constexpr std::string_view kFullVariant = "full";
inline constexpr std::string_view kThumbVariant = "thumb";

struct Image {
  int64_t id = 0;          // internal; never leaves the server
  std::string public_id;   // NewPublicId: the id in URLs
  int64_t owner_id = 0;
  int width = 0;           // upright, as uploaded
  int height = 0;
  std::string source_type;  // "jpeg", "png", "webp"
  std::optional<std::string> attached_to;  // "shop_item:12", set by the domain using it
  int64_t created_at_ms = 0;
};

// One stored variant, ready to serve.
struct VariantBody {
  std::string etag;   // quoted strong validator: "\"<hex>\""
  std::string bytes;  // image/webp; empty when not_modified
  bool not_modified = false;  // the client's copy (If-None-Match) is this one
};

// "/media/images/{public_id}/{variant}.webp": where a variant is served.
std::string ImageUrl(std::string_view public_id, std::string_view variant);

// True for "full" and "thumb".
bool IsVariantName(std::string_view name);

}  // namespace carecity::media
