// 社区论坛: boards, threads with floors, likes, reports, moderation,
// sanctions and credits (docs/design-forum.md; the contract:
// docs/api-forum.md).
//
// Who may do what: anyone reads visible threads; a signed-in member with a
// verified phone, no running mute or ban, posts (links and images from
// trust level 1; the word list may refuse or hold a post; a per-author
// rate limit); a board's moderators and platform admins moderate it, and
// only platform admins ban or create boards. Held, hidden and deleted
// posts keep their floor; their text answers only their author and the
// board's moderators.
//
// Where each rule is enforced: floors by a conditional UPDATE of the
// thread row (repo::ClaimFloor), backed by UNIQUE (thread_id, floor);
// likes and reports by their primary / unique keys; credits under the
// member row's lock; report decisions by a conditional UPDATE.
//
// Thread-safety: safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/forum/activity.h"
#include "domains/forum/model.h"
#include "domains/forum/repo.h"
#include "media/wordfilter.h"

namespace carecity::forum {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;
using accounts::Principal;

struct BoardView {
  Board board;
  bool moderate = false;
};

struct BoardPage {
  BoardView board;
  std::vector<Thread> sticky;
  std::vector<Thread> threads;
  int64_t page = 1;
  int64_t pages = 1;
};

struct ThreadCan {
  bool reply = false;
  bool moderate = false;
  bool solve = false;
  bool report = false;
};

struct ThreadPage {
  Thread thread;
  std::vector<Post> posts;
  FloorRange range;
  ThreadCan can;
  int64_t viewer = 0;  // for `mine`
};

struct Draft {
  std::string title;  // threads only
  std::string body_md;
  std::string kind = "discussion";
  std::optional<int64_t> as_org_id;
  std::optional<int64_t> quote_post_id;  // replies only
};

struct Posted {
  int64_t thread_id = 0;
  int64_t post_id = 0;
  int64_t floor = 0;
  std::string status;
};

// 编辑: what an edit wrote, and the thread it is in (its title, on floor 1).
struct Edited {
  Post post;
  Thread thread;
};

struct LikeState {
  int64_t post_id = 0;
  int64_t likes = 0;
  bool liked = false;
};

struct Queue {
  std::vector<repo::QueuedReport> reports;
  std::vector<repo::HeldPost> held;
};

struct MemberView {
  Standing standing;
  int trust_level = 0;
  int64_t account_age_days = 0;
  std::optional<Sanction> sanction;
};

struct SearchResults {
  std::vector<Thread> threads;
  std::vector<std::pair<Post, std::string>> posts;  // with its thread's title
};

class ForumService {
 public:
  // `store` and `clock` must outlive the service.
  ForumService(db::Store& store, const Clock& clock, const ForumConfig& config, const RateLimitConfig& limits,
               media::WordFilter words);

  Task<std::vector<BoardView>> Boards(std::optional<Principal> p);
  Task<BoardView> CreateBoard(const Principal& p, Board draft, std::string ip);
  Task<BoardView> SetModerators(const Principal& p, int64_t board_id, std::vector<int64_t> user_ids, std::string ip);
  // `page` from 1; `digest_only`: 精华.
  Task<BoardPage> BoardThreads(std::optional<Principal> p, int64_t board_id, int64_t page, bool digest_only);

  // The threads with the latest replies across open boards (首页, 社区).
  Task<std::vector<Thread>> LatestThreads(int64_t limit);

