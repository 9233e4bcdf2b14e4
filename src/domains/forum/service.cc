#include "domains/forum/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <stdexcept>

#include "core/text.h"
#include "db/await.h"
#include "db/rate_limit.h"
#include "domains/accounts/repo.h"
#include "domains/audit/service.h"
#include "domains/notify/service.h"
#include "media/markdown.h"

namespace carecity::forum {
namespace {

using accounts::Role;
namespace json = boost::json;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int kQueueLimit = 100;

Error BoardNotFound() { return Error::NotFound("forum.board_not_found"); }
Error ThreadNotFound() { return Error::NotFound("forum.thread_not_found"); }
Error PostNotFound() { return Error::NotFound("forum.post_not_found"); }

bool IsAdmin(const Principal& p) { return p.Has(Role::kPlatformAdmin); }

// Only a role beyond resident vouches for a member without trust earned.
bool HasStaffRole(const Principal& p) {
  return std::any_of(p.roles.begin(), p.roles.end(), [](const accounts::RoleGrant& g) {
    return g.role != Role::kResident && g.role != Role::kReviewer;
  });
}

// A link or an image in rendered Markdown (the renderer writes these tags
// and no others that point anywhere).
bool HasLinkOrImage(const std::string& html) {
  return html.find("<a ") != std::string::npos || html.find("<img ") != std::string::npos;
}

std::string ThreadRef(int64_t id) { return "thread:" + std::to_string(id); }

// The last floor a page shows (1 when it shows none): what its reader has read.
int64_t LastSeen(const std::vector<Post>& posts) { return posts.empty() ? 1 : posts.back().floor; }
std::string PostRef(int64_t id) { return "post:" + std::to_string(id); }

}  // namespace

ForumService::ForumService(db::Store& store, const Clock& clock, const ForumConfig& config,
                           const RateLimitConfig& limits, media::WordFilter words)
    : store_(store), clock_(clock), config_(config), limits_(limits), words_(std::move(words)) {}

bool ForumService::ModeratesTx(db::Tx& tx, const Principal& p, int64_t board_id) const {
  return IsAdmin(p) || repo::IsModerator(tx, board_id, p.user_id);
}

bool ForumService::TrustedTx(db::Tx& tx, const Principal& p, const Standing& s, int64_t now_ms) const {
  if (s.trusted_at_ms || HasStaffRole(p)) {
    return true;
  }
  if (now_ms - s.account_created_at_ms < config_.trust_account_age_days * kDayMs ||
      s.likes_received < config_.trust_likes_received) {
    return false;
  }
  Standing counted = s;
  repo::FillTrustCounts(tx, counted);  // only now: they grow with what a member reads
  return counted.days_visited >= config_.trust_days_visited && counted.posts_read >= config_.trust_posts_read;
}

int64_t ForumService::CreditTx(db::Tx& tx, int64_t user_id, const std::string& reason, const std::string& ref,
                               int64_t now_ms) const {
  int64_t delta = CreditsFor(reason);
  if (delta == 0) {
    return 0;
  }
  repo::LockMember(tx, user_id);  // serialises the cap's read with its write
  if (delta > 0 && reason != "digest") {
    const int64_t earned = repo::EarnedSince(tx, user_id, now_ms - kDayMs);
    delta = std::min(delta, config_.credits_daily_cap - earned);
    if (delta <= 0) {
      return 0;
    }
  }
  repo::InsertCredit(tx, user_id, delta, reason, ref, now_ms);
  return delta;
}

void ForumService::NotifyTx(db::Tx& tx, int64_t user_id, const std::string& template_name, const Thread& t,
                            int64_t floor, const std::string& by, int64_t now_ms, json::object extra) const {
  json::object params{{"thread_id", t.id}, {"thread_title", t.title}, {"floor", floor}, {"by", by}};
  for (auto& [k, v] : extra) {
    params[k] = v;
  }
  notify::Enqueue(tx, notify::Channel::kSite, std::to_string(user_id), user_id, template_name,
                  json::serialize(params), now_ms);
}

void ForumService::MentionTx(db::Tx& tx, const Principal& p, const Thread& t, int64_t floor,
                             const std::string& body_md, int64_t skip_user, int64_t now_ms,
                             const std::string& before_md) const {
  const std::vector<std::string> told = Mentions(before_md);
  for (const std::string& name : Mentions(body_md)) {
    if (std::find(told.begin(), told.end(), name) != told.end()) {
      continue;
    }
    const auto ids = repo::UsersNamed(tx, name);
    // A nickname held by several accounts names nobody in particular.
    if (ids.size() == 1 && ids[0] != p.user_id && ids[0] != skip_user) {
      NotifyTx(tx, ids[0], "forum.mention", t, floor, p.display_name, now_ms);
    }
  }
}

Result<Standing> ForumService::StandingTx(db::Tx& tx, const Principal& p, int64_t now_ms) const {
  auto standing = repo::FindPoster(tx, p.user_id);
  if (!standing) {
    return Error::Unauthenticated();
  }
  if (!standing->phone_verified_at_ms) {
    return Error::Forbidden("forum.phone_not_verified");
  }
  if (auto s = repo::ActiveSanction(tx, p.user_id, now_ms)) {
    Error e = Error::Forbidden(s->kind == "ban" ? "forum.banned" : "forum.muted");
    e.detail = s->ends_at_ms ? std::to_string(*s->ends_at_ms) : "";
    return e;
  }
  return *standing;
}

Task<void> ForumService::CheckImagePoster(const Principal& p) {
  const int64_t now = clock_.NowMs();
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Status {
    auto standing = StandingTx(tx, p, now);
    CC_TRY(standing);
    if (!TrustedTx(tx, p, *standing, now)) {
      return Error{ErrorCode::kForbidden, "forum.links_need_trust", "image", {}};
    }
    return Status{};
  });
}

