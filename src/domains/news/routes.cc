// /api/v1/news/...: parsing and JSON only; NewsService decides every
// permission. The contract: docs/api-news.md.
#include "domains/news/routes.h"

#include <boost/json.hpp>
#include <ctime>

#include "core/text.h"
#include "domains/accounts/routes.h"
#include "http/answer.h"
#include "http/json.h"
#include "http/origin.h"
#include "media/markdown.h"
#include "media/model.h"
#include "media/search.h"

namespace carecity::news {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using boost::asio::awaitable;
using http::Err;
using http::Fields;
using http::Opt;
using http::Request;
using http::Response;

struct Deps {
  NewsService& news;
  AccountsService& accounts;
  RelatedCards& cards;
  std::string origin;
};

json::value CoverJson(const std::optional<std::string>& id) {
  if (!id) {
    return nullptr;
  }
  return json::object{{"id", *id}, {"thumb_url", media::ImageUrl(*id, "thumb")}, {"full_url", media::ImageUrl(*id, "full")}};
}

json::value RefJson(const RelatedRef& r) {
  if (HasIntegerId(r.kind)) {
    return json::value(std::stoll(r.ref));
  }
  return json::value(r.ref);
}

// The fields a writer sends, create and edit alike.
Draft ReadDraft(Fields& f, bool create) {
  Draft d;
  d.title = f.String("title", {.min = 1, .max = kMaxTitleChars}).value_or("");
  d.summary = f.String("summary", {.required = false, .max = kMaxSummaryChars}).value_or("");
  d.body_md = f.String("body_md", {.min = 1, .max = 100 * 1024, .multiline = true, .trim = false}).value_or("");
  d.category = f.String("category", {.max = 20}).value_or("");
  d.tags = f.Strings("tags", {.min = 1, .max = kMaxTagChars}, kMaxTags, false).value_or(std::vector<std::string>{});
  d.cover_file_id = f.String("cover_file_id", {.required = false, .max = 40});
  d.publish_at_ms = f.Int("publish_at_ms", {.required = false, .min = 0});
  d.org_id = f.Int("org_id", {.required = false, .min = 1});
  f.Objects("related", kMaxRelated, false, [&d](Fields& item, size_t) {
    RelatedRef r;
    r.kind = item.String("kind", {.max = 20}).value_or("");
    const json::value* id = item.Raw("id");
    if (id == nullptr || id->is_null()) {
      item.Fail(Error::Invalid("missing_field", "id"));
    } else if (id->is_int64() && id->get_int64() > 0) {
      r.ref = std::to_string(id->get_int64());
    } else if (id->is_string()) {
      r.ref = std::string(id->get_string());
    } else {
      item.Fail(Error::Invalid("invalid_value", "id"));
    }
    d.related.push_back(std::move(r));
  });
  if (create) {
    d.draft = f.Bool("draft", false).value_or(false);
  } else {
    d.correction_note = f.String("correction_note", {.required = false, .max = kMaxNoteChars});
  }
  return d;
}

json::object ArticleJson(const ArticleView& v) {
  const Article& a = v.article;
  json::object o = SummaryJson(a, v.now_ms);
  o["body_html"] = a.body_html;
  o["revision"] = a.revision;
  o["correction_note"] = Opt(a.correction_note);
  json::array corrections;
  for (const Revision& r : v.corrections) {
    corrections.push_back(json::object{{"revision", r.revision + 1}, {"note", Opt(r.note)}, {"at_ms", r.edited_at_ms}});
  }
  o["corrections"] = std::move(corrections);
  o["url"] = "/news/" + a.public_id;
  o["can_edit"] = v.can_edit;
  o["can_review"] = v.can_review;
  o["review_note"] = nullptr;
  if (v.writer) {
    o["body_md"] = a.body_md;
    o["review_note"] = Opt(a.review_note);
    o["publish_at_ms"] = Opt(a.publish_at_ms);
    json::array refs;
    for (const RelatedRef& r : a.related) {
      refs.push_back(json::object{{"kind", r.kind}, {"id", RefJson(r)}});
    }
    o["related_refs"] = std::move(refs);
  }
  return o;
}

Result<Draft> ParseDraft(const Request& req, bool create) {
  auto body = http::ParseJsonObject(req.body);
  CC_TRY(body);
  Fields f(*body);
  Draft d = ReadDraft(f, create);
  CC_TRY(f.Finish());
  CC_TRY(NewsService::CheckDraft(d));
  return d;
}

// Every related item must be one the public can see now.
awaitable<Status> CheckRelated(Deps d, const Request& req, const Draft& draft) {
  for (size_t i = 0; i < draft.related.size(); ++i) {
    json::value card = co_await d.cards.Card(req, draft.related[i]);
    if (card.is_null()) {
      co_return Error::Unprocessable("news.related_not_found", "related[" + std::to_string(i) + "].id");
    }
  }
  co_return Status{};
}

awaitable<Response> Answer(Deps d, const Request& req, const Result<ArticleView>& r, int status = 200) {
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::object article = ArticleJson(*r);
  json::array cards;
  for (const RelatedRef& ref : r->article.related) {
    json::value card = co_await d.cards.Card(req, ref);
    if (!card.is_null()) {
      cards.push_back(std::move(card));
    }
  }
  article["related"] = std::move(cards);
  co_return http::JsonResponse(status, json::object{{"article", std::move(article)}});
}

awaitable<Response> List(Deps d, Request& req) {
  ListQuery q;
  q.category = req.Query("category").value_or("");
  q.cursor = req.Query("cursor").value_or("");
  auto tag = http::QueryString(req, "tag", {.required = false, .max = kMaxTagChars});
  auto text = http::QueryString(req, "q", {.required = false, .max = 100});
  CC_QUERY_ID(limit, req, "limit");
  if (!tag.ok() || !text.ok()) {
    co_return Err(!tag.ok() ? tag.error() : text.error(), req);
  }
  q.tag = *tag;
  q.q = *text;
  q.limit = static_cast<int>(limit.value_or(kPageSize) > kMaxPageSize ? kMaxPageSize + 1 : limit.value_or(kPageSize));
  auto r = co_await d.news.List(q);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array articles;
  for (const Article& a : r->articles) {
    json::object o = SummaryJson(a, 0);
    if (!q.q.empty()) {
      o["title_html"] = media::HighlightHtml(a.title, q.q, kMaxTitleChars);
      o["snippet_html"] = media::HighlightHtml(media::PlainExcerpt(a.body_md, 2000), q.q);
    }
    articles.push_back(std::move(o));
  }
  co_return http::JsonResponse(200, json::object{{"articles", std::move(articles)}, {"next_cursor", Opt(r->next_cursor)}});
}

awaitable<Response> Create(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  if (!NewsService::CanWrite(p)) {
    co_return Err(Error::Forbidden("news.forbidden"), req);
  }
  auto draft = ParseDraft(req, true);
  if (!draft.ok()) {
    co_return Err(draft.error(), req);
  }
  if (auto s = co_await CheckRelated(d, req, *draft); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.news.Create(p, std::move(*draft), req.remote_ip);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"article", json::object{{"id", r->article.public_id},
                                                                          {"status", ShownStatus(r->article, r->now_ms)}}}});
}

