# CARECITY_SANITIZE=address,undefined builds everything with those sanitizers.
# Asio recycles coroutine frames and small blocks, which hides use-after-free
# from ASan; switch the recycling off in sanitizer builds (see TOOLING.md).
set(CARECITY_SANITIZE "" CACHE STRING "Comma-separated sanitizers, e.g. address,undefined")
if(CARECITY_SANITIZE)
  add_compile_options(-fsanitize=${CARECITY_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${CARECITY_SANITIZE})
  add_compile_definitions(BOOST_ASIO_DISABLE_AWAITABLE_FRAME_RECYCLING
                          BOOST_ASIO_DISABLE_SMALL_BLOCK_RECYCLING)
endif()
