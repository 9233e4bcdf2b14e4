// /api/v1/forum/...: parsing and JSON only; ForumService decides every
// permission. The contract: docs/api-forum.md.
#include "domains/forum/routes.h"

#include <boost/json.hpp>

#include "core/text.h"
#include "domains/accounts/routes.h"
#include "http/answer.h"
#include "http/json.h"
#include "media/markdown.h"
#include "media/routes.h"
#include "media/search.h"

namespace carecity::forum {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using boost::asio::awaitable;
using http::Err;
using http::Fields;
using http::ListAnswer;
using http::OneAnswer;
using http::Opt;
using http::Request;
using http::Response;

struct Deps {
  ForumService& forum;
  AccountsService& accounts;
  media::MediaService& media;
};

json::object LevelJson(int64_t credits) {
  const Level& l = LevelFor(credits);
  return json::object{{"level", l.level}, {"name", l.name}};
}

json::object AuthorJson(const Author& a) {
  json::value badge = nullptr;
  if (a.org_id) {
    badge = json::object{{"kind", "org"}, {"org_id", *a.org_id}, {"org_name", a.org_name}};
  }
  return json::object{{"nickname", a.nickname}, {"badge", badge}, {"level", LevelJson(a.credits)}};
}

json::object BoardJson(const BoardView& v) {
  const Board& b = v.board;
  json::value org = nullptr;
  if (b.org_id) {
    org = json::object{{"id", *b.org_id}, {"name", b.org_name}};
  }
  json::array mods;
  for (const auto& [id, nickname] : b.moderators) {
    mods.push_back(json::object{{"nickname", nickname}});
  }
  return json::object{{"id", b.id},           {"name", b.name},       {"description", b.description},
                      {"org", org},           {"threads", b.threads}, {"status", b.status},
                      {"moderators", mods},   {"moderate", v.moderate}};
}

json::object ThreadSummaryJson(const Thread& t) {
  return json::object{{"id", t.id},
                      {"board_id", t.board_id},
                      {"title", t.title},
                      {"kind", t.kind},
                      {"status", t.status},
                      {"sticky", t.sticky},
                      {"digest", t.digest},
                      {"locked", t.locked},
                      {"solved", t.solved_post_id.has_value()},
                      {"views", t.views},
                      {"replies", t.replies},
                      {"author", AuthorJson(t.author)},
                      {"created_at_ms", t.created_at_ms},
                      {"last_post_at_ms", t.last_post_at_ms}};
}

json::object ThreadJson(const Thread& t) {
  json::object o = ThreadSummaryJson(t);
  o.erase("board_id");
  o.erase("solved");
  o["board"] = json::object{{"id", t.board_id}, {"name", t.board_name}};
  o["status_reason"] = Opt(t.status_reason);
  o["solved_post_id"] = Opt(t.solved_post_id);
  return o;
}

json::object PostJson(const Post& p, int64_t viewer) {
  json::value quote = nullptr;
  if (p.quote) {
    quote = json::object{{"post_id", p.quote->post_id},
                         {"floor", p.quote->floor},
                         {"nickname", p.quote->nickname},
                         {"excerpt", p.quote->excerpt}};
  }
  const bool mine = viewer != 0 && p.author.user_id == viewer;
  json::object o{{"id", p.id},
                 {"floor", p.floor},
                 {"author", AuthorJson(p.author)},
                 {"body_html", p.body_html},
                 {"quote", quote},
                 {"likes", p.likes},
                 {"liked", p.liked},
                 {"status", p.status},
                 {"status_reason", Opt(p.status_reason)},
                 {"mine", mine},
                 {"created_at_ms", p.created_at_ms},
                 {"edited_at_ms", Opt(p.edited_at_ms)}};
  if (mine) {
    o["body_md"] = p.body_md;  // the author's own text, for 编辑
  }
  return o;
}

json::object ReportJson(const Report& r) {
  return json::object{{"id", r.id},
                      {"post_id", r.post_id},
                      {"reason", r.reason},
                      {"status", r.status},
                      {"reporter", json::object{{"nickname", r.reporter_nickname}}},
                      {"outcome", Opt(r.outcome)},
                      {"created_at_ms", r.created_at_ms},
                      {"handled_at_ms", Opt(r.handled_at_ms)}};
}

json::object SanctionJson(const Sanction& s) {
  return json::object{{"id", s.id},
                      {"kind", s.kind},
                      {"reason", s.reason},
                      {"post_id", Opt(s.post_id)},
                      {"ends_at_ms", Opt(s.ends_at_ms)},
                      {"created_at_ms", s.created_at_ms},
                      {"lifted_at_ms", Opt(s.lifted_at_ms)}};
}

// A moderator's view of a post in the queue.
json::object QueuedPostJson(const Post& p, int64_t board_id, const std::string& thread_title) {
  json::object o = PostJson(p, 0);
  o["thread_id"] = p.thread_id;
  o["thread_title"] = thread_title;
  o["board_id"] = board_id;
  return o;
}

// An optional page number (`?page=3`, or `last`): 1 when absent, 0 for last.
Result<int64_t> PageParam(const Request& req) {
  const auto raw = req.Query("page");
  if (!raw || raw->empty()) {
    return int64_t{1};
  }
  if (*raw == "last") {
    return int64_t{0};
  }
  const auto n = http::ParseId(*raw);
  if (!n || *n > 1'000'000) {
    return Error::Invalid("invalid_value", "page");
  }
  return *n;
}

// A post's Markdown, as a thread, a reply and an edit take it.
std::string BodyMd(Fields& f) {
  return f.String("body_md", {.min = 1, .max = kMaxBodyChars, .multiline = true}).value_or("");
}

// The post fields both a thread and a reply take.
void ReadBody(Fields& f, Draft& d) {
  d.body_md = BodyMd(f);
  d.as_org_id = f.Int("as_org_id", {.required = false, .min = 1});
}

// A refusal by the word list names where in the field the word is.
Response PostErr(const Error& e, const Request& req, const ForumService& forum, const Draft& d) {
  if (e.key == "forum.muted" && !e.detail.empty()) {
    return Err(e, req, json::object{{"ends_at_ms", std::stoll(e.detail)}});  // when they may post again
  }
  if (e.key != "forum.sensitive_word") {
    return Err(e, req);
  }
  const std::string& text = e.field == "title" ? d.title : d.body_md;
  const media::WordVerdict v = forum.words().Decide(text);
  return Err(e, req,
             json::object{{"span", json::object{{"begin", v.hit.begin}, {"end", v.hit.end}}}, {"word", v.word}});
}

awaitable<Response> ListBoards(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  auto r = co_await d.forum.Boards(p);
  co_return ListAnswer(r, req, "boards", BoardJson);
}

awaitable<Response> CreateBoard(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  Board b;
  b.name = f.String("name", {.min = 1, .max = 60}).value_or("");
  b.description = f.String("description", {.required = false, .max = 200}).value_or("");
  b.org_id = f.Int("org_id", {.required = false, .min = 1});
  b.position = f.Int("position", {.required = false, .min = 0, .max = 10000}).value_or(0);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.forum.CreateBoard(p, std::move(b), req.remote_ip);
  co_return OneAnswer(r, req, "board", BoardJson, 201);
}

awaitable<Response> SetModerators(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "forum.board_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto ids = http::IdArray(f.Raw("user_ids"), "user_ids", kMaxModerators);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  if (!ids.ok()) {
    co_return Err(ids.error(), req);
  }
  auto r = co_await d.forum.SetModerators(p, id, std::move(*ids), req.remote_ip);
  co_return OneAnswer(r, req, "board", BoardJson);
}

