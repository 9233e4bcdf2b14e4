#include "media/image.h"

#include <vips/vips.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include "media/vips_ptr.h"

namespace carecity::media {
namespace {

constexpr const char* kField = "image";
constexpr int kMaxJpegShrink = 8;  // libjpeg decodes at 1/1, 1/2, 1/4 or 1/8 scale

Error ImageError(ErrorCode code, const char* key, std::string detail = {}) {
  return Error{code, key, kField, std::move(detail)};
}

// libvips keeps errors in a per-thread buffer; take and clear it.
std::string TakeVipsError() {
  std::string text = vips_error_buffer();
  vips_error_clear();
  return text;
}

bool StartsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() && std::memcmp(bytes.data(), prefix.data(), prefix.size()) == 0;
}

// Opens the image with our own loader for its sniffed type (never libvips'
// choice), reading only the header: pixels are decoded later, on demand,
// and any decoder error then fails the operation (fail_on=error).
// `shrink` (JPEG) and `scale` (WebP) decode at a reduced size.
ImagePtr Load(ImageType type, std::string_view bytes, int shrink, double scale) {
  VipsImage* out = nullptr;
  void* buf = const_cast<char*>(bytes.data());  // libvips reads only
  int rc = -1;
  switch (type) {
    case ImageType::kJpeg:
      rc = vips_jpegload_buffer(buf, bytes.size(), &out, "fail_on", VIPS_FAIL_ON_ERROR, "shrink", shrink,
                                "access", VIPS_ACCESS_SEQUENTIAL, nullptr);
      break;
    case ImageType::kPng:
      rc = vips_pngload_buffer(buf, bytes.size(), &out, "fail_on", VIPS_FAIL_ON_ERROR, "access",
                               VIPS_ACCESS_SEQUENTIAL, nullptr);
      break;
    case ImageType::kWebp:
      rc = vips_webpload_buffer(buf, bytes.size(), &out, "fail_on", VIPS_FAIL_ON_ERROR, "scale", scale,
                                "access", VIPS_ACCESS_SEQUENTIAL, nullptr);
      break;
  }
  if (rc != 0) {
    g_clear_object(&out);
  }
  return ImagePtr(out);
}

// Scales `in` down (never up) to fit max_px × max_px.
ImagePtr FitInBox(VipsImage* in, int max_px) {
  VipsImage* out = nullptr;
  if (vips_thumbnail_image(in, &out, max_px, "height", max_px, "size", VIPS_SIZE_DOWN, "no_rotate", TRUE,
                           nullptr) != 0) {
    return nullptr;
  }
  return ImagePtr(out);
}

// Decodes the whole pipeline into memory: where decoder errors surface.
ImagePtr Materialise(VipsImage* in) {
  return ImagePtr(vips_image_copy_memory(in));
}

ImagePtr AutoRotate(VipsImage* in) {
  VipsImage* out = nullptr;
  if (vips_autorot(in, &out, nullptr) != 0) {
    return nullptr;
  }
  return ImagePtr(out);
}

// A copy of `in` without any metadata: EXIF (GPS positions, camera
// serials), XMP, IPTC, ICC. Saving with `strip` alone still wrote EXIF and
// XMP chunks into WebP here (libvips 8.14), so the fields go first.
ImagePtr WithoutMetadata(VipsImage* in) {
  VipsImage* copy = nullptr;
  if (vips_copy(in, &copy, nullptr) != 0) {
    return nullptr;
  }
  ImagePtr out(copy);
  gchar** fields = vips_image_get_fields(copy);
  for (gchar** f = fields; f != nullptr && *f != nullptr; ++f) {
    vips_image_remove(copy, *f);  // refuses (harmlessly) the basic header fields
  }
  g_strfreev(fields);
  return out;
}

uint32_t Le32At(std::string_view s, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}

void PutLe32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    s[at + static_cast<size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
  }
}

// The WebP container without its metadata chunks (EXIF, XMP, ICC) and with
// the extended header's flags for them cleared. libvips 8.14 writes an EXIF
// chunk even with `strip` set, so the bytes are cleaned here, where a test
// can see the result. nullopt if the container is malformed.
std::optional<std::string> DropWebpMetadata(std::string_view webp) {
  constexpr size_t kHeader = 12;  // "RIFF" size "WEBP"
  constexpr char kMetadataFlags = 0x20 | 0x08 | 0x04;  // ICC, EXIF, XMP
  if (webp.size() < kHeader || webp.substr(0, 4) != "RIFF" || webp.substr(8, 4) != "WEBP") {
    return std::nullopt;
  }
  std::string out(webp.substr(0, kHeader));
  size_t at = kHeader;
  while (at + 8 <= webp.size()) {
    const std::string_view type = webp.substr(at, 4);
    const size_t size = Le32At(webp, at + 4);
    const size_t whole = 8 + size + (size & 1);
    if (at + 8 + size > webp.size()) {
      return std::nullopt;
    }
    if (type != "EXIF" && type != "XMP " && type != "ICCP") {
      const size_t start = out.size();
      out.append(webp.substr(at, std::min(whole, webp.size() - at)));
      if (type == "VP8X" && size > 0) {
        out[start + 8] = static_cast<char>(out[start + 8] & ~kMetadataFlags);
      }
    }
    at += whole;
  }
  PutLe32(out, 4, static_cast<uint32_t>(out.size() - 8));
  return out;
}

