#pragma once
// An owning pointer to a libvips image: the media library's image code
// (uploads, posters) holds every VipsImage in one, so no path leaks a
// reference. Internal to src/media.

#include <vips/vips.h>

#include <memory>

namespace carecity::media {

struct VipsUnref {
  void operator()(VipsImage* image) const {
    if (image != nullptr) {
      g_object_unref(image);
    }
  }
};
using ImagePtr = std::unique_ptr<VipsImage, VipsUnref>;

}  // namespace carecity::media
