// Chinese full-text search for every domain, one way on both databases:
//   SQLite: an FTS5 table with the `trigram` tokenizer (external content,
//           kept by triggers), ranked by bm25;
//   PostgreSQL: a pg_trgm GIN index on the searched columns, matched with
//           ILIKE, ranked by similarity().
// Trigram indexes cannot serve terms under three characters, and two-
// character Chinese words (书法, 养老) are common: such terms are matched
// with LIKE '%term%' (wildcards in the term escaped) on both databases.
//
// A domain declares a searchable table once, in its migration, with the SQL
// SearchIndexDdl prints for each dialect (docs/architecture.md "Search"),
// and builds its queries with BuildSearch:
//
//   const SearchSpec kItems{"shop_items", {"title", "description"}};
//   auto s = media::BuildSearch(tx.dialect(), kItems, "i", q, 2);
//   CC_TRY(s);
//   sql = "SELECT i.id FROM shop_items i " + s->join + " WHERE i.status = $1 AND " + s->where +
//         " ORDER BY " + s->order_by + " LIMIT 20";
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "db/tx.h"

namespace carecity::media {

// The most terms (separated by spaces) and characters a query may have.
constexpr size_t kMaxSearchTerms = 8;
constexpr size_t kMaxSearchChars = 100;

struct SearchSpec {
  std::string table;                 // its integer key must be `id`
  std::vector<std::string> columns;  // TEXT columns searched
};

// The statements that make `spec.table` searchable on `dialect`, for the
// domain's migration (inside -- @sqlite / -- @postgres blocks): SQLite
// creates `<table>_fts` and the triggers that keep it, and indexes rows
// already there; PostgreSQL creates the GIN index `<table>_search`.
std::string SearchIndexDdl(const SearchSpec& spec, db::Dialect dialect);

struct SearchClause {
  std::string join;      // goes after "FROM <table> <alias>" (may be "")
  std::string where;     // a condition to AND with the caller's own
  std::string order_by;  // best match first, then newest (`<alias>.id DESC`)
  std::vector<db::Value> params;  // bound as $first_param, $first_param+1, ...
};

// Every term of `query` must occur (as a substring, case-insensitively for
// ASCII) in one of the columns. `alias` is the table's alias in the
// caller's FROM. Errors (naming `field`): missing_field for an empty query,
// too_long over kMaxSearchChars characters or kMaxSearchTerms terms.
Result<SearchClause> BuildSearch(db::Dialect dialect, const SearchSpec& spec, std::string_view alias,
                                 std::string_view query, int first_param, const std::string& field = "q");

// The same filter for lists paged by a cursor on the key (newest first):
// `order_by` is `<alias>.id DESC`, with no ranking (a rank would not agree
// with an `id < cursor` page boundary) and no parameter for it.
Result<SearchClause> BuildSearchFilter(db::Dialect dialect, const SearchSpec& spec, std::string_view alias,
                                       std::string_view query, int first_param, const std::string& field = "q");

// A snippet of `text` for a result list, as HTML: about `max_chars`
// characters around the first place a term of `query` occurs (from the
// start when none does), escaped, every occurrence of a term wrapped in
// <mark>…</mark> (ASCII case-insensitively), "…" where it was cut.
std::string HighlightHtml(std::string_view text, std::string_view query, size_t max_chars = 80);

// `s` with LIKE's wildcards (%, _) and the escape character (\) escaped,
// for `LIKE … ESCAPE '\'`.
std::string EscapeLike(std::string_view s);

}  // namespace carecity::media
