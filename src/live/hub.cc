#include "live/hub.h"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace carecity::live {
namespace {

// Subscribers by topic. Listeners are called outside the lock (a listener
// may subscribe or unsubscribe), each from a shared copy so an unsubscribe
// meanwhile cannot free it under the call.
class Fanout {
 public:
  uint64_t Add(std::string topic, Listener listener) {
    std::lock_guard lock(mu_);
    const uint64_t id = next_id_++;
    topics_[topic].emplace(id, std::make_shared<Listener>(std::move(listener)));
    topic_of_.emplace(id, std::move(topic));
    return id;
  }

  void Remove(uint64_t id) {
    std::lock_guard lock(mu_);
    auto it = topic_of_.find(id);
    if (it == topic_of_.end()) {
      return;
    }
    auto t = topics_.find(it->second);
    t->second.erase(id);
    if (t->second.empty()) {
      topics_.erase(t);
    }
    topic_of_.erase(it);
  }

  void Deliver(std::string_view topic, const Event& event) {
    std::vector<std::shared_ptr<Listener>> listeners;
    {
      std::lock_guard lock(mu_);
      auto it = topics_.find(topic);
      if (it == topics_.end()) {
        return;
      }
      listeners.reserve(it->second.size());
      for (const auto& [id, l] : it->second) {
        listeners.push_back(l);
      }
    }
    for (const auto& l : listeners) {
      (*l)(event);
    }
  }

  void ResyncAll() {
    std::vector<std::shared_ptr<Listener>> listeners;
    {
      std::lock_guard lock(mu_);
      for (const auto& [topic, subs] : topics_) {
        for (const auto& [id, l] : subs) {
          listeners.push_back(l);
        }
      }
    }
    const Event resync{Event::Kind::kResync, {}};
    for (const auto& l : listeners) {
      (*l)(resync);
    }
  }

  size_t size() const {
    std::lock_guard lock(mu_);
    return topic_of_.size();
  }

 private:
  mutable std::mutex mu_;
  uint64_t next_id_ = 1;                                                                // GUARDED_BY(mu_)
  std::map<std::string, std::map<uint64_t, std::shared_ptr<Listener>>, std::less<>> topics_;  // GUARDED_BY(mu_)
  std::unordered_map<uint64_t, std::string> topic_of_;                                  // GUARDED_BY(mu_)
};

class FanoutSubscription final : public Subscription {
 public:
  FanoutSubscription(std::shared_ptr<Fanout> fanout, uint64_t id) : fanout_(std::move(fanout)), id_(id) {}
  ~FanoutSubscription() override { fanout_->Remove(id_); }

 private:
  std::shared_ptr<Fanout> fanout_;
  uint64_t id_;
};

class LocalHub final : public Hub {
 public:
  std::unique_ptr<Subscription> Subscribe(std::string topic, Listener listener) override {
    const uint64_t id = fanout_->Add(std::move(topic), std::move(listener));
    return std::make_unique<FanoutSubscription>(fanout_, id);
  }
  void Publish(std::string_view topic, std::string_view payload) override {
    fanout_->Deliver(topic, Event{Event::Kind::kMessage, payload});
  }
  size_t subscribers() const override { return fanout_->size(); }

 private:
  std::shared_ptr<Fanout> fanout_ = std::make_shared<Fanout>();
};

// Notification payloads: "m" topic "\n" state, or "r" topic (resync the topic:
// its state was too large for NOTIFY).
std::string ResyncNote(std::string_view topic) {
  std::string out = "r";
  out += topic;
  return out;
}

std::string Encode(std::string_view topic, std::string_view payload) {
  if (topic.size() + payload.size() + 2 > kMaxNotifyBytes) {
    return ResyncNote(topic);
  }
  std::string out;
  out.reserve(topic.size() + payload.size() + 2);
  out += 'm';
  out += topic;
  out += '\n';
  out += payload;
  return out;
}

void Decode(std::string_view note, Fanout& fanout) {
  if (note.empty()) {
    return;
  }
  const char kind = note.front();
  note.remove_prefix(1);
  if (kind == 'r') {
    fanout.Deliver(note, Event{Event::Kind::kResync, {}});
    return;
  }
  const auto nl = note.find('\n');
  if (kind != 'm' || nl == std::string_view::npos) {
    spdlog::warn("live: ignored a malformed notification");
    return;
  }
  fanout.Deliver(note.substr(0, nl), Event{Event::Kind::kMessage, note.substr(nl + 1)});
}

bool IsPlainIdentifier(const std::string& s) {
  return !s.empty() && s.size() < 64 && (std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_') &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// One thread owns one libpq connection: it LISTENs, sends the queued
// NOTIFYs, waits on the socket and on an eventfd (new publishes, stop), and
// reconnects with exponential backoff when the connection fails.
class PgHub final : public Hub {
 public:
  PgHub(std::string url, PgHubOptions options)
      : url_(std::move(url)), options_(std::move(options)), wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (wake_fd_ < 0) {
      throw std::runtime_error("live: eventfd failed");
    }
    thread_ = std::thread([this] { Loop(); });
  }

  ~PgHub() override {
    stop_ = true;
    WakeThread();
    thread_.join();
    close(wake_fd_);
  }

  std::unique_ptr<Subscription> Subscribe(std::string topic, Listener listener) override {
    const uint64_t id = fanout_->Add(std::move(topic), std::move(listener));
    return std::make_unique<FanoutSubscription>(fanout_, id);
  }

  void Publish(std::string_view topic, std::string_view payload) override {
    {
      std::lock_guard lock(mu_);
      if (outbox_.size() >= options_.max_queued) {
        // The oldest goes out as a resync of its topic: nobody keeps a stale state.
        const std::string_view oldest = outbox_.front();
        std::string note = ResyncNote(oldest.substr(1, oldest.find('\n') - 1));
        outbox_.pop_front();
        outbox_.push_back(std::move(note));
      }
      outbox_.push_back(Encode(topic, payload));
    }
    WakeThread();
  }

  size_t subscribers() const override { return fanout_->size(); }

 private:
  void WakeThread() {
    const uint64_t one = 1;
    [[maybe_unused]] const auto n = write(wake_fd_, &one, sizeof one);
  }

  void DrainWakeFd() {
    uint64_t v = 0;
    [[maybe_unused]] const auto n = read(wake_fd_, &v, sizeof v);
  }

  // Sleeps up to `ms` unless stopped meanwhile.
  void Sleep(int ms) {
    pollfd p{wake_fd_, POLLIN, 0};
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!stop_) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
      if (left <= 0) {
        return;
      }
      if (poll(&p, 1, static_cast<int>(left)) > 0) {
        DrainWakeFd();  // a publish while disconnected: it waits in the outbox
      }
    }
  }

