#include "doubles/double_server.h"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <type_traits>

#include "doubles/common.h"
#include "doubles/test_pki.h"

namespace doubles {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
// Asio's SSL stream directly: Beast's ssl_stream adds a write-flattening layer that only costs
// compile time at these volumes.
using TlsStream = ssl::stream<beast::tcp_stream>;
using PlainStream = beast::tcp_stream;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kBodyLimit = 8 * 1024 * 1024;
constexpr uint32_t kHeaderLimit = 64 * 1024;
// Every wait on a peer is bounded, so a stuck client cannot pin a session forever.
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr auto kCloseTimeout = std::chrono::seconds(2);
constexpr auto kAcceptRetry = std::chrono::milliseconds(50);
// How long the destructor lets sessions unwind after closing their sockets before it stops the
// io_context outright (they normally finish within a millisecond).
constexpr auto kStopGrace = std::chrono::seconds(5);

using common::ToLower;

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

Response TextResponse(int status, std::string body) {
  Response res;
  res.status = status;
  res.body = std::move(body);
  res.content_type = "text/plain; charset=utf-8";
  return res;
}

// Turns what a handler returned into the message on the wire. A response Beast refuses (a status
// outside 100..999, a body on a 204) is the handler's bug: answer 500 naming it.
http::response<http::string_body> ToWire(const Response& res, unsigned version, bool keep_alive) {
  http::response<http::string_body> out;
  try {
    if (res.status < 100 || res.status > 999) {
      throw std::invalid_argument("status " + std::to_string(res.status) + " out of range");
    }
    out.version(version);
    out.result(static_cast<unsigned>(res.status));
    bool has_content_type = false;
    for (const auto& [name, value] : res.headers) {
      has_content_type = has_content_type || ToLower(name) == "content-type";
      out.insert(name, value);
    }
    if (!has_content_type && !res.content_type.empty()) {
      out.set(http::field::content_type, res.content_type);
    }
    out.body() = res.body;
    out.keep_alive(keep_alive);
    out.prepare_payload();
    return out;
  } catch (const std::exception& e) {
    http::response<http::string_body> bug{http::status::internal_server_error, version};
    bug.set(http::field::content_type, "text/plain; charset=utf-8");
    bug.body() = std::string("double_server: unsendable response: ") + e.what();
    bug.keep_alive(keep_alive);
    bug.prepare_payload();
    return bug;
  }
}

Request FromWire(const http::request<http::string_body>& msg, int connection, const std::string& sni) {
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  req.query = q == std::string::npos ? "" : req.target.substr(q + 1);
  for (const auto& field : msg) {
    std::string name = ToLower(field.name_string());
    auto [it, inserted] = req.headers.emplace(name, std::string(field.value()));
    if (!inserted) {
      it->second += ", " + std::string(field.value());  // RFC 9110 5.3: a repeat is one list
    }
  }
  req.body = msg.body();
  req.connection = connection;
  req.tls_sni = sni;
  return req;
}

void ReportEscaped(std::exception_ptr e) {
  if (!e) {
    return;
  }
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "double_server: unexpected exception: %s\n", ex.what());
  } catch (...) {
    std::fprintf(stderr, "double_server: unexpected exception\n");
  }
}

constexpr auto kReportEscaped = [](std::exception_ptr e) { ReportEscaped(std::move(e)); };

// What the server-side of one connection needs from outside its coroutine: a way to end it now.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void Abort() = 0;
};

// The state of one connection; its coroutine owns it (with the live set), on the server's thread.
template <class Stream>
struct Session final : Connection {
  template <class... Args>
  explicit Session(int connection_id, Args&&... args)
      : stream(std::forward<Args>(args)...), delay(stream.get_executor()), id(connection_id) {}

  // Closes the socket (pending reads and writes fail) and cuts a SetDelay wait short.
  void Abort() override {
    beast::get_lowest_layer(stream).close();
    delay.cancel();
  }

  Stream stream;
  asio::steady_timer delay;
  beast::flat_buffer buffer;
  int id;
  std::string sni;
};

struct PathFaults {
  int fail_next = 0;
  int fail_status = 0;
  std::string fail_body;
  int delay_ms = 0;
  int drop_after = 0;
  int drop_before = 0;
};

enum class Fault { kNone, kDropBefore, kFail, kDropAfter };

// The faults one request gets, taken when it arrives.
struct Plan {
  Fault fault = Fault::kNone;
  int delay_ms = 0;
  int fail_status = 0;
  std::string fail_body;
};

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

