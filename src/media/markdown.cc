#include "media/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/crypto.h"
#include "core/text.h"

namespace carecity::media {
namespace {

constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink", "tasklist"};
constexpr size_t kMaxLanguageChars = 32;
constexpr std::string_view kImagePrefix = "/media/images/";

struct ParserFree {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterFree {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

// A URL for an attribute: bytes a URL may not hold literally
// percent-encoded (spaces, quotes, non-ASCII), then HTML-escaped.
void EscapeUrl(std::string& out, std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || std::string_view("\"<>\\^`{|}").find(ch) != std::string_view::npos) {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xF];
    } else {
      encoded += ch;
    }
  }
  AppendHtmlEscaped(out, encoded);
}

const char* Literal(cmark_node* n) {
  const char* s = cmark_node_get_literal(n);
  return s == nullptr ? "" : s;
}

std::string_view TypeName(cmark_node* n) {
  const char* s = cmark_node_get_type_string(n);
  return s == nullptr ? "" : s;
}

// The plain text under `node` (an image's alt text).
std::string PlainText(cmark_node* node) {
  std::string text;
  std::unique_ptr<cmark_iter, IterFree> it(cmark_iter_new(node));
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    cmark_node* n = cmark_iter_get_node(it.get());
    if (ev != CMARK_EVENT_ENTER) {
      continue;
    }
    const cmark_node_type t = cmark_node_get_type(n);
    if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
      text += Literal(n);
    } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
      text += ' ';
    }
  }
  return text;
}

bool InTightList(cmark_node* paragraph) {
  cmark_node* item = cmark_node_parent(paragraph);
  if (item == nullptr || cmark_node_get_type(item) != CMARK_NODE_ITEM) {
    return false;
  }
  cmark_node* list = cmark_node_parent(item);
  return list != nullptr && cmark_node_get_list_tight(list) != 0;
}

