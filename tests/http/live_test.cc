// The live channel end to end: WebSocket upgrades on a test-only topic route
// (registered here, never in the product), the hub on the test backend
// (in process on SQLite; LISTEN/NOTIFY on PostgreSQL, with two servers on one
// database), the send queue's coalescing, and closing on stop.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "db/store.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "live/hub.h"
#include "live/topic_route.h"
#include "support/test_db.h"
#include "support/test_server.h"
#include "support/ws_client.h"

namespace carecity::testing {
namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;

http::ServerOptions LiveOptions() {
  http::ServerOptions o;
  o.listen = "127.0.0.1:0";
  o.threads = 2;
  o.access_log = "off";
  o.shutdown_grace_s = 5;
  return o;
}

// A server with one test topic route, "/ws/test/{id}" on topic "test.<id>",
// whose snapshot is the state the test set for that id ("missing" is
// unknown: 404).
class LiveServer {
 public:
  LiveServer(const std::string& db_url, http::ServerOptions options = LiveOptions()) {
    auto hub = live::OpenHub(db_url);
    if (!hub.ok()) {
      throw std::runtime_error(hub.error().detail);
    }
    hub_ = std::move(hub).value();
    live::AddTopicRoute(
        router_, *hub_, "/ws/test/{id}", [](std::string_view id) { return "test." + std::string(id); },
        [this](std::string id, const http::Request&) -> awaitable<Result<std::string>> {
          if (id == "missing") {
            co_return Error::NotFound();
          }
          ++snapshots_;
          co_return State(id);
        });
    server_ = std::make_unique<http::Server>(options, router_, metrics_, nullptr);
    const std::string url = server_->Listen();
    port_ = std::stoi(url.substr(url.rfind(':') + 1));
    thread_ = std::thread([this] { server_->Run(false); });
  }
  ~LiveServer() { Stop(); }

  void Stop() {
    if (thread_.joinable()) {
      server_->Stop();
      thread_.join();
    }
  }
  // What a domain does: change the state, then publish it after the commit.
  void Change(const std::string& id, const std::string& state) {
    SetState(id, state);
    hub_->Publish("test." + id, state);
  }
  void SetState(const std::string& id, const std::string& state) {
    std::lock_guard lock(mu_);
    states_[id] = state;
  }
  std::string State(const std::string& id) {
    std::lock_guard lock(mu_);
    auto it = states_.find(id);
    return it == states_.end() ? "initial " + id : it->second;
  }

  int port() const { return port_; }
  live::Hub& hub() { return *hub_; }
  http::Metrics& metrics() { return metrics_; }
  int snapshots() const { return snapshots_.load(); }

