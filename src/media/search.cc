#include "media/search.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"

namespace carecity::media {
namespace {

constexpr size_t kTrigram = 3;  // shortest term a trigram index can serve

// Splits on ASCII whitespace and the ideographic space (U+3000).
std::vector<std::string> Terms(std::string_view q) {
  std::vector<std::string> terms;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) {
      terms.push_back(std::move(cur));
      cur.clear();
    }
  };
  for (size_t i = 0; i < q.size(); ++i) {
    const char c = q[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      flush();
    } else if (q.substr(i, 3) == "\xE3\x80\x80") {
      flush();
      i += 2;
    } else {
      cur += c;
    }
  }
  flush();
  return terms;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out += sep;
    }
    out += parts[i];
  }
  return out;
}

// coalesce(a.c1, '') || ' ' || coalesce(a.c2, ''): the expression the
// PostgreSQL index is built on (`prefix` "" there, "a." in queries: the
// planner matches columns, not aliases).
std::string Document(const SearchSpec& spec, const std::string& prefix) {
  std::vector<std::string> parts;
  for (const std::string& c : spec.columns) {
    parts.push_back(fmt::format("coalesce({}{}, '')", prefix, c));
  }
  return "(" + Join(parts, " || ' ' || ") + ")";
}

// An FTS5 string: the term in double quotes (inner quotes doubled), so its
// characters are matched literally, never read as query syntax.
std::string FtsString(std::string_view term) {
  std::string out = "\"";
  for (char c : term) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

}  // namespace

std::string EscapeLike(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '%' || c == '_') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string SearchIndexDdl(const SearchSpec& spec, db::Dialect dialect) {
  const std::string& t = spec.table;
  if (dialect == db::Dialect::kPostgres) {
    return fmt::format("CREATE INDEX {0}_search ON {0} USING gin ({1} gin_trgm_ops);\n", t, Document(spec, ""));
  }
  const std::string cols = Join(spec.columns, ", ");
  std::vector<std::string> news;
  std::vector<std::string> olds;
  for (const std::string& c : spec.columns) {
    news.push_back("new." + c);
    olds.push_back("old." + c);
  }
  const std::string new_vals = Join(news, ", ");
  const std::string old_vals = Join(olds, ", ");
  return fmt::format(
      "CREATE VIRTUAL TABLE {0}_fts USING fts5({1}, content='{0}', content_rowid='id', tokenize='trigram');\n"
      "CREATE TRIGGER {0}_fts_insert AFTER INSERT ON {0} BEGIN\n"
      "  INSERT INTO {0}_fts (rowid, {1}) VALUES (new.id, {2});\n"
      "END;\n"
      "CREATE TRIGGER {0}_fts_delete AFTER DELETE ON {0} BEGIN\n"
      "  INSERT INTO {0}_fts ({0}_fts, rowid, {1}) VALUES ('delete', old.id, {3});\n"
      "END;\n"
      "CREATE TRIGGER {0}_fts_update AFTER UPDATE OF {1} ON {0} BEGIN\n"
      "  INSERT INTO {0}_fts ({0}_fts, rowid, {1}) VALUES ('delete', old.id, {3});\n"
      "  INSERT INTO {0}_fts (rowid, {1}) VALUES (new.id, {2});\n"
      "END;\n"
      "INSERT INTO {0}_fts ({0}_fts) VALUES ('rebuild');\n",
      t, cols, new_vals, old_vals);
}

