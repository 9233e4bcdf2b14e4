// Uploaded images as stored: plain data, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// The most photos one domain object (a product, a lot) shows.
inline constexpr size_t kMaxPhotos = 9;

// A domain object's ordered photos as the domain stores them beside its row
// ("id:width:height", space-separated), so lists render them without a query
// per row. The copy stays true: an image's size never changes, and an
// attached image cannot be deleted. DecodePhotos skips malformed entries.
std::string EncodePhotos(const std::vector<Image>& photos);
std::vector<Image> DecodePhotos(std::string_view text);

// "/media/images/{public_id}/{variant}.webp": where a variant is served.
std::string ImageUrl(std::string_view public_id, std::string_view variant);

// True for "full" and "thumb".
bool IsVariantName(std::string_view name);

// A document's bytes as stored in stored_files (media/repo.h PutFile),
// keyed by the lower-case hex SHA-256.
struct StoredFile {
  std::string sha256;
  std::string content_type;
  int64_t size_bytes = 0;
};

}  // namespace carecity::media
