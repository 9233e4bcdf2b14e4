#include "media/wordfilter.h"

#include <algorithm>
#include <deque>
#include <fstream>
#include <sstream>
#include <utility>

#include "core/text.h"

namespace carecity::media {
namespace {

// Decodes the code point at `s[i]`, advancing `i`; U+FFFD (one byte) for a
// malformed sequence, which the filter then treats as a skipped symbol.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) -> int {
    if (i + k >= s.size()) return -1;
    const auto b = static_cast<unsigned char>(s[i + k]);
    return (b & 0xC0) == 0x80 ? (b & 0x3F) : -1;
  };
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    const int c = cont(static_cast<size_t>(k));
    if (c < 0) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | static_cast<char32_t>(c);
  }
  i += static_cast<size_t>(len);
  return cp;
}

// A code point folded for matching, with the bytes it came from.
struct Folded {
  char32_t cp;
  size_t begin;
  size_t end;
};

std::vector<Folded> FoldText(std::string_view text) {
  std::vector<Folded> out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t begin = i;
    const char32_t folded = FoldForMatch(NextCodePoint(text, i));
    if (folded != 0) out.push_back({folded, begin, i});
  }
  return out;
}

Error ListError(size_t line, std::string detail) {
  return Error::Invalid("invalid_config", "word_list", "line " + std::to_string(line) + ": " + std::move(detail));
}

}  // namespace

char32_t FoldForMatch(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII
  if (cp >= 'A' && cp <= 'Z') return cp + ('a' - 'A');
  if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) return cp;
  if (cp < 0x80) return 0;                          // ASCII spacing, punctuation, controls
  if (cp <= 0xBF) return 0;                         // C1 controls, Latin-1 punctuation (·, ×…)
  if (cp >= 0x2000 && cp <= 0x2BFF) return 0;       // general punctuation, zero-width, arrows, symbols
  if (cp >= 0x3000 && cp <= 0x303F) return 0;       // CJK punctuation, ideographic space
  if (cp >= 0x3200 && cp <= 0x33FF) return 0;       // enclosed CJK, compatibility symbols
  if (cp >= 0xFE10 && cp <= 0xFE6F) return 0;       // vertical and small forms
  if (cp >= 0xFF00 && cp <= 0xFF65) return 0;       // the rest of the full-width punctuation
  if (cp == 0xFEFF || cp == 0xFFFD) return 0;       // BOM, replacement character
  if (cp >= 0xFE00 && cp <= 0xFE0F) return 0;       // variation selectors
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return 0;     // emoji and pictographs
  return cp;
}

// The trie with failure links; `out` lists the entries ending at a node
// (its own and those reached through failure links).
struct WordFilter::Automaton {
  struct Node {
    std::vector<std::pair<char32_t, uint32_t>> next;  // sorted by code point
    uint32_t fail = 0;
    std::vector<uint32_t> out;
  };
  std::vector<Node> nodes{Node{}};
  std::vector<uint32_t> lengths;  // per entry, in folded code points

  uint32_t Child(uint32_t n, char32_t c) const {
    const auto& nx = nodes[n].next;
    auto it = std::lower_bound(nx.begin(), nx.end(), c, [](const auto& p, char32_t v) { return p.first < v; });
    return it != nx.end() && it->first == c ? it->second : 0;
  }

  void Add(const std::vector<char32_t>& word, uint32_t entry) {
    uint32_t n = 0;
    for (char32_t c : word) {
      uint32_t child = Child(n, c);
      if (child == 0) {
        child = static_cast<uint32_t>(nodes.size());
        nodes.emplace_back();
        auto& nx = nodes[n].next;
        nx.insert(std::lower_bound(nx.begin(), nx.end(), c, [](const auto& p, char32_t v) { return p.first < v; }),
                  {c, child});
      }
      n = child;
    }
    nodes[n].out.push_back(entry);
  }