namespace {

Result<SearchClause> Build(db::Dialect dialect, const SearchSpec& spec, std::string_view alias,
                           std::string_view query, int first_param, const std::string& field, bool ranked) {
  if (CodePointCount(query) > kMaxSearchChars) {
    return Error::Invalid("too_long", field, fmt::format("at most {} characters", kMaxSearchChars));
  }
  const std::vector<std::string> terms = Terms(query);
  if (terms.empty()) {
    return Error::Invalid("missing_field", field);
  }
  if (terms.size() > kMaxSearchTerms) {
    return Error::Invalid("too_long", field, fmt::format("at most {} words", kMaxSearchTerms));
  }
  const std::string a(alias);
  SearchClause out;
  int next = first_param;
  auto param = [&](db::Value v) {
    out.params.push_back(std::move(v));
    return "$" + std::to_string(next++);
  };
  std::vector<std::string> conditions;
  std::vector<std::string> long_terms;
  for (const std::string& term : terms) {
    const bool short_term = CodePointCount(term) < kTrigram;
    if (dialect == db::Dialect::kSqlite && !short_term) {
      long_terms.push_back(term);
      continue;
    }
    if (!short_term) {
      long_terms.push_back(term);
    }
    const std::string p = param("%" + EscapeLike(term) + "%");
    if (dialect == db::Dialect::kPostgres) {
      conditions.push_back(fmt::format("{} ILIKE {} ESCAPE '\\'", Document(spec, a + "."), p));
      continue;
    }
    std::vector<std::string> any;
    for (const std::string& c : spec.columns) {
      any.push_back(fmt::format("{}.{} LIKE {} ESCAPE '\\'", a, c, p));
    }
    conditions.push_back("(" + Join(any, " OR ") + ")");
  }
  std::string rank;
  if (!long_terms.empty() && dialect == db::Dialect::kSqlite) {
    std::vector<std::string> quoted;
    for (const std::string& t : long_terms) {
      quoted.push_back(FtsString(t));
    }
    const std::string fts = spec.table + "_fts";
    out.join = fmt::format("JOIN {0} ON {0}.rowid = {1}.id", fts, a);
    conditions.insert(conditions.begin(), fmt::format("{} MATCH {}", fts, param(Join(quoted, " "))));
    rank = fts + ".rank, ";
  } else if (!long_terms.empty() && ranked) {
    rank = fmt::format("similarity({}, {}) DESC, ", Document(spec, a + "."), param(Join(long_terms, " ")));
  }
  out.where = "(" + Join(conditions, " AND ") + ")";
  out.order_by = (ranked ? rank : std::string()) + a + ".id DESC";
  return out;
}

// The length of the UTF-8 sequence starting with byte `c` (1 for a stray
// continuation byte, so a walk always advances).
size_t SequenceLength(unsigned char c) {
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

}  // namespace

std::string HighlightHtml(std::string_view text, std::string_view query, size_t max_chars) {
  std::vector<std::string> terms;
  for (std::string& t : Terms(query)) {
    if (terms.size() < kMaxSearchTerms) {
      terms.push_back(AsciiLower(t));
    }
  }
  const std::string lower = AsciiLower(text);
  size_t first = std::string::npos;
  for (const std::string& t : terms) {
    first = std::min(first, lower.find(t));
  }
  // Start a few characters before the first match, on a character boundary.
  size_t start = 0;
  if (first != std::string::npos) {
    std::vector<size_t> starts;
    for (size_t i = 0; i < first; i += SequenceLength(static_cast<unsigned char>(text[i]))) {
      starts.push_back(i);
    }
    constexpr size_t kLead = 12;
    start = starts.size() > kLead ? starts[starts.size() - kLead] : 0;
  }
  std::string out = start > 0 ? "…" : "";
  size_t i = start;
  size_t chars = 0;
  while (i < text.size() && chars < max_chars) {
    size_t match = 0;
    for (const std::string& t : terms) {
      if (!t.empty() && lower.compare(i, t.size(), t) == 0) {
        match = std::max(match, t.size());
      }
    }
    if (match > 0) {
      out += "<mark>";
      AppendHtmlEscaped(out, text.substr(i, match));
      out += "</mark>";
      chars += CodePointCount(text.substr(i, match));
      i += match;
      continue;
    }
    const size_t n = std::min(SequenceLength(static_cast<unsigned char>(text[i])), text.size() - i);
    AppendHtmlEscaped(out, text.substr(i, n));
    i += n;
    ++chars;
  }
  if (i < text.size()) {
    out += "…";
  }
  return out;
}

Result<SearchClause> BuildSearch(db::Dialect dialect, const SearchSpec& spec, std::string_view alias,
                                 std::string_view query, int first_param, const std::string& field) {
  return Build(dialect, spec, alias, query, first_param, field, true);
}

Result<SearchClause> BuildSearchFilter(db::Dialect dialect, const SearchSpec& spec, std::string_view alias,
                                       std::string_view query, int first_param, const std::string& field) {
  return Build(dialect, spec, alias, query, first_param, field, false);
}

}  // namespace carecity::media
