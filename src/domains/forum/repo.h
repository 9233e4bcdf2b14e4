// The forum's SQL. Functions run inside the caller's transaction; writes
// that decide a rule do it in the statement (see each comment).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "db/tx.h"
#include "domains/forum/model.h"

namespace carecity::forum::repo {

// ---- Boards ----
std::vector<Board> ListBoards(db::Tx& tx);
std::optional<Board> FindBoard(db::Tx& tx, int64_t id);
// nullopt when the name (or the organisation's board) exists already.
std::optional<int64_t> InsertBoard(db::Tx& tx, const Board& b, int64_t now_ms);
void SetModerators(db::Tx& tx, int64_t board_id, const std::vector<int64_t>& user_ids, int64_t now_ms);
bool IsModerator(db::Tx& tx, int64_t board_id, int64_t user_id);
std::vector<int64_t> ModeratedBoards(db::Tx& tx, int64_t user_id);

// ---- Threads ----
std::optional<Thread> FindThread(db::Tx& tx, int64_t id);
// Threads of a board, newest reply first: `sticky` ones or the others,
// `statuses` those listed ("'visible'" or "'visible','held','hidden'").
std::vector<Thread> ListThreads(db::Tx& tx, int64_t board_id, bool sticky, bool digest_only, bool with_hidden,
                                int64_t offset, int64_t limit);
// The visible threads of open boards with the latest replies.
std::vector<Thread> LatestThreads(db::Tx& tx, int64_t limit);
int64_t CountThreads(db::Tx& tx, int64_t board_id, bool digest_only, bool with_hidden);
int64_t InsertThread(db::Tx& tx, const Thread& t, int64_t now_ms);
// Claims the next floor of a thread that takes replies (visible; unlocked
// unless `moderator`), counting it as a reply when `visible`: one UPDATE
// under the thread's row lock, so concurrent replies get distinct,
// consecutive floors. nullopt when the thread refuses.
std::optional<int64_t> ClaimFloor(db::Tx& tx, int64_t thread_id, bool moderator, bool visible, int64_t now_ms);
// The writes below change a row only from the state the caller read, and
// say whether they did: a moderator who acted on a stale read (another
// changed it meanwhile, on another server) changes nothing, so counters
// and credits that follow the change move once.
// Sets sticky/digest/locked to `on`; false if it already was.
bool SetThreadFlag(db::Tx& tx, int64_t thread_id, const std::string& column, bool on);
bool SetThreadStatus(db::Tx& tx, int64_t thread_id, const std::string& from, const std::string& to,
                     const std::optional<std::string>& reason);
// Moves the thread from `from_board` (the board counts follow when
// `counted`); false if it is no longer there.
bool MoveThread(db::Tx& tx, int64_t thread_id, int64_t from_board, int64_t to_board, bool counted);
void AdjustBoardThreads(db::Tx& tx, int64_t board_id, int64_t delta);
void AdjustReplies(db::Tx& tx, int64_t thread_id, int64_t delta);
// Marks the accepted answer; true if the thread had none before.
bool SetSolved(db::Tx& tx, int64_t thread_id, int64_t post_id);

// ---- Posts ----
int64_t InsertPost(db::Tx& tx, const Post& p, int64_t now_ms);
std::optional<Post> FindPost(db::Tx& tx, int64_t id);
std::optional<Post> FindPostByFloor(db::Tx& tx, int64_t thread_id, int64_t floor);
// Floors [first, last] with authors and quotes; `liked` for `viewer` (0: none).
std::vector<Post> PostsOfFloors(db::Tx& tx, int64_t thread_id, int64_t first, int64_t last, int64_t viewer);
// The ids of the posts on floors [first, last] of a thread that `user_id` likes.
std::vector<int64_t> LikedOnPage(db::Tx& tx, int64_t user_id, int64_t thread_id, int64_t first, int64_t last);
bool SetPostStatus(db::Tx& tx, int64_t post_id, const std::string& from, const std::string& to,
                   const std::optional<std::string>& reason);
// 编辑: rewrites a post's text, moving it from status `from` to `to`, and
// stamps edited_at_ms; only while `author_id` wrote it, it is still in
// `from` and its thread is unlocked (the statement decides): false if not.
bool RewritePost(db::Tx& tx, int64_t post_id, int64_t author_id, const std::string& from, const std::string& to,
                 const std::string& body_md, const std::string& body_html, int64_t now_ms);
// Sets a thread's title (its search index follows: triggers, trigrams).
void SetThreadTitle(db::Tx& tx, int64_t thread_id, const std::string& title);
struct MyPost {
  int64_t id = 0;
  int64_t thread_id = 0;
  std::string thread_title;
  int64_t floor = 0;
  std::string body_md;
  std::string status;
  int64_t created_at_ms = 0;
};
std::vector<MyPost> PostsBy(db::Tx& tx, int64_t user_id, int64_t before_id, int limit);

// ---- Likes ----
// True if this like is new (the primary key decides).
bool InsertLike(db::Tx& tx, int64_t post_id, int64_t user_id, int64_t now_ms);
bool DeleteLike(db::Tx& tx, int64_t post_id, int64_t user_id);
void AdjustLikes(db::Tx& tx, int64_t post_id, int64_t author_id, int64_t delta);

// ---- Members, credits, trust ----
void EnsureMember(db::Tx& tx, int64_t user_id);
// Creates the member row if needed and locks it until the job ends.
void LockMember(db::Tx& tx, int64_t user_id);
// Everything trust is measured by, with the counts (for the member's page).
std::optional<Standing> FindStanding(db::Tx& tx, int64_t user_id);
// What every post checks, without the counts (one indexed row each): the
// counts are read only for a member not yet trusted (FillTrustCounts).
std::optional<Standing> FindPoster(db::Tx& tx, int64_t user_id);
void FillTrustCounts(db::Tx& tx, Standing& s);
void MarkTrusted(db::Tx& tx, int64_t user_id, int64_t now_ms);
// Positive credits earned since `since_ms`, digest excepted (the daily cap).
int64_t EarnedSince(db::Tx& tx, int64_t user_id, int64_t since_ms);
void InsertCredit(db::Tx& tx, int64_t user_id, int64_t delta, const std::string& reason, const std::string& ref,
                  int64_t now_ms);
std::vector<CreditEntry> CreditsOf(db::Tx& tx, int64_t user_id, int64_t before_id, int limit);
// Ids of active accounts whose nickname is exactly `nickname`.
bool IsActiveUser(db::Tx& tx, int64_t user_id);
// Whether `user_id` was credited for `reason` with `ref` before.
bool HasCredit(db::Tx& tx, int64_t user_id, const std::string& reason, const std::string& ref);
std::vector<int64_t> UsersNamed(db::Tx& tx, const std::string& nickname);
std::string NicknameOf(db::Tx& tx, int64_t user_id);

// ---- Search (media/search.h) ----
// Visible threads whose title, and visible posts of visible threads whose
// text, hold every term of `q`; best match first. Errors: BuildSearch's
// (field "q").
Result<std::vector<Thread>> SearchThreads(db::Tx& tx, std::string_view q, int limit);
Result<std::vector<Post>> SearchPosts(db::Tx& tx, std::string_view q, int limit);

// ---- Reports, sanctions ----
// nullopt when the reporter reported the post already (UNIQUE decides).
std::optional<int64_t> InsertReport(db::Tx& tx, int64_t post_id, int64_t reporter_id, const std::string& reason,
                                    int64_t now_ms);
std::optional<Report> FindReport(db::Tx& tx, int64_t id);
// Decides an open report (a conditional UPDATE: false if already decided).
bool DecideReport(db::Tx& tx, int64_t id, const std::string& status, int64_t by, const std::string& outcome,
                  int64_t now_ms);
// Decides every open report of a post at once (upholding one upholds all).
void DecideOpenReportsOfPost(db::Tx& tx, int64_t post_id, const std::string& status, int64_t by,
                             const std::string& outcome, int64_t now_ms);
struct QueuedReport {
  Report report;
  int64_t reports_on_post = 0;
  Post post;
  int64_t board_id = 0;
  std::string thread_title;
};
// Open reports of posts on `boards` (empty: every board), oldest first.
std::vector<QueuedReport> OpenReports(db::Tx& tx, const std::vector<int64_t>& boards, bool all_boards, int limit);
struct HeldPost {
  Post post;
  int64_t board_id = 0;
  std::string thread_title;
};
std::vector<HeldPost> HeldPosts(db::Tx& tx, const std::vector<int64_t>& boards, bool all_boards, int limit);

int64_t InsertSanction(db::Tx& tx, const Sanction& s, int64_t now_ms);
std::optional<Sanction> FindSanction(db::Tx& tx, int64_t id);
bool LiftSanction(db::Tx& tx, int64_t id, int64_t now_ms);
// The running mute or ban with the latest end (a ban without end first).
std::optional<Sanction> ActiveSanction(db::Tx& tx, int64_t user_id, int64_t now_ms);

}  // namespace carecity::forum::repo
