// Image uploads end to end: who may upload, what is refused (and how early),
// what is stored and how variants are served; and deletion and use by
// another domain decided by the database.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>

#include "core/run_sync.h"
#include "db/store.h"
#include "media/fixtures.h"
#include "media/image.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;

constexpr const char* kUpload = "/api/v1/media/images";

std::map<std::string, std::string> As(const std::string& type) { return {{"Content-Type", type}}; }

class MediaApiTest : public ::testing::Test {
 protected:
  explicit MediaApiTest(Config config = TestConfig()) : server_(config) {}

  Client Staff() { return UserWith(server_, NextPhone(), {RoleGrant{Role::kFundAdmin}}); }

  // Uploads and returns the 201's "image" object (fails the test otherwise).
  json::object Upload(Client& c, const std::string& bytes, const std::string& type) {
    auto r = c.Send("POST", kUpload, bytes, As(type));
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) {
      return {};
    }
    return r.json.at("image").as_object();
  }

  TestServer server_;
};

TEST_F(MediaApiTest, AnonymousUploadIsRefusedWith401) {
  Client anon(server_);
  auto r = anon.Send("POST", kUpload, TestJpeg(32, 32), As("image/jpeg"));
  EXPECT_EQ(r.status, 401) << r.body;
}

TEST_F(MediaApiTest, ResidentsCannotUpload) {
  Client resident(server_);
  resident.Register(NextPhone());
  auto r = resident.Send("POST", kUpload, TestJpeg(32, 32), As("image/jpeg"));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.error_code(), "media_upload_forbidden");
}

TEST_F(MediaApiTest, AnythingButJpegPngOrWebpBytesIsRefusedNamingTheImage) {
  Client staff = Staff();
  for (const std::string& bytes : {std::string("GIF89a\x01\x00\x01\x00", 10), std::string("<svg onload=alert(1)>"),
                                   std::string("%PDF-1.4 hello"), std::string("just text")}) {
    auto r = staff.Send("POST", kUpload, bytes, As("image/png"));  // the header lies; the bytes decide
    EXPECT_EQ(r.status, 415) << r.body;
    EXPECT_EQ(r.error_code(), "image_type_unsupported");
    EXPECT_EQ(r.error_field(), "image");
  }
  auto empty = staff.Send("POST", kUpload, "", As("image/jpeg"));
  EXPECT_EQ(empty.status, 400) << empty.body;
  EXPECT_EQ(empty.error_code(), "image_empty");
  // A content type that is not an image type: refused before the bytes.
  auto as_json = staff.PostRaw(kUpload, TestJpeg(16, 16));
  EXPECT_EQ(as_json.status, 415) << as_json.body;
  EXPECT_EQ(as_json.error_code(), "image_content_type");
  auto as_text = staff.Send("POST", kUpload, TestJpeg(16, 16), As("text/plain"));
  EXPECT_EQ(as_text.status, 415) << as_text.body;
}

TEST_F(MediaApiTest, DamagedImagesAreRefused) {
  Client staff = Staff();
  const std::string jpeg = TestJpeg(300, 200);
  auto r = staff.Send("POST", kUpload, jpeg.substr(0, jpeg.size() / 2), As("image/jpeg"));
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.error_code(), "image_corrupt");
  EXPECT_EQ(r.error_field(), "image");
}

TEST_F(MediaApiTest, DecompressionBombsAreRefusedFromTheHeaderWithoutDecoding) {
  Client staff = Staff();
  // 20000 × 20000 (a side over the limit) and 10000 × 10000 (sides within,
  // 100 megapixels over): each decodes to hundreds of MB from ~50 KB.
  for (const auto& [w, h] : {std::pair{20000, 20000}, std::pair{10000, 10000}}) {
    const std::string bomb = PngBomb(w, h);
    ASSERT_LT(bomb.size(), 200u * 1024) << "the bomb should be small";
    const int64_t rss_before = PeakRssBytes();
    const auto start = std::chrono::steady_clock::now();
    auto r = staff.Send("POST", kUpload, bomb, As("image/png"));
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.error_code(), "image_dimensions_too_large");
    EXPECT_EQ(r.error_field(), "image");
    EXPECT_LT(PeakRssBytes() - rss_before, 64 * 1024 * 1024) << "pixels were decoded";
    EXPECT_LT(took, std::chrono::seconds(2));
  }
}

