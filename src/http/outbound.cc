#include "http/outbound.h"

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/text.h"

namespace carecity::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

Error Upstream(const char* key, std::string detail) {
  return Error{ErrorCode::kUnavailable, key, {}, std::move(detail)};
}

bool IsLoopback(const std::string& host) {
  if (host == "localhost") {
    return true;
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

}  // namespace

Result<ParsedUrl> ParseUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    return Error::Invalid("bad_url", "", "not a URL: " + std::string(url));
  }
  const boost::urls::url_view& u = *parsed;
  ParsedUrl out;
  const std::string scheme = AsciiLower(u.scheme());
  if (scheme != "https" && scheme != "http") {
    return Error::Invalid("bad_url", "", "only https:// (or http:// to this machine): " + std::string(url));
  }
  out.tls = scheme == "https";
  out.host = u.host_type() == boost::urls::host_type::ipv6 ? std::string(u.host_address()) : AsciiLower(u.host());
  if (out.host.empty() || u.has_userinfo() || u.has_fragment()) {
    return Error::Invalid("bad_url", "", "a URL with a host, and without user or fragment: " + std::string(url));
  }
  if (!out.tls && !IsLoopback(out.host)) {
    return Error::Invalid("bad_url", "", "http:// only to this machine; use https://: " + std::string(url));
  }
  const std::string default_port = out.tls ? "443" : "80";
  out.port = u.has_port() ? std::string(u.port()) : default_port;
  if (out.port.empty() || out.port.size() > 5 || out.port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(out.port) < 1 || std::stoi(out.port) > 65535) {
    return Error::Invalid("bad_url", "", "bad port: " + std::string(url));
  }
  out.host_header = std::string(u.encoded_host_and_port());
  if (u.has_port() && out.port == default_port) {
    out.host_header = std::string(u.encoded_host());
  }
  out.target = std::string(u.encoded_target());
  if (out.target.empty()) {
    out.target = "/";
  }
  return out;
}

const std::string& OutboundResponse::header(const std::string& lower_name) const {
  static const std::string kNone;
  auto it = headers.find(lower_name);
  return it == headers.end() ? kNone : it->second;
}

struct OutboundClient::Impl {
  ssl::context tls{ssl::context::tls_client};
};

OutboundClient::OutboundClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OutboundClient::~OutboundClient() = default;

Result<std::unique_ptr<OutboundClient>> OutboundClient::Create(const TlsOptions& options) {
  auto impl = std::make_unique<Impl>();
  boost::system::error_code ec;
  impl->tls.set_default_verify_paths(ec);
  if (ec) {
    return Error::Internal("the system's CA store: " + ec.message());
  }
  if (!options.extra_ca_file.empty()) {
    std::ifstream in(options.extra_ca_file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      return Error::Invalid("invalid_config", "tls.extra_ca_file", "cannot read " + options.extra_ca_file);
    }
    const std::string pem = text.str();
    impl->tls.add_certificate_authority(asio::buffer(pem), ec);
    if (ec || pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      return Error::Invalid("invalid_config", "tls.extra_ca_file",
                            options.extra_ca_file + " is not a PEM file of certificates" +
                                (ec ? ": " + ec.message() : std::string()));
    }
  }
  impl->tls.set_verify_mode(ssl::verify_peer);
  SSL_CTX_set_min_proto_version(impl->tls.native_handle(), TLS1_2_VERSION);
  return std::unique_ptr<OutboundClient>(new OutboundClient(std::move(impl)));
}