// Renders the tree; everything not written here is left out.
class Renderer {
 public:
  std::string Render(cmark_node* root) {
    std::unique_ptr<cmark_iter, IterFree> it(cmark_iter_new(root));
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
      cmark_node* n = cmark_iter_get_node(it.get());
      const bool entering = ev == CMARK_EVENT_ENTER;
      if (Node(n, entering)) {
        // The node was written whole (an image): skip its children.
        cmark_iter_reset(it.get(), n, CMARK_EVENT_EXIT);
      }
    }
    return std::move(out_);
  }

 private:
  // Returns true to skip the node's children.
  bool Node(cmark_node* n, bool entering) {
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_DOCUMENT:
        return false;
      case CMARK_NODE_BLOCK_QUOTE:
        out_ += entering ? "<blockquote>\n" : "</blockquote>\n";
        return false;
      case CMARK_NODE_LIST:
        List(n, entering);
        return false;
      case CMARK_NODE_ITEM:
        Item(n, entering);
        return false;
      case CMARK_NODE_CODE_BLOCK:
        CodeBlock(n);
        return false;
      case CMARK_NODE_PARAGRAPH:
        if (!InTightList(n)) {
          out_ += entering ? "<p>" : "</p>\n";
        }
        return false;
      case CMARK_NODE_HEADING: {
        const int level = std::clamp(cmark_node_get_heading_level(n), 1, 6);
        out_ += entering ? "<h" : "</h";
        out_ += static_cast<char>('0' + level);
        out_ += entering ? ">" : ">\n";
        return false;
      }
      case CMARK_NODE_THEMATIC_BREAK:
        out_ += "<hr />\n";
        return false;
      case CMARK_NODE_TEXT:
        AppendHtmlEscaped(out_, Literal(n));
        return false;
      case CMARK_NODE_SOFTBREAK:
        out_ += '\n';
        return false;
      case CMARK_NODE_LINEBREAK:
        out_ += "<br />\n";
        return false;
      case CMARK_NODE_CODE:
        out_ += "<code>";
        AppendHtmlEscaped(out_, Literal(n));
        out_ += "</code>";
        return false;
      case CMARK_NODE_EMPH:
        out_ += entering ? "<em>" : "</em>";
        return false;
      case CMARK_NODE_STRONG:
        out_ += entering ? "<strong>" : "</strong>";
        return false;
      case CMARK_NODE_LINK:
        Link(n, entering);
        return false;
      case CMARK_NODE_IMAGE:
        return Image(n, entering);
      case CMARK_NODE_HTML_BLOCK:
      case CMARK_NODE_HTML_INLINE:
        // Raw HTML never passes, not even as a comment.
        return false;
      default:
        return Extension(n, entering);
    }
  }

  void List(cmark_node* n, bool entering) {
    const bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
    if (!entering) {
      out_ += ordered ? "</ol>\n" : "</ul>\n";
      return;
    }
    const int start = cmark_node_get_list_start(n);
    if (ordered && start != 1) {
      out_ += "<ol start=\"" + std::to_string(start) + "\">\n";
    } else {
      out_ += ordered ? "<ol>\n" : "<ul>\n";
    }
  }

  void Item(cmark_node* n, bool entering) {
    if (!entering) {
      out_ += "</li>\n";
      return;
    }
    if (TypeName(n) == "tasklist") {
      out_ += cmark_gfm_extensions_get_tasklist_item_checked(n)
                  ? "<li class=\"task-list-item\"><input type=\"checkbox\" disabled=\"\" checked=\"\" /> "
                  : "<li class=\"task-list-item\"><input type=\"checkbox\" disabled=\"\" /> ";
      return;
    }
    out_ += "<li>";
  }

  void CodeBlock(cmark_node* n) {
    std::string lang;
    const char* info = cmark_node_get_fence_info(n);
    for (const char* p = info == nullptr ? "" : info; *p != '\0' && lang.size() < kMaxLanguageChars; ++p) {
      const char c = *p;
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '+';
      if (!ok) {
        break;
      }
      lang += c;
    }
    out_ += lang.empty() ? "<pre><code>" : "<pre><code class=\"language-" + lang + "\">";
    AppendHtmlEscaped(out_, Literal(n));
    out_ += "</code></pre>\n";
  }

  void Link(cmark_node* n, bool entering) {
    const char* url = cmark_node_get_url(n);
    if (url == nullptr || !IsAllowedLinkUrl(url)) {
      return;  // the link text stays, as text
    }
    if (!entering) {
      out_ += "</a>";
      return;
    }
    out_ += "<a href=\"";
    EscapeUrl(out_, url);
    out_ += url[0] == '/' || url[0] == '#' ? "\">" : "\" rel=\"nofollow ugc noopener noreferrer\">";
  }

  bool Image(cmark_node* n, bool entering) {
    const char* url = cmark_node_get_url(n);
    if (url == nullptr || !IsOwnImageUrl(url)) {
      return false;  // the alt text stays, as text
    }
    if (entering) {
      out_ += "<img src=\"";
      EscapeUrl(out_, url);
      out_ += "\" alt=\"";
      AppendHtmlEscaped(out_, PlainText(n));
      out_ += "\" loading=\"lazy\" />";
    }
    return true;
  }

  bool Extension(cmark_node* n, bool entering) {
    const std::string_view type = TypeName(n);
    if (type == "strikethrough") {
      out_ += entering ? "<del>" : "</del>";
    } else if (type == "table") {
      Table(n, entering);
    } else if (type == "table_header" || type == "table_row") {
      Row(type == "table_header", entering);
    } else if (type == "table_cell") {
      Cell(entering);
    }
    // Anything else is left out; its children (text) are still escaped.
    return false;
  }

  void Table(cmark_node* n, bool entering) {
    if (entering) {
      out_ += "<table>\n";
      const uint8_t* align = cmark_gfm_extensions_get_table_alignments(n);
      const uint16_t columns = cmark_gfm_extensions_get_table_columns(n);
      alignments_.assign(align == nullptr ? 0 : columns, 0);
      for (size_t i = 0; i < alignments_.size(); ++i) {
        alignments_[i] = align[i];
      }
      in_body_ = false;
      return;
    }
    out_ += in_body_ ? "</tbody>\n</table>\n" : "</table>\n";
  }

  void Row(bool header, bool entering) {
    in_header_ = header;
    column_ = 0;
    if (entering) {
      if (header) {
        out_ += "<thead>\n";
      } else if (!in_body_) {
        out_ += "<tbody>\n";
        in_body_ = true;
      }
      out_ += "<tr>\n";
      return;
    }
    out_ += header ? "</tr>\n</thead>\n" : "</tr>\n";
  }

  void Cell(bool entering) {
    const char* tag = in_header_ ? "th" : "td";
    if (!entering) {
      out_ += "</";
      out_ += tag;
      out_ += ">\n";
      ++column_;
      return;
    }
    out_ += "<";
    out_ += tag;
    const uint8_t a = column_ < alignments_.size() ? alignments_[column_] : 0;
    if (a == 'l') {
      out_ += " align=\"left\"";
    } else if (a == 'c') {
      out_ += " align=\"center\"";
    } else if (a == 'r') {
      out_ += " align=\"right\"";
    }
    out_ += ">";
  }

  std::string out_;
  std::vector<uint8_t> alignments_;
  size_t column_ = 0;
  bool in_header_ = false;
  bool in_body_ = false;
};

