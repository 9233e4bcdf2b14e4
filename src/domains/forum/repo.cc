#include "domains/forum/repo.h"

#include <cstdint>
#include <string>

#include "media/markdown.h"
#include "media/search.h"

namespace carecity::forum::repo {
namespace {

// An author's columns: user id, nickname, credits, org id, org name.
constexpr const char* kThreadColumns =
    "SELECT t.id, t.board_id, b.name, t.author_id, u.display_name, COALESCE(m.credits, 0), p1.as_org_id, "
    "COALESCE(o.name, ''), t.title, t.kind, t.status, t.status_reason, t.sticky, t.digest, t.locked, "
    "t.last_floor, t.replies, t.views, t.solved_post_id, t.last_post_at_ms, t.created_at_ms "
    "FROM forum_threads t JOIN forum_boards b ON b.id = t.board_id JOIN users u ON u.id = t.author_id "
    "LEFT JOIN forum_members m ON m.user_id = t.author_id "
    "LEFT JOIN forum_posts p1 ON p1.thread_id = t.id AND p1.floor = 1 LEFT JOIN orgs o ON o.id = p1.as_org_id ";

Thread ReadThread(const db::Row& r) {
  Thread t;
  t.id = r.Int(0);
  t.board_id = r.Int(1);
  t.board_name = r.Text(2);
  t.author = {r.Int(3), r.Text(4), r.Int(5), r.OptInt(6), r.Text(7)};
  t.title = r.Text(8);
  t.kind = r.Text(9);
  t.status = r.Text(10);
  t.status_reason = r.OptText(11);
  t.sticky = r.Bool(12);
  t.digest = r.Bool(13);
  t.locked = r.Bool(14);
  t.last_floor = r.Int(15);
  t.replies = r.Int(16);
  t.views = r.Int(17);
  t.solved_post_id = r.OptInt(18);
  t.last_post_at_ms = r.Int(19);
  t.created_at_ms = r.Int(20);
  return t;
}

constexpr const char* kPostColumns =
    "SELECT p.id, p.thread_id, p.floor, p.author_id, u.display_name, COALESCE(m.credits, 0), p.as_org_id, "
    "COALESCE(o.name, ''), p.body_md, p.body_html, p.status, p.status_reason, p.likes, p.created_at_ms, "
    "p.edited_at_ms, q.id, q.floor, qu.display_name, q.body_md, q.status ";
constexpr const char* kPostFrom =
    "FROM forum_posts p JOIN users u ON u.id = p.author_id LEFT JOIN forum_members m ON m.user_id = p.author_id "
    "LEFT JOIN orgs o ON o.id = p.as_org_id LEFT JOIN forum_posts q ON q.id = p.quote_post_id "
    "LEFT JOIN users qu ON qu.id = q.author_id ";

Post ReadPost(const db::Row& r) {
  Post p;
  p.id = r.Int(0);
  p.thread_id = r.Int(1);
  p.floor = r.Int(2);
  p.author = {r.Int(3), r.Text(4), r.Int(5), r.OptInt(6), r.Text(7)};
  p.body_md = r.Text(8);
  p.body_html = r.Text(9);
  p.status = r.Text(10);
  p.status_reason = r.OptText(11);
  p.likes = r.Int(12);
  p.created_at_ms = r.Int(13);
  p.edited_at_ms = r.OptInt(14);
  if (!r.IsNull(15)) {
    const bool visible = r.Text(19) == "visible";
    p.quote = Quote{r.Int(15), r.Int(16), r.Text(17), visible ? media::PlainExcerpt(r.Text(18), 100) : "", visible};
  }
  return p;
}

// "$n, $n+1, …" for `count` parameters from `first`.
std::string Placeholders(int first, size_t count) {
  std::string s;
  for (size_t i = 0; i < count; ++i) {
    s += (i ? ", $" : "$") + std::to_string(first + static_cast<int>(i));
  }
  return s;
}

}  // namespace

// ---- Boards ----

namespace {
// Boards (all, or the one with id `only`) with their moderators.
std::vector<Board> Boards(db::Tx& tx, int64_t only) {
  auto rows = tx.Query(
      "SELECT b.id, b.name, b.description, b.org_id, COALESCE(o.name, ''), b.position, b.status, b.threads, "
      "b.created_at_ms FROM forum_boards b LEFT JOIN orgs o ON o.id = b.org_id "
      "WHERE $1 = 0 OR b.id = $1 ORDER BY b.position, b.id",
      {only});
  std::vector<Board> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    out.push_back(Board{r.Int(0), r.Text(1), r.Text(2), r.OptInt(3), r.Text(4), r.Int(5), r.Text(6), r.Int(7), {},
                        r.Int(8)});
  }
  auto mods = tx.Query(
      "SELECT fm.board_id, fm.user_id, u.display_name FROM forum_moderators fm JOIN users u ON u.id = fm.user_id "
      "WHERE $1 = 0 OR fm.board_id = $1 ORDER BY fm.board_id, fm.created_at_ms, fm.user_id",
      {only});
  for (size_t i = 0; i < mods.size(); ++i) {
    for (Board& b : out) {
      if (b.id == mods[i].Int(0)) {
        b.moderators.emplace_back(mods[i].Int(1), mods[i].Text(2));
      }
    }
  }
  return out;
}
}  // namespace

