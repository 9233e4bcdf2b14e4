#include "domains/news/service.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "domains/audit/service.h"
#include "domains/news/repo.h"
#include "domains/notify/service.h"
#include "media/markdown.h"

namespace carecity::news {
namespace {

using accounts::Role;
namespace json = boost::json;

Error ArticleNotFound() { return Error::NotFound("news.article_not_found"); }
Error WrongState() { return Error::Conflict("news.state"); }

// The states each decision moves an article from.
const std::vector<std::string> kFromDraft{"draft"};
const std::vector<std::string> kFromPending{"pending_review"};
const std::vector<std::string> kFromLive{"published", "scheduled"};

std::string ImageRef(const std::string& public_id) { return "news_article:" + public_id; }

std::vector<int64_t> StaffedOrgs(const Principal& p) {
  std::vector<int64_t> orgs;
  for (const accounts::RoleGrant& g : p.roles) {
    if (g.role == Role::kOrgStaff && g.org_id) {
      orgs.push_back(*g.org_id);
    }
  }
  return orgs;
}

// The writer's words onto the article; the body's HTML is rendered once, here.
void ApplyContent(Article& a, const Draft& d) {
  a.category = d.category;
  a.title = d.title;
  a.summary = d.summary;
  a.body_md = d.body_md;
  a.body_html = media::RenderMarkdown(d.body_md);
  a.tags = d.tags;
  a.related = d.related;
}

json::object AuditDetail(const Article& a) {
  return json::object{{"title", a.title}, {"status", a.status}, {"revision", a.revision}};
}

}  // namespace

NewsService::NewsService(db::Store& store, const Clock& clock, media::MediaService& media)
    : store_(store), clock_(clock), media_(media) {}

bool NewsService::IsEditor(const Principal& p) { return p.Has(Role::kEditor) || p.Has(Role::kPlatformAdmin); }

bool NewsService::CanWrite(const Principal& p) { return IsEditor(p) || p.Has(Role::kOrgStaff); }

Status NewsService::CheckDraft(const Draft& d) {
  if (!IsCategory(d.category)) {
    return Error::Invalid("invalid_value", "category");
  }
  if (CodePointCount(d.title) > kMaxTitleChars) {
    return Error::Invalid("too_long", "title");
  }
  if (d.title.empty()) {
    return Error::Invalid("missing_field", "title");
  }
  CC_TRY(media::CheckMarkdown(d.body_md, "body_md"));
  if (d.tags.size() > kMaxTags) {
    return Error::Invalid("too_many_items", "tags");
  }
  for (size_t i = 0; i < d.tags.size(); ++i) {
    const std::string& t = d.tags[i];
    if (t.empty() || CodePointCount(t) > kMaxTagChars || t.find_first_of("\"\\,#") != std::string::npos) {
      return Error::Invalid("invalid_value", "tags[" + std::to_string(i) + "]");
    }
  }
  if (d.related.size() > kMaxRelated) {
    return Error::Invalid("too_many_items", "related");
  }
  for (size_t i = 0; i < d.related.size(); ++i) {
    const RelatedRef& r = d.related[i];
    const std::string at = "related[" + std::to_string(i) + "]";
    if (!IsRelatedKind(r.kind)) {
      return Error::Invalid("invalid_value", at + ".kind");
    }
    bool ok = !r.ref.empty();
    if (HasIntegerId(r.kind)) {
      ok = ok && r.ref.size() <= 18 && r.ref.find_first_not_of("0123456789") == std::string::npos && r.ref[0] != '0';
    } else {
      ok = ok && IsPublicId(r.ref);
    }
    if (!ok) {
      return Error::Invalid("invalid_value", at + ".id");
    }
    for (size_t j = 0; j < i; ++j) {
      if (d.related[j].kind == r.kind && d.related[j].ref == r.ref) {
        return Error::Invalid("duplicate_item", at + ".id");
      }
    }
  }
  if (d.publish_at_ms && *d.publish_at_ms < 0) {
    return Error::Invalid("invalid_value", "publish_at_ms");
  }
  return {};
}

bool NewsService::WriterOf(const Principal& p, const Article& a) const {
  return IsEditor(p) || (a.org_id && p.HasOrgRole(Role::kOrgStaff, *a.org_id));
}

ArticleView NewsService::ViewOf(db::Tx& tx, const Principal* p, Article a, int64_t now_ms) const {
  ArticleView v;
  v.now_ms = now_ms;
  v.writer = p != nullptr && WriterOf(*p, a);
  if (p != nullptr) {
    const bool editor = IsEditor(*p);
    v.can_edit = v.writer && a.status != "withdrawn" &&
                 (editor || a.status == "draft" || a.status == "pending_review");
    v.can_review = editor && a.status == "pending_review";
  }
  if (a.revision > 0) {
    for (Revision& r : repo::Revisions(tx, a.id)) {
      if (r.is_correction) {
        v.corrections.push_back(std::move(r));
      }
    }
  }
  a.views += views_.Pending(a.id);
  v.article = std::move(a);
  return v;
}

Task<ArticleView> NewsService::Create(const Principal& p, Draft d, std::string ip) {
  if (!CanWrite(p)) {
    co_return Error::Forbidden("news.forbidden");
  }
  CC_CO_TRY(CheckDraft(d));
  const bool editor = IsEditor(p);
  std::optional<int64_t> org = d.org_id;
  if (org) {
    if (!p.HasOrgRole(Role::kOrgStaff, *org)) {
      co_return Error{ErrorCode::kForbidden, "news.forbidden", "org_id", {}};
    }
  } else if (!editor) {
    const std::vector<int64_t> orgs = StaffedOrgs(p);
    if (orgs.size() != 1) {
      co_return Error::Invalid("missing_field", "org_id");
    }
    org = orgs[0];
  }
  const int64_t now = clock_.NowMs();
  Article a;
  a.public_id = NewPublicId();
  a.author_id = p.user_id;
  a.org_id = org;
  ApplyContent(a, d);
  a.publish_at_ms = d.publish_at_ms;
  if (d.draft) {
    a.status = "draft";
  } else if (editor) {
    a.publish_at_ms = d.publish_at_ms.value_or(now);
    a.status = *a.publish_at_ms > now ? "scheduled" : "published";
    a.published_at_ms = now;
  } else {
    a.status = "pending_review";
  }
  a.created_at_ms = now;
  a.updated_at_ms = now;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ArticleView> {
    if (d.cover_file_id) {
      auto image = media_.AttachInTx(tx, p.user_id, *d.cover_file_id, ImageRef(a.public_id), "cover_file_id");
      CC_TRY(image);
      a.cover_image_id = image->public_id;
    }
    a.id = repo::Insert(tx, a);
    audit::Record(tx, p.user_id, "news.article.created", "news_article", a.public_id, AuditDetail(a), ip, now);
    return ViewOf(tx, &p, *repo::FindByPublicId(tx, a.public_id), now);
  });
}