Result<ForumService::Gate> ForumService::CheckPosterTx(db::Tx& tx, const Principal& p, int64_t board_id,
                                                       const std::string& title, const std::string& body_html,
                                                       const std::string& body_md, int64_t now_ms) const {
  Gate gate;
  auto standing = StandingTx(tx, p, now_ms);
  CC_TRY(standing);
  gate.moderator = ModeratesTx(tx, p, board_id);
  gate.trusted = TrustedTx(tx, p, *standing, now_ms);
  if (!gate.trusted && HasLinkOrImage(body_html)) {
    return Error{ErrorCode::kForbidden, "forum.links_need_trust", "body_md", {}};
  }
  const std::pair<const char*, const std::string*> texts[] = {{"title", &title}, {"body_md", &body_md}};
  for (const auto& [field, text] : texts) {
    const media::WordVerdict v = words_.Decide(*text);
    if (!v.matched) {
      continue;
    }
    if (v.action == media::WordAction::kRefuse) {
      Error e = Error::Unprocessable("forum.sensitive_word", field);
      e.detail = v.word;
      return e;
    }
    gate.status = "held";
  }
  return gate;
}

Task<void> ForumService::HitPostLimit(const Principal& p, bool trusted) {
  if (!limits_.enabled) {
    co_return Status{};
  }
  const std::string bucket = "forum_post:user:" + std::to_string(p.user_id);
  const RateLimit limit = trusted ? limits_.forum_post_per_account : limits_.forum_post_new_member;
  const int64_t now = clock_.NowMs();
  auto decision = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<db::RateDecision> {
    return db::HitRateLimits(tx, limits_, {{bucket, limit}}, now);
  });
  if (!decision.ok()) {
    co_return std::move(decision).error();
  }
  if (!decision->allowed) {
    Error e = Error::RateLimited(decision->retry_after_s);
    e.key = "forum.rate_limited";
    co_return e;
  }
  co_return Status{};
}

Result<std::optional<int64_t>> ForumService::OrgCapacityTx(db::Tx&, const Principal& p, const Board& board,
                                                           std::optional<int64_t> as_org) const {
  if (as_org) {
    if (!p.HasOrgRole(Role::kOrgStaff, *as_org)) {
      return Error{ErrorCode::kForbidden, "forum.not_org_staff", "as_org_id", {}};
    }
    return as_org;
  }
  // On an organisation's own board its staff answer in its capacity.
  if (board.org_id && p.HasOrgRole(Role::kOrgStaff, *board.org_id)) {
    return board.org_id;
  }
  return std::optional<int64_t>{};
}

// ---- Boards ----

Task<std::vector<BoardView>> ForumService::Boards(std::optional<Principal> p) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<BoardView>> {
    std::vector<BoardView> out;
    const auto mine = p ? repo::ModeratedBoards(tx, p->user_id) : std::vector<int64_t>{};
    for (Board& b : repo::ListBoards(tx)) {
      if (b.status != "open" && !(p && IsAdmin(*p))) {
        continue;
      }
      const bool moderate = p && (IsAdmin(*p) || std::find(mine.begin(), mine.end(), b.id) != mine.end());
      out.push_back({std::move(b), moderate});
    }
    return out;
  });
}

Task<BoardView> ForumService::CreateBoard(const Principal& p, Board draft, std::string ip) {
  if (!IsAdmin(p)) {
    co_return Error::Forbidden();
  }
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<BoardView> {
    if (draft.org_id && !accounts::repo::FindOrg(tx, *draft.org_id)) {
      return Error{ErrorCode::kNotFound, "org_not_found", "org_id", {}};
    }
    auto id = repo::InsertBoard(tx, draft, now);
    if (!id) {
      return Error::Conflict("forum.board_exists", "name");
    }
    audit::Record(tx, p.user_id, "forum.board.created", "forum_board", std::to_string(*id),
                  json::object{{"name", draft.name}, {"org_id", draft.org_id ? json::value(*draft.org_id) : nullptr}},
                  ip, now);
    return BoardView{*repo::FindBoard(tx, *id), true};
  });
}

Task<BoardView> ForumService::SetModerators(const Principal& p, int64_t board_id, std::vector<int64_t> user_ids,
                                            std::string ip) {
  if (!IsAdmin(p)) {
    co_return Error::Forbidden();
  }
  if (user_ids.size() > kMaxModerators) {
    co_return Error::Invalid("too_many_items", "user_ids");
  }
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<BoardView> {
    if (!repo::FindBoard(tx, board_id)) {
      return BoardNotFound();
    }
    for (size_t i = 0; i < user_ids.size(); ++i) {
      if (!repo::IsActiveUser(tx, user_ids[i])) {
        return Error{ErrorCode::kNotFound, "user_not_found", "user_ids[" + std::to_string(i) + "]", {}};
      }
    }
    repo::SetModerators(tx, board_id, user_ids, now);
    json::array ids;
    for (int64_t u : user_ids) {
      ids.push_back(u);
    }
    audit::Record(tx, p.user_id, "forum.board.moderators", "forum_board", std::to_string(board_id),
                  json::object{{"user_ids", ids}}, ip, now);
    return BoardView{*repo::FindBoard(tx, board_id), true};
  });
}

