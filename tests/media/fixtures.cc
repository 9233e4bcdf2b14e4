#include "media/fixtures.h"

#include <sys/resource.h>
#include <vips/vips.h>
#include <zlib.h>

#include <stdexcept>
#include <vector>

#include "media/image.h"

namespace carecity::testing {
namespace {

VipsImage* Noise(int width, int height, int bands) {
  media::InitImages();
  VipsImage* noise = nullptr;
  VipsImage* cast = nullptr;
  VipsImage* joined = nullptr;
  if (vips_gaussnoise(&noise, width, height, "mean", 128.0, "sigma", 40.0, nullptr) != 0 ||
      vips_cast(noise, &cast, VIPS_FORMAT_UCHAR, nullptr) != 0) {
    throw std::runtime_error(vips_error_buffer());
  }
  g_object_unref(noise);
  if (bands == 1) {
    return cast;
  }
  VipsImage* parts[3] = {cast, cast, cast};
  if (vips_bandjoin(parts, &joined, 3, nullptr) != 0) {
    throw std::runtime_error(vips_error_buffer());
  }
  g_object_unref(cast);
  joined->Type = VIPS_INTERPRETATION_sRGB;
  return joined;
}

std::string Take(void* buf, size_t len) {
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  return out;
}

void Le16(std::string& s, uint16_t v) {
  s += static_cast<char>(v & 0xFF);
  s += static_cast<char>(v >> 8);
}
void Le32(std::string& s, uint32_t v) {
  Le16(s, static_cast<uint16_t>(v & 0xFFFF));
  Le16(s, static_cast<uint16_t>(v >> 16));
}
void Be32(std::string& s, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    s += static_cast<char>((v >> shift) & 0xFF);
  }
}
// One IFD entry: tag, type, count, value-or-offset.
void Entry(std::string& s, uint16_t tag, uint16_t type, uint32_t count, uint32_t value) {
  Le16(s, tag);
  Le16(s, type);
  Le32(s, count);
  Le32(s, value);
}

void Chunk(std::string& png, const char* type, const std::string& data) {
  Be32(png, static_cast<uint32_t>(data.size()));
  std::string body = std::string(type, 4) + data;
  png += body;
  Be32(png, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

}  // namespace

std::string TestJpeg(int width, int height, int quality) {
  VipsImage* img = Noise(width, height, 3);
  void* buf = nullptr;
  size_t len = 0;
  const int rc = vips_jpegsave_buffer(img, &buf, &len, "Q", quality, "strip", TRUE, nullptr);
  g_object_unref(img);
  if (rc != 0) {
    throw std::runtime_error(vips_error_buffer());
  }
  return Take(buf, len);
}

std::string TestPng(int width, int height) {
  VipsImage* img = Noise(width, height, 3);
  void* buf = nullptr;
  size_t len = 0;
  const int rc = vips_pngsave_buffer(img, &buf, &len, nullptr);
  g_object_unref(img);
  if (rc != 0) {
    throw std::runtime_error(vips_error_buffer());
  }
  return Take(buf, len);
}

std::string TestWebp(int width, int height) {
  VipsImage* img = Noise(width, height, 3);
  void* buf = nullptr;
  size_t len = 0;
  const int rc = vips_webpsave_buffer(img, &buf, &len, nullptr);
  g_object_unref(img);
  if (rc != 0) {
    throw std::runtime_error(vips_error_buffer());
  }
  return Take(buf, len);
}

std::string WithExifGps(const std::string& jpeg, int orientation) {
  // TIFF, little-endian: IFD0 (Orientation, GPS IFD pointer), then the GPS
  // IFD (GPSLatitudeRef "N", GPSLatitude 23/1 2/1 0/1).
  constexpr uint32_t kIfd0 = 8;
  constexpr uint32_t kGpsIfd = kIfd0 + 2 + 2 * 12 + 4;
  constexpr uint32_t kGpsData = kGpsIfd + 2 + 2 * 12 + 4;
  std::string tiff = "II";
  Le16(tiff, 42);
  Le32(tiff, kIfd0);
  Le16(tiff, 2);
  Entry(tiff, 0x0112, 3, 1, static_cast<uint32_t>(orientation));
  Entry(tiff, 0x8825, 4, 1, kGpsIfd);
  Le32(tiff, 0);
  Le16(tiff, 2);
  Entry(tiff, 0x0001, 2, 2, 'N');
  Entry(tiff, 0x0002, 5, 3, kGpsData);
  Le32(tiff, 0);
  for (uint32_t v : {23u, 1u, 2u, 1u, 0u, 1u}) {
    Le32(tiff, v);
  }
  const std::string payload = std::string("Exif\0\0", 6) + tiff;
  const size_t seg_len = payload.size() + 2;
  std::string app1 = "\xFF\xE1";
  app1 += static_cast<char>(seg_len >> 8);
  app1 += static_cast<char>(seg_len & 0xFF);
  app1 += payload;
  return jpeg.substr(0, 2) + app1 + jpeg.substr(2);
}

std::string PngBomb(int width, int height) {
  std::string png = "\x89PNG\r\n\x1A\n";
  std::string ihdr;
  Be32(ihdr, static_cast<uint32_t>(width));
  Be32(ihdr, static_cast<uint32_t>(height));
  ihdr += '\x01';  // bit depth 1
  ihdr += '\x00';  // greyscale
  ihdr += std::string(3, '\0');
  Chunk(png, "IHDR", ihdr);
  // Rows of zeros (filter byte + packed bits), deflated row by row.
  const std::vector<unsigned char> row(1 + (static_cast<size_t>(width) + 7) / 8, 0);
  z_stream z{};
  deflateInit(&z, 9);
  std::string idat;
  std::vector<unsigned char> out(64 * 1024);
  for (int y = 0; y < height; ++y) {
    z.next_in = const_cast<unsigned char*>(row.data());
    z.avail_in = static_cast<uInt>(row.size());
    const int flush = y + 1 == height ? Z_FINISH : Z_NO_FLUSH;
    do {
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      deflate(&z, flush);
      idat.append(reinterpret_cast<char*>(out.data()), out.size() - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  Chunk(png, "IDAT", idat);
  Chunk(png, "IEND", "");
  return png;
}

int64_t PeakRssBytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<int64_t>(u.ru_maxrss) * 1024;
}

}  // namespace carecity::testing
