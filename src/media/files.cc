#include "media/files.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "media/image.h"

namespace carecity::media {
namespace {

constexpr std::string_view kPdfMagic = "%PDF-";

// The extensions a file of `content_type` may carry; the first is added
// when the name has none of them.
std::vector<std::string_view> Extensions(std::string_view content_type) {
  if (content_type == "application/pdf") {
    return {".pdf"};
  }
  if (content_type == "image/jpeg") {
    return {".jpg", ".jpeg"};
  }
  if (content_type == "image/png") {
    return {".png"};
  }
  return {".webp"};
}

// Length in bytes of the UTF-8 sequence starting with `lead` (valid input).
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) {
    return 1;
  }
  if (lead < 0xE0) {
    return 2;
  }
  if (lead < 0xF0) {
    return 3;
  }
  return 4;
}

// The code point of the valid UTF-8 sequence `s`.
char32_t Decode(std::string_view s) {
  static constexpr std::array<unsigned char, 5> kLeadMask{0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t cp = static_cast<unsigned char>(s[0]) & kLeadMask[s.size()];
  for (size_t i = 1; i < s.size(); ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  }
  return cp;
}

// Controls (C0, DEL, C1) and the invisible direction marks and overrides
// that make "exe.pdf" look like "fdp.exe" (U+200E/F, U+202A..E, U+2066..9).
bool Dropped(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

// Characters no file system takes in a name, replaced by '_'.
bool Reserved(char32_t cp) {
  return cp == '<' || cp == '>' || cp == ':' || cp == '"' || cp == '|' || cp == '?' || cp == '*';
}

bool EndsWithExtension(std::string_view name, std::string_view ext) {
  return name.size() > ext.size() && AsciiLower(name.substr(name.size() - ext.size())) == ext;
}

// RFC 8187 attr-char: sent as is; every other byte as %XX.
bool AttrChar(unsigned char c) {
  const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return alnum || std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::optional<std::string> SniffFileType(std::string_view bytes) {
  if (bytes.substr(0, kPdfMagic.size()) == kPdfMagic) {
    return "application/pdf";
  }
  const auto image = media::SniffImageType(bytes);
  if (!image) {
    return std::nullopt;
  }
  return "image/" + std::string(media::ImageTypeName(*image));
}

std::string SanitiseFileName(std::string_view raw, std::string_view content_type, std::string_view fallback) {
  // The last path segment only: "C:\fakepath\x.pdf", "../../x.pdf".
  if (const size_t slash = raw.find_last_of("/\\"); slash != std::string_view::npos) {
    raw = raw.substr(slash + 1);
  }
  std::string clean;
  for (size_t at = 0; at < raw.size();) {
    const size_t len = std::min(SequenceLength(static_cast<unsigned char>(raw[at])), raw.size() - at);
    const std::string_view seq = raw.substr(at, len);
    at += len;
    const char32_t cp = Decode(seq);
    if (Dropped(cp)) {
      continue;
    }
    clean += Reserved(cp) ? std::string_view("_") : seq;
  }
  clean = Trim(clean);
  // No hidden files or names of dots alone.
  clean.erase(0, clean.find_first_not_of('.'));
  const auto exts = Extensions(content_type);
  bool has_ext = false;
  for (std::string_view e : exts) {
    has_ext = has_ext || EndsWithExtension(clean, e);
  }
  std::string ext;
  if (has_ext) {
    const size_t dot = clean.rfind('.');
    ext = clean.substr(dot);
    clean.resize(dot);
  } else {
    ext = std::string(exts.front());
  }
  clean = Trim(CutCodePoints(clean, kMaxFileName - CodePointCount(ext)));
  if (clean.empty()) {
    clean = std::string(fallback);
  }
  return clean + ext;
}

Result<std::string> CheckFile(std::string_view bytes, int64_t max) {
  if (bytes.empty()) {
    return Error::Invalid("file_empty", "file");
  }
  if (static_cast<int64_t>(bytes.size()) > max) {
    return Error{ErrorCode::kTooLarge, "file_too_large", "file", {}};
  }
  auto type = SniffFileType(bytes);
  if (!type) {
    return Error::Unprocessable("file_type", "file");
  }
  return std::move(*type);
}

std::string ContentDisposition(std::string_view file_name, bool inline_) {
  std::string ascii;
  std::string encoded;
  for (const char ch : file_name) {
    const auto c = static_cast<unsigned char>(ch);
    // A UTF-8 continuation byte adds nothing: its code point has its '_'.
    if (c < 0x80 || c >= 0xC0) {
      ascii += (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') ? ch : '_';
    }
    if (AttrChar(c)) {
      encoded += ch;
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  return fmt::format("{}; filename=\"{}\"; filename*=UTF-8''{}", inline_ ? "inline" : "attachment", ascii, encoded);
}

Status CheckUploadName(std::string_view raw, const std::string& field) {
  if (!IsValidUtf8(raw)) {
    return Error::Invalid("invalid_utf8", field);
  }
  if (CodePointCount(raw) > 4 * kMaxFileName) {
    return Error::Invalid("too_long", field);
  }
  return {};
}

http::RouteOptions UploadRoute(int64_t max) {
  http::RouteOptions o;
  o.max_body_bytes = max + 1;
  o.body_types = {"application/pdf", "image/jpeg", "image/png", "image/webp", "application/octet-stream"};
  return o;
}

http::Response FileResponse(const std::string& content_type, std::string_view file_name, std::string bytes) {
  http::Response res;
  res.Set("Content-Type", content_type);
  res.Set("Content-Disposition", ContentDisposition(file_name, content_type.starts_with("image/")));
  res.Set("X-Content-Type-Options", "nosniff");
  // People's papers: the browser may keep them, no shared cache may.
  res.Set("Cache-Control", "private, no-store");
  res.body = std::move(bytes);
  return res;
}

boost::asio::awaitable<Result<StoredFile>> CheckAndHash(boost::asio::thread_pool& cpu, const std::string& bytes,
                                                        int64_t max) {
  auto type = CheckFile(bytes, max);
  if (!type.ok()) {
    co_return std::move(type).error();
  }
  StoredFile f;
  f.content_type = std::move(*type);
  f.size_bytes = static_cast<int64_t>(bytes.size());
  f.sha256 = co_await db::OnPool(cpu, [&bytes] { return Sha256Hex(bytes); });
  co_return f;
}

}  // namespace carecity::media
