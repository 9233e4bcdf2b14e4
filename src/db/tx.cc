#include "db/tx.h"

#include <charconv>
#include <fmt/format.h>

namespace carecity::db {

std::string Value::ToText() const {
  if (is_int()) {
    return std::to_string(int_value());
  }
  if (is_double()) {
    return fmt::format("{}", double_value());
  }
  if (is_text()) {
    return text_value();
  }
  return {};
}

int64_t Row::Int(size_t i) const {
  const Value& v = (*cells_)[i];
  if (v.is_int()) {
    return v.int_value();
  }
  if (v.is_double()) {
    return static_cast<int64_t>(v.double_value());
  }
  if (v.is_text()) {
    const std::string& s = v.text_value();
    if (s == "t") {  // PostgreSQL boolean text form
      return 1;
    }
    if (s == "f") {
      return 0;
    }
    int64_t out = 0;
    std::from_chars(s.data(), s.data() + s.size(), out);
    return out;
  }
  return 0;
}

std::optional<int64_t> Row::OptInt(size_t i) const {
  if (IsNull(i)) {
    return std::nullopt;
  }
  return Int(i);
}

double Row::Double(size_t i) const {
  const Value& v = (*cells_)[i];
  if (v.is_double()) {
    return v.double_value();
  }
  if (v.is_int()) {
    return static_cast<double>(v.int_value());
  }
  if (v.is_text()) {
    return std::strtod(v.text_value().c_str(), nullptr);
  }
  return 0;
}

std::string Row::Text(size_t i) const {
  const Value& v = (*cells_)[i];
  return v.is_null() ? std::string() : v.ToText();
}

std::optional<std::string> Row::OptText(size_t i) const {
  if (IsNull(i)) {
    return std::nullopt;
  }
  return Text(i);
}

}  // namespace carecity::db
