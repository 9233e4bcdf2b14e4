#include "app/news_cards.h"

#include <boost/json.hpp>

#include "app/subrequest.h"
#include "media/markdown.h"

namespace carecity::app {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;

constexpr size_t kSummaryChars = 60;

// Where a kind's item is asked, and how its card reads.
struct KindRoute {
  const char* kind;
  const char* path;      // "{id}" is replaced; a list when `list_key` is set
  const char* item_key;  // the item in the answer (or in the list)
  const char* list_key;  // "" for a single-item route
  const char* title_key;
  const char* text_key;
  const char* href;      // the web page, "{id}" replaced
  const char* action;
};

constexpr KindRoute kRoutes[] = {
    {"event", "/api/v1/events/{id}", "event", "", "title", "description", "/events/{id}", "signup"},
    {"service", "/api/v1/casework/services/{id}", "service", "", "name", "description", "/services/{id}/apply",
     "apply"},
    {"fund_purpose", "/api/v1/fund/purposes", "", "purposes", "name", "description", "/fund/donate?purpose={id}",
     "donate"},
    {"fund_report", "/api/v1/fund/reports/{id}", "report", "", "title", "body", "/fund/reports/{id}", "view"},
    {"product", "/api/v1/shop/products/{id}", "product", "", "title", "description", "/shop/products/{id}", "buy"},
    {"lot", "/api/v1/auction/lots/{id}", "lot", "", "title", "description", "/auction/lots/{id}", "bid"},
    {"grant_call", "/api/v1/grants/calls/{id}", "call", "", "title", "description", "/grants/calls/{id}", "apply"},
    {"village", "/api/v1/villages", "", "villages", "name", "", "/market/villages/{id}", "view"},
};

std::string Fill(std::string_view pattern, const std::string& id) {
  std::string out(pattern);
  const size_t at = out.find("{id}");
  if (at != std::string::npos) {
    out.replace(at, 4, id);
  }
  return out;
}

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = key.empty() ? nullptr : o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Live for the section: an event not cancelled, a service or purpose
// active, a lot still taking bids, a call still open.
std::string ActionFor(const KindRoute& k, const json::object& item) {
  const std::string status = Text(item, "status");
  if (std::string_view(k.kind) == "lot" && status != "live") {
    return "view";
  }
  if (std::string_view(k.kind) == "grant_call" && Text(item, "phase") != "open") {
    return "view";
  }
  if (std::string_view(k.kind) == "event" && (status != "published" || Text(item, "signup_state") != "open")) {
    return "view";
  }
  return k.action;
}

}  // namespace

awaitable<json::value> RouterCards::Card(const http::Request& parent, const news::RelatedRef& r) {
  const KindRoute* k = nullptr;
  for (const KindRoute& candidate : kRoutes) {
    if (r.kind == candidate.kind) {
      k = &candidate;
    }
  }
  if (k == nullptr) {
    co_return nullptr;
  }
  const std::string ref = http::PercentEncode(r.ref);
  const json::value answer = co_await AskJson(router_, parent, Fill(k->path, ref), false);
  const json::object* o = answer.if_object();
  const json::object* item = nullptr;
  if (o != nullptr && *k->list_key == '\0') {
    const json::value* v = o->if_contains(k->item_key);
    item = v ? v->if_object() : nullptr;
  } else if (o != nullptr) {
    const json::value* list = o->if_contains(k->list_key);
    if (list != nullptr && list->is_array()) {
      for (const json::value& x : list->get_array()) {
        const json::object* xo = x.if_object();
        const json::value* id = xo ? xo->if_contains("id") : nullptr;
        if (id != nullptr && id->is_int64() && std::to_string(id->get_int64()) == r.ref) {
          item = xo;
        }
      }
    }
  }
  if (item == nullptr) {
    co_return nullptr;
  }
  const json::value* active = item->if_contains("active");
  if (active != nullptr && active->is_bool() && !active->get_bool()) {
    co_return nullptr;  // a closed service or purpose is no longer offered
  }
  json::value id = news::HasIntegerId(r.kind) ? json::value(std::stoll(r.ref)) : json::value(r.ref);
  co_return json::object{{"kind", r.kind},
                         {"id", id},
                         {"title", Text(*item, k->title_key)},
                         {"summary", media::PlainExcerpt(Text(*item, k->text_key), kSummaryChars)},
                         {"href", Fill(k->href, r.ref)},
                         {"action", ActionFor(*k, *item)},
                         {"item", *item}};
}

}  // namespace carecity::app
