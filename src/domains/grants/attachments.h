// Attachments (附件) of 关爱基金 applications: PDF or image files an
// organisation adds to its application while it may still amend it. The
// rules (who, when, how many) live in GrantsService (attachments.cc); this
// header holds the plain model and the pure checks on a file: its real type
// from its bytes and a safe file name. No I/O; every function is thread-safe.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carecity::grants {

// 10 MiB a file, 10 files an application (docs/api-grants.md, Attachments).
constexpr int64_t kMaxAttachmentBytes = 10LL * 1024 * 1024;
constexpr int64_t kMaxAttachments = 10;
constexpr size_t kMaxAttachmentName = 120;  // code points
constexpr size_t kMaxAttachmentLabel = 40;  // code points

// One stored file's metadata (the bytes are read only to be served).
struct Attachment {
  int64_t id = 0;
  std::string public_id;
  int64_t application_id = 0;
  std::string label;
  std::string file_name;
  std::string content_type;  // application/pdf, image/jpeg, image/png, image/webp
  int64_t size_bytes = 0;
  std::string sha256;        // lower-case hex of the bytes
  int64_t uploaded_by = 0;
  int64_t created_at_ms = 0;
};

// A file to store, already checked (CheckAttachment).
struct NewAttachment {
  std::string label;
  std::string file_name;
  std::string content_type;
  std::string sha256;
  std::string bytes;
};

// The content type the bytes really are: "application/pdf" (%PDF-),
// "image/jpeg", "image/png" or "image/webp" (media::SniffImageType), or
// nullopt for anything else, whatever the request's Content-Type said.
std::optional<std::string> SniffAttachmentType(std::string_view bytes);

// A name safe to store and to send back in Content-Disposition: the last
// path segment (after any '/' or '\'), control and bidirectional-override
// characters dropped, white space trimmed, cut to kMaxAttachmentName code
// points. The extension is made to match `content_type` (".pdf", ".jpg",
// ".png", ".webp"), so a PDF is never saved as "x.html". An empty result
// becomes "附件" plus the extension. `raw` must be valid UTF-8.
std::string SanitiseFileName(std::string_view raw, std::string_view content_type);

// One file's metadata: {id, label, name, content_type, size_bytes, sha256,
// created_at_ms, url} (url: where its bytes are downloaded).
boost::json::object AttachmentJson(const std::string& app_public_id, const Attachment& f);
// The application's files, each as AttachmentJson (`[]` when none).
boost::json::array AttachmentsJson(const std::string& app_public_id, const std::vector<Attachment>& files);

}  // namespace carecity::grants