std::vector<Board> ListBoards(db::Tx& tx) { return Boards(tx, 0); }

std::optional<Board> FindBoard(db::Tx& tx, int64_t id) {
  auto one = Boards(tx, id);
  if (one.empty()) {
    return std::nullopt;
  }
  return std::move(one.front());
}

std::optional<int64_t> InsertBoard(db::Tx& tx, const Board& b, int64_t now_ms) {
  const int64_t n = tx.Exec(
      "INSERT INTO forum_boards (name, description, org_id, position, created_at_ms) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT DO NOTHING",
      {b.name, b.description, b.org_id, b.position, now_ms});
  if (n == 0) {
    return std::nullopt;
  }
  return tx.Query("SELECT id FROM forum_boards WHERE name = $1", {b.name}).front().Int(0);
}

void SetModerators(db::Tx& tx, int64_t board_id, const std::vector<int64_t>& user_ids, int64_t now_ms) {
  tx.Exec("DELETE FROM forum_moderators WHERE board_id = $1", {board_id});
  for (int64_t u : user_ids) {
    tx.Exec(
        "INSERT INTO forum_moderators (board_id, user_id, created_at_ms) VALUES ($1, $2, $3) "
        "ON CONFLICT (board_id, user_id) DO NOTHING",
        {board_id, u, now_ms});
  }
}

bool IsModerator(db::Tx& tx, int64_t board_id, int64_t user_id) {
  return !tx.Query("SELECT 1 FROM forum_moderators WHERE board_id = $1 AND user_id = $2", {board_id, user_id})
              .empty();
}

std::vector<int64_t> ModeratedBoards(db::Tx& tx, int64_t user_id) {
  auto rows = tx.Query("SELECT board_id FROM forum_moderators WHERE user_id = $1 ORDER BY board_id", {user_id});
  std::vector<int64_t> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(rows[i].Int(0));
  }
  return out;
}

// ---- Threads ----

std::optional<Thread> FindThread(db::Tx& tx, int64_t id) {
  auto rows = tx.Query(std::string(kThreadColumns) + "WHERE t.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadThread(rows.front());
}

namespace {
std::string ThreadFilter(bool digest_only, bool with_hidden) {
  std::string where = with_hidden ? " AND t.status IN ('visible', 'held', 'hidden')" : " AND t.status = 'visible'";
  if (digest_only) {
    where += " AND t.digest = 1";
  }
  return where;
}
}  // namespace

std::vector<Thread> ListThreads(db::Tx& tx, int64_t board_id, bool sticky, bool digest_only, bool with_hidden,
                                int64_t offset, int64_t limit) {
  auto rows = tx.Query(std::string(kThreadColumns) + "WHERE t.board_id = $1 AND t.sticky = $2" +
                           ThreadFilter(digest_only, with_hidden) +
                           " ORDER BY t.last_post_at_ms DESC, t.id DESC LIMIT $3 OFFSET $4",
                       {board_id, sticky, limit, offset});
  std::vector<Thread> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadThread(rows[i]));
  }
  return out;
}