Task<BoardPage> ForumService::BoardThreads(std::optional<Principal> p, int64_t board_id, int64_t page,
                                           bool digest_only) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<BoardPage> {
    auto board = repo::FindBoard(tx, board_id);
    if (!board || (board->status != "open" && !(p && IsAdmin(*p)))) {
      return BoardNotFound();
    }
    BoardPage out;
    const bool moderate = p && ModeratesTx(tx, *p, board_id);
    const int64_t total = repo::CountThreads(tx, board_id, digest_only, moderate);
    out.pages = std::max<int64_t>(1, (total + kPageSize - 1) / kPageSize);
    out.page = std::clamp<int64_t>(page, 1, out.pages);
    if (out.page == 1) {
      out.sticky = repo::ListThreads(tx, board_id, true, digest_only, moderate, 0, kPageSize);
    }
    out.threads = repo::ListThreads(tx, board_id, false, digest_only, moderate, (out.page - 1) * kPageSize, kPageSize);
    for (Thread& t : out.threads) {
      t.views += activity_.PendingViews(t.id);
    }
    for (Thread& t : out.sticky) {
      t.views += activity_.PendingViews(t.id);
    }
    out.board = {std::move(*board), moderate};
    return out;
  });
}

// ---- Threads and posts ----

Task<std::vector<Thread>> ForumService::LatestThreads(int64_t limit) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Thread>> {
    auto threads = repo::LatestThreads(tx, limit);
    for (Thread& t : threads) {
      t.views += activity_.PendingViews(t.id);
    }
    return threads;
  });
}

Task<Posted> ForumService::CreateThread(const Principal& p, int64_t board_id, Draft d) {
  if (d.kind != "discussion" && d.kind != "question") {
    co_return Error::Invalid("invalid_value", "kind");
  }
  std::string html = media::RenderMarkdown(d.body_md);
  if (limits_.enabled) {
    // The limit's tier depends on trust: read the gates first (a refusal
    // there costs no count), then count, then write.
    auto gate = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Gate> {
      if (!repo::FindBoard(tx, board_id)) {
        return BoardNotFound();
      }
      return CheckPosterTx(tx, p, board_id, d.title, html, d.body_md, clock_.NowMs());
    });
    CC_CO_TRY(gate);
    CC_CO_TRY(co_await HitPostLimit(p, gate->trusted));
  }
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Posted> {
    auto board = repo::FindBoard(tx, board_id);
    if (!board) {
      return BoardNotFound();
    }
    if (board->status != "open") {
      return Error::Conflict("forum.board_archived");
    }
    auto gate = CheckPosterTx(tx, p, board_id, d.title, html, d.body_md, now);
    CC_TRY(gate);
    auto org = OrgCapacityTx(tx, p, *board, d.as_org_id);
    CC_TRY(org);
    if (gate->trusted) {
      repo::MarkTrusted(tx, p.user_id, now);
    }
    Thread t;
    t.board_id = board_id;
    t.author.user_id = p.user_id;
    t.title = d.title;
    t.kind = d.kind;
    t.status = gate->status;
    t.id = repo::InsertThread(tx, t, now);
    Post post;
    post.thread_id = t.id;
    post.floor = 1;
    post.author.user_id = p.user_id;
    post.author.org_id = *org;
    post.body_md = d.body_md;
    post.body_html = html;
    post.status = gate->status;
    const int64_t post_id = repo::InsertPost(tx, post, now);
    if (gate->status == "visible") {
      repo::AdjustBoardThreads(tx, board_id, 1);
      CreditTx(tx, p.user_id, "thread", ThreadRef(t.id), now);
      MentionTx(tx, p, t, 1, d.body_md, 0, now);
    }
    return Posted{t.id, post_id, 1, gate->status};
  });
}

Result<ThreadPage> ForumService::ReadThreadTx(db::Tx& tx, const std::optional<Principal>& p, int64_t thread_id,
                                              int64_t page) const {
  const int64_t viewer = p ? p->user_id : 0;
  {
    auto t = repo::FindThread(tx, thread_id);
    if (!t) {
      return ThreadNotFound();
    }
    const bool moderate = p && ModeratesTx(tx, *p, t->board_id);
    const bool author = viewer != 0 && t->author.user_id == viewer;
    // A held thread answers its author and moderators; a hidden one
    // moderators (and its author, who is told why); a deleted one only
    // moderators.
    const bool visible = t->status == "visible" || moderate || (author && t->status != "deleted");
    if (!visible) {
      return ThreadNotFound();
    }
    ThreadPage out;
    out.viewer = viewer;
    out.range = FloorsOfPage(page <= 0 ? INT64_MAX / 2 : page, t->last_floor);
    out.posts = repo::PostsOfFloors(tx, thread_id, out.range.first, out.range.last, viewer);
    for (Post& post : out.posts) {
      const bool shown = post.status == "visible" || moderate || post.author.user_id == viewer;
      if (!shown) {
        post.body_md.clear();
        post.body_html.clear();
      }
      if (post.quote && !post.quote->visible && !moderate) {
        post.quote->excerpt.clear();
      }
    }
    out.can.moderate = moderate;
    out.can.reply = p && t->status == "visible" && (!t->locked || moderate);
    out.can.solve = author && t->kind == "question" && t->status == "visible";
    out.can.report = p.has_value();
    out.thread = std::move(*t);
    return out;
  }
}

void ForumService::ForgetPages(int64_t thread_id) {
  std::lock_guard lock(pages_mu_);
  ++forgets_;
  for (auto it = pages_.lower_bound({thread_id, INT64_MIN}); it != pages_.end() && it->first.first == thread_id;) {
    it = pages_.erase(it);
  }
}