Task<ArticleView> NewsService::Update(const Principal& p, std::string id, Draft d, std::string ip) {
  if (!IsPublicId(id)) {
    co_return ArticleNotFound();
  }
  CC_CO_TRY(CheckDraft(d));
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ArticleView> {
    auto found = repo::FindByPublicId(tx, id);
    if (!found || !WriterOf(p, *found)) {
      return ArticleNotFound();
    }
    const Article old = *found;
    const bool editor = IsEditor(p);
    if (old.status == "withdrawn" || (!editor && old.status != "draft" && old.status != "pending_review")) {
      return WrongState();
    }
    if (d.org_id && d.org_id != old.org_id) {
      return Error::Invalid("invalid_value", "org_id");  // an article stays whose it is
    }
    Article a = old;
    ApplyContent(a, d);
    a.updated_at_ms = now;
    const bool live = old.status == "published" || old.status == "scheduled";
    if (!live || (old.status == "scheduled" && !IsPublicAt(old, now))) {
      if (d.publish_at_ms) {
        a.publish_at_ms = d.publish_at_ms;
      }
      if (old.status == "scheduled" && a.publish_at_ms && *a.publish_at_ms <= now) {
        a.status = "published";
      }
    }
    if (a.cover_image_id != d.cover_file_id) {
      if (a.cover_image_id) {
        media_.DetachInTx(tx, *a.cover_image_id, ImageRef(a.public_id));
      }
      a.cover_image_id.reset();
      if (d.cover_file_id) {
        auto image = media_.AttachInTx(tx, p.user_id, *d.cover_file_id, ImageRef(a.public_id), "cover_file_id");
        CC_TRY(image);
        a.cover_image_id = image->public_id;
      }
    }
    if (live) {
      // The text readers saw is kept; a correction says so on the article.
      const bool correction = d.correction_note.has_value() && !d.correction_note->empty();
      repo::InsertRevision(
          tx, a.id, Revision{old.revision, old.title, old.body_md, "", now, correction, d.correction_note}, p.user_id);
      a.revision = old.revision + 1;
      if (correction) {
        a.correction_note = d.correction_note;
      }
    }
    if (!repo::UpdateContent(tx, a, old.revision, old.status)) {
      return Error::Conflict("news.edited_meanwhile");
    }
    audit::Record(tx, p.user_id, live ? "news.article.revised" : "news.article.edited", "news_article", a.public_id,
                  AuditDetail(a), ip, now);
    return ViewOf(tx, &p, *repo::FindByPublicId(tx, id), now);
  });
}

