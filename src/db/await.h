// Bridges from handler coroutines to work that must not run on an I/O
// thread: database jobs (Store) and CPU-heavy work (password hashing).
//
//   Result<User> u = co_await db::ReadTx(store, [&](Tx& tx) { return repo.Find(tx, id); });
//
// The function runs on a store (or pool) thread; the coroutine resumes on its
// own executor with the function's Result. Captured references must outlive
// the co_await, which they do when they point into the coroutine frame.
// Exceptions thrown by the function are rethrown at the co_await.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>

#include "core/result.h"
#include "db/store.h"

namespace carecity::db {

namespace detail {

template <class R, class Handler>
struct Pending {
  Handler handler;
  std::optional<R> result;

  // Stand-in value when the work threw (the exception is what is delivered).
  static R Fallback() {
    if constexpr (std::is_constructible_v<R, Error>) {
      return R(Error::Internal("no result"));
    } else {
      return R{};
    }
  }

  // Resumes the coroutine on its own executor. Touches nothing captured by
  // the initiation: by now the awaiting frame may already be running.
  static void Complete(std::shared_ptr<Pending> self, std::exception_ptr e) {
    auto ex = boost::asio::get_associated_executor(self->handler);
    boost::asio::post(ex, [self = std::move(self), e]() mutable {
      R r = self->result ? std::move(*self->result) : Fallback();
      std::move(self->handler)(e, std::move(r));
    });
  }
};

template <class F>
auto SubmitTx(Store& store, bool write, F fn)
    -> boost::asio::awaitable<std::invoke_result_t<F&, Tx&>> {
  using R = std::invoke_result_t<F&, Tx&>;
  return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(std::exception_ptr, R)>(
      [&store, write, fn = std::move(fn)](auto handler) mutable {
        using P = Pending<R, decltype(handler)>;
        auto pending = std::make_shared<P>(P{std::move(handler), std::nullopt});
        Job job{[pending, f = std::move(fn)](Tx& tx) mutable {
                      pending->result.emplace(f(tx));
                      return detail::Keep(*pending->result);
                    },
                    [pending](std::exception_ptr e) { P::Complete(pending, e); }};
        Store& s = store;  // copy out before submitting; see Complete()
        const bool queued = write ? s.SubmitWrite(std::move(job)) : s.SubmitRead(std::move(job));
        if (!queued) {
          pending->result.emplace(StoreOverloaded());
          P::Complete(pending, nullptr);
        }
      },
      boost::asio::use_awaitable);
}

}  // namespace detail

// Runs `fn(tx)` in a read-only transaction. `fn` returns a Result<T>.
template <class F>
auto ReadTx(Store& store, F fn) {
  return detail::SubmitTx(store, false, std::move(fn));
}

// Runs `fn(tx)` as a write job; an error Result rolls back its changes.
template <class F>
auto WriteTx(Store& store, F fn) {
  return detail::SubmitTx(store, true, std::move(fn));
}

// Runs `fn()` on `pool` (CPU-bound work such as argon2id hashing).
template <class F>
auto OnPool(boost::asio::thread_pool& pool, F fn) -> boost::asio::awaitable<std::invoke_result_t<F&>> {
  using R = std::invoke_result_t<F&>;
  return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(std::exception_ptr, R)>(
      [&pool, fn = std::move(fn)](auto handler) mutable {
        using P = detail::Pending<R, decltype(handler)>;
        auto pending = std::make_shared<P>(P{std::move(handler), std::nullopt});
        boost::asio::post(pool, [pending, f = std::move(fn)]() mutable {
          std::exception_ptr e;
          try {
            pending->result.emplace(f());
          } catch (...) {
            e = std::current_exception();
          }
          P::Complete(pending, e);
        });
      },
      boost::asio::use_awaitable);
}

}  // namespace carecity::db
