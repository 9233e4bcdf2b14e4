// Chinese search on both databases: FTS5 trigram / pg_trgm for terms of
// three characters or more, LIKE for shorter ones (two-character words such
// as 书法), with LIKE's wildcards in the query matched literally.
#include "media/search.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "db/migrations.h"
#include "db/store.h"
#include "support/test_db.h"

namespace carecity::media {
namespace {

using carecity::testing::TestDb;

const SearchSpec kSpec{"t_search_items", {"title", "body"}};

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db::StoreOptions o;
    o.read_connections = 2;
    o.sqlite_synchronous = "NORMAL";
    auto s = db::OpenStore(db_.url(), o);
    ASSERT_TRUE(s.ok()) << s.error().detail;
    store_ = std::move(s).value();
    db::Migrate(*store_, 1);  // 0012 creates pg_trgm on PostgreSQL
    db::WriteSync(*store_, [](db::Tx& tx) {
      tx.ExecScript(db::ExpandForDialect(
          "CREATE TABLE t_search_items (id {{id}}, title TEXT NOT NULL, body TEXT)", tx.dialect()));
      // Rows before the index exist too: the SQLite DDL rebuilds it.
      tx.Exec("INSERT INTO t_search_items (title, body) VALUES ($1, $2)", {"书法班招生", "每周六上午，长者书法入门"});
      tx.ExecScript(SearchIndexDdl(kSpec, tx.dialect()));
      for (const auto& [title, body] : std::vector<std::pair<std::string, std::string>>{
               {"手工剪纸义卖", "桂城非遗剪纸，收入归关爱基金"},
               {"长者饭堂志愿者", "协助送餐，书写菜单"},
               {"100% 纯手工香包", "端午香包，限量_50_个"},
               {"Calligraphy class", "Chinese brush writing for beginners"},
               {"旧书义卖", ""}}) {
        tx.Exec("INSERT INTO t_search_items (title, body) VALUES ($1, $2)",
                {title, body.empty() ? db::Value() : db::Value(body)});
      }
      return true;
    });
  }
  void TearDown() override {
    if (store_) {
      store_->Close();
    }
  }

  // Titles matching `q`, best first.
  std::vector<std::string> Search(const std::string& q) {
    return db::ReadSync(*store_, [&](db::Tx& tx) {
      auto clause = BuildSearch(tx.dialect(), kSpec, "s", q, 1);
      EXPECT_TRUE(clause.ok()) << q;
      std::vector<std::string> titles;
      if (!clause.ok()) {
        return titles;
      }
      const std::string sql = "SELECT s.title FROM t_search_items s " + clause->join + " WHERE " + clause->where +
                              " ORDER BY " + clause->order_by;
      auto rows = tx.Query(sql, std::span<const db::Value>(clause->params));
      for (size_t i = 0; i < rows.size(); ++i) {
        titles.push_back(rows[i].Text(0));
      }
      return titles;
    });
  }
  std::set<std::string> Found(const std::string& q) {
    auto v = Search(q);
    return {v.begin(), v.end()};
  }

  TestDb db_;
  std::unique_ptr<db::Store> store_;
};

TEST_F(SearchTest, ThreeOrMoreCharactersUseTheTrigramIndex) {
  EXPECT_EQ(Found("剪纸义卖"), std::set<std::string>{"手工剪纸义卖"});
  EXPECT_EQ(Found("关爱基金"), std::set<std::string>{"手工剪纸义卖"});
  EXPECT_EQ(Found("书法入门"), std::set<std::string>{"书法班招生"});  // indexed before the DDL ran
  EXPECT_EQ(Found("calligraphy"), std::set<std::string>{"Calligraphy class"});  // ASCII case-insensitive
  EXPECT_TRUE(Found("不存在的词").empty());
}

TEST_F(SearchTest, TwoCharacterChineseWordsFallBackToLike) {
  EXPECT_EQ(Found("书法"), std::set<std::string>{"书法班招生"});
  EXPECT_EQ(Found("义卖"), (std::set<std::string>{"手工剪纸义卖", "旧书义卖"}));
  EXPECT_EQ(Found("书"), (std::set<std::string>{"书法班招生", "长者饭堂志愿者", "旧书义卖"}));
  EXPECT_EQ(Found("送餐"), std::set<std::string>{"长者饭堂志愿者"});
}

