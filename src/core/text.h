// Small text helpers for validated user input (UTF-8 throughout).
#pragma once

#include <string>
#include <string_view>

namespace carecity {

// Number of code points; the input is assumed to be valid UTF-8.
size_t CodePointCount(std::string_view s);

// `s` cut to at most `max` code points (valid UTF-8 in, valid out).
std::string CutCodePoints(std::string_view s, size_t max);

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool IsValidUtf8(std::string_view s);

// True if `s` contains C0/C1 control characters other than tab, CR and LF.
bool HasControlChars(std::string_view s, bool allow_newlines);

// Leading and trailing ASCII white space removed.
std::string Trim(std::string_view s);

// ASCII lower-case copy (e-mail addresses are compared this way).
std::string AsciiLower(std::string_view s);

// Mainland China mobile number: 11 digits starting 1[3-9].
bool IsMainlandMobile(std::string_view s);

// A plausible e-mail address: local@domain.tld, no spaces, <= 254 chars.
bool IsEmail(std::string_view s);

// "13912345678" -> "139****5678"; other lengths keep first/last quarter.
std::string MaskPhone(std::string_view phone);

// A person's name for strangers: the first character (a surname, usually)
// and one '*' per remaining character, at least one: 陈阿姨 -> 陈**.
std::string MaskPersonName(std::string_view name);

// "alice@example.cn" -> "a***@example.cn".
std::string MaskEmail(std::string_view email);

// A LIKE pattern matching text that contains `q` literally (%, _ and the
// backslash escaped by a backslash): use with `LIKE $n ESCAPE '\'`.
std::string LikeContains(std::string_view q);

// Appends `s` to `out` with & < > " ' as HTML character references: safe as
// element text and inside a quoted attribute.
void AppendHtmlEscaped(std::string& out, std::string_view s);
std::string HtmlEscape(std::string_view s);

}  // namespace carecity
