#include "domains/casework/model.h"

#include <algorithm>
#include <boost/json.hpp>

namespace carecity::casework {

namespace json = boost::json;

bool Service::Covers(int64_t village_id) const {
  return villages.empty() ||
         std::any_of(villages.begin(), villages.end(), [village_id](const Ref& v) { return v.id == village_id; });
}

std::string SensitiveJson(const Sensitive& s) {
  return json::serialize(json::object{{"health_condition", s.health_condition}, {"id_number", s.id_number}});
}

std::optional<Sensitive> ParseSensitive(std::string_view text) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return std::nullopt;
  }
  Sensitive s;
  const json::object& o = v.get_object();
  if (const json::value* h = o.if_contains("health_condition"); h != nullptr && h->is_string()) {
    s.health_condition = std::string(h->get_string());
  }
  if (const json::value* i = o.if_contains("id_number"); i != nullptr && i->is_string()) {
    s.id_number = std::string(i->get_string());
  }
  return s;
}

Sensitive MaskSensitive(const Sensitive& s) {
  Sensitive m;
  if (!s.health_condition.empty()) {
    m.health_condition = "***";
  }
  if (s.id_number.size() == 18) {
    m.id_number = s.id_number.substr(0, 3) + std::string(11, '*') + s.id_number.substr(14);
  } else if (!s.id_number.empty()) {
    m.id_number = "***";
  }
  return m;
}

bool IsValidIdNumber(std::string_view id) {
  if (id.size() != 18) {
    return false;
  }
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') {
      return false;
    }
    sum += (id[i] - '0') * kWeights[i];
  }
  const char last = id[17] == 'x' ? 'X' : id[17];
  return kCheck[sum % 11] == last;
}

}  // namespace carecity::casework