class DoubleServer::Impl {
 public:
  explicit Impl(Options options) : options_(std::move(options)), acceptor_(ioc_) {
    if (options_.tls) {
      tls_.emplace(MakeTlsContext());
    }
    tcp::endpoint endpoint(asio::ip::make_address(options_.host), options_.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ioc_, Accept(), kReportEscaped);
    std::promise<void> done;
    stopped_ = done.get_future();
    thread_ = std::thread([this, done = std::move(done)]() mutable {
      try {
        ioc_.run();
      } catch (...) {
        ReportEscaped(std::current_exception());
      }
      done.set_value();
    });
  }

  ~Impl() {
    // Close everything from the server's own thread (the sockets are not thread-safe); the
    // sessions then unwind and run() returns for lack of work.
    asio::post(ioc_, [this] {
      stopping_ = true;
      beast::error_code ec;
      acceptor_.close(ec);
      for (const auto& connection : live_) {
        connection->Abort();
      }
    });
    if (stopped_.wait_for(kStopGrace) != std::future_status::ready) {
      ioc_.stop();  // something did not unwind: abandon it rather than hang the test binary
    }
    thread_.join();
    live_.clear();
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void Route(const std::string& method, const std::string& path, Handler handler) {
    std::lock_guard lock(mu_);
    routes_[{method, path}] = std::move(handler);
  }

  void RoutePrefix(const std::string& method, const std::string& prefix, Handler handler) {
    std::lock_guard lock(mu_);
    prefix_routes_[{method, prefix}] = std::move(handler);
  }

  unsigned short port() const { return port_; }

  std::string base_url() const {
    return std::string(options_.tls ? "https" : "http") + "://localhost:" + std::to_string(port_);
  }

  std::vector<Request> requests(const std::string* path) const {
    std::lock_guard lock(mu_);
    if (path == nullptr) {
      return requests_;
    }
    std::vector<Request> out;
    for (const auto& req : requests_) {
      if (req.path == *path) {
        out.push_back(req);
      }
    }
    return out;
  }

  void clear_requests() {
    std::lock_guard lock(mu_);
    requests_.clear();
  }

  int connections() const {
    std::lock_guard lock(mu_);
    return connections_;
  }

  void FailNext(const std::string& path, int n, int status, std::string body) {
    std::lock_guard lock(mu_);
    PathFaults& f = faults_[path];
    f.fail_next = n;
    f.fail_status = status;
    f.fail_body = std::move(body);
  }

  void SetDelay(const std::string& path, int ms) {
    std::lock_guard lock(mu_);
    faults_[path].delay_ms = ms;
  }

  void DropAfterCommit(const std::string& path, int n) {
    std::lock_guard lock(mu_);
    faults_[path].drop_after = n;
  }

  void DropBeforeCommit(const std::string& path, int n) {
    std::lock_guard lock(mu_);
    faults_[path].drop_before = n;
  }

  void SetClock(std::function<int64_t()> now_ms) {
    std::lock_guard lock(mu_);
    clock_ = std::move(now_ms);
  }

  int64_t now_ms() const {
    std::function<int64_t()> clock;
    {
      std::lock_guard lock(mu_);
      clock = clock_;
    }
    return clock ? clock() : SystemNowMs();
  }

 private:
  ssl::context MakeTlsContext() const {
    if (options_.cert_pem.empty() != options_.key_pem.empty()) {
      throw std::invalid_argument("DoubleServer: give both cert_pem and key_pem, or neither");
    }
    const std::string& cert = options_.cert_pem.empty() ? SharedPki().server_cert_pem : options_.cert_pem;
    const std::string& key = options_.key_pem.empty() ? SharedPki().server_key_pem : options_.key_pem;
    ssl::context ctx(ssl::context::tls_server);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1) {
      throw std::runtime_error("DoubleServer: cannot set TLS 1.2 as the minimum");
    }
    ctx.use_certificate_chain(asio::buffer(cert));
    ctx.use_private_key(asio::buffer(key), ssl::context::pem);  // also checks it matches the certificate
    return ctx;
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kTuple);
      if (stopping_ || ec == asio::error::operation_aborted || !acceptor_.is_open()) {
        co_return;
      }
      if (ec) {
        // Out of descriptors and the like: try again shortly rather than give up serving.
        asio::steady_timer pause(ioc_, kAcceptRetry);
        co_await pause.async_wait(kTuple);
        continue;
      }
      int id = 0;
      {
        std::lock_guard lock(mu_);
        id = ++connections_;
      }
      // Registered before the coroutine first runs, so a stop in between still reaches it.
      if (tls_) {
        auto session = std::make_shared<Session<TlsStream>>(id, beast::tcp_stream(std::move(socket)), *tls_);
        live_.insert(session);
        asio::co_spawn(ioc_, Serve(session), kReportEscaped);
      } else {
        auto session = std::make_shared<Session<PlainStream>>(id, std::move(socket));
        live_.insert(session);
        asio::co_spawn(ioc_, Serve(session), kReportEscaped);
      }
    }
  }

  template <class Stream>
  asio::awaitable<void> Serve(std::shared_ptr<Session<Stream>> session) {
    try {
      if (!stopping_) {
        co_await ServeConnection(session);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "double_server: connection %d: %s\n", session->id, e.what());
    }
    session->Abort();
    live_.erase(session);
  }

  template <class Stream>
  asio::awaitable<void> ServeConnection(std::shared_ptr<Session<Stream>> session) {
    Stream& stream = session->stream;
    auto& lowest = beast::get_lowest_layer(stream);
    constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
    if constexpr (kTls) {
      lowest.expires_after(kHandshakeTimeout);
      auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
      if (ec) {
        co_return;
      }
      const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
      session->sni = sni != nullptr ? sni : "";
    }
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(kHeaderLimit);
      parser.body_limit(kBodyLimit);
      lowest.expires_after(kIdleTimeout);
      auto [header_ec, header_n] = co_await http::async_read_header(stream, session->buffer, parser, kTuple);
      beast::error_code read_ec = header_ec;
      const auto& head = parser.get();
      if (!read_ec && head.version() == 11 && beast::iequals(head[http::field::expect], "100-continue")) {
        // Fixed bytes rather than a Beast message: one serializer less to instantiate per stream type.
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        lowest.expires_after(kWriteTimeout);
        auto [continue_ec, continue_n] = co_await asio::async_write(stream, asio::buffer(kContinue), kTuple);
        if (continue_ec) {
          co_return;
        }
      }
      if (!read_ec && !parser.is_done()) {
        lowest.expires_after(kIdleTimeout);
        auto [body_ec, body_n] = co_await http::async_read(stream, session->buffer, parser, kTuple);
        read_ec = body_ec;
      }
      // A declared Content-Length over the limit fails with the header, a chunked body on the way.
      if (read_ec == http::error::body_limit) {
        Response too_large = TextResponse(413, "double_server: body over 8 MiB");
        auto wire = ToWire(too_large, head.version(), false);
        lowest.expires_after(kWriteTimeout);
        co_await http::async_write(stream, wire, kTuple);
        co_return;
      }
      if (read_ec) {
        co_return;  // the client went away, idled out, or sent garbage: nothing to answer
      }
      lowest.expires_never();

      http::request<http::string_body> msg = parser.release();
      bool keep_alive = msg.keep_alive();
      Request req = FromWire(msg, session->id, session->sni);
      Plan plan = Admit(req);
      if (plan.fault == Fault::kDropBefore) {
        co_return;  // closed by Serve without a word
      }
      if (plan.delay_ms > 0) {
        session->delay.expires_after(std::chrono::milliseconds(plan.delay_ms));
        auto [wait_ec] = co_await session->delay.async_wait(kTuple);
        if (wait_ec || stopping_) {
          co_return;
        }
      }
      Response res;
      if (plan.fault == Fault::kFail) {
        res.status = plan.fail_status;
        res.body = plan.fail_body;
      } else {
        res = Dispatch(req);
      }
      if (plan.fault == Fault::kDropAfter) {
        co_return;  // the effect happened; the answer is lost with the connection
      }
      auto wire = ToWire(res, msg.version(), keep_alive);
      lowest.expires_after(kWriteTimeout);
      auto [write_ec, write_n] = co_await http::async_write(stream, wire, kTuple);
      if (write_ec) {
        co_return;
      }
      if (!keep_alive) {
        lowest.expires_after(kCloseTimeout);
        if constexpr (kTls) {
          co_await stream.async_shutdown(kTuple);  // close_notify, so the client sees a clean end
        } else {
          beast::error_code ignored;
          lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
        co_return;
      }
    }
  }

  // Records the request, then takes the faults it gets (one count at most).
  Plan Admit(const Request& req) {
    std::lock_guard lock(mu_);
    requests_.push_back(req);
    Plan plan;
    auto it = faults_.find(req.path);
    if (it == faults_.end()) {
      return plan;
    }
    PathFaults& f = it->second;
    plan.delay_ms = f.delay_ms;
    if (f.drop_before > 0) {
      --f.drop_before;
      plan.fault = Fault::kDropBefore;
    } else if (f.fail_next > 0) {
      --f.fail_next;
      plan.fault = Fault::kFail;
      plan.fail_status = f.fail_status;
      plan.fail_body = f.fail_body;
    } else if (f.drop_after > 0) {
      --f.drop_after;
      plan.fault = Fault::kDropAfter;
    }
    return plan;
  }

  // Runs the routed handler outside the lock, so a handler may call back into this server.
  Response Dispatch(const Request& req) {
    Handler handler;
    {
      std::lock_guard lock(mu_);
      auto it = routes_.find({req.method, req.path});
      if (it != routes_.end()) {
        handler = it->second;
      } else {
        size_t longest = 0;
        for (const auto& [key, prefix_handler] : prefix_routes_) {
          const auto& [method, prefix] = key;
          if (method == req.method && req.path.rfind(prefix, 0) == 0 && prefix.size() >= longest) {
            longest = prefix.size();
            handler = prefix_handler;
          }
        }
      }
    }
    if (!handler) {
      Response res;
      res.status = 404;
      std::string message = "no route for " + req.method + " " + req.path;
      res.body = "{\"code\":\"NOT_FOUND\",\"message\":" + JsonString(message) + "}";
      return res;
    }
    try {
      return handler(req);
    } catch (const std::exception& e) {
      return TextResponse(500, e.what());
    } catch (...) {
      return TextResponse(500, "double_server: handler threw a non-std exception");
    }
  }

  const Options options_;
  // Declared before ioc_ so it outlives any TLS stream still held by an abandoned session.
  std::optional<ssl::context> tls_;
  asio::io_context ioc_{1};
  tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  // Only touched on the server's thread (and by the destructor after joining it).
  bool stopping_ = false;
  std::set<std::shared_ptr<Connection>> live_;

  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Handler> routes_;         // GUARDED_BY(mu_)
  std::map<std::pair<std::string, std::string>, Handler> prefix_routes_;  // GUARDED_BY(mu_)
  std::vector<Request> requests_;                                         // GUARDED_BY(mu_)
  std::map<std::string, PathFaults> faults_;                              // GUARDED_BY(mu_)
  std::function<int64_t()> clock_;                                        // GUARDED_BY(mu_); empty: system clock
  int connections_ = 0;                                                   // GUARDED_BY(mu_)

  std::future<void> stopped_;
  std::thread thread_;
};

