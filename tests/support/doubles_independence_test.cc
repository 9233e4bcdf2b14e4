// The doubles must not share code with the product (docs/design-channels.md section 7.2): if a
// double computed a signature with the product's own crypto, a misreading of the provider's
// protocol would agree with itself and every test would pass. The CMake target links no product
// library; this test keeps the sources from reaching into src/ through an include.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Finding {
  std::string file;
  int line = 0;
  std::string text;
};

// The product's include roots (src/<dir>/), "support/" (the product-linked test helpers of
// tests/support/), and any path through a src/ directory.
const std::regex kProductInclude(
    R"re(^\s*#\s*include\s*["<]((core|domains|http|db|app|media|live|support)/|[^">]*\bsrc/))re");

std::vector<Finding> FindProductIncludes(const std::string& file, const std::string& text) {
  std::vector<Finding> found;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (std::regex_search(line, kProductInclude)) {
      found.push_back({file, number, line});
    }
  }
  return found;
}

TEST(DoublesIndependenceTest, NoDoubleSourceIncludesProductCode) {
  namespace fs = std::filesystem;
  const fs::path root = CARECITY_DOUBLES_DIR;
  ASSERT_TRUE(fs::is_directory(root)) << root;
  int scanned = 0;
  std::vector<Finding> found;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".h" && ext != ".cc")) {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    ASSERT_TRUE(in) << "cannot read " << entry.path();
    std::ostringstream text;
    text << in.rdbuf();
    ++scanned;
    for (auto& finding : FindProductIncludes(entry.path().string(), text.str())) {
      found.push_back(std::move(finding));
    }
  }
  // A scan that finds nothing to scan proves nothing.
  EXPECT_GE(scanned, 3) << "expected the doubles' sources under " << root;
  for (const auto& f : found) {
    ADD_FAILURE() << f.file << ":" << f.line << ": a double includes product code: " << f.text;
  }
}

TEST(DoublesIndependenceTest, TheCheckCatchesEveryFormOfProductInclude) {
  const std::string text =
      "#include \"doubles/double_server.h\"\n"
      "#include <openssl/evp.h>\n"
      "#include \"core/pkcrypto.h\"\n"
      "  #  include <http/client.h>\n"
      "#include \"domains/payments/model.h\"\n"
      "#include \"support/test_server.h\"\n"
      "#include \"../../src/db/tx.h\"\n"
      "// #include is mentioned in a comment, \"core/ too\n";
  std::vector<Finding> found = FindProductIncludes("sample.cc", text);
  std::vector<int> lines;
  for (const auto& f : found) {
    lines.push_back(f.line);
  }
  EXPECT_EQ(lines, (std::vector<int>{3, 4, 5, 6, 7}));
}

}  // namespace
