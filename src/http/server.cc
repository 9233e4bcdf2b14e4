#include "http/server.h"

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/crypto.h"
#include "core/text.h"
#include "http/json.h"
#include "http/static_files.h"
#include "http/ws_session.h"

namespace carecity::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

bool IsStateChanging(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool IsJsonContentType(std::string_view ct) {
  const auto semi = ct.find(';');
  std::string base = AsciiLower(Trim(ct.substr(0, semi)));
  return base == "application/json";
}

std::string SaneRequestId(std::string_view incoming) {
  if (!incoming.empty() && incoming.size() <= 64 &&
      std::all_of(incoming.begin(), incoming.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      })) {
    return std::string(incoming);
  }
  // A random per-process prefix and a counter: unique, and no syscall per request.
  static const std::string prefix = RandomToken().substr(0, 8);
  static std::atomic<uint64_t> counter{0};
  return fmt::format("{}-{:x}", prefix, counter.fetch_add(1, std::memory_order_relaxed));
}

std::pair<std::string, std::string> SplitHostPort(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    throw std::runtime_error("listen address must be HOST:PORT, got " + listen);
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return {host, listen.substr(colon + 1)};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> SecurityHeaders(const std::string& public_origin) {
  std::vector<std::pair<std::string, std::string>> h{
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Frame-Options", "DENY"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "same-origin"},
  };
  if (public_origin.rfind("https://", 0) == 0) {
    // A year, this host only: the operator may not serve every subdomain over https.
    h.emplace_back("Strict-Transport-Security", "max-age=31536000");
  }
  return h;
}

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router, Metrics& metrics, const StaticFiles* static_files)
      : options_(std::move(options)),
        router_(router),
        metrics_(metrics),
        static_files_(static_files),
        security_headers_(SecurityHeaders(options_.public_origin)),
        ioc_(ThreadCount()),
        acceptor_(asio::make_strand(ioc_)) {
    static constexpr std::string_view kOverloadBody =
        "{\"error\":{\"code\":\"overloaded\",\"message\":\"too many connections\",\"field\":null}}\n";
    overload_reply_ = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n";
    for (const auto& [name, value] : security_headers_) {
      overload_reply_ += name + ": " + value + "\r\n";
    }
    overload_reply_ += fmt::format("Connection: close\r\nContent-Length: {}\r\n\r\n{}", kOverloadBody.size(), kOverloadBody);
    // Each server gets its own logger name: tests run several in one process.
    static std::atomic<int> instance{0};
    access_name_ = "access-" + std::to_string(instance.fetch_add(1));
    if (options_.access_log == "stdout") {
      access_ = spdlog::stdout_logger_mt(access_name_);
    } else if (options_.access_log != "off" && !options_.access_log.empty()) {
      access_ = spdlog::basic_logger_mt(access_name_, options_.access_log);
    }
    if (access_) {
      access_->set_pattern("%v");
      // Flushed by spdlog's periodic flusher (App starts it), not per line:
      // a write() per request would cost more than the request itself.
      access_->flush_on(spdlog::level::warn);
    }
  }

  ~Impl() {
    if (access_) {
      spdlog::drop(access_name_);
    }
  }

  int ThreadCount() const {
    if (options_.threads > 0) {
      return options_.threads;
    }
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }

  std::string Listen() {
    auto [host, port] = SplitHostPort(options_.listen);
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(host, port, tcp::resolver::passive);
    if (results.empty()) {
      throw std::runtime_error("cannot resolve " + options_.listen);
    }
    const tcp::endpoint ep = results.begin()->endpoint();
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    const tcp::endpoint bound = acceptor_.local_endpoint();
    const std::string addr = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                                     : bound.address().to_string();
    return "http://" + addr + ":" + std::to_string(bound.port());
  }

  void Run(bool handle_signals) {
    asio::co_spawn(acceptor_.get_executor(), Accept(), asio::detached);
    std::unique_ptr<asio::signal_set> signals;
    if (handle_signals) {
      signals = std::make_unique<asio::signal_set>(ioc_, SIGINT, SIGTERM);
      signals->async_wait([this](const boost::system::error_code& ec, int sig) {
        if (!ec) {
          spdlog::info("signal {} received: stopping gracefully", sig);
          Stop();
        }
      });
    }
    std::vector<std::thread> threads;
    for (int i = 1; i < ThreadCount(); ++i) {
      threads.emplace_back([this] { ioc_.run(); });
    }
    ioc_.run();
    for (auto& t : threads) {
      t.join();
    }
    if (access_) {
      access_->flush();
    }
  }

  void Stop() {
    if (stopping_.exchange(true)) {
      return;
    }
    asio::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ec;
      acceptor_.close(ec);
    });
    CloseIdleSessions();
    asio::co_spawn(ioc_, Drain(), asio::detached);
  }

 private:
  struct SessionEntry {
    asio::any_io_executor executor;
    std::atomic<bool>* idle;  // owned by the session's frame; set around each read
    // Closes the connection; called on its strand, under sessions_mu_, while
    // the entry is registered: closes the socket of an HTTP connection idle
    // in a read, or begins a WebSocket's closing handshake.
    std::function<void()> close;
  };

  asio::awaitable<void> Drain() {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options_.shutdown_grace_s);
    while (metrics_.connections() > 0 && std::chrono::steady_clock::now() < deadline) {
      CloseIdleSessions();  // sessions that finished a request since last time
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(kTuple);
    }
    ioc_.stop();
  }

  void CloseIdleSessions() {
    std::lock_guard lock(sessions_mu_);
    for (auto& [id, entry] : sessions_) {
      if (!entry.idle->load()) {
        continue;
      }
      asio::post(entry.executor, [this, session_id = id] {
        // On the session's strand: if it is still registered, it is suspended
        // in a read and its stream is alive.
        std::lock_guard inner(sessions_mu_);
        auto it = sessions_.find(session_id);
        if (it != sessions_.end() && it->second.idle->load() && it->second.close) {
          it->second.close();
        }
      });
    }
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_), kTuple);
      if (ec) {
        if (ec == asio::error::operation_aborted || stopping_) {
          co_return;
        }
        spdlog::warn("accept failed: {}", ec.message());
        continue;
      }
      if (metrics_.connections() >= options_.max_connections) {
        boost::system::error_code wec;
        asio::write(socket, asio::buffer(overload_reply_), wec);
        socket.close(wec);
        continue;
      }
      auto ex = socket.get_executor();
      asio::co_spawn(ex, Session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> Session(tcp::socket socket) {
    metrics_.ConnectionOpened();
    const uint64_t id = next_session_id_.fetch_add(1);
    std::string remote_ip;
    {
      boost::system::error_code ec;
      auto ep = socket.remote_endpoint(ec);
      if (!ec) {
        remote_ip = ep.address().to_string();
      }
    }
    beast::tcp_stream stream(std::move(socket));
    std::atomic<bool> idle{true};
    {
      std::lock_guard lock(sessions_mu_);
      sessions_[id] = SessionEntry{stream.get_executor(), &idle, [&stream] { stream.close(); }};
    }
    beast::flat_buffer buffer;
    bool first = true;
    bool linger = false;    // we answered before reading the whole request
    bool upgraded = false;  // the stream became a WebSocket's (and is gone)
    try {
      for (;;) {
        if (stopping_) {
          break;
        }
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<uint32_t>(options_.max_header_bytes));
        // Beast would check Content-Length against a limit set now when the
        // header ends; the route's own limit is applied below instead.
        parser.body_limit(boost::none);
        stream.expires_after(std::chrono::seconds(first ? options_.read_timeout_s : options_.idle_timeout_s));
        idle = true;
        auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
        idle = false;
        if (!ec) {
          // The route may allow a larger body (an image upload) than others.
          const uint64_t limit = BodyLimitFor(parser.get().method_string(), parser.get().target());
          const auto declared = parser.content_length();
          if (declared && *declared > limit) {
            ec = bhttp::error::body_limit;  // refused unread
          } else {
            parser.body_limit(limit);  // a chunked body is counted as it comes
            auto [body_ec, body_n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
            ec = body_ec;
            n += body_n;
          }
        }
        first = false;
        if (ec) {
          // Named values, not temporaries, in co_await expressions: g++ 12
          // destroys such temporaries twice (seen here as a double free).
          Response rejection;
          if (ec == bhttp::error::body_limit) {
            rejection = ErrorResponse(Error{ErrorCode::kTooLarge, "body_too_large", {}, {}}, Lang::kZh);
          } else if (ec == bhttp::error::header_limit) {
            rejection = ErrorResponse(Error{ErrorCode::kInvalid, "headers_too_large", {}, {}}, Lang::kZh);
            rejection.status = 431;
          } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                     ec != asio::error::operation_aborted && ec != asio::error::connection_reset &&
                     ec != asio::error::eof && ec != asio::error::bad_descriptor) {
            rejection = ErrorResponse(Error::Invalid("bad_request", "", ec.message()), Lang::kZh);
          }
          if (rejection.status != 200) {
            metrics_.Observe("(rejected)", "-", rejection.status, 0);
            Log(remote_ip, "-", "-", "(rejected)", rejection.status, 0, rejection.body.size(), "", "");
            co_await WriteResponse(stream, rejection, false, 11);
            linger = true;
          }
          break;
        }
        auto& breq = parser.get();
        Request req;
        req.method = std::string(breq.method_string());
        req.target = std::string(breq.target());
        for (const auto& field : breq) {
          req.headers.emplace_back(AsciiLower(field.name_string()), std::string(field.value()));
        }
        req.remote_ip = ClientIp(remote_ip, req.Header("x-forwarded-for"), options_.trusted_proxies);
        req.body = std::move(breq.body());
        const bool keep_alive = breq.keep_alive();
        const unsigned version = breq.version();
        const bool upgrade = detail::IsWebSocketUpgrade(breq);
        WebSocketRun accepted;
        Response res = co_await Handle(req, upgrade, &accepted);
        if (accepted) {
          // A named value, not a temporary, in the co_await (g++ 12, see above).
          bhttp::request<bhttp::string_body> upgrade_request = parser.release();
          co_await ServeUpgraded(id, stream, std::move(upgrade_request), std::move(accepted));
          upgraded = true;
          break;
        }
        if (req.method == "HEAD") {
          if (!res.chunks) {
            res.Set("Content-Length", std::to_string(res.body.size()));
          }
          res.body.clear();
          res.chunks = nullptr;
        }
        const bool again = keep_alive && !stopping_;
        if (!co_await WriteResponse(stream, res, again, version) || !again) {
          break;
        }
      }
    } catch (const std::exception& e) {
      spdlog::error("session error: {}", e.what());
    }
    boost::system::error_code ec;
    if (!upgraded) {
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
    if (linger && !upgraded) {
      // Lingering close: closing with unread request bytes would make the
      // kernel send RST, which can destroy our error response before the
      // client reads it. Drain (bounded in time and size) until the client
      // has seen our FIN and stops sending.
      std::array<char, 16 * 1024> scratch{};
      size_t drained = 0;
      stream.expires_after(std::chrono::seconds(2));
      while (drained < 32 * 1024 * 1024) {
        auto [rec, n] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
        if (rec) {
          break;
        }
        drained += n;
      }
    }
    {
      std::lock_guard lock(sessions_mu_);
      sessions_.erase(id);
    }
    metrics_.ConnectionClosed();
  }

  using WebSocketRun = std::function<asio::awaitable<void>(std::shared_ptr<WebSocket>)>;

  // The rest of a connection whose request a WebSocket route accepted. Not
  // closable while the handshake runs; afterwards a stop begins the closing
  // handshake (1001).
  asio::awaitable<void> ServeUpgraded(uint64_t id, beast::tcp_stream& stream,
                                      bhttp::request<bhttp::string_body> breq, WebSocketRun run) {
    {
      std::lock_guard lock(sessions_mu_);
      auto& entry = sessions_[id];
      entry.idle->store(false);
      entry.close = nullptr;
    }
    detail::WebSocketLimits limits;
    limits.max_message_bytes = static_cast<size_t>(options_.ws_max_message_bytes);
    limits.idle_timeout_s = options_.ws_idle_timeout_s;
    limits.send_queue = static_cast<size_t>(std::max(1, options_.ws_send_queue));
    const std::function<void(std::function<void()>)> on_open = [this, id](std::function<void()> close) {
      std::lock_guard lock(sessions_mu_);
      auto& entry = sessions_[id];
      entry.close = std::move(close);
      entry.idle->store(true);  // nothing in flight that a stop should wait for
    };
    co_await detail::ServeWebSocket(stream, std::move(breq), limits, std::move(run), metrics_, on_open);
  }

  asio::awaitable<bool> WriteResponse(beast::tcp_stream& stream, Response& r, bool keep_alive, unsigned version) {
    if (r.chunks) {
      co_return co_await WriteChunked(stream, r, keep_alive, version);
    }
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(r.status), version};
    bool has_length = false;
    for (auto& [k, v] : r.headers) {
      if (k == "Content-Length") {
        has_length = true;
      }
      out.set(k, v);
    }
    // Here rather than in Handle: the read errors (413, 431, 400) are answered too.
    for (const auto& [k, v] : security_headers_) {
      out.set(k, v);
    }
    out.set(bhttp::field::server, "carecity");
    out.keep_alive(keep_alive);
    out.body() = std::move(r.body);
    if (!has_length) {
      out.prepare_payload();
    }
    stream.expires_after(std::chrono::seconds(options_.read_timeout_s));
    auto [ec, n] = co_await bhttp::async_write(stream, out, kTuple);
    co_return !ec;
  }

  // A streamed body: the header, then each piece as an HTTP/1.1 chunk as it
  // is produced, then the last chunk. (An HTTP/1.0 client gets the pieces
  // gathered into one body.) A producer that throws cuts the transfer off.
  asio::awaitable<bool> WriteChunked(beast::tcp_stream& stream, Response& r, bool keep_alive, unsigned version) {
    BodyChunks next = std::move(r.chunks);
    if (version < 11) {
      for (;;) {
        std::optional<std::string> piece = co_await next();
        if (!piece) {
          break;
        }
        r.body += *piece;
      }
      co_return co_await WriteResponse(stream, r, false, version);
    }
    bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(r.status), version};
    for (auto& [k, v] : r.headers) {
      head.set(k, v);
    }
    head.set(bhttp::field::server, "carecity");
    head.keep_alive(keep_alive);
    head.chunked(true);
    bhttp::response_serializer<bhttp::empty_body> sr{head};
    stream.expires_after(std::chrono::seconds(options_.read_timeout_s));
    auto [hec, hn] = co_await bhttp::async_write_header(stream, sr, kTuple);
    if (hec) {
      co_return false;
    }
    try {
      for (;;) {
        std::optional<std::string> piece = co_await next();
        if (!piece) {
          break;
        }
        if (piece->empty()) {
          continue;  // an empty chunk would end the body
        }
        stream.expires_after(std::chrono::seconds(options_.read_timeout_s));
        auto [ec, n] = co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(*piece)), kTuple);
        if (ec) {
          co_return false;
        }
      }
    } catch (const std::exception& e) {
      spdlog::error("streamed response cut off: {}", e.what());
      co_return false;  // no last chunk: the client knows the body is incomplete
    }
    auto [ec, n] = co_await asio::async_write(stream, bhttp::make_chunk_last(), kTuple);
    co_return !ec;
  }

  // Routing, CSRF rules, error mapping, metrics and the access log. For a
  // WebSocket route accepting an `upgrade` request, sets `*accepted` (and
  // answers a 101 that is only logged: ServeWebSocket writes the real one).
  asio::awaitable<Response> Handle(Request& req, bool upgrade, WebSocketRun* accepted) {
    const auto start = std::chrono::steady_clock::now();
    req.request_id = SaneRequestId(req.Header("x-request-id"));
    req.lang = NegotiateLang(req.Header("accept-language"));
    const auto q = req.target.find('?');
    const std::string_view raw_path = std::string_view(req.target).substr(0, q);
    req.query = q == std::string::npos ? std::string() : req.target.substr(q + 1);
    Response res;
    std::string route = "(unmatched)";
    auto decoded = PercentDecode(raw_path, false);
    if (!decoded || !IsValidUtf8(*decoded) || decoded->find('\0') != std::string::npos || decoded->empty() ||
        decoded->front() != '/') {
      res = ErrorResponse(Error::Invalid("bad_request", "", "bad request target"), req.lang);
    } else {
      req.path = std::move(*decoded);
      res = co_await Dispatch(req, route, upgrade, accepted);
    }
    res.Set("X-Request-Id", req.request_id);
    // API answers are not cached, unless the route chose (a private download).
    if (req.path.rfind("/api/", 0) == 0 && res.Header("Cache-Control").empty()) {
      res.Set("Cache-Control", "no-store");
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics_.Observe(route, req.method, res.status, seconds);
    Log(req.remote_ip, req.method, req.target, route, res.status, seconds, res.body.size(), req.request_id,
        req.UserAgent());
    co_return res;
  }

  asio::awaitable<Response> Dispatch(Request& req, std::string& route, bool upgrade, WebSocketRun* accepted) {
    const bool is_api = req.path.rfind("/api/", 0) == 0;
    Router::Match m = router_.Find(req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method),
                                   req.path);
    if (is_api && IsStateChanging(req.method) && !m.from_servers) {
      const std::string_view ct = req.Header("content-type");
      // Forms and simple cross-site requests cannot send application/json
      // without a preflight. A DELETE with no body needs no content type:
      // browsers never send DELETE cross-site without a preflight either.
      const bool bodyless_delete = req.method == "DELETE" && req.body.empty() && ct.empty();
      if (!bodyless_delete && !IsJsonContentType(ct) && !IsRouteBodyType(m, ct)) {
        co_return ErrorResponse(Error{ErrorCode::kUnsupportedMedia, "unsupported_media_type", {}, {}}, req.lang);
      }
      const std::string_view origin = req.Header("origin");
      if (!origin.empty() && !OriginAllowed(origin, req)) {
        co_return ErrorResponse(Error::Forbidden("origin_mismatch"), req.lang);
      }
    }
    if (m.websocket != nullptr) {
      route = m.route;
      req.route = m.route;
      req.path_params = std::move(m.params);
      co_return co_await DispatchWebSocket(req, *m.websocket, upgrade, accepted);
    }
    if (m.handler != nullptr) {
      route = m.route;
      req.route = m.route;
      req.path_params = std::move(m.params);
      try {
        co_return co_await (*m.handler)(req);
      } catch (const std::exception& e) {
        spdlog::error("request {} {} {} failed: {}", req.request_id, req.method, req.path, e.what());
        co_return ErrorResponse(Error::Internal(e.what()), req.lang);
      }
    }
    if (m.path_matched) {
      route = m.route;
      Response r = ErrorResponse(Error{ErrorCode::kInvalid, "method_not_allowed", {}, {}}, req.lang);
      r.status = 405;
      co_return r;
    }
    if (is_api) {
      co_return ErrorResponse(Error::NotFound("route_not_found"), req.lang);
    }
    if ((req.method == "GET" || req.method == "HEAD") && static_files_ != nullptr) {
      route = "(static)";
      if (auto r = static_files_->Serve(req)) {
        co_return std::move(*r);
      }
    }
    Response r;
    r.status = 404;
    r.Set("Content-Type", "text/plain; charset=utf-8");
    r.body = "Not found. (The web app is served from the --web directory; build it with `make build`.)\n";
    co_return r;
  }

  // The body limit of the route `target` names (the server's when the route
  // sets none, or nothing matches).
  uint64_t BodyLimitFor(std::string_view method, std::string_view target) const {
    const std::string_view raw_path = target.substr(0, target.find('?'));
    const auto path = PercentDecode(raw_path, false);
    if (path) {
      const Router::Match m = router_.Find(method == "HEAD" ? std::string_view("GET") : method, *path);
      if (m.options != nullptr && m.options->max_body_bytes > 0) {
        return static_cast<uint64_t>(m.options->max_body_bytes);
      }
    }
    return static_cast<uint64_t>(options_.max_body_bytes);
  }

  static bool IsRouteBodyType(const Router::Match& m, std::string_view ct) {
    if (m.options == nullptr || m.options->body_types.empty()) {
      return false;
    }
    const std::string base = AsciiLower(Trim(ct.substr(0, ct.find(';'))));
    return std::find(m.options->body_types.begin(), m.options->body_types.end(), base) != m.options->body_types.end();
  }

  // A browser sends a WebSocket's Origin always and cookies with it, so the
  // cross-site rule of state-changing requests applies (no cross-site
  // WebSocket hijacking); a request without the upgrade headers gets 426.
  asio::awaitable<Response> DispatchWebSocket(Request& req, const WebSocketHandler& handler, bool upgrade,
                                              WebSocketRun* accepted) {
    const std::string_view origin = req.Header("origin");
    if (!origin.empty() && !OriginAllowed(origin, req)) {
      co_return ErrorResponse(Error::Forbidden("origin_mismatch"), req.lang);
    }
    if (!upgrade || accepted == nullptr) {
      Response r = ErrorResponse(Error{ErrorCode::kInvalid, "upgrade_required", {}, {}}, req.lang);
      r.status = 426;
      r.Set("Upgrade", "websocket");
      co_return r;
    }
    try {
      WebSocketUpgrade decision = co_await handler(req);
      if (decision.refuse) {
        co_return std::move(*decision.refuse);
      }
      if (!decision.run) {
        co_return ErrorResponse(Error::Internal("websocket route accepted without a handler"), req.lang);
      }
      *accepted = std::move(decision.run);
      Response r;
      r.status = 101;
      co_return r;
    } catch (const std::exception& e) {
      spdlog::error("request {} {} {} failed: {}", req.request_id, req.method, req.path, e.what());
      co_return ErrorResponse(Error::Internal(e.what()), req.lang);
    }
  }

  bool OriginAllowed(std::string_view origin, const Request& req) const {
    if (!options_.public_origin.empty()) {
      return origin == options_.public_origin;
    }
    // No public origin configured: same-origin with the Host header.
    const std::string_view host = req.Header("host");
    return origin == "http://" + std::string(host) || origin == "https://" + std::string(host);
  }

  void Log(const std::string& ip, std::string_view method, std::string_view target, std::string_view route,
           int status, double seconds, size_t bytes, std::string_view rid, std::string_view ua) {
    if (!access_) {
      return;
    }
    boost::json::object line;
    line["ts_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    line["rid"] = rid;
    line["ip"] = ip;
    line["method"] = method;
    line["target"] = IsValidUtf8(target) ? RedactSecrets(target) : std::string("(invalid utf-8)");
    line["route"] = route;
    line["status"] = status;
    line["ms"] = static_cast<double>(static_cast<int64_t>(seconds * 1e5)) / 100.0;
    line["bytes"] = bytes;
    line["ua"] = IsValidUtf8(ua) ? ua : std::string_view();
    access_->info(boost::json::serialize(line));
  }

  ServerOptions options_;
  const Router& router_;
  Metrics& metrics_;
  const StaticFiles* static_files_;
  const std::vector<std::pair<std::string, std::string>> security_headers_;
  std::string overload_reply_;  // written raw when max_connections is reached
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> next_session_id_{1};
  std::mutex sessions_mu_;
  std::unordered_map<uint64_t, SessionEntry> sessions_;  // GUARDED_BY(sessions_mu_)
  std::string access_name_;
  std::shared_ptr<spdlog::logger> access_;
};

Server::Server(ServerOptions options, const Router& router, Metrics& metrics, const StaticFiles* static_files)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, static_files)) {}
Server::~Server() = default;
std::string Server::Listen() { return impl_->Listen(); }
void Server::Run(bool handle_signals) { impl_->Run(handle_signals); }
void Server::Stop() { impl_->Stop(); }

}  // namespace carecity::http