Task<ArticleView> NewsService::Decide(const Principal& p, std::string id, const std::vector<std::string>& from,
                                      std::string to, std::optional<std::string> note, std::string action,
                                      std::string ip) {
  if (!IsPublicId(id)) {
    co_return ArticleNotFound();
  }
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ArticleView> {
    auto a = repo::FindByPublicId(tx, id);
    if (!a || !WriterOf(p, *a)) {
      return ArticleNotFound();
    }
    const bool editor = IsEditor(p);
    if ((action == "review" || action == "withdraw") && !editor) {
      return Error::Forbidden("news.forbidden");
    }
    std::string target = to;
    if (action == "submit") {
      target = editor ? "publish" : "pending_review";
    }
    // The decision is the write: it changes the row only from a state in
    // `from`, so of two deciding at once, one does.
    if (!repo::Transition(tx, a->id, from, target, note, editor ? std::optional<int64_t>(p.user_id) : std::nullopt,
                          now)) {
      return WrongState();
    }
    auto after = repo::FindByPublicId(tx, id);
    if (action == "review") {
      json::object params{{"article_id", id}, {"title", after->title}, {"note", note ? json::value(*note) : nullptr}};
      notify::Enqueue(tx, notify::Channel::kSite, std::to_string(after->author_id), after->author_id,
                      to == "draft" ? "news.returned" : "news.approved", json::serialize(params), now);
    }
    json::object detail = AuditDetail(*after);
    detail["from"] = a->status;
    if (note) {
      detail["note"] = *note;
    }
    audit::Record(tx, p.user_id, "news.article." + action, "news_article", id, detail, ip, now);
    return ViewOf(tx, &p, std::move(*after), now);
  });
}

Task<ArticleView> NewsService::Submit(const Principal& p, std::string id, std::string ip) {
  co_return co_await Decide(p, std::move(id), kFromDraft, std::string(), std::nullopt,
                            std::string("submit"), std::move(ip));
}