Task<std::shared_ptr<const ForumService::CachedPage>> ForumService::KeptPage(int64_t thread_id, int64_t page) {
  const int64_t now = clock_.NowMs();
  const std::pair<int64_t, int64_t> key{thread_id, page};
  bool rebuilding = false;
  uint64_t forgets = 0;
  {
    std::lock_guard lock(pages_mu_);
    if (auto it = pages_.find(key); it != pages_.end()) {
      if (now - it->second->built_at_ms < kPageCacheMs) {
        co_return it->second;
      }
      // Old by time only (a write here forgets its thread's pages at once):
      // one reader rebuilds it and the others are answered from it meanwhile,
      // so a hot thread's readers do not all build it in the same instant.
      if (!rebuilding_.insert(key).second) {
        co_return it->second;
      }
      rebuilding = true;
    }
    forgets = forgets_;
  }
  // The page as a guest sees it, with the board's moderators.
  auto built = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<CachedPage> {
    auto guest = ReadThreadTx(tx, std::nullopt, thread_id, page);
    CC_TRY(guest);
    CachedPage c;
    c.page = std::move(*guest);
    if (auto board = repo::FindBoard(tx, c.page.thread.board_id)) {
      for (const auto& [user, nickname] : board->moderators) {
        c.moderators.push_back(user);
      }
    }
    return c;
  });
  std::lock_guard lock(pages_mu_);
  if (rebuilding) {
    rebuilding_.erase(key);
  }
  CC_CO_TRY(built);
  built->built_at_ms = now;
  auto entry = std::make_shared<const CachedPage>(std::move(*built));
  // A page read before a write here committed may lack it: answer it, but keep
  // it only when no page was forgotten while it was read.
  if (forgets == forgets_) {
    if (pages_.size() >= kMaxCachedPages) {
      pages_.clear();
    }
    pages_[key] = entry;
  }
  co_return entry;
}

int64_t ForumService::CountRead(int64_t thread_id, int64_t viewer, int64_t stored, int64_t last_seen) {
  const int64_t views = stored + 1 + activity_.PendingViews(thread_id);
  activity_.Read(thread_id, viewer, last_seen, LocalDay(clock_.NowMs()));
  return views;
}

Task<ThreadPage> ForumService::ReadThread(std::optional<Principal> p, int64_t thread_id, int64_t page) {
  const int64_t viewer = p ? p->user_id : 0;
  auto kept = co_await KeptPage(thread_id, page);
  const std::shared_ptr<const CachedPage> entry = kept.ok() ? *kept : nullptr;
  // Moderators, and an author with a floor on the page only they may read,
  // are answered from the database.
  bool from_cache = entry && !(p && (IsAdmin(*p) || std::find(entry->moderators.begin(), entry->moderators.end(),
                                                                viewer) != entry->moderators.end()));
  if (from_cache && p) {
    for (const Post& post : entry->page.posts) {
      from_cache = from_cache && (post.status == "visible" || post.author.user_id != viewer);
    }
  }
  Result<ThreadPage> read = Error::Internal("unread");
  if (from_cache) {
    ThreadPage out = entry->page;
    out.viewer = viewer;
    if (p) {
      auto liked = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<int64_t>> {
        return repo::LikedOnPage(tx, viewer, thread_id, out.range.first, out.range.last);
      });
      CC_CO_TRY(liked);
      for (Post& post : out.posts) {
        post.liked = std::find(liked->begin(), liked->end(), post.id) != liked->end();
      }
      out.can.reply = !out.thread.locked;
      out.can.solve = out.thread.author.user_id == viewer && out.thread.kind == "question";
      out.can.report = true;
    }
    read = std::move(out);
  } else {
    read = co_await db::ReadTx(store_, [&](db::Tx& tx) { return ReadThreadTx(tx, p, thread_id, page); });
  }
  if (read.ok()) {
    read->thread.views = CountRead(thread_id, viewer, read->thread.views, LastSeen(read->posts));
  }
  co_return read;
}

Task<std::string> ForumService::ReadThreadAsGuest(int64_t thread_id, int64_t page, Serialise serialise) {
  auto kept = co_await KeptPage(thread_id, page);
  CC_CO_TRY(kept);
  const CachedPage& entry = **kept;
  GuestText& text = *entry.text;
  std::call_once(text.once, [&] {
    ThreadPage marked = entry.page;
    marked.thread.views = kViewsMark;
    const std::string whole = serialise(marked);
    const std::string key = "\"views\":";
    const std::string mark = key + std::to_string(kViewsMark);
    // A JSON string escapes its quotes, so only the views themselves match.
    const size_t at = whole.find(mark);
    if (at == std::string::npos) {
      throw std::logic_error("ReadThreadAsGuest: the serialiser did not write the views mark");
    }
    text.head = whole.substr(0, at + key.size());
    text.tail = whole.substr(at + mark.size());
  });
  const int64_t views = CountRead(thread_id, 0, entry.page.thread.views, LastSeen(entry.page.posts));
  co_return text.head + std::to_string(views) + text.tail;
}

Task<Posted> ForumService::Reply(const Principal& p, int64_t thread_id, Draft d) {
  auto posted = co_await ReplyUncached(p, thread_id, std::move(d));
  if (posted.ok()) {
    ForgetPages(thread_id);
  }
  co_return posted;
}

