// The sensitive-word filter (敏感词): a word list matched in one pass over
// a text (Aho–Corasick over code points), blind to the tricks people use to
// slip a word past a naive filter:
//   - full-width forms (ＡＢＣ，１２３) read as their ASCII twins;
//   - ASCII letters in any case;
//   - spacing, punctuation, symbols and zero-width characters between the
//     characters of a word (法 轮、法-轮, 法​轮) are skipped.
// Each entry decides what a hit does: `refuse` (the post is refused with
// the word named) or `hold` (the post waits for a moderator).
//
// The list file (config `[forum] word_list`), one entry a line:
//     # a comment
//     赌博          refuse
//     代开发票      hold
//     加微信              <- no action: refuse
// Entries are folded the same way as texts, so "Ｑ Ｑ群" and "qq群" are one.
//
// Thread-safety: immutable after construction; Scan and Decide are const
// and safe to call concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace carecity::media {

enum class WordAction { kHold, kRefuse };

struct WordEntry {
  std::string word;  // as written in the list
  WordAction action = WordAction::kRefuse;
};

// One occurrence of an entry in a text: the bytes [begin, end) of the
// original text, from the entry's first character to its last.
struct WordHit {
  size_t begin = 0;
  size_t end = 0;
  size_t entry = 0;  // index into entries()
};

// What a text's hits add up to: the strongest action (refuse over hold)
// and the first hit with it; `action` is empty when nothing matched.
struct WordVerdict {
  bool matched = false;
  WordAction action = WordAction::kHold;
  WordHit hit;
  std::string word;  // the entry's word, for the error message
};

class WordFilter {
 public:
  // An empty filter (matches nothing).
  WordFilter();
  explicit WordFilter(std::vector<WordEntry> entries);
  ~WordFilter();
  WordFilter(WordFilter&&) noexcept;
  WordFilter& operator=(WordFilter&&) noexcept;

  // Parses a list file's text. Errors (invalid_config) name the line:
  // an unknown action, invalid UTF-8, an entry that folds to nothing.
  static Result<WordFilter> Parse(std::string_view list_text);
  // Reads and parses the file at `path`; invalid_config naming the path if
  // it cannot be read.
  static Result<WordFilter> Load(const std::string& path);

  // Every occurrence, in order of where it ends (overlaps included).
  std::vector<WordHit> Scan(std::string_view text) const;
  WordVerdict Decide(std::string_view text) const;

  const std::vector<WordEntry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  struct Automaton;
  std::vector<WordEntry> entries_;
  std::unique_ptr<Automaton> automaton_;
};

// The code point `cp` as the filter reads it: 0 for one it skips (spacing,
// punctuation, symbols, zero-width), else its folded form (full-width ASCII
// to ASCII, ASCII letters to lower case). Exposed for tests.
char32_t FoldForMatch(char32_t cp);

}  // namespace carecity::media