awaitable<Response> BoardThreads(Deps d, Request& req) {
  CC_PATH_ID(id, req, "id", "forum.board_not_found");
  auto page = PageParam(req);
  if (!page.ok()) {
    co_return Err(page.error(), req);
  }
  const auto filter = req.Query("filter").value_or("");
  if (!filter.empty() && filter != "digest") {
    co_return Err(Error::Invalid("invalid_value", "filter"), req);
  }
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  auto r = co_await d.forum.BoardThreads(p, id, *page == 0 ? INT64_MAX / 2 : *page, filter == "digest");
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array sticky;
  for (const Thread& t : r->sticky) {
    sticky.push_back(ThreadSummaryJson(t));
  }
  json::array threads;
  for (const Thread& t : r->threads) {
    threads.push_back(ThreadSummaryJson(t));
  }
  co_return http::JsonResponse(200, json::object{{"board", BoardJson(r->board)},
                                                 {"sticky", sticky},
                                                 {"threads", threads},
                                                 {"page", r->page},
                                                 {"pages", r->pages}});
}

awaitable<Response> LatestThreads(Deps d, Request& req) {
  CC_QUERY_ID(limit, req, "limit");
  if (limit && *limit > 50) {
    co_return Err(Error::Invalid("out_of_range", "limit"), req);
  }
  auto r = co_await d.forum.LatestThreads(limit.value_or(20));
  co_return ListAnswer(r, req, "threads", [](const Thread& t) {
    json::object o = ThreadSummaryJson(t);
    o["board_name"] = t.board_name;
    return o;
  });
}