std::vector<Thread> LatestThreads(db::Tx& tx, int64_t limit) {
  auto rows = tx.Query(std::string(kThreadColumns) +
                           "WHERE t.status = 'visible' AND b.status = 'open' "
                           "ORDER BY t.last_post_at_ms DESC, t.id DESC LIMIT $1",
                       {limit});
  std::vector<Thread> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadThread(rows[i]));
  }
  return out;
}

int64_t CountThreads(db::Tx& tx, int64_t board_id, bool digest_only, bool with_hidden) {
  return tx
      .Query("SELECT COUNT(*) FROM forum_threads t WHERE t.board_id = $1 AND t.sticky = 0" +
                 ThreadFilter(digest_only, with_hidden),
             {board_id})
      .front()
      .Int(0);
}

int64_t InsertThread(db::Tx& tx, const Thread& t, int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO forum_threads (board_id, author_id, title, kind, status, last_floor, last_post_at_ms, "
      "created_at_ms) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
      {t.board_id, t.author.user_id, t.title, t.kind, t.status, now_ms});
}

std::optional<int64_t> ClaimFloor(db::Tx& tx, int64_t thread_id, bool moderator, bool visible, int64_t now_ms) {
  const int64_t n = tx.Exec(
      "UPDATE forum_threads SET last_floor = last_floor + 1, replies = replies + $2, "
      "last_post_at_ms = CASE WHEN $2 = 1 THEN $3 ELSE last_post_at_ms END "
      "WHERE id = $1 AND status = 'visible' AND (locked = 0 OR $4 = 1)",
      {thread_id, visible ? 1 : 0, now_ms, moderator});
  if (n == 0) {
    return std::nullopt;
  }
  // The row is this job's until it ends: the floor just claimed.
  return tx.Query("SELECT last_floor FROM forum_threads WHERE id = $1", {thread_id}).front().Int(0);
}

bool SetThreadFlag(db::Tx& tx, int64_t thread_id, const std::string& column, bool on) {
  // `column` is one of a fixed set, chosen by the service (never input).
  if (column != "sticky" && column != "digest" && column != "locked") {
    throw db::DbError(db::DbError::Kind::kOther, "SetThreadFlag: unknown column");
  }
  return tx.Exec("UPDATE forum_threads SET " + column + " = $1 WHERE id = $2 AND " + column + " <> $1",
                 {on, thread_id}) == 1;
}

bool SetThreadStatus(db::Tx& tx, int64_t thread_id, const std::string& from, const std::string& to,
                     const std::optional<std::string>& reason) {
  return tx.Exec("UPDATE forum_threads SET status = $1, status_reason = $2 WHERE id = $3 AND status = $4",
                 {to, reason, thread_id, from}) == 1;
}

bool MoveThread(db::Tx& tx, int64_t thread_id, int64_t from_board, int64_t to_board, bool counted) {
  if (tx.Exec("UPDATE forum_threads SET board_id = $1 WHERE id = $2 AND board_id = $3",
              {to_board, thread_id, from_board}) != 1) {
    return false;
  }
  if (counted) {
    AdjustBoardThreads(tx, from_board, -1);
    AdjustBoardThreads(tx, to_board, 1);
  }
  return true;
}

void AdjustBoardThreads(db::Tx& tx, int64_t board_id, int64_t delta) {
  tx.Exec("UPDATE forum_boards SET threads = threads + $1 WHERE id = $2", {delta, board_id});
}

