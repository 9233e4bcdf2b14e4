#include "core/access.h"

#include <string>

#include "core/crypto.h"

namespace carecity {
namespace {
constexpr size_t kTokenChars = 32;
}  // namespace

AccessTokens::AccessTokens(std::string secret) : secret_(std::move(secret)) {}

std::string AccessTokens::Issue(std::string_view kind, std::string_view public_id) const {
  std::string data(kind);
  data += ':';
  data += public_id;
  return HmacSha256Hex(secret_, data).substr(0, kTokenChars);
}

bool AccessTokens::Allows(std::string_view kind, std::string_view public_id, std::optional<int64_t> owner_user_id,
                          const Caller& caller) const {
  if (owner_user_id) {
    return caller.user_id == owner_user_id;
  }
  return caller.token.size() == kTokenChars && ConstantTimeEquals(Issue(kind, public_id), caller.token);
}

}  // namespace carecity
