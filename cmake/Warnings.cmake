# Warnings for our own targets (not for third-party headers, which are SYSTEM includes).
add_library(carecity_warnings INTERFACE)
target_compile_options(carecity_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wcast-align
  -Wunused -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  -Wno-missing-field-initializers)
