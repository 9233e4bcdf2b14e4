// Uploaded images: the real type from the magic bytes, limits checked from
// the header before any pixel is decoded, EXIF orientation applied and all
// metadata dropped, WebP variants encoded (libvips; its headers stay in
// image.cc).
//
// Thread-safety: InitImages() once per process before any other call (the
// App does it); after that every function may run on any thread. Processing
// is CPU-bound: run it on the CPU pool (db::OnPool), never on an I/O thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace carecity::media {

enum class ImageType { kJpeg, kPng, kWebp };

// "jpeg", "png", "webp".
std::string_view ImageTypeName(ImageType t);

// The type the bytes really are (JPEG, PNG or WebP by their signatures), or
// nullopt for anything else, whatever the request's Content-Type claimed.
std::optional<ImageType> SniffImageType(std::string_view bytes);

struct ImageLimits {
  int64_t max_bytes = 8 * 1024 * 1024;
  int64_t max_side_px = 12000;
  int64_t max_pixels = 40'000'000;
};

// One output size: the image scaled down (never up) to fit a box of
// `max_px` × `max_px`.
struct VariantSpec {
  std::string name;  // "full", "thumb"
  int max_px = 0;
};

struct EncodedVariant {
  std::string name;
  int width = 0;
  int height = 0;
  std::string webp;  // the encoded bytes, no metadata
};

struct ProcessedImage {
  ImageType source_type = ImageType::kJpeg;
  int width = 0;   // upright (after EXIF orientation)
  int height = 0;
  std::vector<EncodedVariant> variants;  // in the order of the specs
};

// Initialises libvips for this process: one worker thread per operation
// (vips_concurrency_set(1): the CPU pool is the parallelism), the operation
// cache off (every upload is different), loaders other than ours blocked.
// Idempotent and thread-safe. Returns false if libvips cannot start.
bool InitImages();

// Checks and converts one upload. Errors (field "image"):
//   image_empty (400), image_too_large (413, over max_bytes),
//   image_type_unsupported (415, not JPEG/PNG/WebP by its bytes),
//   image_dimensions_too_large (422, from the header alone: a side over
//   max_side_px or more than max_pixels — a decompression bomb is refused
//   before its pixels are decoded), image_corrupt (422, the decoder met an
//   error: truncated or damaged data).
// EXIF orientation is applied; EXIF, XMP, IPTC and ICC data (GPS positions,
// camera serials) are not copied into the variants.
Result<ProcessedImage> ProcessImage(std::string_view bytes, const ImageLimits& limits,
                                    const std::vector<VariantSpec>& specs, int webp_quality);

// The header of a WebP/JPEG/PNG (for tests and checks): width, height and
// whether it carries EXIF or XMP metadata. nullopt if it cannot be read.
struct ImageHeader {
  int width = 0;
  int height = 0;
  bool has_exif = false;
  bool has_xmp = false;
};
std::optional<ImageHeader> ReadImageHeader(std::string_view bytes);

}  // namespace carecity::media
