#include "domains/news/repo.h"

#include <boost/json.hpp>

#include "db/json_text.h"
#include "media/search.h"

namespace carecity::news::repo {
namespace {

namespace json = boost::json;

const media::SearchSpec kSearch{"news_articles", {"title", "body_md"}};

constexpr const char* kColumns =
    "SELECT a.id, a.public_id, a.author_id, u.display_name, a.org_id, COALESCE(o.name, ''), a.category, a.title, "
    "a.summary, a.body_md, a.body_html, a.tags, a.cover_image_id, a.status, a.publish_at_ms, a.published_at_ms, "
    "a.revision, a.correction_note, a.review_note, a.views, a.created_at_ms, a.updated_at_ms "
    "FROM news_articles a JOIN users u ON u.id = a.author_id LEFT JOIN orgs o ON o.id = a.org_id ";

Article Read(const db::Row& r) {
  Article a;
  a.id = r.Int(0);
  a.public_id = r.Text(1);
  a.author_id = r.Int(2);
  a.author_name = r.Text(3);
  a.org_id = r.OptInt(4);
  a.org_name = r.Text(5);
  a.category = r.Text(6);
  a.title = r.Text(7);
  a.summary = r.Text(8);
  a.body_md = r.Text(9);
  a.body_html = r.Text(10);
  a.tags = db::StringListOf(r.Text(11));
  a.cover_image_id = r.OptText(12);
  a.status = r.Text(13);
  a.publish_at_ms = r.OptInt(14);
  a.published_at_ms = r.OptInt(15);
  a.revision = r.Int(16);
  a.correction_note = r.OptText(17);
  a.review_note = r.OptText(18);
  a.views = r.Int(19);
  a.created_at_ms = r.Int(20);
  a.updated_at_ms = r.Int(21);
  return a;
}

void LoadRelated(db::Tx& tx, Article& a) {
  db::Rows rows =
      tx.Query("SELECT kind, ref FROM news_related WHERE article_id = $1 ORDER BY position", {a.id});
  a.related.clear();
  for (size_t i = 0; i < rows.size(); ++i) {
    a.related.push_back(RelatedRef{rows[i].Text(0), rows[i].Text(1)});
  }
}

void WriteRelated(db::Tx& tx, int64_t article_id, const std::vector<RelatedRef>& related) {
  tx.Exec("DELETE FROM news_related WHERE article_id = $1", {article_id});
  for (size_t i = 0; i < related.size(); ++i) {
    tx.Exec("INSERT INTO news_related (article_id, position, kind, ref) VALUES ($1, $2, $3, $4)",
            {article_id, static_cast<int64_t>(i), related[i].kind, related[i].ref});
  }
}

}  // namespace

std::optional<Article> FindByPublicId(db::Tx& tx, const std::string& public_id) {
  db::Rows rows = tx.Query(std::string(kColumns) + "WHERE a.public_id = $1", {public_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  Article a = Read(rows.front());
  LoadRelated(tx, a);
  return a;
}

int64_t Insert(db::Tx& tx, const Article& a) {
  const int64_t id = tx.Insert(
      "INSERT INTO news_articles (public_id, author_id, org_id, category, title, summary, body_md, body_html, tags, "
      "cover_image_id, status, publish_at_ms, published_at_ms, revision, created_at_ms, updated_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, $14, $14)",
      {a.public_id, a.author_id, a.org_id, a.category, a.title, a.summary, a.body_md, a.body_html, db::StringListJson(a.tags),
       a.cover_image_id, a.status, a.publish_at_ms, a.published_at_ms, a.created_at_ms});
  WriteRelated(tx, id, a.related);
  return id;
}

bool UpdateContent(db::Tx& tx, const Article& a, int64_t expected_revision, const std::string& expected_status) {
  if (tx.Exec("UPDATE news_articles SET category = $1, title = $2, summary = $3, body_md = $4, body_html = $5, "
              "tags = $6, cover_image_id = $7, status = $8, publish_at_ms = $9, revision = $10, "
              "correction_note = $11, updated_at_ms = $12 WHERE id = $13 AND revision = $14 AND status = $15",
              {a.category, a.title, a.summary, a.body_md, a.body_html, db::StringListJson(a.tags), a.cover_image_id, a.status,
               a.publish_at_ms, a.revision, a.correction_note, a.updated_at_ms, a.id, expected_revision,
               expected_status}) != 1) {
    return false;
  }
  WriteRelated(tx, a.id, a.related);
  return true;
}

void InsertRevision(db::Tx& tx, int64_t article_id, const Revision& r, int64_t editor_id) {
  tx.Exec("INSERT INTO news_revisions (article_id, revision, title, body_md, edited_by, edited_at_ms, "
          "is_correction, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          {article_id, r.revision, r.title, r.body_md, editor_id, r.edited_at_ms, r.is_correction, r.note});
}

std::vector<Revision> Revisions(db::Tx& tx, int64_t article_id) {
  db::Rows rows = tx.Query(
      "SELECT r.revision, r.title, r.body_md, u.display_name, r.edited_at_ms, r.is_correction, r.note "
      "FROM news_revisions r JOIN users u ON u.id = r.edited_by WHERE r.article_id = $1 ORDER BY r.revision DESC",
      {article_id});
  std::vector<Revision> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    db::Row r = rows[i];
    out.push_back(Revision{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Bool(5), r.OptText(6)});
  }
  return out;
}

bool Transition(db::Tx& tx, int64_t article_id, const std::vector<std::string>& from, const std::string& to,
                const std::optional<std::string>& review_note, std::optional<int64_t> reviewer, int64_t now_ms) {
  std::vector<db::Value> params{review_note, reviewer, now_ms, article_id};
  const auto next = [&params](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  std::string sql = "UPDATE news_articles SET review_note = $1, reviewed_by = COALESCE($2, reviewed_by), "
                    "updated_at_ms = $3, status = ";
  if (to == "publish") {
    sql += "CASE WHEN publish_at_ms IS NOT NULL AND publish_at_ms > $3 THEN 'scheduled' ELSE 'published' END, "
           "publish_at_ms = COALESCE(publish_at_ms, $3), published_at_ms = COALESCE(published_at_ms, $3)";
  } else {
    sql += next(to);
  }
  std::string in;
  for (const std::string& s : from) {
    in += (in.empty() ? "" : ", ") + next(s);
  }
  sql += " WHERE id = $4 AND status IN (" + in + ")";
  return tx.Query(sql, params).affected() == 1;
}

Result<Page> List(db::Tx& tx, const ListQuery& q, int64_t now_ms) {
  std::vector<db::Value> params{now_ms};
  std::string sql = std::string(kColumns);
  std::string where = "WHERE a.status IN ('published', 'scheduled') AND a.publish_at_ms <= $1";
  if (!q.q.empty()) {
    auto s = media::BuildSearchFilter(tx.dialect(), kSearch, "a", q.q, 2);
    CC_TRY(s);
    sql += s->join + " ";
    where += " AND " + s->where;
    params.insert(params.end(), s->params.begin(), s->params.end());
  }
  if (!q.category.empty()) {
    params.emplace_back(q.category);
    where += " AND a.category = $" + std::to_string(params.size());
  }
  if (!q.tag.empty()) {
    params.emplace_back("%" + media::EscapeLike(json::serialize(json::string(q.tag))) + "%");
    where += " AND a.tags LIKE $" + std::to_string(params.size()) + " ESCAPE '\\'";
  }
  if (auto c = ParseCursor(q.cursor)) {
    params.emplace_back(c->first);
    const std::string at = "$" + std::to_string(params.size());
    params.emplace_back(c->second);
    const std::string id = "$" + std::to_string(params.size());
    where += " AND (a.publish_at_ms < " + at + " OR (a.publish_at_ms = " + at + " AND a.id < " + id + "))";
  }
  sql += where + " ORDER BY a.publish_at_ms DESC, a.id DESC LIMIT " + std::to_string(q.limit + 1);
  db::Rows rows = tx.Query(sql, params);
  Page page;
  page.articles = rows.Map(Read);
  if (page.articles.size() > static_cast<size_t>(q.limit)) {
    page.articles.pop_back();
    const Article& last = page.articles.back();
    page.next_cursor = std::to_string(*last.publish_at_ms) + "." + std::to_string(last.id);
  }
  return page;
}

std::vector<Article> Desk(db::Tx& tx, bool all, const std::vector<int64_t>& org_ids, const std::string& status) {
  std::vector<db::Value> params;
  std::string where;
  if (!all) {
    std::string in;
    for (int64_t id : org_ids) {
      params.emplace_back(id);
      in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    if (in.empty()) {
      return {};
    }
    where = "a.org_id IN (" + in + ")";
  }
  if (!status.empty()) {
    params.emplace_back(status);
    where += (where.empty() ? "" : " AND ") + std::string("a.status = $") + std::to_string(params.size());
  }
  db::Rows rows = tx.Query(std::string(kColumns) + (where.empty() ? "" : "WHERE " + where) +
                               " ORDER BY a.updated_at_ms DESC, a.id DESC LIMIT " + std::to_string(kDeskLimit),
                           params);
  return rows.Map(Read);
}

void AddViews(db::Tx& tx, int64_t article_id, int64_t n) {
  tx.Exec("UPDATE news_articles SET views = views + $1 WHERE id = $2", {n, article_id});
}

}  // namespace carecity::news::repo