void AdjustReplies(db::Tx& tx, int64_t thread_id, int64_t delta) {
  tx.Exec("UPDATE forum_threads SET replies = replies + $1 WHERE id = $2", {delta, thread_id});
}

bool SetSolved(db::Tx& tx, int64_t thread_id, int64_t post_id) {
  if (tx.Exec("UPDATE forum_threads SET solved_post_id = $1 WHERE id = $2 AND solved_post_id IS NULL",
              {post_id, thread_id}) == 1) {
    return true;
  }
  tx.Exec("UPDATE forum_threads SET solved_post_id = $1 WHERE id = $2", {post_id, thread_id});
  return false;
}

// ---- Posts ----

int64_t InsertPost(db::Tx& tx, const Post& p, int64_t now_ms) {
  std::optional<int64_t> quote;
  if (p.quote) {
    quote = p.quote->post_id;
  }
  return tx.Insert(
      "INSERT INTO forum_posts (thread_id, floor, author_id, as_org_id, body_md, body_html, quote_post_id, status, "
      "created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {p.thread_id, p.floor, p.author.user_id, p.author.org_id, p.body_md, p.body_html, quote, p.status, now_ms});
}

std::optional<Post> FindPost(db::Tx& tx, int64_t id) {
  auto rows = tx.Query(std::string(kPostColumns) + kPostFrom + "WHERE p.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadPost(rows.front());
}

std::optional<Post> FindPostByFloor(db::Tx& tx, int64_t thread_id, int64_t floor) {
  auto rows =
      tx.Query(std::string(kPostColumns) + kPostFrom + "WHERE p.thread_id = $1 AND p.floor = $2", {thread_id, floor});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadPost(rows.front());
}

std::vector<Post> PostsOfFloors(db::Tx& tx, int64_t thread_id, int64_t first, int64_t last, int64_t viewer) {
  auto rows = tx.Query(std::string(kPostColumns) + ", l.user_id " + kPostFrom +
                           "LEFT JOIN forum_likes l ON l.post_id = p.id AND l.user_id = $4 "
                           "WHERE p.thread_id = $1 AND p.floor BETWEEN $2 AND $3 ORDER BY p.floor",
                       {thread_id, first, last, viewer});
  std::vector<Post> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    Post p = ReadPost(rows[i]);
    p.liked = !rows[i].IsNull(20);
    out.push_back(std::move(p));
  }
  return out;
}

bool RewritePost(db::Tx& tx, int64_t post_id, int64_t author_id, const std::string& from, const std::string& to,
                 const std::string& body_md, const std::string& body_html, int64_t now_ms) {
  return tx.Exec("UPDATE forum_posts SET body_md = $1, body_html = $2, status = $3, edited_at_ms = $4 "
                 "WHERE id = $5 AND author_id = $6 AND status = $7 AND NOT EXISTS "
                 "(SELECT 1 FROM forum_threads t WHERE t.id = forum_posts.thread_id AND t.locked = 1)",
                 {body_md, body_html, to, now_ms, post_id, author_id, from}) == 1;
}

void SetThreadTitle(db::Tx& tx, int64_t thread_id, const std::string& title) {
  tx.Exec("UPDATE forum_threads SET title = $1 WHERE id = $2", {title, thread_id});
}

std::vector<int64_t> LikedOnPage(db::Tx& tx, int64_t user_id, int64_t thread_id, int64_t first, int64_t last) {
  auto rows = tx.Query(
      "SELECT p.id FROM forum_posts p JOIN forum_likes l ON l.post_id = p.id AND l.user_id = $1 "
      "WHERE p.thread_id = $2 AND p.floor BETWEEN $3 AND $4",
      {user_id, thread_id, first, last});
  std::vector<int64_t> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(rows[i].Int(0));
  }
  return out;
}

