// Share posters (分享海报): the picture a resident saves from an article,
// an activity, a fund purpose or a lot and sends to a WeChat chat or
// Moments — cover, title, a few lines of text, and a QR code of the page.
// Drawn with libvips (text through Pango with the WenQuanYi Micro Hei font
// Debian's fonts-wqy-microhei installs) and libqrencode.
//
// Thread-safety: pure; call it on the CPU pool (it takes tens of ms).
#pragma once

#include <string>

#include "core/result.h"

namespace carecity::media {

constexpr int kPosterWidth = 750;
constexpr int kPosterHeight = 1334;

struct PosterSpec {
  std::string label;        // a small line above the title ("公益资讯 · 通知公告")
  std::string title;        // at most three lines are drawn
  std::string text;         // at most five lines are drawn
  std::string cover_webp;   // one of our WebP variants, or "" for a plain header
  std::string url;          // the page; its QR code is drawn
  std::string brand;        // "关爱桂城"
  std::string scan_hint;    // "长按识别二维码，查看详情"
};

// A kPosterWidth × kPosterHeight PNG. Errors: internal (libvips failed, or
// the URL cannot be encoded as a QR code).
Result<std::string> RenderPoster(const PosterSpec& spec);

}  // namespace carecity::media