  void Link() {
    std::deque<uint32_t> queue;
    for (const auto& [c, child] : nodes[0].next) queue.push_back(child);
    while (!queue.empty()) {
      const uint32_t n = queue.front();
      queue.pop_front();
      for (const auto& [c, child] : nodes[n].next) {
        uint32_t f = nodes[n].fail;
        while (f != 0 && Child(f, c) == 0) f = nodes[f].fail;
        const uint32_t target = Child(f, c);
        nodes[child].fail = target == child ? 0 : target;
        const auto& inherited = nodes[nodes[child].fail].out;
        nodes[child].out.insert(nodes[child].out.end(), inherited.begin(), inherited.end());
        queue.push_back(child);
      }
    }
  }

  uint32_t Step(uint32_t n, char32_t c) const {
    while (true) {
      if (uint32_t child = Child(n, c); child != 0) return child;
      if (n == 0) return 0;
      n = nodes[n].fail;
    }
  }
};

WordFilter::WordFilter() : automaton_(std::make_unique<Automaton>()) {}

WordFilter::WordFilter(std::vector<WordEntry> entries)
    : entries_(std::move(entries)), automaton_(std::make_unique<Automaton>()) {
  automaton_->lengths.resize(entries_.size());
  for (size_t e = 0; e < entries_.size(); ++e) {
    std::vector<char32_t> folded;
    for (const auto& f : FoldText(entries_[e].word)) folded.push_back(f.cp);
    automaton_->lengths[e] = static_cast<uint32_t>(folded.size());
    if (!folded.empty()) automaton_->Add(folded, static_cast<uint32_t>(e));
  }
  automaton_->Link();
}

WordFilter::~WordFilter() = default;
WordFilter::WordFilter(WordFilter&&) noexcept = default;
WordFilter& WordFilter::operator=(WordFilter&&) noexcept = default;

Result<WordFilter> WordFilter::Parse(std::string_view list_text) {
  std::vector<WordEntry> entries;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= list_text.size()) {
    size_t nl = list_text.find('\n', pos);
    if (nl == std::string_view::npos) nl = list_text.size();
    std::string_view raw = list_text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (const size_t hash = raw.find('#'); hash != std::string_view::npos) raw = raw.substr(0, hash);
    const std::string line = Trim(raw);
    if (line.empty()) continue;
    if (!IsValidUtf8(line)) return ListError(line_no, "not UTF-8");
    // The action is the last whitespace-separated word when it is one.
    WordEntry entry{line, WordAction::kRefuse};
    if (const size_t sp = line.find_last_of(" \t"); sp != std::string::npos) {
      const std::string action = AsciiLower(line.substr(sp + 1));
      const std::string word = Trim(line.substr(0, sp));
      if (action == "refuse" || action == "hold") {
        entry = {word, action == "hold" ? WordAction::kHold : WordAction::kRefuse};
      }
    }
    if (FoldText(entry.word).empty()) return ListError(line_no, "the entry has no letters, digits or characters");
    entries.push_back(std::move(entry));
  }
  return WordFilter(std::move(entries));
}

Result<WordFilter> WordFilter::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Invalid("invalid_config", "word_list", "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = Parse(text.str());
  if (!parsed) {
    Error e = parsed.error();
    e.detail = path + ": " + e.detail;
    return e;
  }
  return parsed;
}

std::vector<WordHit> WordFilter::Scan(std::string_view text) const {
  std::vector<WordHit> hits;
  if (entries_.empty()) return hits;
  const auto folded = FoldText(text);
  uint32_t n = 0;
  for (size_t i = 0; i < folded.size(); ++i) {
    n = automaton_->Step(n, folded[i].cp);
    for (uint32_t e : automaton_->nodes[n].out) {
      const size_t len = automaton_->lengths[e];  // where the entry began
      hits.push_back({folded[i + 1 - len].begin, folded[i].end, e});
    }
  }
  return hits;
}

WordVerdict WordFilter::Decide(std::string_view text) const {
  WordVerdict verdict;
  for (const auto& hit : Scan(text)) {
    const WordAction action = entries_[hit.entry].action;
    if (!verdict.matched || (action == WordAction::kRefuse && verdict.action == WordAction::kHold)) {
      verdict = {true, action, hit, entries_[hit.entry].word};
    }
  }
  return verdict;
}

}  // namespace carecity::media
