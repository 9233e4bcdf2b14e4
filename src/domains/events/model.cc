#include "domains/events/model.h"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>

namespace carecity::events {
namespace {

namespace json = boost::json;
constexpr std::string_view kTicketAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

}  // namespace

std::string Event::SignupState(int64_t now_ms) const {
  if (status == "cancelled") {
    return "cancelled";
  }
  if (now_ms < signup_opens_at_ms) {
    return "not_open";
  }
  if (now_ms >= signup_closes_at_ms || now_ms >= starts_at_ms) {
    return "closed";
  }
  return "open";
}

bool IsEventType(std::string_view t) {
  return std::find(std::begin(kEventTypes), std::end(kEventTypes), t) != std::end(kEventTypes);
}

bool IsAudience(std::string_view a) { return a == "everyone" || a == "villages" || a == "volunteers"; }

std::string NewTicketCode() {
  // 32 symbols: five random bits per character, no modulo bias, one call.
  static_assert(kTicketAlphabet.size() == 32);
  unsigned char bytes[8];
  randombytes_buf(bytes, sizeof bytes);
  std::string code(8, '0');
  for (size_t i = 0; i < code.size(); ++i) {
    code[i] = kTicketAlphabet[bytes[i] & 31U];
  }
  return code;
}

std::string NormaliseTicketCode(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == ' ' || c == '-') {
      continue;
    }
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == 'O') {
      c = '0';
    } else if (c == 'I' || c == 'L') {
      c = '1';
    }
    out.push_back(c);
  }
  return out;
}

std::string QuestionsJson(const std::vector<Question>& questions) {
  json::array a;
  for (const Question& q : questions) {
    json::array options;
    for (const std::string& o : q.options) {
      options.emplace_back(o);
    }
    a.push_back(json::object{
        {"id", q.id}, {"label", q.label}, {"kind", q.kind}, {"options", options}, {"required", q.required}});
  }
  return json::serialize(a);
}

std::vector<Question> ParseQuestions(std::string_view text) {
  std::vector<Question> out;
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) {
    return out;
  }
  for (const json::value& item : v.get_array()) {
    const json::object* o = item.if_object();
    if (o == nullptr) {
      continue;
    }
    Question q;
    const auto str = [o](const char* key) {
      const json::value* f = o->if_contains(key);
      return f != nullptr && f->is_string() ? std::string(f->get_string()) : std::string();
    };
    q.id = str("id");
    q.label = str("label");
    q.kind = str("kind");
    if (const json::value* opts = o->if_contains("options"); opts != nullptr && opts->is_array()) {
      for (const json::value& opt : opts->get_array()) {
        if (opt.is_string()) {
          q.options.emplace_back(opt.get_string());
        }
      }
    }
    if (const json::value* r = o->if_contains("required"); r != nullptr && r->is_bool()) {
      q.required = r->get_bool();
    }
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace carecity::events