Task<Posted> ForumService::ReplyUncached(const Principal& p, int64_t thread_id, Draft d) {
  std::string html = media::RenderMarkdown(d.body_md);
  if (limits_.enabled) {
    auto gate = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Gate> {
      auto t = repo::FindThread(tx, thread_id);
      if (!t) {
        return ThreadNotFound();
      }
      return CheckPosterTx(tx, p, t->board_id, "", html, d.body_md, clock_.NowMs());
    });
    CC_CO_TRY(gate);
    CC_CO_TRY(co_await HitPostLimit(p, gate->trusted));
  }
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Posted> {
    auto t = repo::FindThread(tx, thread_id);
    if (!t || t->status == "deleted") {
      return ThreadNotFound();
    }
    auto gate = CheckPosterTx(tx, p, t->board_id, "", html, d.body_md, now);
    CC_TRY(gate);
    if (t->status != "visible") {
      return gate->moderator ? Error::Conflict("forum.thread_not_open") : ThreadNotFound();
    }
    auto board = repo::FindBoard(tx, t->board_id);
    auto org = OrgCapacityTx(tx, p, *board, d.as_org_id);
    CC_TRY(org);
    std::optional<Post> quoted;
    if (d.quote_post_id) {
      quoted = repo::FindPost(tx, *d.quote_post_id);
      if (!quoted || quoted->thread_id != thread_id) {
        return Error{ErrorCode::kNotFound, "forum.post_not_found", "quote_post_id", {}};
      }
    }
    const bool visible = gate->status == "visible";
    auto floor = repo::ClaimFloor(tx, thread_id, gate->moderator, visible, now);
    if (!floor) {
      return Error::Conflict("forum.thread_locked");
    }
    if (gate->trusted) {
      repo::MarkTrusted(tx, p.user_id, now);
    }
    Post post;
    post.thread_id = thread_id;
    post.floor = *floor;
    post.author.user_id = p.user_id;
    post.author.org_id = *org;
    post.body_md = d.body_md;
    post.body_html = html;
    post.status = gate->status;
    if (quoted) {
      post.quote = Quote{quoted->id, quoted->floor, {}, {}, true};
    }
    const int64_t post_id = repo::InsertPost(tx, post, now);
    if (visible) {
      CreditTx(tx, p.user_id, "reply", PostRef(post_id), now);
      if (t->author.user_id != p.user_id) {
        CreditTx(tx, t->author.user_id, "reply_received", PostRef(post_id), now);
        NotifyTx(tx, t->author.user_id, "forum.reply", *t, *floor, p.display_name, now);
      }
      const int64_t quoted_author = quoted ? quoted->author.user_id : 0;
      if (quoted && quoted_author != p.user_id && quoted_author != t->author.user_id) {
        NotifyTx(tx, quoted_author, "forum.quote", *t, *floor, p.display_name, now);
      }
      MentionTx(tx, p, *t, *floor, d.body_md, t->author.user_id, now);
    }
    return Posted{thread_id, post_id, *floor, gate->status};
  });
}

Task<Edited> ForumService::EditPost(const Principal& p, int64_t post_id, std::string body_md,
                                    std::optional<std::string> title) {
  const std::string html = media::RenderMarkdown(body_md);
  const int64_t now = clock_.NowMs();
  int64_t touched = 0;
  auto written = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Edited> {
    auto post = repo::FindPost(tx, post_id);
    auto t = post ? repo::FindThread(tx, post->thread_id) : std::nullopt;
    if (!post || !t || post->status == "deleted" || t->status == "deleted") {
      return PostNotFound();
    }
    if (post->author.user_id != p.user_id) {
      // Moderators hide others' words; they never rewrite them.
      return post->status == "visible" ? Error::Forbidden("forum.not_author") : PostNotFound();
    }
    if (title && post->floor != 1) {
      return Error::Invalid("forum.title_first_floor_only", "title");
    }
    if (post->status != "visible" && post->status != "held") {
      return Error::Conflict("forum.post_state");
    }
    if (t->status != "visible" && t->status != "held") {
      return Error::Conflict("forum.thread_not_open");
    }
    if (t->locked) {
      return Error::Conflict("forum.thread_locked");
    }
    auto gate = CheckPosterTx(tx, p, t->board_id, title.value_or(""), html, body_md, now);
    CC_TRY(gate);
    // A held post stays held: an edit never lets it past moderation.
    const std::string to = post->status == "held" ? "held" : gate->status;
    if (!repo::RewritePost(tx, post_id, p.user_id, post->status, to, body_md, html, now)) {
      return Error::Conflict("forum.post_state");  // moderated or locked meanwhile
    }
    touched = t->id;
    if (gate->trusted) {
      repo::MarkTrusted(tx, p.user_id, now);
    }
    if (title) {
      repo::SetThreadTitle(tx, t->id, *title);
    }
    if (post->status == "visible" && to == "held") {
      if (post->floor == 1) {
        if (repo::SetThreadStatus(tx, t->id, "visible", "held", std::nullopt)) {
          repo::AdjustBoardThreads(tx, t->board_id, -1);
        }
      } else {
        repo::AdjustReplies(tx, t->id, -1);
      }
    }
    if (to == "visible") {
      // The thread's author heard of this floor as a reply already.
      MentionTx(tx, p, *t, post->floor, body_md, post->floor == 1 ? 0 : t->author.user_id, now, post->body_md);
    }
    return Edited{*repo::FindPost(tx, post_id), *repo::FindThread(tx, t->id)};
  });
  if (written.ok()) {
    ForgetPages(touched);
  }
  co_return written;
}

