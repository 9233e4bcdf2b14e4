# Every dependency comes from Debian 12 packages (`make deps` installs them).
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json url system)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(PkgConfig REQUIRED)
# RSA, AES-GCM and (later) TLS for the payment and message providers.
find_package(OpenSSL 3 REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
# Images and Markdown (src/media): libvips, cmark-gfm. Debian ships no .pc
# file for the GFM extensions library, so it is found by name.
pkg_check_modules(VIPS REQUIRED IMPORTED_TARGET vips)
pkg_check_modules(CMARK_GFM REQUIRED IMPORTED_TARGET libcmark-gfm)
find_library(CMARK_GFM_EXTENSIONS_LIBRARY NAMES cmark-gfm-extensions REQUIRED)

# Asio and Beast are compiled once (src/http/asio_impl.cc), not in every file.
add_library(carecity_boost INTERFACE)
target_link_libraries(carecity_boost INTERFACE Boost::headers Boost::json Boost::url Boost::system Threads::Threads)
target_compile_definitions(carecity_boost INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
