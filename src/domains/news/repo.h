// 公益宣传's SQL: every statement on news_* tables. Callers run these in the
// store's jobs (a read job or a write job) and decide every rule; the
// conditional writes here are what makes those decisions hold when two
// servers act at once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "db/tx.h"
#include "domains/news/model.h"

namespace carecity::news::repo {

std::optional<Article> FindByPublicId(db::Tx& tx, const std::string& public_id);

// Inserts `a` (its public_id set) with its related items; returns its id.
int64_t Insert(db::Tx& tx, const Article& a);

// Writes `a`'s content (title … related, status, publish_at_ms, revision,
// correction_note) if the row is still at `expected_revision` and
// `expected_status`; false if someone saved or decided it meanwhile.
bool UpdateContent(db::Tx& tx, const Article& a, int64_t expected_revision, const std::string& expected_status);

void InsertRevision(db::Tx& tx, int64_t article_id, const Revision& r, int64_t editor_id);
std::vector<Revision> Revisions(db::Tx& tx, int64_t article_id);

// Moves the article from `from` to `to`, or for `to` "publish" to
// published (scheduled while its publish_at_ms is ahead). Publishing stamps
// published_at_ms and, when it had none, publish_at_ms = now); sets
// review_note and reviewed_by. False if it was no longer in `from`.
bool Transition(db::Tx& tx, int64_t article_id, const std::vector<std::string>& from, const std::string& to,
                const std::optional<std::string>& review_note, std::optional<int64_t> reviewer, int64_t now_ms);

// Readers' list: published (or scheduled and due) articles, newest first.
// Errors: BuildSearch's for a bad `q`.
Result<Page> List(db::Tx& tx, const ListQuery& q, int64_t now_ms);

// The 编辑台: every article (org_ids empty and `all`), or those of the
// organisations, newest first, optionally of one status.
std::vector<Article> Desk(db::Tx& tx, bool all, const std::vector<int64_t>& org_ids, const std::string& status);

void AddViews(db::Tx& tx, int64_t article_id, int64_t n);

}  // namespace carecity::news::repo