  PGconn* Connect() {
    const char* keys[] = {"dbname", "application_name", "connect_timeout", "keepalives_idle", nullptr};
    const char* values[] = {url_.c_str(), "carecity_live", "5", "30", nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
      spdlog::warn("live: cannot connect to PostgreSQL: {}", PQerrorMessage(conn));
      PQfinish(conn);
      return nullptr;
    }
    PGresult* r = PQexec(conn, ("LISTEN " + options_.channel).c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
      spdlog::warn("live: LISTEN failed: {}", PQerrorMessage(conn));
      PQfinish(conn);
      return nullptr;
    }
    return conn;
  }

  void Loop() {
    int backoff = options_.min_backoff_ms;
    bool was_connected = false;
    while (!stop_) {
      PGconn* conn = Connect();
      if (conn == nullptr) {
        Sleep(backoff);
        backoff = std::min(backoff * 2, options_.max_backoff_ms);
        continue;
      }
      backoff = options_.min_backoff_ms;
      if (was_connected) {
        spdlog::info("live: listening again; subscribers resync");
        fanout_->ResyncAll();
      }
      was_connected = true;
      Serve(conn);
      PQfinish(conn);
      if (!stop_) {
        Sleep(backoff);
      }
    }
  }

  // Until the connection fails or the hub stops.
  void Serve(PGconn* conn) {
    const std::string notify = "SELECT pg_notify('" + options_.channel + "', $1)";
    while (!stop_) {
      std::deque<std::string> batch;
      {
        std::lock_guard lock(mu_);
        batch.swap(outbox_);
      }
      for (const std::string& note : batch) {
        const char* params[] = {note.c_str()};
        PGresult* r = PQexecParams(conn, notify.c_str(), 1, nullptr, params, nullptr, nullptr, 0);
        const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
        PQclear(r);
        if (!ok) {
          spdlog::warn("live: NOTIFY failed: {}", PQerrorMessage(conn));
          if (PQstatus(conn) != CONNECTION_OK) {
            return;  // the rest is covered by the resync after reconnecting
          }
        }
      }
      if (!DeliverNotifications(conn)) {
        return;
      }
      pollfd fds[2] = {{PQsocket(conn), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
      const int n = poll(fds, 2, 1000);
      if (n < 0) {
        continue;  // EINTR
      }
      if ((fds[1].revents & POLLIN) != 0) {
        DrainWakeFd();
      }
      if ((fds[0].revents & (POLLIN | POLLERR | POLLHUP)) != 0) {
        if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK) {
          spdlog::warn("live: lost the PostgreSQL connection: {}", PQerrorMessage(conn));
          return;
        }
        if (!DeliverNotifications(conn)) {
          return;
        }
      }
    }
  }

  bool DeliverNotifications(PGconn* conn) {
    while (PGnotify* n = PQnotifies(conn)) {
      Decode(n->extra, *fanout_);
      PQfreemem(n);
    }
    return PQstatus(conn) == CONNECTION_OK;
  }

  const std::string url_;
  const PgHubOptions options_;
  const int wake_fd_;
  std::shared_ptr<Fanout> fanout_ = std::make_shared<Fanout>();
  std::mutex mu_;
  std::deque<std::string> outbox_;  // GUARDED_BY(mu_): encoded notifications
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

std::unique_ptr<Hub> NewLocalHub() { return std::make_unique<LocalHub>(); }

Result<std::unique_ptr<Hub>> NewPgHub(const std::string& url, PgHubOptions options) {
  if (!IsPlainIdentifier(options.channel)) {
    return Error::Invalid("invalid_config", "live.channel", "the channel must be a plain identifier");
  }
  return std::unique_ptr<Hub>(std::make_unique<PgHub>(url, std::move(options)));
}

Result<std::unique_ptr<Hub>> OpenHub(const std::string& db_url) {
  if (db_url.rfind("postgresql://", 0) == 0 || db_url.rfind("postgres://", 0) == 0) {
    return NewPgHub(db_url);
  }
  return NewLocalHub();
}

}  // namespace carecity::live