TEST_F(SearchTest, EveryTermMustMatchMixingShortAndLongTerms) {
  EXPECT_EQ(Found("义卖 剪纸"), std::set<std::string>{"手工剪纸义卖"});
  EXPECT_EQ(Found("义卖　关爱基金"), std::set<std::string>{"手工剪纸义卖"});  // ideographic space
  EXPECT_TRUE(Found("义卖 书法").empty());
}

TEST_F(SearchTest, LikeWildcardsInTheQueryAreLiteral) {
  EXPECT_EQ(Found("%"), std::set<std::string>{"100% 纯手工香包"});
  EXPECT_EQ(Found("_"), std::set<std::string>{"100% 纯手工香包"});
  EXPECT_EQ(Found("_50_"), std::set<std::string>{"100% 纯手工香包"});
  EXPECT_EQ(Found("100%"), std::set<std::string>{"100% 纯手工香包"});
  EXPECT_TRUE(Found("%%").empty());
  EXPECT_TRUE(Found("\\").empty());
  // FTS5 syntax in a term is matched as text, not run as a query.
  EXPECT_TRUE(Found("\"OR\" NEAR(a b)").empty());
  EXPECT_TRUE(Found("title:剪纸义卖").empty());
}

TEST_F(SearchTest, UpdatesAndDeletesKeepTheIndex) {
  db::WriteSync(*store_, [](db::Tx& tx) {
    tx.Exec("UPDATE t_search_items SET title = '剪纸作品展' WHERE title = '手工剪纸义卖'");
    tx.Exec("DELETE FROM t_search_items WHERE title = '旧书义卖'");
    return true;
  });
  EXPECT_TRUE(Found("剪纸义卖").empty());
  EXPECT_EQ(Found("剪纸作品"), std::set<std::string>{"剪纸作品展"});
  EXPECT_TRUE(Found("旧书义").empty());
}

TEST_F(SearchTest, BestMatchesComeFirst) {
  db::WriteSync(*store_, [](db::Tx& tx) {
    tx.Exec("INSERT INTO t_search_items (title, body) VALUES ('社区活动通知', "
            "'本月社区安排了很多活动：太极、合唱、象棋、书画、手工、讲座、义诊、理发，另有剪纸课一节，欢迎报名参加')");
    tx.Exec("INSERT INTO t_search_items (title, body) VALUES ('剪纸课', '')");
    return true;
  });
  const auto ranked = Search("剪纸课");
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0], "剪纸课");
}

TEST(SearchClauseTest, RefusesEmptyAndOverlongQueries) {
  auto empty = BuildSearch(db::Dialect::kSqlite, kSpec, "s", "  \t ", 1);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().key, "missing_field");
  EXPECT_EQ(empty.error().field, "q");
  auto long_q = BuildSearch(db::Dialect::kPostgres, kSpec, "s", std::string(101, 'a'), 1);
  ASSERT_FALSE(long_q.ok());
  EXPECT_EQ(long_q.error().key, "too_long");
  auto many = BuildSearch(db::Dialect::kSqlite, kSpec, "s", "a b c d e f g h i", 1, "keyword");
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().field, "keyword");
  EXPECT_EQ(EscapeLike("50%_\\x"), "50\\%\\_\\\\x");
}

TEST(SearchClauseTest, PlaceholdersStartWhereTheCallerSays) {
  auto c = BuildSearch(db::Dialect::kPostgres, kSpec, "i", "书法 剪纸课", 3);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(c->where.find("$3"), std::string::npos) << c->where;
  EXPECT_NE(c->where.find("$4"), std::string::npos) << c->where;
  EXPECT_NE(c->order_by.find("$5"), std::string::npos) << c->order_by;
  EXPECT_EQ(c->params.size(), 3u);
}

TEST(SearchClauseTest, TheFilterForCursorPagesOrdersNewestFirstWithoutRank) {
  for (const db::Dialect d : {db::Dialect::kSqlite, db::Dialect::kPostgres}) {
    auto c = BuildSearchFilter(d, kSpec, "i", "书法 剪纸课", 3);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->order_by, "i.id DESC");
    EXPECT_EQ(c->params.size(), 2u);  // one per term: no ranking parameter
    EXPECT_NE(c->where.find("$4"), std::string::npos) << c->where;
    auto ranked = BuildSearch(d, kSpec, "i", "书法 剪纸课", 3);
    ASSERT_TRUE(ranked.ok());
    EXPECT_EQ(c->where, ranked->where);
  }
}

}  // namespace
}  // namespace carecity::media