bool SetPostStatus(db::Tx& tx, int64_t post_id, const std::string& from, const std::string& to,
                   const std::optional<std::string>& reason) {
  return tx.Exec("UPDATE forum_posts SET status = $1, status_reason = $2 WHERE id = $3 AND status = $4",
                 {to, reason, post_id, from}) == 1;
}

std::vector<MyPost> PostsBy(db::Tx& tx, int64_t user_id, int64_t before_id, int limit) {
  auto rows = tx.Query(
      "SELECT p.id, p.thread_id, t.title, p.floor, p.body_md, p.status, p.created_at_ms FROM forum_posts p "
      "JOIN forum_threads t ON t.id = p.thread_id WHERE p.author_id = $1 AND p.id < $2 ORDER BY p.id DESC LIMIT $3",
      {user_id, before_id > 0 ? before_id : INT64_MAX, limit});
  std::vector<MyPost> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Text(4), r.Text(5), r.Int(6)});
  }
  return out;
}

// ---- Likes ----

bool InsertLike(db::Tx& tx, int64_t post_id, int64_t user_id, int64_t now_ms) {
  return tx.Exec(
             "INSERT INTO forum_likes (post_id, user_id, created_at_ms) VALUES ($1, $2, $3) "
             "ON CONFLICT (post_id, user_id) DO NOTHING",
             {post_id, user_id, now_ms}) == 1;
}

bool DeleteLike(db::Tx& tx, int64_t post_id, int64_t user_id) {
  return tx.Exec("DELETE FROM forum_likes WHERE post_id = $1 AND user_id = $2", {post_id, user_id}) == 1;
}

void AdjustLikes(db::Tx& tx, int64_t post_id, int64_t author_id, int64_t delta) {
  tx.Exec("UPDATE forum_posts SET likes = likes + $1 WHERE id = $2", {delta, post_id});
  EnsureMember(tx, author_id);
  tx.Exec("UPDATE forum_members SET likes_received = likes_received + $1 WHERE user_id = $2", {delta, author_id});
}

// ---- Members, credits, trust ----

void EnsureMember(db::Tx& tx, int64_t user_id) {
  tx.Exec("INSERT INTO forum_members (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING", {user_id});
}

void LockMember(db::Tx& tx, int64_t user_id) {
  EnsureMember(tx, user_id);
  // A no-op UPDATE takes the row lock on PostgreSQL (SQLite's one writer
  // serialises anyway).
  tx.Exec("UPDATE forum_members SET credits = credits WHERE user_id = $1", {user_id});
}