std::optional<std::string> EncodeWebp(VipsImage* image, int quality) {
  ImagePtr in = WithoutMetadata(image);
  if (!in) {
    return std::nullopt;
  }
  void* buf = nullptr;
  size_t len = 0;
  if (vips_webpsave_buffer(in.get(), &buf, &len, "Q", quality, "strip", TRUE, nullptr) != 0) {
    return std::nullopt;
  }
  const std::string encoded(static_cast<const char*>(buf), len);
  g_free(buf);
  return DropWebpMetadata(encoded);
}

}  // namespace

std::string_view ImageTypeName(ImageType t) {
  switch (t) {
    case ImageType::kJpeg:
      return "jpeg";
    case ImageType::kPng:
      return "png";
    case ImageType::kWebp:
      return "webp";
  }
  return "jpeg";
}

std::optional<ImageType> SniffImageType(std::string_view bytes) {
  if (StartsWith(bytes, "\xFF\xD8\xFF")) {
    return ImageType::kJpeg;
  }
  if (StartsWith(bytes, "\x89PNG\r\n\x1A\n")) {
    return ImageType::kPng;
  }
  if (bytes.size() >= 16 && StartsWith(bytes, "RIFF") && bytes.substr(8, 4) == "WEBP") {
    return ImageType::kWebp;
  }
  return std::nullopt;
}

bool InitImages() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    ok = VIPS_INIT("carecity") == 0;
    if (!ok) {
      return;
    }
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    // Loaders that have not been fuzzed for hostile input stay off, in case
    // anything ever reaches libvips' own format detection.
    vips_block_untrusted_set(TRUE);
  });
  return ok;
}

Result<ProcessedImage> ProcessImage(std::string_view bytes, const ImageLimits& limits,
                                    const std::vector<VariantSpec>& specs, int webp_quality) {
  if (bytes.empty()) {
    return ImageError(ErrorCode::kInvalid, "image_empty");
  }
  if (static_cast<int64_t>(bytes.size()) > limits.max_bytes) {
    return ImageError(ErrorCode::kTooLarge, "image_too_large");
  }
  const auto type = SniffImageType(bytes);
  if (!type) {
    return ImageError(ErrorCode::kUnsupportedMedia, "image_type_unsupported");
  }
  if (specs.empty()) {
    return Error::Internal("no image variants configured");
  }

  // The header alone: its size decides whether we decode at all.
  ImagePtr header = Load(*type, bytes, 1, 1.0);
  if (!header) {
    return ImageError(ErrorCode::kUnprocessable, "image_corrupt", TakeVipsError());
  }
  const int64_t w = vips_image_get_width(header.get());
  const int64_t h = vips_image_get_height(header.get());
  if (w <= 0 || h <= 0 || w > limits.max_side_px || h > limits.max_side_px || w * h > limits.max_pixels) {
    return ImageError(ErrorCode::kUnprocessable, "image_dimensions_too_large",
                      std::to_string(w) + "x" + std::to_string(h));
  }
  const bool sideways = vips_image_get_orientation_swap(header.get()) != 0;  // EXIF 5..8
  header.reset();

  // Decode no more than the largest variant needs.
  const int largest = std::max_element(specs.begin(), specs.end(), [](const VariantSpec& a, const VariantSpec& b) {
                        return a.max_px < b.max_px;
                      })->max_px;
  const int64_t long_side = std::max(w, h);
  int shrink = 1;
  while (shrink < kMaxJpegShrink && long_side / (shrink * 2) >= largest) {
    shrink *= 2;
  }
  const double scale = long_side > largest ? static_cast<double>(largest) / static_cast<double>(long_side) : 1.0;
  ImagePtr source = Load(*type, bytes, shrink, scale);
  if (!source) {
    return ImageError(ErrorCode::kUnprocessable, "image_corrupt", TakeVipsError());
  }
  // Scale before rotating (the box is square, so the fit is the same), then
  // decode once; every smaller variant is made from this one in memory.
  ImagePtr fitted = FitInBox(source.get(), largest);
  ImagePtr decoded = fitted ? Materialise(fitted.get()) : nullptr;
  ImagePtr upright = decoded ? AutoRotate(decoded.get()) : nullptr;
  if (!upright) {
    return ImageError(ErrorCode::kUnprocessable, "image_corrupt", TakeVipsError());
  }
  ProcessedImage out;
  out.source_type = *type;
  out.width = static_cast<int>(sideways ? h : w);
  out.height = static_cast<int>(sideways ? w : h);
  for (const VariantSpec& spec : specs) {
    ImagePtr sized = spec.max_px == largest ? ImagePtr(static_cast<VipsImage*>(g_object_ref(upright.get())))
                                            : FitInBox(upright.get(), spec.max_px);
    std::optional<std::string> webp = sized ? EncodeWebp(sized.get(), webp_quality) : std::nullopt;
    if (!webp) {
      return Error::Internal("webp encoding failed: " + TakeVipsError());
    }
    out.variants.push_back(EncodedVariant{spec.name, vips_image_get_width(sized.get()),
                                          vips_image_get_height(sized.get()), std::move(*webp)});
  }
  return out;
}

std::optional<ImageHeader> ReadImageHeader(std::string_view bytes) {
  const auto type = SniffImageType(bytes);
  if (!type) {
    return std::nullopt;
  }
  ImagePtr image = Load(*type, bytes, 1, 1.0);
  if (!image) {
    TakeVipsError();
    return std::nullopt;
  }
  ImageHeader h;
  h.width = vips_image_get_width(image.get());
  h.height = vips_image_get_height(image.get());
  h.has_exif = vips_image_get_typeof(image.get(), VIPS_META_EXIF_NAME) != 0;
  h.has_xmp = vips_image_get_typeof(image.get(), VIPS_META_XMP_NAME) != 0;
  return h;
}

}  // namespace carecity::media