DoubleServer::DoubleServer() : DoubleServer(Options{}) {}
DoubleServer::DoubleServer(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
DoubleServer::~DoubleServer() = default;

void DoubleServer::Route(const std::string& method, const std::string& path, Handler handler) {
  impl_->Route(method, path, std::move(handler));
}
void DoubleServer::RoutePrefix(const std::string& method, const std::string& prefix, Handler handler) {
  impl_->RoutePrefix(method, prefix, std::move(handler));
}
unsigned short DoubleServer::port() const { return impl_->port(); }
std::string DoubleServer::base_url() const { return impl_->base_url(); }
std::vector<Request> DoubleServer::requests() const { return impl_->requests(nullptr); }
std::vector<Request> DoubleServer::requests(const std::string& path) const { return impl_->requests(&path); }
void DoubleServer::clear_requests() { impl_->clear_requests(); }
int DoubleServer::connections() const { return impl_->connections(); }
void DoubleServer::FailNext(const std::string& path, int n, int status, std::string body) {
  impl_->FailNext(path, n, status, std::move(body));
}
void DoubleServer::SetDelay(const std::string& path, int ms) { impl_->SetDelay(path, ms); }
void DoubleServer::DropAfterCommit(const std::string& path, int n) { impl_->DropAfterCommit(path, n); }
void DoubleServer::DropBeforeCommit(const std::string& path, int n) { impl_->DropBeforeCommit(path, n); }
void DoubleServer::SetClock(std::function<int64_t()> now_ms) { impl_->SetClock(std::move(now_ms)); }
int64_t DoubleServer::now_ms() const { return impl_->now_ms(); }

}  // namespace doubles