std::optional<Standing> FindPoster(db::Tx& tx, int64_t user_id) {
  auto rows = tx.Query(
      "SELECT u.id, u.display_name, u.created_at_ms, u.phone_verified_at_ms, m.trusted_at_ms, "
      "COALESCE(m.credits, 0), COALESCE(m.likes_received, 0) "
      "FROM users u LEFT JOIN forum_members m ON m.user_id = u.id WHERE u.id = $1 AND u.status = 'active'",
      {user_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  return Standing{r.Int(0), r.Text(1), r.Int(2), r.OptInt(3), r.OptInt(4), r.Int(5), r.Int(6), 0, 0, 0};
}

void FillTrustCounts(db::Tx& tx, Standing& s) {
  const auto rows = tx.Query(
      "SELECT (SELECT COUNT(*) FROM forum_visits v WHERE v.user_id = $1), "
      "(SELECT COALESCE(SUM(r.last_floor), 0) FROM forum_reads r WHERE r.user_id = $1)",
      {s.user_id});
  s.days_visited = rows.front().Int(0);
  s.posts_read = rows.front().Int(1);
}

std::optional<Standing> FindStanding(db::Tx& tx, int64_t user_id) {
  auto rows = tx.Query(
      "SELECT u.id, u.display_name, u.created_at_ms, u.phone_verified_at_ms, m.trusted_at_ms, "
      "COALESCE(m.credits, 0), COALESCE(m.likes_received, 0), "
      "(SELECT COUNT(*) FROM forum_visits v WHERE v.user_id = u.id), "
      "(SELECT COALESCE(SUM(r.last_floor), 0) FROM forum_reads r WHERE r.user_id = u.id), "
      "(SELECT COUNT(*) FROM forum_posts p WHERE p.author_id = u.id) "
      "FROM users u LEFT JOIN forum_members m ON m.user_id = u.id WHERE u.id = $1 AND u.status = 'active'",
      {user_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  return Standing{r.Int(0), r.Text(1), r.Int(2), r.OptInt(3), r.OptInt(4), r.Int(5), r.Int(6), r.Int(7), r.Int(8),
                  r.Int(9)};
}

void MarkTrusted(db::Tx& tx, int64_t user_id, int64_t now_ms) {
  EnsureMember(tx, user_id);
  tx.Exec("UPDATE forum_members SET trusted_at_ms = $1 WHERE user_id = $2 AND trusted_at_ms IS NULL",
          {now_ms, user_id});
}

int64_t EarnedSince(db::Tx& tx, int64_t user_id, int64_t since_ms) {
  return tx
      .Query(
          "SELECT COALESCE(SUM(delta), 0) FROM forum_credits WHERE user_id = $1 AND delta > 0 AND reason <> 'digest' "
          "AND created_at_ms > $2",
          {user_id, since_ms})
      .front()
      .Int(0);
}

void InsertCredit(db::Tx& tx, int64_t user_id, int64_t delta, const std::string& reason, const std::string& ref,
                  int64_t now_ms) {
  tx.Insert("INSERT INTO forum_credits (user_id, delta, reason, ref, created_at_ms) VALUES ($1, $2, $3, $4, $5)",
            {user_id, delta, reason, ref, now_ms});
  tx.Exec("UPDATE forum_members SET credits = credits + $1 WHERE user_id = $2", {delta, user_id});
}

std::vector<CreditEntry> CreditsOf(db::Tx& tx, int64_t user_id, int64_t before_id, int limit) {
  auto rows = tx.Query(
      "SELECT id, delta, reason, ref, created_at_ms FROM forum_credits WHERE user_id = $1 AND id < $2 "
      "ORDER BY id DESC LIMIT $3",
      {user_id, before_id > 0 ? before_id : INT64_MAX, limit});
  std::vector<CreditEntry> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4)});
  }
  return out;
}

bool IsActiveUser(db::Tx& tx, int64_t user_id) {
  return !tx.Query("SELECT 1 FROM users WHERE id = $1 AND status = 'active'", {user_id}).empty();
}

bool HasCredit(db::Tx& tx, int64_t user_id, const std::string& reason, const std::string& ref) {
  return !tx.Query("SELECT 1 FROM forum_credits WHERE user_id = $1 AND reason = $2 AND ref = $3",
                   {user_id, reason, ref})
              .empty();
}

std::vector<int64_t> UsersNamed(db::Tx& tx, const std::string& nickname) {
  auto rows = tx.Query("SELECT id FROM users WHERE display_name = $1 AND status = 'active' LIMIT 2", {nickname});
  std::vector<int64_t> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(rows[i].Int(0));
  }
  return out;
}

std::string NicknameOf(db::Tx& tx, int64_t user_id) {
  auto rows = tx.Query("SELECT display_name FROM users WHERE id = $1", {user_id});
  return rows.empty() ? std::string() : rows.front().Text(0);
}

// ---- Search ----

namespace {
const media::SearchSpec kThreadSearch{"forum_threads", {"title"}};
const media::SearchSpec kPostSearch{"forum_posts", {"body_md"}};
}  // namespace

