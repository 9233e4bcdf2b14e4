# Warnings for our own targets (not for third-party headers, which are SYSTEM includes).
add_library(carecity_warnings INTERFACE)
target_compile_options(carecity_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wcast-align
  -Wunused -Woverloaded-virtual -Wimplicit-fallthrough
  -Wno-missing-field-initializers
  # g++ 12 false positives inside libstdc++ and Asio once inlined at -O2
  # (std::string memcpy bounds, Asio's aligned frame allocator).
  -Wno-array-bounds -Wno-stringop-overflow -Wno-mismatched-new-delete)
