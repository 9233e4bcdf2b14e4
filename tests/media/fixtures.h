// Test images made on the spot (libvips and zlib), so no binary fixtures
// live in the repository.
#pragma once

#include <cstdint>
#include <string>

namespace carecity::testing {

// A noisy w × h sRGB JPEG (quality `q`), no metadata.
std::string TestJpeg(int width, int height, int quality = 85);
std::string TestPng(int width, int height);
std::string TestWebp(int width, int height);
// `jpeg` with an EXIF APP1 segment: Orientation `orientation` and a GPS
// position (N 23°2').
std::string WithExifGps(const std::string& jpeg, int orientation);
// A valid PNG header claiming width × height (1-bit grey) whose all-zero
// pixels deflate to a small file: a decompression bomb.
std::string PngBomb(int width, int height);
// Peak resident memory of this process so far, in bytes.
int64_t PeakRssBytes();

}  // namespace carecity::testing