Result<std::vector<Thread>> SearchThreads(db::Tx& tx, std::string_view q, int limit) {
  auto s = media::BuildSearch(tx.dialect(), kThreadSearch, "t", q, 2);
  if (!s.ok()) {
    return std::move(s).error();
  }
  std::vector<db::Value> params{static_cast<int64_t>(limit)};
  params.insert(params.end(), s->params.begin(), s->params.end());
  auto rows = tx.Query(std::string(kThreadColumns) + s->join +
                           " WHERE t.status = 'visible' AND b.status = 'open' AND " + s->where + " ORDER BY " +
                           s->order_by + " LIMIT $1",
                       params);
  std::vector<Thread> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadThread(rows[i]));
  }
  return out;
}

Result<std::vector<Post>> SearchPosts(db::Tx& tx, std::string_view q, int limit) {
  auto s = media::BuildSearch(tx.dialect(), kPostSearch, "p", q, 2);
  if (!s.ok()) {
    return std::move(s).error();
  }
  std::vector<db::Value> params{static_cast<int64_t>(limit)};
  params.insert(params.end(), s->params.begin(), s->params.end());
  auto rows = tx.Query(std::string(kPostColumns) + kPostFrom + s->join +
                           " JOIN forum_threads st ON st.id = p.thread_id JOIN forum_boards sb ON sb.id = st.board_id"
                           " WHERE p.status = 'visible' AND st.status = 'visible' AND sb.status = 'open' AND " +
                           s->where + " ORDER BY " + s->order_by + " LIMIT $1",
                       params);
  std::vector<Post> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadPost(rows[i]));
  }
  return out;
}

// ---- Reports, sanctions ----

std::optional<int64_t> InsertReport(db::Tx& tx, int64_t post_id, int64_t reporter_id, const std::string& reason,
                                    int64_t now_ms) {
  const int64_t n = tx.Exec(
      "INSERT INTO forum_reports (post_id, reporter_id, reason, created_at_ms) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (post_id, reporter_id) DO NOTHING",
      {post_id, reporter_id, reason, now_ms});
  if (n == 0) {
    return std::nullopt;
  }
  return tx.Query("SELECT id FROM forum_reports WHERE post_id = $1 AND reporter_id = $2", {post_id, reporter_id})
      .front()
      .Int(0);
}

namespace {
constexpr const char* kReportColumns =
    "SELECT r.id, r.post_id, r.reason, r.status, u.display_name, r.outcome, r.created_at_ms, r.handled_at_ms "
    "FROM forum_reports r JOIN users u ON u.id = r.reporter_id ";
Report ReadReport(const db::Row& r) {
  return Report{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.OptText(5), r.Int(6), r.OptInt(7)};
}

// " AND t.board_id IN (…)" for a moderator's boards, with its parameters.
std::string BoardFilter(const std::vector<int64_t>& boards, bool all_boards, int first,
                        std::vector<db::Value>& params) {
  if (all_boards) {
    return "";
  }
  if (boards.empty()) {
    return " AND 1 = 0";
  }
  for (int64_t b : boards) {
    params.emplace_back(b);
  }
  return " AND t.board_id IN (" + Placeholders(first, boards.size()) + ")";
}
}  // namespace

