// 公益宣传: who writes, who publishes, and what readers see.
//
// Editors (the `editor` role and platform admins) write for the
// subdistrict and publish directly; organisation staff write for their
// organisation and an editor approves or returns their articles. Every
// decision is a conditional write on the article's status (and revision),
// so two editors or two servers deciding at once decide once. Readers see
// published articles, and scheduled ones from their time on — chosen by the
// query, so publishing on time needs no job. Views gather in memory and
// reach the database in FlushViews.
//
// Thread-safety: safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/news/model.h"
#include "media/counters.h"
#include "media/service.h"

namespace carecity::news {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;
using accounts::Principal;

struct ArticleView {
  Article article;
  bool writer = false;      // may see its drafts, revisions and Markdown
  bool can_edit = false;
  bool can_review = false;
  std::vector<Revision> corrections;  // newest first
  int64_t now_ms = 0;
};

class NewsService {
 public:
  // `store`, `clock` and `media` must outlive the service.
  NewsService(db::Store& store, const Clock& clock, media::MediaService& media);

  static bool IsEditor(const Principal& p);
  // Editors and organisation staff.
  static bool CanWrite(const Principal& p);

  // Checks the fields of a draft (the errors name the field).
  static Status CheckDraft(const Draft& d);

  Task<ArticleView> Create(const Principal& p, Draft d, std::string ip);
  Task<ArticleView> Update(const Principal& p, std::string id, Draft d, std::string ip);
  Task<ArticleView> Submit(const Principal& p, std::string id, std::string ip);
  Task<ArticleView> Review(const Principal& p, std::string id, bool approve, std::string note, std::string ip);
  Task<ArticleView> Withdraw(const Principal& p, std::string id, std::string reason, std::string ip);

  // Counts a view when a reader sees a public article (unless
  // `count_view` is off: the page's share metadata, say).
  Task<ArticleView> Read(std::optional<Principal> p, std::string id, bool count_view = true);
  Task<std::vector<Revision>> Revisions(const Principal& p, std::string id);
  Task<Page> List(ListQuery q);
  Task<std::vector<Article>> Desk(const Principal& p, std::string status);

  // Writes the gathered views (one write job); keeps them for the next
  // flush if that fails. Returns the views written.
  int64_t FlushViews();

 private:
  bool WriterOf(const Principal& p, const Article& a) const;
  ArticleView ViewOf(db::Tx& tx, const Principal* p, Article a, int64_t now_ms) const;
  Task<ArticleView> Decide(const Principal& p, std::string id, const std::vector<std::string>& from,
                           std::string to, std::optional<std::string> note, std::string action, std::string ip);

  db::Store& store_;
  const Clock& clock_;
  media::MediaService& media_;
  media::PendingCounts views_;
};

}  // namespace carecity::news
