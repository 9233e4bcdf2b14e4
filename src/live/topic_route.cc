#include "live/topic_route.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "http/json.h"
#include "http/websocket.h"

namespace carecity::live {
namespace {

namespace asio = boost::asio;

// One watcher: its socket (once open) and the payload heard while a snapshot
// was being read, sent after that snapshot.
class Watch {
 public:
  // From the hub's thread. The socket is only touched under the lock and
  // never copied out: a copy could outlive Detach and make this thread the
  // last owner, destroying the stream away from its io thread.
  void OnEvent(const Event& e) {
    std::lock_guard lock(mu_);
    if (e.kind == Event::Kind::kResync) {
      resync_ = true;
      if (ws_) {
        ws_->Wake();  // only posts to the socket's executor
      }
      return;
    }
    if (fetching_ || !ws_) {
      pending_ = std::string(e.payload);
      return;
    }
    ws_->Send(std::string(e.payload));
  }

  void BeginFetch() {
    std::lock_guard lock(mu_);
    fetching_ = true;
  }

  // Sends `snapshot`, then what was published meanwhile.
  void EndFetch(const std::shared_ptr<http::WebSocket>& ws, std::string snapshot) {
    std::lock_guard lock(mu_);
    ws_ = ws;
    ws_->Send(std::move(snapshot));
    if (pending_) {
      ws_->Send(std::move(*pending_));
      pending_.reset();
    }
    fetching_ = false;
  }

  bool TakeResync() { return resync_.exchange(false); }

  void Detach() {
    std::lock_guard lock(mu_);
    ws_.reset();
  }

  std::unique_ptr<Subscription> subscription;

 private:
  std::atomic<bool> resync_{false};
  std::mutex mu_;
  std::shared_ptr<http::WebSocket> ws_;  // GUARDED_BY(mu_)
  bool fetching_ = true;                 // GUARDED_BY(mu_)
  std::optional<std::string> pending_;   // GUARDED_BY(mu_)
};

asio::awaitable<void> Serve(std::shared_ptr<Watch> watch, std::string first, std::string id, http::Request req,
                            SnapshotFn snapshot, std::shared_ptr<http::WebSocket> ws) {
  // Detaches however the coroutine ends, also when its frame is destroyed
  // with the io_context: the watch may die last on the hub's thread, and
  // must not take the socket with it there.
  struct DetachOnExit {
    Watch& w;
    ~DetachOnExit() { w.Detach(); }
  } detach{*watch};
  watch->EndFetch(ws, std::move(first));
  ws->Wake();  // a resync heard before the socket opened
  while (co_await ws->Wait()) {
    if (!watch->TakeResync()) {
      continue;
    }
    watch->BeginFetch();
    Result<std::string> fresh = co_await snapshot(id, req);
    if (!fresh.ok()) {
      ws->Close();
      break;
    }
    watch->EndFetch(ws, std::move(*fresh));
  }
}

}  // namespace

void AddTopicRoute(http::Router& router, Hub& hub, std::string pattern, TopicOf topic_of, SnapshotFn snapshot) {
  router.AddWebSocket(
      std::move(pattern),
      [&hub, topic_of = std::move(topic_of),
       snapshot = std::move(snapshot)](http::Request& req) -> asio::awaitable<http::WebSocketUpgrade> {
        http::WebSocketUpgrade out;
        std::string id = req.path_params.empty() ? std::string() : req.path_params.front().second;
        // Subscribed before the snapshot is read: nothing published after
        // the read began is missed.
        auto watch = std::make_shared<Watch>();
        std::weak_ptr<Watch> weak = watch;
        watch->subscription = hub.Subscribe(topic_of(id), [weak](const Event& e) {
          if (auto w = weak.lock()) {
            w->OnEvent(e);
          }
        });
        Result<std::string> first = co_await snapshot(id, req);
        if (!first.ok()) {
          out.refuse = http::ErrorResponse(first.error(), req.lang);
          co_return out;
        }
        out.run = [watch, first = std::move(*first), id, req, snapshot](std::shared_ptr<http::WebSocket> ws) {
          return Serve(watch, first, id, req, snapshot, std::move(ws));
        };
        co_return out;
      });
}

}  // namespace carecity::live
