// Attachments (附件) of 关爱基金 applications: PDF or image files an
// organisation adds to its application while it may still amend it. The
// rules (who, when, how many) live in GrantsService (attachments.cc); this
// header holds the plain model and its JSON; the checks on a file (its real
// type, a safe name) are media/files.h's. No I/O; thread-safe.
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

// One file's metadata: {id, label, name, content_type, size_bytes, sha256,
// created_at_ms, url} (url: where its bytes are downloaded).
boost::json::object AttachmentJson(const std::string& app_public_id, const Attachment& f);
// The application's files, each as AttachmentJson (`[]` when none).
boost::json::array AttachmentsJson(const std::string& app_public_id, const std::vector<Attachment>& files);

}  // namespace carecity::grants
