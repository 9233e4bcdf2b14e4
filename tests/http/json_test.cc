#include "http/json.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace carecity::http {
namespace {

namespace json = boost::json;

json::object Obj(const char* text) { return json::parse(text).as_object(); }

TEST(JsonFieldsTest, ReadsValidFields) {
  auto o = Obj(R"({"name":"  博睿社工 ","n":5,"ok":true})");
  Fields f(o);
  auto name = f.String("name");
  auto n = f.Int("n", {.min = 1, .max = 10});
  auto ok = f.Bool("ok");
  ASSERT_TRUE(f.Finish().ok());
  EXPECT_EQ(*name, "博睿社工");  // trimmed
  EXPECT_EQ(*n, 5);
  EXPECT_TRUE(*ok);
}

TEST(JsonFieldsTest, UnknownFieldsAreRefusedByName) {
  auto o = Obj(R"({"name":"x","is_admin":true})");
  Fields f(o);
  (void)f.String("name");
  auto s = f.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().key, "unknown_field");
  EXPECT_EQ(s.error().field, "is_admin");
}

TEST(JsonFieldsTest, TheFirstProblemIsReported) {
  auto o = Obj(R"({"a":1,"b":"x"})");
  Fields f(o);
  (void)f.String("a");  // wrong type
  (void)f.Int("b");     // also wrong, reported second
  auto s = f.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().key, "invalid_type");
  EXPECT_EQ(s.error().field, "a");
}

TEST(JsonFieldsTest, MissingRequiredAndNullAreTheSame) {
  auto o = Obj(R"({"a":null})");
  Fields f(o);
  (void)f.String("a");
  auto s = f.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().key, "missing_field");
  EXPECT_EQ(s.error().field, "a");
}

TEST(JsonFieldsTest, LengthsCountCharactersNotBytes) {
  auto o = Obj(R"({"a":"关爱桂城"})");
  Fields ok(o);
  (void)ok.String("a", {.max = 4});
  EXPECT_TRUE(ok.Finish().ok());
  Fields too_long(o);
  (void)too_long.String("a", {.max = 3});
  EXPECT_EQ(too_long.Finish().error().key, "too_long");
}

TEST(JsonFieldsTest, ControlCharactersAreRefused) {
  auto o = Obj(R"({"a":"x\u0000y"})");
  Fields f(o);
  (void)f.String("a");
  EXPECT_EQ(f.Finish().error().key, "invalid_characters");
}

TEST(JsonFieldsTest, IntegersOnlyNoFractionsOrOverflow) {
  for (const char* text : {R"({"n":1.5})", R"({"n":"5"})", R"({"n":18446744073709551615})"}) {
    auto o = Obj(text);
    Fields f(o);
    (void)f.Int("n");
    EXPECT_EQ(f.Finish().error().key, "invalid_type") << text;
  }
  auto o = Obj(R"({"n":11})");
  Fields f(o);
  (void)f.Int("n", {.max = 10});
  EXPECT_EQ(f.Finish().error().key, "out_of_range");
}

TEST(JsonParseTest, BodiesMustBeOneObjectOfValidUtf8) {
  EXPECT_TRUE(ParseJsonObject("{}").ok());
  EXPECT_TRUE(ParseJsonObject("").ok());  // empty body = empty object
  EXPECT_EQ(ParseJsonObject("[1,2]").error().key, "invalid_json");
  EXPECT_EQ(ParseJsonObject("{\"a\":").error().key, "invalid_json");
  EXPECT_EQ(ParseJsonObject("{} {}").error().key, "invalid_json");
  EXPECT_EQ(ParseJsonObject("{\"a\":\"\xff\"}").error().key, "invalid_utf8");
}

TEST(ErrorResponseTest, CarriesCodeLocalisedMessageAndField) {
  const Error e = Error::Invalid("invalid_phone", "phone");
  Response zh = ErrorResponse(e, Lang::kZh);
  EXPECT_EQ(zh.status, 400);
  auto v = json::parse(zh.body);
  EXPECT_EQ(v.at("error").at("code").as_string(), "invalid_phone");
  EXPECT_EQ(v.at("error").at("field").as_string(), "phone");
  EXPECT_NE(std::string(v.at("error").at("message").as_string()).find("手机号"), std::string::npos);
  Response en = ErrorResponse(e, Lang::kEn);
  EXPECT_NE(en.body.find("mobile number"), std::string::npos);
}

TEST(ErrorResponseTest, StatusesFollowTheTable) {
  EXPECT_EQ(StatusFor(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(StatusFor(ErrorCode::kForbidden), 403);
  EXPECT_EQ(StatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(StatusFor(ErrorCode::kConflict), 409);
  EXPECT_EQ(StatusFor(ErrorCode::kBusy), 409);
  EXPECT_EQ(StatusFor(ErrorCode::kTooLarge), 413);
  EXPECT_EQ(StatusFor(ErrorCode::kUnsupportedMedia), 415);
  EXPECT_EQ(StatusFor(ErrorCode::kUnprocessable), 422);
  EXPECT_EQ(StatusFor(ErrorCode::kRateLimited), 429);
  Response r = ErrorResponse(Error::RateLimited(42), Lang::kZh);
  EXPECT_EQ(r.Header("Retry-After"), "42");
  EXPECT_EQ(ErrorResponse(Error::Busy(), Lang::kZh).Header("Retry-After"), "1");
}

}  // namespace
}  // namespace carecity::http