Task<LikeState> ForumService::Like(const Principal& p, int64_t post_id, bool on) {
  const int64_t now = clock_.NowMs();
  int64_t touched = 0;
  auto written = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<LikeState> {
    auto post = repo::FindPost(tx, post_id);
    auto t = post ? repo::FindThread(tx, post->thread_id) : std::nullopt;
    if (!post || !t || post->status != "visible" || t->status != "visible") {
      return PostNotFound();
    }
    touched = post->thread_id;
    if (post->author.user_id == p.user_id) {
      return Error::Unprocessable("forum.own_post");
    }
    if (on && repo::InsertLike(tx, post_id, p.user_id, now)) {
      repo::AdjustLikes(tx, post_id, post->author.user_id, 1);
      // A like earns credits once per liker and post, however often it is
      // taken back and given again.
      const std::string ref = PostRef(post_id) + ":by:" + std::to_string(p.user_id);
      if (!repo::HasCredit(tx, post->author.user_id, "like_received", ref)) {
        CreditTx(tx, post->author.user_id, "like_received", ref, now);
        NotifyTx(tx, post->author.user_id, "forum.like", *t, post->floor, p.display_name, now);
      }
    } else if (!on && repo::DeleteLike(tx, post_id, p.user_id)) {
      repo::AdjustLikes(tx, post_id, post->author.user_id, -1);
    }
    auto after = repo::FindPost(tx, post_id);
    return LikeState{post_id, after->likes, on};
  });
  if (written.ok()) {
    ForgetPages(touched);
  }
  co_return written;
}

Task<Thread> ForumService::Solve(const Principal& p, int64_t thread_id, int64_t post_id) {
  const int64_t now = clock_.NowMs();
  auto written = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Thread> {
    auto t = repo::FindThread(tx, thread_id);
    if (!t || t->status != "visible") {
      return ThreadNotFound();
    }
    if (t->author.user_id != p.user_id) {
      return Error::Forbidden();
    }
    if (t->kind != "question") {
      return Error::Conflict("forum.not_a_question");
    }
    auto post = repo::FindPost(tx, post_id);
    if (!post || post->thread_id != thread_id || post->floor == 1 || post->status != "visible") {
      return Error{ErrorCode::kNotFound, "forum.post_not_found", "post_id", {}};
    }
    // The first answer accepted earns its credit, decided by the write.
    if (repo::SetSolved(tx, thread_id, post_id) && post->author.user_id != p.user_id) {
      CreditTx(tx, post->author.user_id, "answer_accepted", PostRef(post_id), now);
    }
    return *repo::FindThread(tx, thread_id);
  });
  if (written.ok()) {
    ForgetPages(thread_id);
  }
  co_return written;
}

// ---- Reports and moderation ----

Task<Report> ForumService::ReportPost(const Principal& p, std::string kind, int64_t id, std::string reason) {
  if (kind != "thread" && kind != "post") {
    co_return Error::Invalid("invalid_value", "target.kind");
  }
  const int64_t now = clock_.NowMs();
  if (limits_.enabled) {
    const std::string bucket = "forum_report:user:" + std::to_string(p.user_id);
    auto decision = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<db::RateDecision> {
      return db::HitRateLimits(tx, limits_, {{bucket, limits_.forum_report_per_account}}, now);
    });
    CC_CO_TRY(decision);
    if (!decision->allowed) {
      Error e = Error::RateLimited(decision->retry_after_s);
      e.key = "forum.rate_limited";
      co_return e;
    }
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Report> {
    std::optional<Post> post = kind == "thread" ? repo::FindPostByFloor(tx, id, 1) : repo::FindPost(tx, id);
    auto t = post ? repo::FindThread(tx, post->thread_id) : std::nullopt;
    if (!post || !t || post->status == "deleted" || t->status == "deleted") {
      return Error{ErrorCode::kNotFound, kind == "thread" ? "forum.thread_not_found" : "forum.post_not_found",
                   "target.id", {}};
    }
    if (post->author.user_id == p.user_id) {
      return Error::Unprocessable("forum.own_post");
    }
    auto report_id = repo::InsertReport(tx, post->id, p.user_id, reason, now);
    if (!report_id) {
      return Error::Conflict("forum.already_reported");
    }
    return *repo::FindReport(tx, *report_id);
  });
}

Task<Queue> ForumService::ModerationQueue(const Principal& p) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Queue> {
    const auto boards = repo::ModeratedBoards(tx, p.user_id);
    if (boards.empty() && !IsAdmin(p)) {
      return Error::Forbidden();
    }
    Queue q;
    q.reports = repo::OpenReports(tx, boards, IsAdmin(p), kQueueLimit);
    q.held = repo::HeldPosts(tx, boards, IsAdmin(p), kQueueLimit);
    return q;
  });
}

Task<Report> ForumService::DecideReport(const Principal& p, int64_t report_id, bool uphold, std::string note,
                                        std::string ip) {
  const int64_t now = clock_.NowMs();
  int64_t touched = 0;
  auto written = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Report> {
    auto report = repo::FindReport(tx, report_id);
    auto post = report ? repo::FindPost(tx, report->post_id) : std::nullopt;
    auto t = post ? repo::FindThread(tx, post->thread_id) : std::nullopt;
    if (!report || !post || !t || !ModeratesTx(tx, p, t->board_id)) {
      return Error::NotFound("forum.report_not_found");
    }
    touched = t->id;
    const std::string status = uphold ? "upheld" : "dismissed";
    if (!repo::DecideReport(tx, report_id, status, p.user_id, note, now)) {
      return Error::Conflict("forum.report_decided");
    }
    if (uphold) {
      // Every other open report of the post is decided with it.
      repo::DecideOpenReportsOfPost(tx, post->id, "upheld", p.user_id, note, now);
      const std::string reason = note.empty() ? report->reason : note;
      if (repo::SetPostStatus(tx, post->id, "visible", "hidden", reason)) {
        if (post->floor == 1) {
          if (repo::SetThreadStatus(tx, t->id, "visible", "hidden", reason)) {
            repo::AdjustBoardThreads(tx, t->board_id, -1);
          }
        } else {
          repo::AdjustReplies(tx, t->id, -1);
        }
      }
      CreditTx(tx, post->author.user_id, "report_upheld", PostRef(post->id), now);
      NotifyTx(tx, post->author.user_id, "forum.moderated", *t, post->floor, p.display_name, now,
               json::object{{"action", "hide"}, {"reason", reason}});
    }
    audit::Record(tx, p.user_id, uphold ? "forum.report.upheld" : "forum.report.dismissed", "forum_report",
                  std::to_string(report_id), json::object{{"post_id", post->id}, {"note", note}}, ip, now);
    return *repo::FindReport(tx, report_id);
  });
  if (written.ok()) {
    ForgetPages(touched);
  }
  co_return written;
}