awaitable<Response> CreateThread(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "forum.board_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  Draft draft;
  draft.title = f.String("title", {.min = 1, .max = kMaxTitleChars}).value_or("");
  ReadBody(f, draft);
  draft.kind = f.String("kind", {.required = false, .max = 20}).value_or("discussion");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.forum.CreateThread(p, id, draft);
  if (!r.ok()) {
    co_return PostErr(r.error(), req, d.forum, draft);
  }
  co_return http::JsonResponse(201, json::object{{"thread", json::object{{"id", r->thread_id}, {"status", r->status}}},
                                                 {"post", json::object{{"id", r->post_id}, {"floor", 1}}}});
}

// A page of a thread as GET /threads/{id} answers it.
json::object ThreadPageJson(const ThreadPage& r) {
  json::object thread = ThreadJson(r.thread);
  thread["page"] = r.range.page;
  thread["pages"] = r.range.pages;
  thread["can"] = json::object{
      {"reply", r.can.reply}, {"moderate", r.can.moderate}, {"solve", r.can.solve}, {"report", r.can.report}};
  json::array posts;
  for (const Post& post : r.posts) {
    posts.push_back(PostJson(post, r.viewer));
  }
  return json::object{{"thread", thread}, {"posts", posts}};
}

std::string ThreadPageText(const ThreadPage& r) { return json::serialize(ThreadPageJson(r)); }

awaitable<Response> GetThread(Deps d, Request& req) {
  CC_PATH_ID(id, req, "id", "forum.thread_not_found");
  auto page = PageParam(req);
  if (!page.ok()) {
    co_return Err(page.error(), req);
  }
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  if (!p) {
    // Every guest is answered the same text between writes (a hot thread's
    // readers are mostly guests): it is serialised once per kept page.
    auto text = co_await d.forum.ReadThreadAsGuest(id, *page, ThreadPageText);
    if (!text.ok()) {
      co_return Err(text.error(), req);
    }
    Response res = http::JsonResponse(200, json::object{});
    res.body = std::move(*text);
    co_return res;
  }
  auto r = co_await d.forum.ReadThread(p, id, *page);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, ThreadPageJson(*r));
}

awaitable<Response> ReplyTo(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "forum.thread_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  Draft draft;
  ReadBody(f, draft);
  draft.quote_post_id = f.Int("quote_post_id", {.required = false, .min = 1});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.forum.Reply(p, id, draft);
  if (!r.ok()) {
    co_return PostErr(r.error(), req, d.forum, draft);
  }
  co_return http::JsonResponse(
      201, json::object{{"post", json::object{{"id", r->post_id}, {"floor", r->floor}, {"status", r->status}}}});
}