Task<ArticleView> NewsService::Review(const Principal& p, std::string id, bool approve, std::string note,
                                      std::string ip) {
  if (!approve && note.empty()) {
    co_return Error::Invalid("missing_field", "note");
  }
  std::optional<std::string> n;
  if (!note.empty()) {
    n = std::move(note);
  }
  co_return co_await Decide(p, std::move(id), kFromPending, std::string(approve ? "publish" : "draft"),
                            std::move(n), std::string("review"), std::move(ip));
}

Task<ArticleView> NewsService::Withdraw(const Principal& p, std::string id, std::string reason, std::string ip) {
  if (reason.empty()) {
    co_return Error::Invalid("missing_field", "reason");
  }
  co_return co_await Decide(p, std::move(id), kFromLive, std::string("withdrawn"),
                            std::move(reason), std::string("withdraw"), std::move(ip));
}

Task<ArticleView> NewsService::Read(std::optional<Principal> p, std::string id, bool count_view) {
  if (!IsPublicId(id)) {
    co_return ArticleNotFound();
  }
  const int64_t now = clock_.NowMs();
  auto v = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<ArticleView> {
    auto a = repo::FindByPublicId(tx, id);
    if (!a) {
      return ArticleNotFound();
    }
    const bool open = IsPublicAt(*a, now);
    if (!open && !(p && WriterOf(*p, *a))) {
      return ArticleNotFound();
    }
    return ViewOf(tx, p ? &*p : nullptr, std::move(*a), now);
  });
  if (count_view && v.ok() && IsPublicAt(v->article, now)) {
    views_.Add(v->article.id);
    ++v->article.views;
  }
  co_return v;
}

Task<std::vector<Revision>> NewsService::Revisions(const Principal& p, std::string id) {
  if (!IsPublicId(id)) {
    co_return ArticleNotFound();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Revision>> {
    auto a = repo::FindByPublicId(tx, id);
    if (!a || !WriterOf(p, *a)) {
      return ArticleNotFound();
    }
    return repo::Revisions(tx, a->id);
  });
}

Task<Page> NewsService::List(ListQuery q) {
  if (!q.category.empty() && !IsCategory(q.category)) {
    co_return Error::Invalid("invalid_value", "category");
  }
  if (!q.cursor.empty() && !ParseCursor(q.cursor)) {
    co_return Error::Invalid("invalid_value", "cursor");
  }
  if (q.limit < 1 || q.limit > kMaxPageSize) {
    co_return Error::Invalid("invalid_value", "limit");
  }
  const int64_t now = clock_.NowMs();
  auto page = co_await db::ReadTx(store_, [&](db::Tx& tx) { return repo::List(tx, q, now); });
  if (page.ok()) {
    for (Article& a : page->articles) {
      a.views += views_.Pending(a.id);
    }
  }
  co_return page;
}

Task<std::vector<Article>> NewsService::Desk(const Principal& p, std::string status) {
  if (!CanWrite(p)) {
    co_return Error::Forbidden("news.forbidden");
  }
  if (!status.empty() && status != "draft" && status != "pending_review" && status != "scheduled" &&
      status != "published" && status != "withdrawn") {
    co_return Error::Invalid("invalid_value", "status");
  }
  const bool all = IsEditor(p);
  const std::vector<int64_t> orgs = StaffedOrgs(p);
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Article>> {
    return repo::Desk(tx, all, orgs, status);
  });
}

int64_t NewsService::FlushViews() {
  std::map<int64_t, int64_t> batch = views_.Take();
  if (batch.empty()) {
    return 0;
  }
  int64_t written = 0;
  try {
    db::WriteSync(store_, [&](db::Tx& tx) {
      written = 0;
      for (const auto& [id, n] : batch) {
        repo::AddViews(tx, id, n);
        written += n;
      }
      return true;
    });
  } catch (const std::exception& e) {
    spdlog::warn("news: view counts kept for the next flush: {}", e.what());
    views_.Return(batch);
    return 0;
  }
  return written;
}

}  // namespace carecity::news
