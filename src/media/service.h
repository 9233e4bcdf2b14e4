// Uploaded images: who may upload, the per-user rate limit, processing on
// the CPU pool, storage, serving, deletion, and how other domains take an
// image into use. The only place image rules live.
//
// Ownership: an image answers its owner (delete) and is served to anyone
// who knows its public id (it is meant for public pages). A domain that
// uses an image attaches it in its own write transaction (AttachInTx), by
// a conditional write: an image is used by at most one thing, and an
// attached image cannot be deleted by its owner.
//
// Thread-safety: immutable after construction; safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "db/store.h"
#include "db/tx.h"
#include "domains/accounts/model.h"
#include "media/image.h"
#include "media/model.h"

namespace carecity::media {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

class MediaService {
 public:
  // `store`, `cpu` and `clock` must outlive the service. Calls InitImages().
  MediaService(db::Store& store, boost::asio::thread_pool& cpu, const Clock& clock, const MediaConfig& config,
               const RateLimitConfig& rate_limits);

  // Staff and administrators (any role but resident and reviewer) upload.
  static bool CanUpload(const accounts::Principal& who);

  // Checks, converts (on the CPU pool) and stores one upload; returns the
  // stored image. Errors: media_upload_forbidden (403), rate_limited (429,
  // counted per user before any decoding), and ProcessImage's errors
  // (field "image"). `vouched`: a domain has decided this user may upload
  // for it (the forum's trusted members), whatever CanUpload says.
  Task<Image> Upload(const accounts::Principal& who, std::string bytes, bool vouched = false);

  // The variant's bytes and ETag, or not_modified (no bytes read) when
  // `if_none_match` is its ETag; image_not_found (404) for an unknown image
  // or variant.
  Task<VariantBody> Variant(std::string public_id, std::string variant, std::string if_none_match);

  // Deletes the caller's unused image. image_not_found (404) if it is not
  // theirs (or does not exist); image_in_use (409) if a domain uses it.
  Task<void> Delete(const accounts::Principal& who, std::string public_id);

  // For other domains, inside their own write transaction: takes the
  // owner's unused image into use by `ref` ("shop_item:12"). Errors naming
  // `field`: image_not_found (404: not theirs, absent, malformed id),
  // image_in_use (409: already used by something).
  Result<Image> AttachInTx(db::Tx& tx, int64_t owner_id, std::string_view public_id, const std::string& ref,
                           const std::string& field) const;
  // Releases `ref`'s use (the owner may then delete it); false if `ref` was
  // not using it.
  bool DetachInTx(db::Tx& tx, std::string_view public_id, const std::string& ref) const;

  // Makes `ref`'s ordered photos `wanted` (public ids), inside the domain's
  // write transaction: releases those of `current` no longer wanted
  // (DetachInTx), takes the new ones into use (AttachInTx: each must be
  // `owner_id`'s unused image), keeps those already there. Returns the new
  // list in the order wanted. Errors naming `field`: too_many_photos (over
  // kMaxPhotos), duplicate_photo, and AttachInTx's (image_not_found 404,
  // image_in_use 409); on an error the caller's transaction must roll back.
  Result<std::vector<Image>> ReplacePhotosInTx(db::Tx& tx, int64_t owner_id, const std::vector<Image>& current,
                                               const std::vector<std::string>& wanted, const std::string& ref,
                                               const std::string& field) const;

  const MediaConfig& config() const { return config_; }

 private:
  db::Store& store_;
  boost::asio::thread_pool& cpu_;
  const Clock& clock_;
  MediaConfig config_;
  RateLimitConfig rate_limits_;
};

}  // namespace carecity::media