 private:
  std::unique_ptr<live::Hub> hub_;
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> snapshots_{0};
  std::mutex mu_;
  std::map<std::string, std::string> states_;  // GUARDED_BY(mu_)
};

// The upgrade headers a browser sends, for requests the server must refuse.
std::map<std::string, std::string> UpgradeHeaders(const std::string& origin = "") {
  std::map<std::string, std::string> h{{"Connection", "Upgrade"},
                                       {"Upgrade", "websocket"},
                                       {"Sec-WebSocket-Version", "13"},
                                       {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
  if (!origin.empty()) {
    h["Origin"] = origin;
  }
  return h;
}

bool Eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 5s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (cond()) {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return cond();
}

class LiveTest : public ::testing::Test {
 protected:
  TestDb db_;
};

TEST_F(LiveTest, WatcherGetsTheSnapshotThenEveryPublishedState) {
  LiveServer s(db_.url());
  s.SetState("lot1", "price=100");
  WsClient watcher(s.port(), "/ws/test/lot1");
  EXPECT_EQ(watcher.Next(), "price=100");
  s.Change("lot1", "price=110");
  EXPECT_EQ(watcher.Next(), "price=110");
  s.Change("lot2", "price=999");  // another topic
  s.Change("lot1", "price=120");
  EXPECT_EQ(watcher.Next(), "price=120");
  EXPECT_EQ(watcher.Next(200ms), std::nullopt);
}

TEST_F(LiveTest, EveryWatcherOfATopicGetsEachState) {
  LiveServer s(db_.url());
  std::vector<std::unique_ptr<WsClient>> watchers;
  for (int i = 0; i < 5; ++i) {
    watchers.push_back(std::make_unique<WsClient>(s.port(), "/ws/test/lot1"));
    EXPECT_EQ(watchers.back()->Next(), "initial lot1");
  }
  s.Change("lot1", "price=200");
  for (auto& w : watchers) {
    EXPECT_EQ(w->Next(), "price=200");
  }
}

TEST_F(LiveTest, UnknownIdIsAPlainJson404BeforeTheUpgrade) {
  LiveServer s(db_.url());
  Client c(s.port());
  auto r = c.Get("/ws/test/missing", UpgradeHeaders());
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.error_code(), "not_found");
  EXPECT_THROW(WsClient(s.port(), "/ws/test/missing"), std::runtime_error);
  EXPECT_EQ(s.hub().subscribers(), 0u);  // the refused watcher's subscription is gone
}

TEST_F(LiveTest, ForeignOriginIsRefusedAndOwnOriginAccepted) {
  LiveServer s(db_.url());
  Client c(s.port());
  auto r = c.Get("/ws/test/lot1", UpgradeHeaders("https://evil.example"));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.error_code(), "origin_mismatch");
  WsClient own(s.port(), "/ws/test/lot1", {{"Origin", "http://127.0.0.1:" + std::to_string(s.port())}});
  EXPECT_EQ(own.Next(), "initial lot1");
}

TEST_F(LiveTest, PlainGetOnAWebSocketRouteIs426) {
  LiveServer s(db_.url());
  Client c(s.port());
  auto r = c.Get("/ws/test/lot1");
  EXPECT_EQ(r.status, 426) << r.body;
  EXPECT_EQ(r.error_code(), "upgrade_required");
  EXPECT_EQ(r.header("upgrade"), "websocket");
}

TEST_F(LiveTest, SlowWatcherGetsTheNewestStateNotEveryOne) {
  LiveServer s(db_.url());
  WsClient slow(s.port(), "/ws/test/lot1", {}, /*read=*/false);
  WsClient fast(s.port(), "/ws/test/lot1");
  ASSERT_EQ(fast.Next(), "initial lot1");
  // Large states, so the socket buffers fill while the slow watcher reads nothing.
  constexpr int kStates = 1500;
  const std::string pad(16 * 1024, '.');
  for (int i = 0; i < kStates; ++i) {
    s.Change("lot1", "state " + std::to_string(i) + " " + pad);
  }
  const std::string last = "state " + std::to_string(kStates - 1) + " " + pad;
  EXPECT_TRUE(fast.WaitFor(last, 20s));
  slow.StartReading();
  EXPECT_TRUE(slow.WaitFor(last, 20s));
  EXPECT_LT(slow.received(), static_cast<size_t>(kStates));  // older states were coalesced away
  // Nothing older after the newest. (On PostgreSQL these states are too large
  // for NOTIFY: each arrives as a resync, and the snapshot may be re-sent.)
  while (auto more = slow.Next(300ms)) {
    EXPECT_EQ(*more, last);
  }
}

TEST_F(LiveTest, ServerStopClosesSocketsGoingAway) {
  LiveServer s(db_.url());
  WsClient watcher(s.port(), "/ws/test/lot1");
  ASSERT_EQ(watcher.Next(), "initial lot1");
  EXPECT_EQ(s.metrics().websockets(), 1);
  const auto start = std::chrono::steady_clock::now();
  s.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);  // not the whole grace period
  EXPECT_EQ(watcher.WaitClosed(), 1001);
  EXPECT_EQ(s.metrics().websockets(), 0);
}

TEST_F(LiveTest, ClosedWatcherIsUncountedAndUnsubscribed) {
  LiveServer s(db_.url());
  {
    WsClient watcher(s.port(), "/ws/test/lot1");
    ASSERT_EQ(watcher.Next(), "initial lot1");
    EXPECT_EQ(s.metrics().websockets(), 1);
    EXPECT_EQ(s.hub().subscribers(), 1u);
  }
  EXPECT_TRUE(Eventually([&] { return s.metrics().websockets() == 0 && s.hub().subscribers() == 0; }));
}