std::optional<Report> FindReport(db::Tx& tx, int64_t id) {
  auto rows = tx.Query(std::string(kReportColumns) + "WHERE r.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadReport(rows.front());
}

bool DecideReport(db::Tx& tx, int64_t id, const std::string& status, int64_t by, const std::string& outcome,
                  int64_t now_ms) {
  return tx.Exec(
             "UPDATE forum_reports SET status = $1, handled_by = $2, handled_at_ms = $3, outcome = $4 "
             "WHERE id = $5 AND status = 'open'",
             {status, by, now_ms, outcome, id}) == 1;
}

void DecideOpenReportsOfPost(db::Tx& tx, int64_t post_id, const std::string& status, int64_t by,
                             const std::string& outcome, int64_t now_ms) {
  tx.Exec(
      "UPDATE forum_reports SET status = $1, handled_by = $2, handled_at_ms = $3, outcome = $4 "
      "WHERE post_id = $5 AND status = 'open'",
      {status, by, now_ms, outcome, post_id});
}

std::vector<QueuedReport> OpenReports(db::Tx& tx, const std::vector<int64_t>& boards, bool all_boards, int limit) {
  std::vector<db::Value> params{static_cast<int64_t>(limit)};
  const std::string filter = BoardFilter(boards, all_boards, 2, params);
  auto rows = tx.Query(std::string(kReportColumns) +
                           "JOIN forum_posts fp ON fp.id = r.post_id JOIN forum_threads t ON t.id = fp.thread_id "
                           "WHERE r.status = 'open'" +
                           filter + " ORDER BY r.id LIMIT $1",
                       params);
  std::vector<QueuedReport> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    QueuedReport q;
    q.report = ReadReport(rows[i]);
    if (auto p = FindPost(tx, q.report.post_id)) {
      q.post = std::move(*p);
    }
    auto t = FindThread(tx, q.post.thread_id);
    q.board_id = t ? t->board_id : 0;
    q.thread_title = t ? t->title : "";
    q.reports_on_post =
        tx.Query("SELECT COUNT(*) FROM forum_reports WHERE post_id = $1 AND status = 'open'", {q.report.post_id})
            .front()
            .Int(0);
    out.push_back(std::move(q));
  }
  return out;
}

std::vector<HeldPost> HeldPosts(db::Tx& tx, const std::vector<int64_t>& boards, bool all_boards, int limit) {
  std::vector<db::Value> params{static_cast<int64_t>(limit)};
  const std::string filter = BoardFilter(boards, all_boards, 2, params);
  auto rows = tx.Query(
      "SELECT p.id, t.board_id, t.title FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id "
      "WHERE p.status = 'held'" + filter + " ORDER BY p.id LIMIT $1",
      params);
  std::vector<HeldPost> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (auto p = FindPost(tx, rows[i].Int(0))) {
      out.push_back({std::move(*p), rows[i].Int(1), rows[i].Text(2)});
    }
  }
  return out;
}

int64_t InsertSanction(db::Tx& tx, const Sanction& s, int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO forum_sanctions (user_id, kind, reason, post_id, ends_at_ms, created_by, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {s.user_id, s.kind, s.reason, s.post_id, s.ends_at_ms, s.created_by, now_ms});
}

namespace {
constexpr const char* kSanctionColumns =
    "SELECT id, user_id, kind, reason, post_id, ends_at_ms, created_by, created_at_ms, lifted_at_ms "
    "FROM forum_sanctions ";
Sanction ReadSanction(const db::Row& r) {
  return Sanction{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.OptInt(4), r.OptInt(5), r.Int(6), r.Int(7), r.OptInt(8)};
}
}  // namespace

std::optional<Sanction> FindSanction(db::Tx& tx, int64_t id) {
  auto rows = tx.Query(std::string(kSanctionColumns) + "WHERE id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadSanction(rows.front());
}

bool LiftSanction(db::Tx& tx, int64_t id, int64_t now_ms) {
  return tx.Exec("UPDATE forum_sanctions SET lifted_at_ms = $1 WHERE id = $2 AND lifted_at_ms IS NULL",
                 {now_ms, id}) == 1;
}

std::optional<Sanction> ActiveSanction(db::Tx& tx, int64_t user_id, int64_t now_ms) {
  auto rows = tx.Query(std::string(kSanctionColumns) +
                           "WHERE user_id = $1 AND kind IN ('mute', 'ban') AND lifted_at_ms IS NULL "
                           "AND (ends_at_ms IS NULL OR ends_at_ms > $2) "
                           "ORDER BY CASE WHEN kind = 'ban' THEN 0 ELSE 1 END, "
                           "CASE WHEN ends_at_ms IS NULL THEN 0 ELSE 1 END, ends_at_ms DESC LIMIT 1",
                       {user_id, now_ms});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadSanction(rows.front());
}

}  // namespace carecity::forum::repo
