#include "media/poster.h"

#include <qrencode.h>
#include <vips/vips.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "media/image.h"
#include "media/vips_ptr.h"

namespace carecity::media {
namespace {

constexpr int kMargin = 40;
constexpr int kCoverHeight = 500;
constexpr const char* kFont = "WenQuanYi Micro Hei";

Error VipsFailed(const char* what) {
  std::string detail = std::string(what) + ": " + vips_error_buffer();
  vips_error_clear();
  return Error::Internal(detail);
}

struct Rgb {
  double r, g, b;
};
constexpr Rgb kPaper{255, 250, 244};
constexpr Rgb kBrand{200, 62, 45};
constexpr Rgb kInk{34, 34, 34};
constexpr Rgb kGrey{110, 110, 110};

Result<bool> Fill(VipsImage* canvas, Rgb c, int x, int y, int w, int h) {
  double ink[3] = {c.r, c.g, c.b};
  if (vips_draw_rect(canvas, ink, 3, x, y, w, h, "fill", TRUE, nullptr) != 0) {
    return VipsFailed("draw_rect");
  }
  return true;
}

// Draws `text` wrapped to `width`, at most `max_height` tall; returns the
// height drawn (0 for no text).
Result<int> Text(VipsImage* canvas, const std::string& text, int size, bool bold, Rgb colour, int x, int y,
                 int width, int max_height) {
  if (text.empty() || max_height <= 0) {
    return 0;
  }
  // Pango reads markup-free text here (vips_text takes Pango markup: escape it).
  gchar* escaped = g_markup_escape_text(text.c_str(), static_cast<gssize>(text.size()));
  const std::string font = std::string(kFont) + (bold ? " Bold " : " ") + std::to_string(size);
  VipsImage* raw = nullptr;
  const int rc = vips_text(&raw, escaped, "font", font.c_str(), "width", width, "dpi", 72, "spacing", size / 2,
                           nullptr);
  g_free(escaped);
  ImagePtr mask(raw);
  if (rc != 0) {
    return VipsFailed("text");
  }
  int h = std::min(mask->Ysize, max_height);
  if (h < mask->Ysize) {
    VipsImage* cut = nullptr;
    if (vips_extract_area(mask.get(), &cut, 0, 0, mask->Xsize, h, nullptr) != 0) {
      return VipsFailed("extract_area");
    }
    mask.reset(cut);
  }
  double ink[3] = {colour.r, colour.g, colour.b};
  if (vips_draw_mask(canvas, ink, 3, mask.get(), x, y, nullptr) != 0) {
    return VipsFailed("draw_mask");
  }
  return h;
}

Result<bool> Qr(VipsImage* canvas, const std::string& url, int x, int y, int side) {
  QRcode* qr = QRcode_encodeString(url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == nullptr) {
    return Error::Internal("qr: cannot encode the URL");
  }
  const int quiet = 2;
  const int n = qr->width + 2 * quiet;
  std::vector<unsigned char> dark(static_cast<size_t>(n) * n, 0);
  for (int r = 0; r < qr->width; ++r) {
    for (int c = 0; c < qr->width; ++c) {
      if (qr->data[r * qr->width + c] & 1) {
        dark[static_cast<size_t>(r + quiet) * n + c + quiet] = 255;
      }
    }
  }
  QRcode_free(qr);
  const int scale = std::max(1, side / n);
  ImagePtr modules(vips_image_new_from_memory_copy(dark.data(), dark.size(), n, n, 1, VIPS_FORMAT_UCHAR));
  VipsImage* zoomed = nullptr;
  if (!modules || vips_zoom(modules.get(), &zoomed, scale, scale, nullptr) != 0) {
    return VipsFailed("zoom");
  }
  ImagePtr mask(zoomed);
  const int drawn = n * scale;
  const int ox = x + (side - drawn) / 2;
  const int oy = y + (side - drawn) / 2;
  CC_TRY(Fill(canvas, {255, 255, 255}, x, y, side, side));
  double ink[3] = {0, 0, 0};
  if (vips_draw_mask(canvas, ink, 3, mask.get(), ox, oy, nullptr) != 0) {
    return VipsFailed("draw_mask");
  }
  return true;
}

// The cover scaled to fill the header and cropped to it.
Result<bool> Cover(VipsImage* canvas, const std::string& webp) {
  VipsImage* thumb = nullptr;
  if (vips_thumbnail_buffer(const_cast<char*>(webp.data()), webp.size(), &thumb, kPosterWidth, "height",
                            kCoverHeight, "crop", VIPS_INTERESTING_CENTRE, nullptr) != 0) {
    return VipsFailed("thumbnail");
  }
  ImagePtr cover(thumb);
  if (cover->Bands == 4) {
    VipsImage* flat = nullptr;
    double paper[3] = {kPaper.r, kPaper.g, kPaper.b};
    if (vips_flatten(cover.get(), &flat, "background", vips_array_double_new(paper, 3), nullptr) != 0) {
      return VipsFailed("flatten");
    }
    cover.reset(flat);
  }
  if (cover->Bands != 3) {
    VipsImage* rgb = nullptr;
    if (vips_colourspace(cover.get(), &rgb, VIPS_INTERPRETATION_sRGB, nullptr) != 0) {
      return VipsFailed("colourspace");
    }
    cover.reset(rgb);
  }
  VipsImage* cast = nullptr;
  if (vips_cast_uchar(cover.get(), &cast, nullptr) != 0) {
    return VipsFailed("cast");
  }
  cover.reset(cast);
  if (vips_draw_image(canvas, cover.get(), (kPosterWidth - cover->Xsize) / 2, 0, nullptr) != 0) {
    return VipsFailed("draw_image");
  }
  return true;
}

}  // namespace

Result<std::string> RenderPoster(const PosterSpec& spec) {
  if (!InitImages()) {
    return Error::Internal("libvips failed to start");
  }
  VipsImage* black = nullptr;
  if (vips_black(&black, kPosterWidth, kPosterHeight, "bands", 3, nullptr) != 0) {
    return VipsFailed("black");
  }
  ImagePtr base(black);
  VipsImage* memory = vips_image_copy_memory(base.get());  // the draw operations paint in place
  if (memory == nullptr) {
    return VipsFailed("copy_memory");
  }
  ImagePtr canvas(memory);
  VipsImage* c = canvas.get();
  CC_TRY(Fill(c, kPaper, 0, 0, kPosterWidth, kPosterHeight));
  int y = 0;
  if (!spec.cover_webp.empty()) {
    auto drawn = Cover(c, spec.cover_webp);
    if (!drawn.ok()) {  // a cover it cannot read leaves the plain header
      CC_TRY(Fill(c, kBrand, 0, 0, kPosterWidth, kCoverHeight));
    }
    y = kCoverHeight;
  } else {
    CC_TRY(Fill(c, kBrand, 0, 0, kPosterWidth, 240));
    auto h = Text(c, spec.brand, 64, true, {255, 255, 255}, kMargin, 80, kPosterWidth - 2 * kMargin, 90);
    CC_TRY(h);
    y = 240;
  }
  y += 36;
  const int width = kPosterWidth - 2 * kMargin;
  auto label = Text(c, spec.label, 26, false, kBrand, kMargin, y, width, 40);
  CC_TRY(label);
  y += *label + 20;
  auto title = Text(c, spec.title, 46, true, kInk, kMargin, y, width, 3 * 70);
  CC_TRY(title);
  y += *title + 28;
  const int footer = kPosterHeight - 300;
  auto text = Text(c, spec.text, 28, false, kGrey, kMargin, y, width, std::min(5 * 44, footer - 30 - y));
  CC_TRY(text);
  CC_TRY(Fill(c, {228, 222, 214}, kMargin, footer, width, 2));
  CC_TRY(Qr(c, spec.url, kPosterWidth - kMargin - 220, footer + 40, 220));
  auto brand = Text(c, spec.brand, 44, true, kBrand, kMargin, footer + 70, 400, 60);
  CC_TRY(brand);
  auto hint = Text(c, spec.scan_hint, 26, false, kGrey, kMargin, footer + 150, 400, 80);
  CC_TRY(hint);
  void* buf = nullptr;
  size_t len = 0;
  if (vips_pngsave_buffer(c, &buf, &len, "compression", 6, nullptr) != 0) {
    return VipsFailed("pngsave");
  }
  std::string png(static_cast<const char*>(buf), len);
  g_free(buf);
  return png;
}

}  // namespace carecity::media