awaitable<Response> Get(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  auto r = co_await d.news.Read(p, std::string(req.Param("id")));
  co_return co_await Answer(d, req, r);
}

awaitable<Response> Update(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  if (!NewsService::CanWrite(p)) {
    co_return Err(Error::NotFound("news.article_not_found"), req);
  }
  auto draft = ParseDraft(req, false);
  if (!draft.ok()) {
    co_return Err(draft.error(), req);
  }
  if (auto s = co_await CheckRelated(d, req, *draft); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.news.Update(p, std::string(req.Param("id")), std::move(*draft), req.remote_ip);
  co_return co_await Answer(d, req, r);
}

awaitable<Response> Submit(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.news.Submit(p, std::string(req.Param("id")), req.remote_ip);
  co_return co_await Answer(d, req, r);
}

awaitable<Response> Review(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  const std::string decision = f.String("decision", {.max = 10}).value_or("");
  std::string note = f.String("note", {.required = false, .max = kMaxNoteChars, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  if (decision != "approve" && decision != "return") {
    co_return Err(Error::Invalid("invalid_value", "decision"), req);
  }
  auto r = co_await d.news.Review(p, std::string(req.Param("id")), decision == "approve", std::move(note),
                                  req.remote_ip);
  co_return co_await Answer(d, req, r);
}

awaitable<Response> Withdraw(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  std::string reason = f.String("reason", {.min = 1, .max = kMaxNoteChars, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.news.Withdraw(p, std::string(req.Param("id")), std::move(reason), req.remote_ip);
  co_return co_await Answer(d, req, r);
}

awaitable<Response> Revisions(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.news.Revisions(p, std::string(req.Param("id")));
  co_return http::ListAnswer(r, req, "revisions", [](const Revision& v) {
    return json::object{{"revision", v.revision},         {"title", v.title},
                        {"body_md", v.body_md},           {"editor", json::object{{"nickname", v.editor_name}}},
                        {"edited_at_ms", v.edited_at_ms}, {"is_correction", v.is_correction},
                        {"note", Opt(v.note)}};
  });
}

awaitable<Response> Desk(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.news.Desk(p, req.Query("status").value_or(""));
  co_return http::ListAnswer(r, req, "articles", [](const Article& a) {
    json::object o = SummaryJson(a, 0);
    o["status"] = a.status;  // the desk tells scheduled from published
    o["review_note"] = Opt(a.review_note);
    return o;
  });
}

// ---- Feeds ----

std::string Origin(const Deps& d, const Request& req) { return http::SiteOrigin(d.origin, req); }

std::string XmlEscape(std::string_view s) { return HtmlEscape(s); }

std::string Rfc822(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string Rfc3339(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

awaitable<Response> Feed(Deps d, Request& req, bool atom) {
  ListQuery q;
  q.limit = kFeedSize;
  auto r = co_await d.news.List(q);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  const std::string origin = XmlEscape(Origin(d, req));
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (atom) {
    const int64_t updated = r->articles.empty() ? 0 : r->articles.front().updated_at_ms;
    x += "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>关爱桂城 · 资讯</title><id>" + origin +
         "/news</id><link href=\"" + origin + "/news\"/><link rel=\"self\" href=\"" + origin +
         "/news/atom.xml\"/><updated>" + Rfc3339(updated) + "</updated>";
    for (const Article& a : r->articles) {
      const std::string url = origin + "/news/" + a.public_id;
      x += "<entry><title>" + XmlEscape(a.title) + "</title><id>" + url + "</id><link href=\"" + url +
           "\"/><published>" + Rfc3339(*a.publish_at_ms) + "</published><updated>" + Rfc3339(a.updated_at_ms) +
           "</updated><author><name>" + XmlEscape(a.org_id ? a.org_name : a.author_name) + "</name></author><summary>" +
           XmlEscape(SummaryOf(a)) + "</summary></entry>";
    }
    x += "</feed>\n";
  } else {
    x += "<rss version=\"2.0\"><channel><title>关爱桂城 · 资讯</title><link>" + origin +
         "/news</link><description>桂城街道公益资讯：通知公告、活动回顾、公益故事、政策解读、基金动态</description>"
         "<language>zh-cn</language>";
    for (const Article& a : r->articles) {
      const std::string url = origin + "/news/" + a.public_id;
      x += "<item><title>" + XmlEscape(a.title) + "</title><link>" + url + "</link><guid isPermaLink=\"true\">" + url +
           "</guid><pubDate>" + Rfc822(*a.publish_at_ms) + "</pubDate><description>" + XmlEscape(SummaryOf(a)) +
           "</description></item>";
    }
    x += "</channel></rss>\n";
  }
  Response res;
  res.status = 200;
  res.body = std::move(x);
  res.Set("Content-Type", atom ? "application/atom+xml; charset=utf-8" : "application/rss+xml; charset=utf-8");
  res.Set("Cache-Control", "public, max-age=300");
  co_return res;
}

}  // namespace

json::object SummaryJson(const Article& a, int64_t now_ms) {
  json::array tags;
  for (const std::string& t : a.tags) {
    tags.emplace_back(t);
  }
  json::value org = nullptr;
  if (a.org_id) {
    org = json::object{{"id", *a.org_id}, {"name", a.org_name}};
  }
  return json::object{{"id", a.public_id},
                      {"title", a.title},
                      {"summary", SummaryOf(a)},
                      {"category", a.category},
                      {"tags", std::move(tags)},
                      {"status", now_ms > 0 ? ShownStatus(a, now_ms) : (a.status == "scheduled" ? "published" : a.status)},
                      {"cover", CoverJson(a.cover_image_id)},
                      {"org", std::move(org)},
                      {"author", json::object{{"nickname", a.author_name}}},
                      {"publish_at_ms", Opt(a.publish_at_ms)},
                      {"updated_at_ms", a.updated_at_ms},
                      {"views", a.views},
                      {"corrected", a.correction_note.has_value()}};
}

void RegisterRoutes(http::Router& router, NewsService& news, AccountsService& accounts, RelatedCards& cards,
                    std::string public_origin) {
  Deps d{news, accounts, cards, std::move(public_origin)};
  auto bind = [d](awaitable<Response> (*fn)(Deps, Request&)) {
    return [d, fn](Request& req) { return fn(d, req); };
  };
  router.Add("GET", "/api/v1/news/articles", bind(List));
  router.Add("POST", "/api/v1/news/articles", bind(Create));
  router.Add("GET", "/api/v1/news/articles/{id}", bind(Get));
  router.Add("PUT", "/api/v1/news/articles/{id}", bind(Update));
  router.Add("POST", "/api/v1/news/articles/{id}/submit", bind(Submit));
  router.Add("POST", "/api/v1/news/articles/{id}/review", bind(Review));
  router.Add("POST", "/api/v1/news/articles/{id}/withdraw", bind(Withdraw));
  router.Add("GET", "/api/v1/news/articles/{id}/revisions", bind(Revisions));
  router.Add("GET", "/api/v1/news/desk", bind(Desk));
  router.Add("GET", "/news/rss.xml", [d](Request& req) { return Feed(d, req, false); });
  router.Add("GET", "/news/atom.xml", [d](Request& req) { return Feed(d, req, true); });
}

}  // namespace carecity::news