namespace {

// Connects `socket` (the lowest layer of either stream) to host:port.
asio::awaitable<Status> Connect(beast::tcp_stream& stream, const ParsedUrl& url) {
  auto ex = co_await asio::this_coro::executor;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(url.host, ec);
  if (!ec) {
    // A numeric address needs no resolver (which runs getaddrinfo on a thread).
    auto [cec] = co_await stream.async_connect(
        tcp::endpoint(address, static_cast<unsigned short>(std::stoi(url.port))), kTuple);
    if (cec) {
      co_return Upstream("upstream_unreachable", "connect " + url.host_header + ": " + cec.message());
    }
    co_return Status{};
  }
  tcp::resolver resolver(ex);
  auto [rec, endpoints] = co_await resolver.async_resolve(url.host, url.port, kTuple);
  if (rec) {
    co_return Upstream("upstream_unreachable", "resolve " + url.host + ": " + rec.message());
  }
  auto [cec, ep] = co_await stream.async_connect(endpoints, kTuple);
  if (cec) {
    co_return Upstream("upstream_unreachable", "connect " + url.host_header + ": " + cec.message());
  }
  co_return Status{};
}

template <class Stream>
asio::awaitable<Result<OutboundResponse>> Exchange(Stream& stream, const ParsedUrl& url, OutboundRequest& request) {
  const bhttp::verb verb = bhttp::string_to_verb(request.method);
  if (verb == bhttp::verb::unknown) {
    co_return Error::Internal("unknown HTTP method " + request.method);
  }
  bhttp::request<bhttp::string_body> req{verb, url.target, 11};
  req.set(bhttp::field::host, url.host_header);
  req.set(bhttp::field::user_agent, "CareCity/1.0");
  for (const auto& [name, value] : request.headers) {
    req.set(name, value);
  }
  req.body() = std::move(request.body);
  req.prepare_payload();
  auto [wec, wn] = co_await bhttp::async_write(stream, req, kTuple);
  if (wec) {
    co_return Upstream("upstream_unreachable", "send to " + url.host_header + ": " + wec.message());
  }
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(request.max_body);
  auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
  if (rec == bhttp::error::body_limit) {
    co_return Upstream("upstream_too_large", url.host_header + " answered more than " +
                                                 std::to_string(request.max_body) + " bytes");
  }
  if (rec) {
    co_return Upstream("upstream_unreachable", "answer from " + url.host_header + ": " + rec.message());
  }
  auto res = parser.release();
  OutboundResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    out.headers[AsciiLower(field.name_string())] = std::string(field.value());
  }
  out.body = std::move(res.body());
  co_return out;
}

}  // namespace

asio::awaitable<Result<OutboundResponse>> OutboundClient::Send(OutboundRequest request) {
  const auto started = std::chrono::steady_clock::now();
  auto url = ParseUrl(request.url);
  if (!url.ok()) {
    co_return std::move(url).error();
  }
  auto ex = co_await asio::this_coro::executor;
  std::optional<Result<OutboundResponse>> result;
  if (!url->tls) {
    beast::tcp_stream stream(ex);
    stream.expires_after(request.deadline);
    if (auto st = co_await Connect(stream, *url); !st.ok()) {
      result.emplace(std::move(st).error());
    } else {
      result.emplace(co_await Exchange(stream, *url, request));
      boost::system::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }
  } else {
    beast::ssl_stream<beast::tcp_stream> stream(ex, impl_->tls);
    beast::get_lowest_layer(stream).expires_after(request.deadline);
    boost::system::error_code ec;
    (void)asio::ip::make_address(url->host, ec);
    // SNI carries names only; an IP literal is checked against the
    // certificate's IP addresses instead.
    if (ec && !SSL_set_tlsext_host_name(stream.native_handle(), url->host.c_str())) {
      co_return Upstream("upstream_tls_error", "cannot set the TLS server name " + url->host);
    }
    stream.set_verify_callback(ssl::host_name_verification(url->host));
    if (auto st = co_await Connect(beast::get_lowest_layer(stream), *url); !st.ok()) {
      result.emplace(std::move(st).error());
    } else if (auto [hec] = co_await stream.async_handshake(ssl::stream_base::client, kTuple); hec) {
      const bool late = hec == beast::error::timeout;
      result.emplace(Upstream(late ? "upstream_unreachable" : "upstream_tls_error",
                              "TLS with " + url->host_header + ": " + hec.message()));
    } else {
      result.emplace(co_await Exchange(stream, *url, request));
      // A polite close, bounded: the answer is already in hand.
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
      co_await stream.async_shutdown(kTuple);
    }
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  const auto path = url->target.substr(0, url->target.find('?'));
  if (result->ok()) {
    spdlog::debug("outbound {} {}{} {} {} ms", request.method, url->host_header, path, (*result)->status,
                  ms.count());
  } else {
    spdlog::warn("outbound {} {}{} failed after {} ms: {}", request.method, url->host_header, path, ms.count(),
                 result->error().key);
  }
  co_return std::move(*result);
}

}  // namespace carecity::http