TEST_F(LiveTest, OversizedIncomingMessageClosesTheSocket) {
  LiveServer s(db_.url());
  WsClient watcher(s.port(), "/ws/test/lot1");
  ASSERT_EQ(watcher.Next(), "initial lot1");
  watcher.Send(std::string(10000, 'x'));
  EXPECT_EQ(watcher.WaitClosed(), 1009);  // message too big
}

TEST_F(LiveTest, LocalHubDeliversToSubscribersUntilUnsubscribed) {
  auto hub = live::NewLocalHub();
  std::vector<std::string> got;
  auto sub = hub->Subscribe("t", [&got](const live::Event& e) { got.emplace_back(e.payload); });
  hub->Publish("t", "a");
  hub->Publish("u", "b");
  sub.reset();
  hub->Publish("t", "c");
  EXPECT_EQ(got, std::vector<std::string>{"a"});
}

// --- PostgreSQL: several servers on one database ---------------------------

class LivePgTest : public LiveTest {
 protected:
  void SetUp() override {
    if (!db_.postgres()) {
      GTEST_SKIP() << "PostgreSQL only (LISTEN/NOTIFY between servers)";
    }
  }
  // Publishes on `from` until `watcher` hears it: the hubs' LISTEN
  // connections come up in the background.
  static void WarmUp(LiveServer& from, WsClient& watcher, const std::string& tag) {
    for (int i = 0; i < 100; ++i) {
      const std::string state = "warm " + tag + " " + std::to_string(i);
      from.Change("lot1", state);
      if (watcher.WaitFor(state, 100ms)) {
        return;
      }
    }
    FAIL() << "the hub never delivered";
  }
  // Terminates every hub's listening connection on the test database.
  void KillListeners() {
    auto store = db::OpenStore(db_.url(), {});
    ASSERT_TRUE(store.ok());
    const int64_t killed = db::WriteSync(**store, [](db::Tx& tx) {
      return tx
          .Query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                 "WHERE application_name = 'carecity_live' AND datname = current_database()")
          .front()
          .Int(0);
    });
    EXPECT_GE(killed, 1);
    (*store)->Close();
  }
};

TEST_F(LivePgTest, PublishOnOneServerReachesWatchersOfTheOtherOnceEach) {
  LiveServer a(db_.url());
  LiveServer b(db_.url());
  WsClient on_a(a.port(), "/ws/test/lot1");
  WsClient on_b(b.port(), "/ws/test/lot1");
  ASSERT_EQ(on_a.Next(), "initial lot1");
  ASSERT_EQ(on_b.Next(), "initial lot1");
  WarmUp(a, on_b, "a");
  WarmUp(b, on_a, "b");
  // One after the other: two servers' NOTIFYs at once may commit in either order.
  a.Change("lot1", "bid 1");
  ASSERT_TRUE(on_a.WaitFor("bid 1"));
  ASSERT_TRUE(on_b.WaitFor("bid 1"));
  b.Change("lot1", "bid 2");
  for (WsClient* w : {&on_a, &on_b}) {
    EXPECT_EQ(w->Next(), "bid 2");
    EXPECT_EQ(w->Next(300ms), std::nullopt);  // no second delivery of either
  }
}

TEST_F(LivePgTest, StateTooLargeForNotifyIsFetchedByEachWatcher) {
  LiveServer a(db_.url());
  LiveServer b(db_.url());
  WsClient on_b(b.port(), "/ws/test/lot1");
  ASSERT_EQ(on_b.Next(), "initial lot1");
  WarmUp(a, on_b, "a");
  const std::string big(20000, 'x');
  b.SetState("lot1", "big state as b reads it");
  a.Change("lot1", big);  // too large: only the topic goes out
  EXPECT_EQ(on_b.Next(), "big state as b reads it");
}

TEST_F(LivePgTest, ListenConnectionKilledReconnectsAndResyncs) {
  LiveServer a(db_.url());
  WsClient watcher(a.port(), "/ws/test/lot1");
  ASSERT_EQ(watcher.Next(), "initial lot1");
  WarmUp(a, watcher, "a");
  a.SetState("lot1", "changed, never published");  // only a resync can show it
  KillListeners();
  EXPECT_TRUE(watcher.WaitFor("changed, never published", 15s));
  a.Change("lot1", "after reconnecting");
  EXPECT_TRUE(watcher.WaitFor("after reconnecting", 10s));
}

}  // namespace
}  // namespace carecity::testing
