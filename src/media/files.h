// Uploaded documents (PDF and images) that domains keep: the pure checks on
// a file (its real type from its bytes, a safe name, the size), the HTTP
// parts every upload and download route shares, and the content-addressed
// store (stored_files) the training and talent domains keep their files in.
// A file is reachable only through the row that names it (a material, a
// qualification): that row's rules decide who reads it, never its hash.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/router.h"
#include "media/model.h"

namespace carecity::media {

// 10 MiB a file: a phone photo or a scanned document.
constexpr int64_t kMaxFileBytes = 10LL * 1024 * 1024;
constexpr size_t kMaxFileName = 120;  // code points

// The content type the bytes really are: "application/pdf" (%PDF-),
// "image/jpeg", "image/png" or "image/webp" (SniffImageType), or nullopt
// for anything else, whatever the request's Content-Type said.
std::optional<std::string> SniffFileType(std::string_view bytes);

// A name safe to store and to send back in Content-Disposition: the last
// path segment (after any '/' or '\'), control and bidirectional-override
// characters dropped, white space trimmed, cut to kMaxFileName code points.
// The extension is made to match `content_type` (".pdf", ".jpg", ".png",
// ".webp"), so a PDF is never saved as "x.html". An empty result becomes
// `fallback` plus the extension. `raw` must be valid UTF-8.
std::string SanitiseFileName(std::string_view raw, std::string_view content_type,
                             std::string_view fallback = "附件");

// An upload's file name as given (`?name=`): it is sanitised later
// (SanitiseFileName cuts it to kMaxFileName), not refused for its length,
// but more than four times that is no name (too_long), and it must be
// UTF-8 (invalid_utf8); both naming `field`.
Status CheckUploadName(std::string_view raw, const std::string& field = "name");

// An upload's bytes checked: not empty (file_empty, 400), at most `max`
// bytes (file_too_large, 413), a PDF or an image by its bytes (file_type,
// 422); all with field "file". Returns the real content type.
Result<std::string> CheckFile(std::string_view bytes, int64_t max = kMaxFileBytes);

// `attachment; filename="…"; filename*=UTF-8''…` (or `inline; …`): an ASCII
// fallback (one '_' for each other character, quote or backslash) and the
// exact UTF-8 name percent-encoded (RFC 6266 / RFC 8187).
std::string ContentDisposition(std::string_view file_name, bool inline_ = false);

// Route options for a raw-bytes upload of at most `max` bytes: one byte
// over is read, so a file just too large is named as such by CheckFile; a
// larger body is refused unread (413 body_too_large). The accepted body
// types are the four file types and application/octet-stream, none of
// which a cross-site form can send, so browsers still preflight.
http::RouteOptions UploadRoute(int64_t max = kMaxFileBytes);

// A file to send back: its type, its (sanitised) name and its bytes.
struct FileDownload {
  std::string content_type;
  std::string file_name;
  std::string bytes;
};

// A stored file sent back: its type, nosniff, never kept by a shared cache.
// Images go inline (an <img> shows them); anything else as an attachment.
http::Response FileResponse(const std::string& content_type, std::string_view file_name, std::string bytes);
inline http::Response FileResponse(FileDownload f) {
  return FileResponse(f.content_type, f.file_name, std::move(f.bytes));
}

// An upload checked (CheckFile) and hashed: its metadata, ready for
// repo::PutFile (media/repo.h). Hashing 10 MiB is CPU work, so it runs on
// `cpu`, neither on an I/O thread nor on the SQLite writer.
boost::asio::awaitable<Result<StoredFile>> CheckAndHash(boost::asio::thread_pool& cpu, const std::string& bytes,
                                                        int64_t max = kMaxFileBytes);

}  // namespace carecity::media
