// The ordered photo list a domain stores beside its row (media::EncodePhotos).
#include <gtest/gtest.h>

#include "media/model.h"

namespace carecity::media {
namespace {

TEST(PhotoListTest, EncodesAndDecodesIdsAndSizesInOrder) {
  std::vector<Image> photos(2);
  photos[0].public_id = "K3J5ABCDEFGHJKMNPQRS";
  photos[0].width = 1600;
  photos[0].height = 900;
  photos[1].public_id = "M7ABCDEFGHJKMNPQRSTV";
  photos[1].width = 30;
  photos[1].height = 40;
  const std::string text = EncodePhotos(photos);
  EXPECT_EQ(text, "K3J5ABCDEFGHJKMNPQRS:1600:900 M7ABCDEFGHJKMNPQRSTV:30:40");
  const auto back = DecodePhotos(text);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].public_id, "M7ABCDEFGHJKMNPQRSTV");
  EXPECT_EQ(back[1].width, 30);
  EXPECT_EQ(back[1].height, 40);
  EXPECT_EQ(EncodePhotos({}), "");
  EXPECT_TRUE(DecodePhotos("").empty());
}

TEST(PhotoListTest, DecodingSkipsMalformedEntries) {
  const auto photos = DecodePhotos("A:1:2 broken B:x:3 C:4 D:5:6");
  ASSERT_EQ(photos.size(), 2u);
  EXPECT_EQ(photos[0].public_id, "A");
  EXPECT_EQ(photos[1].public_id, "D");
  EXPECT_EQ(photos[1].height, 6);
}

}  // namespace
}  // namespace carecity::media
