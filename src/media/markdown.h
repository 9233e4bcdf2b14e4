// Markdown for user-written text (shop items, news, forum posts, grant
// applications): CommonMark + GFM tables, strikethrough, autolinks and task
// lists (cmark-gfm), rendered by our own allow-list renderer, so only the
// tags it writes can appear in the output:
//   - raw HTML (blocks, inline tags, comments) is dropped, never passed;
//   - all text and attributes are escaped;
//   - links only to http:, https:, mailto: or this site ("/path", "#frag");
//     other links render as their text;
//   - images only from our own /media/images/{id}/{full|thumb}.webp;
//     other images render as their alt text.
//
// Thread-safety: pure functions, callable from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace carecity::media {

// Markdown longer than this is refused by CheckMarkdown and cut by
// RenderMarkdown (which stays bounded whatever it is given).
constexpr size_t kMaxMarkdownBytes = 100 * 1024;

// too_long naming `field` when `md` is over `max_bytes`; ok otherwise.
// Domains call it when accepting text they will render.
Status CheckMarkdown(std::string_view md, const std::string& field, size_t max_bytes = kMaxMarkdownBytes);

// Safe HTML for `md` (at most its first kMaxMarkdownBytes, cut at a
// character boundary). Invalid UTF-8 becomes U+FFFD. Never fails.
std::string RenderMarkdown(std::string_view md);

// True for a URL a rendered link may point to (see above).
bool IsAllowedLinkUrl(std::string_view url);
// True for the path of one of our image variants.
bool IsOwnImageUrl(std::string_view url);

// Plain text of `md` for previews and snippets: Markdown's marks and line
// breaks dropped, runs of space made one, at most `max_chars` code points
// ("…" where it was cut).
std::string PlainExcerpt(std::string_view md, size_t max_chars);

}  // namespace carecity::media