  Task<Posted> CreateThread(const Principal& p, int64_t board_id, Draft d);
  // `page` 0: the last page. Counts a view.
  Task<ThreadPage> ReadThread(std::optional<Principal> p, int64_t thread_id, int64_t page);
  // ReadThread for a guest, answered as JSON text: `serialise` (the
  // route's) writes a page as its answer, the thread's views written as
  // `"views":` kViewsMark; it runs once per kept page, and each read is that
  // text with this read's views in place of the mark. Counts a view as
  // ReadThread does. Errors: ReadThread's.
  static constexpr int64_t kViewsMark = INT64_MIN + 1;
  using Serialise = std::string (*)(const ThreadPage&);
  Task<std::string> ReadThreadAsGuest(int64_t thread_id, int64_t page, Serialise serialise);
  Task<Posted> Reply(const Principal& p, int64_t thread_id, Draft d);
  // 编辑: the author rewrites their post's Markdown and, on floor 1,
  // optionally the thread's title (`title` on another floor:
  // forum.title_first_floor_only). Only the author (forum.not_author; a
  // floor they may not read: forum.post_not_found), while the post is
  // visible or held (forum.post_state), its thread visible or held
  // (forum.thread_not_open) and unlocked (forum.thread_locked), under the
  // posting gates (a verified phone, no mute or ban, links and images with
  // trust, the word list). A "hold" word sends a visible post back to
  // moderation; a held post stays held. The floor never changes; members
  // the edit newly @mentions are told. A refusal changes nothing.
  Task<Edited> EditPost(const Principal& p, int64_t post_id, std::string body_md, std::optional<std::string> title);
  Task<LikeState> Like(const Principal& p, int64_t post_id, bool on);
  Task<Thread> Solve(const Principal& p, int64_t thread_id, int64_t post_id);

  // `kind` "thread" (its floor 1) or "post".
  Task<Report> ReportPost(const Principal& p, std::string kind, int64_t id, std::string reason);
  Task<Queue> ModerationQueue(const Principal& p);
  Task<Report> DecideReport(const Principal& p, int64_t report_id, bool uphold, std::string note, std::string ip);
  // hide | unhide | approve | delete (delete also by the author).
  Task<Post> ModeratePost(const Principal& p, int64_t post_id, std::string action, std::string reason,
                          std::string ip);
  // sticky | unsticky | digest | undigest | lock | unlock | move.
  Task<Thread> ModerateThread(const Principal& p, int64_t thread_id, std::string action,
                              std::optional<int64_t> board_id, std::string reason, std::string ip);
  // warn | mute (until `ends_at_ms`) | ban (platform admins) the author of
  // `post_id`.
  Task<Sanction> ImposeSanction(const Principal& p, int64_t post_id, std::string kind, std::string reason,
                                std::optional<int64_t> ends_at_ms, std::string ip);
  Task<Sanction> LiftSanction(const Principal& p, int64_t sanction_id, std::string ip);

  // 搜索: threads by title, posts by text (each visible, on open boards).
  Task<SearchResults> Search(std::string q);

  Task<MemberView> Me(const Principal& p);
  // My credits history and my posts, newest first, kMinePage to a page (a
  // full page means there may be more: its last id is the next cursor).
  static constexpr int kMinePage = 50;
  // May this member upload an image for a post (the image route's gate):
  // the posting gates (forum.phone_not_verified, forum.muted, forum.banned)
  // and trust, as for an image in a post (forum.links_need_trust, field
  // "image"). Staff and administrators may.
  Task<void> CheckImagePoster(const Principal& p);
  Task<std::vector<CreditEntry>> MyCredits(const Principal& p, int64_t before_id);
  Task<std::vector<repo::MyPost>> MyPosts(const Principal& p, int64_t before_id);

  const ForumConfig& config() const { return config_; }
  const media::WordFilter& words() const { return words_; }

  // Writes the gathered view and read counts (Activity::Flush).
  int64_t FlushActivity() { return activity_.Flush(store_); }

  // Credits `delta` for `reason` to `user_id` inside the caller's write
  // job, within the daily cap for positive credits (digest excepted);
  // returns what was credited (0 when the cap is reached).
  int64_t CreditTx(db::Tx& tx, int64_t user_id, const std::string& reason, const std::string& ref,
                   int64_t now_ms) const;

