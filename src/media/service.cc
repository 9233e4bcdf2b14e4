#include "media/service.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/crypto.h"
#include "db/await.h"
#include "db/rate_limit.h"
#include "media/repo.h"

namespace carecity::media {
namespace {

using accounts::Principal;
using accounts::Role;

constexpr size_t kEtagHexChars = 32;

Error NotFound(std::string field = {}) {
  Error e = Error::NotFound("image_not_found");
  e.field = std::move(field);
  return e;
}

}  // namespace

MediaService::MediaService(db::Store& store, boost::asio::thread_pool& cpu, const Clock& clock,
                           const MediaConfig& config, const RateLimitConfig& rate_limits)
    : store_(store), cpu_(cpu), clock_(clock), config_(config), rate_limits_(rate_limits) {
  if (!InitImages()) {
    throw std::runtime_error("libvips failed to start");
  }
}

// The roles that publish pages with photos (listings, lots, events, news).
// An allow-list: a role added later uploads nothing until it is named here.
bool MediaService::CanUpload(const Principal& who) {
  for (const auto& grant : who.roles) {
    switch (grant.role) {
      case Role::kOrgStaff:
      case Role::kVillageStaff:
      case Role::kFundAdmin:
      case Role::kTrainer:
      case Role::kEditor:
      case Role::kPlatformAdmin:
        return true;
      case Role::kResident:
      case Role::kReviewer:
        break;
    }
  }
  return false;
}

Task<Image> MediaService::Upload(const Principal& who, std::string bytes, bool vouched) {
  if (!vouched && !CanUpload(who)) {
    Error forbidden = Error::Forbidden("media_upload_forbidden");
    co_return forbidden;
  }
  const int64_t now = clock_.NowMs();
  if (rate_limits_.enabled) {
    const std::string bucket = "media_upload:user:" + std::to_string(who.user_id);
    const RateLimit limit = rate_limits_.media_upload_per_account;
    // Its own job, committed even when it refuses.
    auto decision = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<db::RateDecision> {
      return db::HitRateLimits(tx, rate_limits_, {{bucket, limit}}, now);
    });
    if (!decision.ok()) {
      co_return std::move(decision).error();
    }
    if (!decision->allowed) {
      Error limited = Error::RateLimited(decision->retry_after_s);
      co_return limited;
    }
  }
  const ImageLimits limits{config_.max_upload_bytes, config_.max_side_px, config_.max_pixels};
  const std::vector<VariantSpec> specs{{std::string(kFullVariant), static_cast<int>(config_.full_px)},
                                       {std::string(kThumbVariant), static_cast<int>(config_.thumb_px)}};
  const int quality = static_cast<int>(config_.webp_quality);
  auto processed = co_await db::OnPool(cpu_, [&]() { return ProcessImage(bytes, limits, specs, quality); });
  if (!processed.ok()) {
    co_return std::move(processed).error();
  }
  bytes.clear();
  Image image;
  image.public_id = NewPublicId();
  image.owner_id = who.user_id;
  image.width = processed->width;
  image.height = processed->height;
  image.source_type = std::string(ImageTypeName(processed->source_type));
  image.created_at_ms = now;
  auto stored = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Image> {
    Image row = image;
    row.id = repo::InsertImage(tx, row);
    for (const EncodedVariant& v : processed->variants) {
      const std::string etag = "\"" + Sha256Hex(v.webp).substr(0, kEtagHexChars) + "\"";
      repo::InsertVariant(tx, row.id, v.name, v.width, v.height, etag, v.webp);
    }
    return row;
  });
  co_return stored;
}

Task<VariantBody> MediaService::Variant(std::string public_id, std::string variant, std::string if_none_match) {
  if (!IsPublicId(public_id) || !IsVariantName(variant)) {
    Error missing = NotFound();
    co_return missing;
  }
  auto body = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<VariantBody> {
    auto found = repo::FindVariant(tx, public_id, variant, if_none_match);
    if (!found) {
      return NotFound();
    }
    return std::move(*found);
  });
  co_return body;
}

Task<void> MediaService::Delete(const Principal& who, std::string public_id) {
  if (!IsPublicId(public_id)) {
    Error missing = NotFound();
    co_return missing;
  }
  const int64_t owner = who.user_id;
  auto done = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    if (repo::DeleteUnattached(tx, public_id, owner)) {
      return {};
    }
    // Nothing deleted: read only to choose the error.
    auto image = repo::FindImage(tx, public_id);
    if (!image || image->owner_id != owner) {
      return NotFound();
    }
    return Error::Conflict("image_in_use");
  });
  co_return done;
}

Result<Image> MediaService::AttachInTx(db::Tx& tx, int64_t owner_id, std::string_view public_id,
                                       const std::string& ref, const std::string& field) const {
  if (!IsPublicId(public_id)) {
    return NotFound(field);
  }
  if (auto attached = repo::Attach(tx, public_id, owner_id, ref)) {
    return std::move(*attached);
  }
  auto image = repo::FindImage(tx, public_id);
  if (!image || image->owner_id != owner_id) {
    return NotFound(field);
  }
  return Error::Conflict("image_in_use", field);
}

bool MediaService::DetachInTx(db::Tx& tx, std::string_view public_id, const std::string& ref) const {
  return repo::Detach(tx, public_id, ref);
}

Result<std::vector<Image>> MediaService::ReplacePhotosInTx(db::Tx& tx, int64_t owner_id,
                                                         const std::vector<Image>& current,
                                                         const std::vector<std::string>& wanted,
                                                         const std::string& ref, const std::string& field) const {
  if (wanted.size() > kMaxPhotos) {
    return Error::Invalid("too_many_photos", field, fmt::format("at most {}", kMaxPhotos));
  }
  std::set<std::string_view> seen;
  for (const std::string& id : wanted) {
    if (!seen.insert(id).second) {
      return Error::Invalid("duplicate_photo", field);
    }
  }
  std::map<std::string_view, const Image*> kept;
  for (const Image& image : current) {
    if (seen.count(image.public_id) > 0) {
      kept.emplace(image.public_id, &image);
    } else {
      DetachInTx(tx, image.public_id, ref);
    }
  }
  std::vector<Image> out;
  for (const std::string& id : wanted) {
    if (auto it = kept.find(id); it != kept.end()) {
      out.push_back(*it->second);
      continue;
    }
    CC_ASSIGN_OR_RETURN(Image image, AttachInTx(tx, owner_id, id, ref, field));
    out.push_back(std::move(image));
  }
  return out;
}

}  // namespace carecity::media
