// Owner-only objects. Every object reachable by id answers its owner (or a
// role the calling service checks) and answers everyone else 404, as if it
// did not exist. Owners are signed-in users, or, for a guest, whoever holds
// the object's access token: a capability the server derives (HMAC) from the
// object's public id, hands to the guest inside the links it gives them (a
// pay link, a return link) and never stores.
//
// Thread-safety: immutable after construction; safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace carecity {

// Who asks: the signed-in user, if any, and the access token the request
// carried (the `token` query parameter), if any.
struct Caller {
  std::optional<int64_t> user_id;
  std::string token;
};

class AccessTokens {
 public:
  // `secret`: at least 32 bytes, kept across restarts (the links given to
  // guests stay valid) and by every server of one deployment.
  explicit AccessTokens(std::string secret);

  // The token for object `kind` ("payment") with `public_id`: 32 lower-case
  // hex characters (128 bits of HMAC-SHA256).
  std::string Issue(std::string_view kind, std::string_view public_id) const;

  // Whether `caller` may reach an object owned by `owner_user_id`: that user
  // signed in; or, for a guest's object (no owner), the right token. A
  // token never opens a signed-in user's object.
  bool Allows(std::string_view kind, std::string_view public_id, std::optional<int64_t> owner_user_id,
              const Caller& caller) const;

 private:
  std::string secret_;
};

}  // namespace carecity