TEST_F(MediaApiTest, ExifOrientationIsAppliedAndAllMetadataStripped) {
  Client staff = Staff();
  const std::string photo = WithExifGps(TestJpeg(2000, 1000), 6);  // "rotate 90° clockwise to view"
  auto header = media::ReadImageHeader(photo);
  ASSERT_TRUE(header.has_value());
  ASSERT_TRUE(header->has_exif) << "the fixture should carry EXIF";
  auto image = Upload(staff, photo, "image/jpeg");
  ASSERT_FALSE(image.empty());
  EXPECT_EQ(image.at("width").as_int64(), 1000);  // upright
  EXPECT_EQ(image.at("height").as_int64(), 2000);
  const std::string id(image.at("id").as_string());
  EXPECT_EQ(image.at("url").as_string(), "/media/images/" + id + "/full.webp");
  EXPECT_EQ(image.at("thumb_url").as_string(), "/media/images/" + id + "/thumb.webp");

  Client anyone(server_);
  for (const auto& [variant, long_side] : {std::pair{"full", 1600}, std::pair{"thumb", 400}}) {
    auto r = anyone.Get("/media/images/" + id + "/" + variant + ".webp");
    ASSERT_EQ(r.status, 200) << variant;
    auto out = media::ReadImageHeader(r.body);
    ASSERT_TRUE(out.has_value()) << variant;
    EXPECT_EQ(out->height, long_side) << variant;
    EXPECT_EQ(out->width, long_side / 2) << variant;
    EXPECT_FALSE(out->has_exif) << variant;
    EXPECT_FALSE(out->has_xmp) << variant;
    EXPECT_EQ(r.body.find("EXIF"), std::string::npos) << variant;
    EXPECT_EQ(r.body.find("Exif"), std::string::npos) << variant;
  }
}

TEST_F(MediaApiTest, VariantsAreServedImmutableWithAnEtag) {
  Client staff = Staff();
  auto image = Upload(staff, TestPng(300, 200), "image/png");
  ASSERT_FALSE(image.empty());
  EXPECT_EQ(image.at("width").as_int64(), 300);
  Client anyone(server_);
  const std::string url(image.at("thumb_url").as_string());
  auto r = anyone.Get(url);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "image/webp");
  EXPECT_EQ(r.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  const std::string etag = r.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(r.body.substr(0, 4), "RIFF");
  auto again = anyone.Get(url, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  // Small images are never scaled up.
  auto full = media::ReadImageHeader(anyone.Get(std::string(image.at("url").as_string())).body);
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->width, 300);

  const std::string id(image.at("id").as_string());
  EXPECT_EQ(anyone.Get("/media/images/" + id + "/orig.webp").status, 404);
  EXPECT_EQ(anyone.Get("/media/images/" + id + "/full.png").status, 404);
  EXPECT_EQ(anyone.Get("/media/images/aaaaaaaaaaaaaaaaaaaa/full.webp").status, 404);
  EXPECT_EQ(anyone.Get("/media/images/1/full.webp").status, 404);
}

TEST_F(MediaApiTest, WebpUploadsAndBodiesOverTheServerDefaultWork) {
  Client staff = Staff();
  auto webp = Upload(staff, TestWebp(120, 90), "image/webp");
  EXPECT_EQ(webp.at("width").as_int64(), 120);
  // The server's own body limit is 1 MiB; the upload route allows 8 MiB.
  const std::string big = TestJpeg(1600, 1600, 100);
  ASSERT_GT(big.size(), static_cast<size_t>(server_.app().config().max_body_bytes));
  auto image = Upload(staff, big, "image/jpeg");
  EXPECT_EQ(image.at("width").as_int64(), 1600);
  // Still 1 MiB for every other route.
  auto other = staff.PostRaw("/api/v1/auth/login", std::string(2 * 1024 * 1024, ' '));
  EXPECT_EQ(other.status, 413);
}