 private:
  struct Gate {
    std::string status = "visible";  // or held
    bool trusted = false;
    bool moderator = false;
  };
  // The member may post here at all: a verified phone, not muted or banned.
  Result<Standing> StandingTx(db::Tx& tx, const Principal& p, int64_t now_ms) const;
  Result<Gate> CheckPosterTx(db::Tx& tx, const Principal& p, int64_t board_id, const std::string& title,
                             const std::string& body_html, const std::string& body_md, int64_t now_ms) const;
  Result<std::optional<int64_t>> OrgCapacityTx(db::Tx& tx, const Principal& p, const Board& board,
                                               std::optional<int64_t> as_org) const;
  bool ModeratesTx(db::Tx& tx, const Principal& p, int64_t board_id) const;
  bool TrustedTx(db::Tx& tx, const Principal& p, const Standing& s, int64_t now_ms) const;
  void NotifyTx(db::Tx& tx, int64_t user_id, const std::string& template_name, const Thread& t, int64_t floor,
                const std::string& by, int64_t now_ms, boost::json::object extra = {}) const;
  // Tells the members `body_md` @mentions, but not `skip_user` nor those
  // `before_md` (the text an edit replaces) mentioned already.
  void MentionTx(db::Tx& tx, const Principal& p, const Thread& t, int64_t floor, const std::string& body_md,
                 int64_t skip_user, int64_t now_ms, const std::string& before_md = {}) const;
  // Rate limit for one post; its own committed write (refusals count too).
  Task<void> HitPostLimit(const Principal& p, bool trusted);
  Task<Posted> ReplyUncached(const Principal& p, int64_t thread_id, Draft d);
  // A page of a thread as `p` (nullopt: a guest) may read it; views as stored.
  Result<ThreadPage> ReadThreadTx(db::Tx& tx, const std::optional<Principal>& p, int64_t thread_id,
                                  int64_t page) const;

  // A guest's answer (ReadThreadAsGuest) split around its views, written
  // by the first guest to read the kept page.
  struct GuestText {
    std::once_flag once;
    std::string head, tail;
  };
  // Pages of threads as a guest sees them, kept for kPageCacheMs (a hot
  // thread is read thousands of times a second): a guest is answered with
  // no database work and its text serialised once (`text`), a signed-in reader with one small read of their likes
  // on the page; moderators, and an author with a floor on the page only
  // they may read, from the database. This server forgets a thread's pages
  // when it writes to the thread; another server's writes show within
  // kPageCacheMs.
  struct CachedPage {
    ThreadPage page;
    std::vector<int64_t> moderators;  // the board's
    int64_t built_at_ms = 0;
    std::unique_ptr<GuestText> text = std::make_unique<GuestText>();
  };
  static constexpr int64_t kPageCacheMs = 1000;
  static constexpr size_t kMaxCachedPages = 4096;
  void ForgetPages(int64_t thread_id);
  // The kept page (thread, page) as a guest sees it, built from the
  // database when missing or older than kPageCacheMs (one reader rebuilds an
  // old one; the others get the old one meanwhile). Errors: a guest's.
  Task<std::shared_ptr<const CachedPage>> KeptPage(int64_t thread_id, int64_t page);
  // Counts a read by `viewer` (0: a guest) up to floor `last_seen`; the
  // views to answer over the `stored` ones.
  int64_t CountRead(int64_t thread_id, int64_t viewer, int64_t stored, int64_t last_seen);

  db::Store& store_;
  const Clock& clock_;
  ForumConfig config_;
  RateLimitConfig limits_;
  media::WordFilter words_;
  Activity activity_;
  std::mutex pages_mu_;
  std::map<std::pair<int64_t, int64_t>, std::shared_ptr<const CachedPage>> pages_;  // (thread, page)
  std::set<std::pair<int64_t, int64_t>> rebuilding_;  // kept pages one reader is reading again
  uint64_t forgets_ = 0;                               // ForgetPages calls so far
};

}  // namespace carecity::forum
