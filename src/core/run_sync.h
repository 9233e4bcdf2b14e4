// Runs a coroutine to completion on the calling thread, for the places that
// are not themselves coroutines: the command line and the maintenance
// thread. Not for I/O threads: it blocks.
//
//   Result<int64_t> n = RunSync(payments.Reconcile(0, 0));
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <utility>

namespace carecity {

template <class T>
T RunSync(boost::asio::awaitable<T> task) {
  boost::asio::io_context ctx;
  // Work the coroutine waits for (a store job) is not counted by the
  // io_context, so keep run() going until the coroutine itself is done.
  auto guard = boost::asio::make_work_guard(ctx);
  std::optional<T> out;
  std::exception_ptr error;
  // Through a void coroutine: co_spawn would want T default-constructible.
  auto run = [&]() -> boost::asio::awaitable<void> { out.emplace(co_await std::move(task)); };
  boost::asio::co_spawn(ctx, run(), [&](std::exception_ptr e) {
    error = e;
    guard.reset();
  });
  ctx.run();
  if (error) {
    std::rethrow_exception(error);
  }
  return std::move(*out);
}

}  // namespace carecity