TEST_F(MediaApiTest, OnlyTheOwnerDeletesAndOnlyWhileUnused) {
  Client owner = Staff();
  Client other = Staff();
  auto image = Upload(owner, TestJpeg(64, 64), "image/jpeg");
  const std::string id(image.at("id").as_string());
  const std::string path = std::string(kUpload) + "/" + id;
  EXPECT_EQ(other.Delete(path).status, 404);
  Client anon(server_);
  EXPECT_EQ(anon.Delete(path).status, 401);

  // A domain takes it into use, in its own transaction.
  const int64_t owner_id = Count(server_, "SELECT owner_id FROM media_images WHERE public_id = '" + id + "'");
  auto& media = server_.app().media();
  auto attached = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return media.AttachInTx(tx, owner_id, id, "shop_item:1", "image_id");
  });
  ASSERT_TRUE(attached.ok());
  auto twice = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return media.AttachInTx(tx, owner_id, id, "shop_item:2", "image_id");
  });
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().key, "image_in_use");
  EXPECT_EQ(twice.error().field, "image_id");
  auto not_theirs = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return media.AttachInTx(tx, owner_id + 1000, id, "shop_item:3", "image_id");
  });
  ASSERT_FALSE(not_theirs.ok());
  EXPECT_EQ(not_theirs.error().key, "image_not_found");

  auto in_use = owner.Delete(path);
  EXPECT_EQ(in_use.status, 409) << in_use.body;
  EXPECT_EQ(in_use.error_code(), "image_in_use");

  ASSERT_TRUE(db::WriteSync(server_.app().store(),
                            [&](db::Tx& tx) { return media.DetachInTx(tx, id, "shop_item:1"); }));
  EXPECT_EQ(owner.Delete(path).status, 204);
  EXPECT_EQ(owner.Get("/media/images/" + id + "/full.webp").status, 404);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM media_variants"), 0);
  EXPECT_EQ(owner.Delete(path).status, 404);
}

TEST_F(MediaApiTest, AttachAndDeleteRacingDecideOnce) {
  // Two servers on PostgreSQL (one on SQLite): the owner deletes while a
  // domain attaches; either the image is gone and the attach failed, or it
  // is attached and the delete answered 409. Never both, never neither.
  auto second = SecondApp(server_);
  Client owner = Staff();
  const int64_t owner_id = Count(server_, "SELECT MAX(id) FROM users");
  for (int round = 0; round < 6; ++round) {
    auto image = Upload(owner, TestJpeg(32, 32), "image/jpeg");
    const std::string id(image.at("id").as_string());
    std::atomic<int> attached{0};
    std::atomic<int> deleted{0};
    auto& attacher = second ? second->media() : server_.app().media();
    auto& store = second ? second->store() : server_.app().store();
    std::thread a([&] {
      auto r = db::WriteSync(store, [&](db::Tx& tx) { return attacher.AttachInTx(tx, owner_id, id, "t:1", "id"); });
      attached += r.ok() ? 1 : 0;
    });
    std::thread d([&] { deleted += owner.Delete(std::string(kUpload) + "/" + id).status == 204 ? 1 : 0; });
    a.join();
    d.join();
    EXPECT_EQ(attached + deleted, 1) << "round " << round;
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM media_images WHERE public_id = '" + id + "'"), attached.load());
  }
  second.reset();
}

class MediaLimitsTest : public MediaApiTest {
 protected:
  static Config Small() {
    Config c = TestConfig();
    c.media.max_upload_bytes = 64 * 1024;
    c.rate_limits.media_upload_per_account = RateLimit{3, 3600};
    return c;
  }
  MediaLimitsTest() : MediaApiTest(Small()) {}
};

TEST_F(MediaLimitsTest, BodiesOverTheUploadLimitAnswer413) {
  Client staff = Staff();
  std::string huge = TestJpeg(16, 16);
  huge.resize(64 * 1024 + 1, '\0');
  auto r = staff.Send("POST", kUpload, huge, As("image/jpeg"));
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(r.error_code(), "body_too_large");
}

TEST_F(MediaLimitsTest, UploadsAreRateLimitedPerUser) {
  Client staff = Staff();
  Client colleague = Staff();
  const std::string jpeg = TestJpeg(16, 16);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(staff.Send("POST", kUpload, jpeg, As("image/jpeg")).status, 201);
  }
  // The limit counts attempts, refused ones too, before any decoding.
  auto limited = staff.Send("POST", kUpload, "not an image", As("image/jpeg"));
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_FALSE(limited.header("retry-after").empty());
  EXPECT_EQ(colleague.Send("POST", kUpload, jpeg, As("image/jpeg")).status, 201);
}

}  // namespace
}  // namespace carecity::testing