// 编辑: `body_md`, and on floor 1 optionally `title`.
awaitable<Response> EditPost(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "forum.post_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  Draft draft;
  draft.body_md = BodyMd(f);
  auto title = f.String("title", {.required = false, .min = 1, .max = kMaxTitleChars});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  draft.title = title.value_or("");
  auto r = co_await d.forum.EditPost(p, id, draft.body_md, std::move(title));
  if (!r.ok()) {
    co_return PostErr(r.error(), req, d.forum, draft);
  }
  co_return http::JsonResponse(200, json::object{{"post", PostJson(r->post, p.user_id)}, {"thread", ThreadJson(r->thread)}});
}

awaitable<Response> LikeOrUnlike(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "forum.post_not_found");
  auto r = co_await d.forum.Like(p, id, req.method == "POST");
  co_return OneAnswer(r, req, "post", [](const LikeState& s) {
    return json::object{{"id", s.post_id}, {"likes", s.likes}, {"liked", s.liked}};
  });
}

awaitable<Response> SolveThread(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "forum.thread_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  const int64_t post_id = f.Int("post_id", {.min = 1}).value_or(0);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.forum.Solve(p, id, post_id);
  co_return OneAnswer(r, req, "thread", ThreadJson);
}

awaitable<Response> CreateReport(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  std::string kind;
  int64_t target = 0;
  f.Object("target", true, [&](Fields& t) {
    kind = t.String("kind", {.min = 1, .max = 10}).value_or("");
    target = t.Int("id", {.min = 1}).value_or(0);
  });
  std::string reason = f.String("reason", {.min = 1, .max = kMaxReasonChars, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.forum.ReportPost(p, std::move(kind), target, std::move(reason));
  co_return OneAnswer(r, req, "report", ReportJson, 201);
}

awaitable<Response> GetQueue(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.forum.ModerationQueue(p);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array reports;
  for (const repo::QueuedReport& q : r->reports) {
    json::object o = ReportJson(q.report);
    o["reports"] = q.reports_on_post;
    o["post"] = QueuedPostJson(q.post, q.board_id, q.thread_title);
    reports.push_back(std::move(o));
  }
  json::array held;
  for (const repo::HeldPost& h : r->held) {
    held.push_back(json::object{{"post", QueuedPostJson(h.post, h.board_id, h.thread_title)},
                                {"thread_id", h.post.thread_id},
                                {"thread_title", h.thread_title}});
  }
  co_return http::JsonResponse(200, json::object{{"reports", reports}, {"held", held}});
}

awaitable<Response> DecideReport(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "forum.report_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  const std::string decision = f.String("decision", {.min = 1, .max = 10}).value_or("");
  std::string note = f.String("note", {.required = false, .max = kMaxReasonChars, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  if (decision != "uphold" && decision != "dismiss") {
    co_return Err(Error::Invalid("invalid_value", "decision"), req);
  }
  auto r = co_await d.forum.DecideReport(p, id, decision == "uphold", std::move(note), req.remote_ip);
  co_return OneAnswer(r, req, "report", ReportJson);
}

awaitable<Response> ModeratePost(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "forum.post_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  std::string action = f.String("action", {.min = 1, .max = 20}).value_or("");
  std::string reason = f.String("reason", {.required = false, .max = kMaxReasonChars, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  const int64_t viewer = p.user_id;
  auto r = co_await d.forum.ModeratePost(p, id, std::move(action), std::move(reason), req.remote_ip);
  co_return OneAnswer(r, req, "post", [viewer](const Post& post) { return PostJson(post, viewer); });
}

awaitable<Response> ModerateThread(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "forum.thread_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  std::string action = f.String("action", {.min = 1, .max = 20}).value_or("");
  auto board = f.Int("board_id", {.required = false, .min = 1});
  std::string reason = f.String("reason", {.required = false, .max = kMaxReasonChars, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.forum.ModerateThread(p, id, std::move(action), board, std::move(reason), req.remote_ip);
  co_return OneAnswer(r, req, "thread", ThreadJson);
}

awaitable<Response> CreateSanction(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  const int64_t post_id = f.Int("post_id", {.min = 1}).value_or(0);
  std::string kind = f.String("kind", {.min = 1, .max = 10}).value_or("");
  std::string reason = f.String("reason", {.min = 1, .max = kMaxReasonChars, .multiline = true}).value_or("");
  auto ends = f.Int("ends_at_ms", {.required = false, .min = 1});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.forum.ImposeSanction(p, post_id, std::move(kind), std::move(reason), ends, req.remote_ip);
  co_return OneAnswer(r, req, "sanction", SanctionJson, 201);
}

awaitable<Response> LiftSanction(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "forum.sanction_not_found");
  auto r = co_await d.forum.LiftSanction(p, id, req.remote_ip);
  co_return OneAnswer(r, req, "sanction", SanctionJson);
}

awaitable<Response> Me(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.forum.Me(p);
  co_return OneAnswer(r, req, "member", [](const MemberView& v) {
    const Standing& s = v.standing;
    const Level& level = LevelFor(s.credits);
    json::object lv{{"level", level.level}, {"name", level.name}, {"next", nullptr}};
    if (const Level* next = NextLevel(level)) {
      lv["next"] = json::object{{"name", next->name}, {"credits", next->credits}};
    }
    json::value sanction = nullptr;
    if (v.sanction) {
      sanction = json::object{
          {"kind", v.sanction->kind}, {"reason", v.sanction->reason}, {"ends_at_ms", Opt(v.sanction->ends_at_ms)}};
    }
    return json::object{{"nickname", s.nickname},
                        {"credits", s.credits},
                        {"level", lv},
                        {"trust_level", v.trust_level},
                        {"likes_received", s.likes_received},
                        {"posts", s.posts},
                        {"phone_verified", s.phone_verified_at_ms.has_value()},
                        {"sanction", sanction},
                        {"progress", json::object{{"account_age_days", v.account_age_days},
                                                  {"days_visited", s.days_visited},
                                                  {"posts_read", s.posts_read}}}};
  });
}

awaitable<Response> MyCredits(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_QUERY_ID(before, req, "before");
  auto r = co_await d.forum.MyCredits(p, before.value_or(0));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const CreditEntry& c : *r) {
    list.push_back(json::object{{"id", c.id},
                                {"delta", c.delta},
                                {"reason", c.reason},
                                {"ref", c.ref},
                                {"created_at_ms", c.created_at_ms}});
  }
  json::value next = r->size() == ForumService::kMinePage ? json::value(std::to_string(r->back().id)) : json::value(nullptr);
  co_return http::JsonResponse(200, json::object{{"credits", list}, {"next_cursor", next}});
}

awaitable<Response> MyPosts(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_QUERY_ID(before, req, "before");
  auto r = co_await d.forum.MyPosts(p, before.value_or(0));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const repo::MyPost& m : *r) {
    list.push_back(json::object{{"id", m.id},
                                {"thread_id", m.thread_id},
                                {"thread_title", m.thread_title},
                                {"floor", m.floor},
                                {"excerpt", media::PlainExcerpt(m.body_md, 100)},
                                {"status", m.status},
                                {"created_at_ms", m.created_at_ms}});
  }
  json::value next = r->size() == ForumService::kMinePage ? json::value(std::to_string(r->back().id)) : json::value(nullptr);
  co_return http::JsonResponse(200, json::object{{"posts", list}, {"next_cursor", next}});
}

// 搜索 across the forum (news articles join when they land): highlighted
// titles and snippets.
awaitable<Response> Search(Deps d, Request& req) {
  const std::string q = req.Query("q").value_or("");
  auto r = co_await d.forum.Search(q);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array threads;
  for (const Thread& t : r->threads) {
    json::object o = ThreadSummaryJson(t);
    o["title_html"] = media::HighlightHtml(t.title, q, kMaxTitleChars);
    threads.push_back(std::move(o));
  }
  json::array posts;
  for (const auto& [post, title] : r->posts) {
    posts.push_back(json::object{{"id", post.id},
                                 {"thread_id", post.thread_id},
                                 {"thread_title", title},
                                 {"floor", post.floor},
                                 {"author", AuthorJson(post.author)},
                                 {"snippet_html", media::HighlightHtml(media::PlainExcerpt(post.body_md, 2000), q)},
                                 {"created_at_ms", post.created_at_ms}});
  }
  co_return http::JsonResponse(200, json::object{{"q", q}, {"threads", threads}, {"posts", posts}});
}

awaitable<Response> Rules(Deps d, Request&) {
  const ForumConfig& c = d.forum.config();
  json::object credits;
  for (const CreditRule& r : kCreditRules) {
    credits[r.reason] = r.delta;
  }
  credits["daily_cap"] = c.credits_daily_cap;
  json::array levels;
  for (const Level& l : kLevels) {
    levels.push_back(json::object{{"level", l.level}, {"name", l.name}, {"credits", l.credits}});
  }
  co_return http::JsonResponse(
      200, json::object{{"credits", credits},
                        {"levels", levels},
                        {"trust", json::object{{"account_age_days", c.trust_account_age_days},
                                               {"days_visited", c.trust_days_visited},
                                               {"posts_read", c.trust_posts_read},
                                               {"likes_received", c.trust_likes_received}}}});
}

// A picture for a post: a member who may post images (trusted, or staff)
// uploads it here; the post then carries its URL in Markdown.
awaitable<Response> UploadImage(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto allowed = co_await d.forum.CheckImagePoster(p);
  if (!allowed.ok()) {
    co_return Err(allowed.error(), req);
  }
  co_return co_await media::AnswerUpload(d.media, p, req, true);
}

}  // namespace

void RegisterRoutes(http::Router& router, ForumService& forum, AccountsService& accounts, media::MediaService& media) {
  const auto bind = [&forum, &accounts, &media](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&forum, &accounts, &media, fn](Request& req) { return fn(Deps{forum, accounts, media}, req); };
  };
  router.Add("POST", "/api/v1/forum/images", bind(UploadImage), media::UploadOptions(media));
  router.Add("GET", "/api/v1/forum/boards", bind(ListBoards));
  router.Add("POST", "/api/v1/forum/boards", bind(CreateBoard));
  router.Add("PUT", "/api/v1/forum/boards/{id}/moderators", bind(SetModerators));
  router.Add("GET", "/api/v1/forum/boards/{id}/threads", bind(BoardThreads));
  router.Add("POST", "/api/v1/forum/boards/{id}/threads", bind(CreateThread));
  router.Add("GET", "/api/v1/forum/threads", bind(LatestThreads));
  router.Add("GET", "/api/v1/forum/threads/{id}", bind(GetThread));
  router.Add("POST", "/api/v1/forum/threads/{id}/posts", bind(ReplyTo));
  router.Add("POST", "/api/v1/forum/threads/{id}/solve", bind(SolveThread));
  router.Add("POST", "/api/v1/forum/threads/{id}/moderate", bind(ModerateThread));
  router.Add("PATCH", "/api/v1/forum/posts/{id}", bind(EditPost));
  router.Add("POST", "/api/v1/forum/posts/{id}/like", bind(LikeOrUnlike));
  router.Add("DELETE", "/api/v1/forum/posts/{id}/like", bind(LikeOrUnlike));
  router.Add("POST", "/api/v1/forum/posts/{id}/moderate", bind(ModeratePost));
  router.Add("POST", "/api/v1/forum/reports", bind(CreateReport));
  router.Add("GET", "/api/v1/forum/moderation/queue", bind(GetQueue));
  router.Add("POST", "/api/v1/forum/moderation/reports/{id}", bind(DecideReport));
  router.Add("POST", "/api/v1/forum/sanctions", bind(CreateSanction));
  router.Add("DELETE", "/api/v1/forum/sanctions/{id}", bind(LiftSanction));
  router.Add("GET", "/api/v1/forum/me", bind(Me));
  router.Add("GET", "/api/v1/forum/me/credits", bind(MyCredits));
  router.Add("GET", "/api/v1/forum/me/posts", bind(MyPosts));
  router.Add("GET", "/api/v1/forum/rules", bind(Rules));
  router.Add("GET", "/api/v1/forum/search", bind(Search));
}

}  // namespace carecity::forum