Task<Post> ForumService::ModeratePost(const Principal& p, int64_t post_id, std::string action, std::string reason,
                                      std::string ip) {
  if (action != "hide" && action != "unhide" && action != "approve" && action != "delete") {
    co_return Error::Invalid("invalid_value", "action");
  }
  if ((action == "hide" || action == "delete") && Trim(reason).empty()) {
    co_return Error::Invalid("missing_field", "reason");
  }
  const int64_t now = clock_.NowMs();
  int64_t touched = 0;
  auto written = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Post> {
    auto post = repo::FindPost(tx, post_id);
    auto t = post ? repo::FindThread(tx, post->thread_id) : std::nullopt;
    if (!post || !t) {
      return PostNotFound();
    }
    touched = t->id;
    const bool moderator = ModeratesTx(tx, p, t->board_id);
    const bool own_delete = action == "delete" && post->author.user_id == p.user_id;
    if (!moderator && !own_delete) {
      return post->status == "visible" ? Error::Forbidden() : PostNotFound();
    }
    // From → to, and whether the floor counts as a reply before and after.
    std::string to;
    if (action == "hide") {
      if (post->status != "visible" && post->status != "held") return Error::Conflict("forum.post_state");
      to = "hidden";
    } else if (action == "unhide") {
      if (post->status != "hidden") return Error::Conflict("forum.post_state");
      to = "visible";
    } else if (action == "approve") {
      if (post->status != "held") return Error::Conflict("forum.post_state");
      to = "visible";
    } else {
      if (post->status == "deleted") return Error::Conflict("forum.post_state");
      to = "deleted";
    }
    const bool was = post->status == "visible";
    const bool now_visible = to == "visible";
    const std::optional<std::string> why = now_visible ? std::nullopt : std::optional<std::string>(reason);
    // From the state read: another moderator's change meanwhile (on another
    // server) makes this one change nothing, so the counts move once.
    if (!repo::SetPostStatus(tx, post_id, post->status, to, why)) {
      return Error::Conflict("forum.post_state");
    }
    if (post->floor == 1) {
      // The opening post stands for its thread.
      if (repo::SetThreadStatus(tx, t->id, t->status, to, why) && (t->status == "visible") != now_visible) {
        repo::AdjustBoardThreads(tx, t->board_id, now_visible ? 1 : -1);
      }
    } else if (was != now_visible) {
      repo::AdjustReplies(tx, t->id, now_visible ? 1 : -1);
    }
    if (action == "approve") {
      // A post its author's edit sent back to moderation earned its credit
      // when it was first shown.
      const std::string credit = post->floor == 1 ? "thread" : "reply";
      const bool credited = repo::HasCredit(tx, post->author.user_id, credit, PostRef(post_id)) ||
                            (post->floor == 1 && repo::HasCredit(tx, post->author.user_id, credit, ThreadRef(t->id)));
      if (!credited) {
        CreditTx(tx, post->author.user_id, credit, PostRef(post_id), now);
      }
    }
    if (!own_delete) {
      NotifyTx(tx, post->author.user_id, "forum.moderated", *t, post->floor, p.display_name, now,
               json::object{{"action", action}, {"reason", reason}});
      audit::Record(tx, p.user_id, "forum.post." + action, "forum_post", std::to_string(post_id),
                    json::object{{"thread_id", t->id}, {"floor", post->floor}, {"reason", reason}}, ip, now);
    }
    return *repo::FindPost(tx, post_id);
  });
  if (written.ok()) {
    ForgetPages(touched);
  }
  co_return written;
}

Task<Thread> ForumService::ModerateThread(const Principal& p, int64_t thread_id, std::string action,
                                          std::optional<int64_t> board_id, std::string reason, std::string ip) {
  static const std::pair<const char*, std::pair<const char*, bool>> kFlags[] = {
      {"sticky", {"sticky", true}},  {"unsticky", {"sticky", false}}, {"digest", {"digest", true}},
      {"undigest", {"digest", false}}, {"lock", {"locked", true}},    {"unlock", {"locked", false}}};
  const std::pair<const char*, bool>* flag = nullptr;
  for (const auto& [name, f] : kFlags) {
    if (action == name) {
      flag = &f;
    }
  }
  if (!flag && action != "move") {
    co_return Error::Invalid("invalid_value", "action");
  }
  if (action == "move" && !board_id) {
    co_return Error::Invalid("missing_field", "board_id");
  }
  const int64_t now = clock_.NowMs();
  auto written = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Thread> {
    auto t = repo::FindThread(tx, thread_id);
    if (!t || t->status == "deleted") {
      return ThreadNotFound();
    }
    if (!ModeratesTx(tx, p, t->board_id)) {
      return t->status == "visible" ? Error::Forbidden() : ThreadNotFound();
    }
    if (flag) {
      const std::string column = flag->first;
      const bool changed = repo::SetThreadFlag(tx, thread_id, column, flag->second);
      if (changed && action == "digest" && t->status == "visible") {
        CreditTx(tx, t->author.user_id, "digest", ThreadRef(thread_id), now);
      }
    } else {
      auto to = repo::FindBoard(tx, *board_id);
      if (!to || to->status != "open") {
        return Error{ErrorCode::kNotFound, "forum.board_not_found", "board_id", {}};
      }
      if (!ModeratesTx(tx, p, *board_id)) {
        return Error{ErrorCode::kForbidden, "forbidden", "board_id", {}};
      }
      if (*board_id != t->board_id && !repo::MoveThread(tx, thread_id, t->board_id, *board_id, t->status == "visible")) {
        return Error::Conflict("forum.thread_moved");  // moved meanwhile by someone else
      }
    }
    audit::Record(tx, p.user_id, "forum.thread." + action, "forum_thread", std::to_string(thread_id),
                  json::object{{"board_id", board_id ? json::value(*board_id) : json::value(t->board_id)},
                               {"reason", reason}},
                  ip, now);
    return *repo::FindThread(tx, thread_id);
  });
  if (written.ok()) {
    ForgetPages(thread_id);
  }
  co_return written;
}

