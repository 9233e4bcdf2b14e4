// A list of strings kept in one TEXT column as a JSON array (tags, ids,
// options, modules): the one way every repo writes and reads such a column.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace carecity::db {

// `["a","b"]`.
std::string StringListJson(const std::vector<std::string>& items);

// The strings of a JSON array; text that is not an array of strings (an
// old or hand-edited row) reads as the strings it holds, or none.
std::vector<std::string> StringListOf(std::string_view text);

}  // namespace carecity::db