// `s` cut to at most `max` bytes without splitting a UTF-8 sequence.
std::string_view CutAtCharacter(std::string_view s, size_t max) {
  if (s.size() <= max) {
    return s;
  }
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) {
    --end;
  }
  return s.substr(0, end);
}

}  // namespace

Status CheckMarkdown(std::string_view md, const std::string& field, size_t max_bytes) {
  if (md.size() > max_bytes) {
    return Error::Invalid("too_long", field, "at most " + std::to_string(max_bytes) + " bytes");
  }
  return {};
}

bool IsAllowedLinkUrl(std::string_view url) {
  if (url.empty()) {
    return false;
  }
  for (char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    // Browsers drop tabs and newlines inside URLs and read '\' as '/':
    // "/\t/evil.example" and "/\evil.example" would leave the site.
    if (c < 0x20 || c == 0x7F || ch == '\\') {
      return false;
    }
  }
  const size_t end = url.find_first_of(":/?#");
  if (end != std::string_view::npos && url[end] == ':') {
    const std::string scheme = AsciiLower(url.substr(0, end));
    return scheme == "http" || scheme == "https" || scheme == "mailto";
  }
  if (url[0] == '#') {
    return true;
  }
  // Site-relative: "/path", never "//host" (another site).
  return url[0] == '/' && (url.size() == 1 || url[1] != '/');
}

bool IsOwnImageUrl(std::string_view url) {
  if (url.substr(0, kImagePrefix.size()) != kImagePrefix) {
    return false;
  }
  std::string_view rest = url.substr(kImagePrefix.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos || !IsPublicId(rest.substr(0, slash))) {
    return false;
  }
  rest = rest.substr(slash + 1);
  return rest == "full.webp" || rest == "thumb.webp";
}

std::string RenderMarkdown(std::string_view md) {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
  const std::string_view input = CutAtCharacter(md, kMaxMarkdownBytes);
  // No CMARK_OPT_UNSAFE: cmark's own renderer would also refuse raw HTML,
  // but we do not use its renderer at all.
  std::unique_ptr<cmark_parser, ParserFree> parser(cmark_parser_new(CMARK_OPT_VALIDATE_UTF8));
  for (const char* name : kExtensions) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  cmark_parser_feed(parser.get(), input.data(), input.size());
  std::unique_ptr<cmark_node, NodeFree> doc(cmark_parser_finish(parser.get()));
  if (!doc) {
    return {};
  }
  return Renderer().Render(doc.get());
}

std::string PlainExcerpt(std::string_view body_md, size_t max_chars) {
  std::string plain;
  bool space = false;
  for (char c : body_md) {
    const bool markup = c == '\n' || c == '\r' || c == '\t' || c == '#' || c == '*' || c == '>' || c == '`' ||
                        c == '_' || c == '~' || c == '|' || c == '[' || c == ']';
    if (markup || c == ' ') {
      space = !plain.empty();
      continue;
    }
    if (space) {
      plain += ' ';
      space = false;
    }
    plain += c;
  }
  if (CodePointCount(plain) <= max_chars) {
    return plain;
  }
  return CutCodePoints(plain, max_chars) + "…";
}

}  // namespace carecity::media
