// 公益宣传 (news): plain data and the rules on it that need no database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carecity::news {

constexpr size_t kMaxTitleChars = 80;
constexpr size_t kMaxSummaryChars = 200;
constexpr size_t kSummaryFromBodyChars = 120;
constexpr size_t kMaxTags = 5;
constexpr size_t kMaxTagChars = 12;
constexpr size_t kMaxRelated = 6;
constexpr size_t kMaxNoteChars = 200;
constexpr int kPageSize = 20;
constexpr int kMaxPageSize = 50;
constexpr int kDeskLimit = 100;
constexpr int kFeedSize = 20;

// notice 通知公告, event_review 活动回顾, story 公益故事, policy 政策解读,
// fund 基金动态.
bool IsCategory(std::string_view s);
// event, service, fund_purpose, fund_report, product, lot, grant_call,
// village: what an article may be about.
bool IsRelatedKind(std::string_view s);
// True for the kinds whose ids are integers (the others are public ids).
bool HasIntegerId(std::string_view kind);

// What an article is about, as written: `ref` is the item's id as text.
struct RelatedRef {
  std::string kind;
  std::string ref;
};

struct Article {
  int64_t id = 0;  // internal; never answered
  std::string public_id;
  int64_t author_id = 0;
  std::string author_name;
  std::optional<int64_t> org_id;
  std::string org_name;
  std::string category;
  std::string title;
  std::string summary;
  std::string body_md;
  std::string body_html;
  std::vector<std::string> tags;
  std::optional<std::string> cover_image_id;
  std::string status;  // draft | pending_review | scheduled | published | withdrawn
  std::optional<int64_t> publish_at_ms;
  std::optional<int64_t> published_at_ms;
  int64_t revision = 0;
  std::optional<std::string> correction_note;
  std::optional<std::string> review_note;
  int64_t views = 0;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::vector<RelatedRef> related;
};

// Readers see it: published, or scheduled and due.
bool IsPublicAt(const Article& a, int64_t now_ms);
// The status a reader is told: a scheduled article that is due reads
// "published".
std::string ShownStatus(const Article& a, int64_t now_ms);
// The writer's summary, else the start of the body's text (Markdown
// marks dropped), at most kSummaryFromBodyChars characters.
std::string SummaryOf(const Article& a);

struct Revision {
  int64_t revision = 0;
  std::string title;
  std::string body_md;
  std::string editor_name;
  int64_t edited_at_ms = 0;
  bool is_correction = false;
  std::optional<std::string> note;
};

// What a writer sends (create and edit).
struct Draft {
  std::string title;
  std::string summary;
  std::string body_md;
  std::string category;
  std::vector<std::string> tags;
  std::optional<std::string> cover_file_id;
  std::vector<RelatedRef> related;
  std::optional<int64_t> publish_at_ms;
  std::optional<int64_t> org_id;
  bool draft = false;
  std::optional<std::string> correction_note;  // edits only
};

// A list page, newest first; `next_cursor` is opaque ("<publish_at_ms>.<id>").
struct Page {
  std::vector<Article> articles;
  std::optional<std::string> next_cursor;
};

struct ListQuery {
  std::string category;  // "" for all
  std::string tag;
  std::string q;
  std::string cursor;
  int limit = kPageSize;
};

// A cursor parsed: (publish_at_ms, id); nullopt when malformed.
std::optional<std::pair<int64_t, int64_t>> ParseCursor(std::string_view s);

}  // namespace carecity::news