Task<Sanction> ForumService::ImposeSanction(const Principal& p, int64_t post_id, std::string kind,
                                            std::string reason, std::optional<int64_t> ends_at_ms, std::string ip) {
  const int64_t now = clock_.NowMs();
  if (kind != "warn" && kind != "mute" && kind != "ban") {
    co_return Error::Invalid("invalid_value", "kind");
  }
  if (kind == "warn" && ends_at_ms) {
    co_return Error::Invalid("invalid_value", "ends_at_ms");
  }
  if (kind == "mute" && !ends_at_ms) {
    co_return Error::Invalid("missing_field", "ends_at_ms");
  }
  if (ends_at_ms && *ends_at_ms <= now) {
    co_return Error::Invalid("out_of_range", "ends_at_ms");
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Sanction> {
    auto post = repo::FindPost(tx, post_id);
    auto t = post ? repo::FindThread(tx, post->thread_id) : std::nullopt;
    if (!post || !t || !ModeratesTx(tx, p, t->board_id)) {
      return Error{ErrorCode::kNotFound, "forum.post_not_found", "post_id", {}};
    }
    if (kind == "ban" && !IsAdmin(p)) {
      return Error::Forbidden("forum.ban_needs_admin");
    }
    if (post->author.user_id == p.user_id) {
      return Error::Unprocessable("forum.own_post");
    }
    Sanction s;
    s.user_id = post->author.user_id;
    s.kind = kind;
    s.reason = reason;
    s.post_id = post_id;
    s.ends_at_ms = ends_at_ms;
    s.created_by = p.user_id;
    s.id = repo::InsertSanction(tx, s, now);
    json::object extra{{"action", kind}, {"reason", reason}};
    if (ends_at_ms) {
      extra["ends_at_ms"] = *ends_at_ms;
    }
    NotifyTx(tx, s.user_id, "forum.sanctioned", *t, post->floor, p.display_name, now, extra);
    audit::Record(tx, p.user_id, "forum.sanction." + kind, "user", std::to_string(s.user_id),
                  json::object{{"post_id", post_id},
                               {"reason", reason},
                               {"ends_at_ms", ends_at_ms ? json::value(*ends_at_ms) : nullptr}},
                  ip, now);
    return *repo::FindSanction(tx, s.id);
  });
}

Task<Sanction> ForumService::LiftSanction(const Principal& p, int64_t sanction_id, std::string ip) {
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Sanction> {
    auto s = repo::FindSanction(tx, sanction_id);
    if (!s) {
      return Error::NotFound("forum.sanction_not_found");
    }
    bool allowed = IsAdmin(p) || s->created_by == p.user_id;
    if (!allowed) {
      return Error::NotFound("forum.sanction_not_found");
    }
    if (!repo::LiftSanction(tx, sanction_id, now)) {
      return Error::Conflict("forum.sanction_lifted");
    }
    audit::Record(tx, p.user_id, "forum.sanction.lifted", "user", std::to_string(s->user_id),
                  json::object{{"sanction_id", sanction_id}}, ip, now);
    return *repo::FindSanction(tx, sanction_id);
  });
}

Task<SearchResults> ForumService::Search(std::string q) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<SearchResults> {
    SearchResults out;
    auto threads = repo::SearchThreads(tx, q, 10);
    CC_TRY(threads);
    auto posts = repo::SearchPosts(tx, q, 20);
    CC_TRY(posts);
    out.threads = std::move(*threads);
    for (Post& p : *posts) {
      auto t = repo::FindThread(tx, p.thread_id);
      out.posts.emplace_back(std::move(p), t ? t->title : "");
    }
    return out;
  });
}

// ---- Me ----

Task<MemberView> ForumService::Me(const Principal& p) {
  const int64_t now = clock_.NowMs();
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<MemberView> {
    auto s = repo::FindStanding(tx, p.user_id);
    if (!s) {
      return Error::Unauthenticated();
    }
    MemberView v;
    v.trust_level = TrustedTx(tx, p, *s, now) ? 1 : 0;
    v.sanction = repo::ActiveSanction(tx, p.user_id, now);
    v.account_age_days = (now - s->account_created_at_ms) / kDayMs;
    v.standing = std::move(*s);
    return v;
  });
}

Task<std::vector<CreditEntry>> ForumService::MyCredits(const Principal& p, int64_t before_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<CreditEntry>> {
    return repo::CreditsOf(tx, p.user_id, before_id, kMinePage);
  });
}

Task<std::vector<repo::MyPost>> ForumService::MyPosts(const Principal& p, int64_t before_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<repo::MyPost>> {
    return repo::PostsBy(tx, p.user_id, before_id, kMinePage);
  });
}

}  // namespace carecity::forum
