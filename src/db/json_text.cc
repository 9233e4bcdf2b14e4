#include "db/json_text.h"

#include <boost/json.hpp>

namespace carecity::db {

namespace json = boost::json;

std::string StringListJson(const std::vector<std::string>& items) {
  return json::serialize(json::array(items.begin(), items.end()));
}

std::vector<std::string> StringListOf(std::string_view text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) {
    return out;
  }
  for (const json::value& item : v.get_array()) {
    if (item.is_string()) {
      out.emplace_back(item.get_string());
    }
  }
  return out;
}

}  // namespace carecity::db
