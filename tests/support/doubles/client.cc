#include "doubles/client.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
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
using Clock = std::chrono::steady_clock;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr auto kTimeout = std::chrono::seconds(10);
constexpr size_t kBodyLimit = 8 * 1024 * 1024;
constexpr unsigned short kHttpPort = 80;
constexpr unsigned short kHttpsPort = 443;
constexpr const char* kUserAgent = "carecity-doubles-client/1";

struct Url {
  bool tls = false;
  std::string authority;  // host[:port] as written: the Host header
  std::string host;       // without brackets
  unsigned short port = 0;
  std::string target;  // path and query, "/" at least
};

using common::ToLower;

// Parses the URL forms tests use; throws std::invalid_argument (Send turns it into `error`).
Url ParseUrl(const std::string& url) {
  Url out;
  size_t rest = 0;
  if (url.rfind("https://", 0) == 0) {
    out.tls = true;
    rest = std::string_view("https://").size();
  } else if (url.rfind("http://", 0) == 0) {
    rest = std::string_view("http://").size();
  } else {
    throw std::invalid_argument("bad url (want http:// or https://): " + url);
  }
  size_t slash = url.find_first_of("/?#", rest);
  out.authority = url.substr(rest, slash == std::string::npos ? std::string::npos : slash - rest);
  out.target = slash == std::string::npos ? "/" : url.substr(slash);
  out.target = out.target.substr(0, out.target.find('#'));  // a fragment never goes on the wire
  if (out.target.empty() || out.target[0] == '?') {
    out.target = "/" + out.target;
  }
  std::string port_text;
  if (!out.authority.empty() && out.authority[0] == '[') {
    size_t close = out.authority.find(']');
    if (close == std::string::npos) {
      throw std::invalid_argument("bad url (unclosed '['): " + url);
    }
    out.host = out.authority.substr(1, close - 1);
    if (close + 1 < out.authority.size()) {
      if (out.authority[close + 1] != ':') {
        throw std::invalid_argument("bad url (junk after ']'): " + url);
      }
      port_text = out.authority.substr(close + 2);
    }
  } else {
    size_t colon = out.authority.rfind(':');
    out.host = out.authority.substr(0, colon);
    if (colon != std::string::npos) {
      port_text = out.authority.substr(colon + 1);
    }
  }
  if (out.host.empty()) {
    throw std::invalid_argument("bad url (no host): " + url);
  }
  out.port = out.tls ? kHttpsPort : kHttpPort;
  if (!port_text.empty()) {
    size_t used = 0;
    unsigned long port = 0;
    try {
      port = std::stoul(port_text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != port_text.size() || port == 0 || port > 65535) {
      throw std::invalid_argument("bad url (port): " + url);
    }
    out.port = static_cast<unsigned short>(port);
  }
  return out;
}

bool IsIpLiteral(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

std::string Failure(const char* step, const beast::error_code& ec) { return std::string(step) + ": " + ec.message(); }

template <class Stream>
asio::awaitable<void> Exchange(Stream& stream, const Url& url, const http::request<http::string_body>& req,
                               Clock::time_point deadline, ClientResult& out) {
  auto& lowest = beast::get_lowest_layer(stream);
  tcp::resolver resolver(co_await asio::this_coro::executor);
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(url.host, std::to_string(url.port), kTuple);
  if (resolve_ec) {
    out.error = Failure("resolve", resolve_ec);
    co_return;
  }
  lowest.expires_at(deadline);
  auto [connect_ec, endpoint] = co_await lowest.async_connect(endpoints, kTuple);
  if (connect_ec) {
    out.error = Failure("connect", connect_ec);
    co_return;
  }
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    lowest.expires_at(deadline);
    auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::client, kTuple);
    if (handshake_ec) {
      out.error = Failure("tls handshake", handshake_ec);
      long verify = SSL_get_verify_result(stream.native_handle());
      if (verify != X509_V_OK) {
        out.error += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
      }
      co_return;
    }
  }
  lowest.expires_at(deadline);
  auto [write_ec, write_n] = co_await http::async_write(stream, req, kTuple);
  if (write_ec) {
    out.error = Failure("write", write_ec);
    co_return;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kBodyLimit);
  if (req.method() == http::verb::head) {
    parser.skip(true);
  }
  lowest.expires_at(deadline);
  auto [read_ec, read_n] = co_await http::async_read(stream, buffer, parser, kTuple);
  if (read_ec) {
    out.error = Failure("read", read_ec);
    co_return;
  }
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    auto [it, inserted] = out.headers.emplace(ToLower(field.name_string()), std::string(field.value()));
    if (!inserted) {
      it->second += ", " + std::string(field.value());
    }
  }
  out.body = res.body();
  lowest.close();  // one request per connection; no close_notify wait (the server may not send one)
}

template <class Stream>
void Run(asio::io_context& ioc, Stream& stream, const Url& url, const http::request<http::string_body>& req,
         ClientResult& out) {
  Clock::time_point deadline = Clock::now() + kTimeout;
  asio::co_spawn(ioc, Exchange(stream, url, req, deadline, out), [&out](std::exception_ptr e) {
    if (!e) {
      return;
    }
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      out.error = std::string("client: ") + ex.what();
    } catch (...) {
      out.error = "client: unknown exception";
    }
  });
  ioc.run();
}

http::request<http::string_body> BuildRequest(const std::string& method, const Url& url, const std::string& body,
                                              const std::vector<std::pair<std::string, std::string>>& headers) {
  http::request<http::string_body> req;
  req.version(11);
  http::verb verb = http::string_to_verb(method);
  if (verb == http::verb::unknown) {
    req.method_string(method);
  } else {
    req.method(verb);
  }
  req.target(url.target);
  bool has_host = false;
  bool has_agent = false;
  bool has_connection = false;
  for (const auto& [name, value] : headers) {
    std::string lower = ToLower(name);
    has_host = has_host || lower == "host";
    has_agent = has_agent || lower == "user-agent";
    has_connection = has_connection || lower == "connection";
  }
  if (!has_host) {
    req.set(http::field::host, url.authority);
  }
  if (!has_agent) {
    req.set(http::field::user_agent, kUserAgent);
  }
  if (!has_connection) {
    req.set(http::field::connection, "close");
  }
  for (const auto& [name, value] : headers) {
    req.insert(name, value);
  }
  req.body() = body;
  req.prepare_payload();
  return req;
}

}  // namespace

ClientResult Send(const std::string& method, const std::string& url, const std::string& body,
                  const std::vector<std::pair<std::string, std::string>>& headers, const std::string& ca_pem) {
  ClientResult out;
  try {
    Url parsed = ParseUrl(url);
    http::request<http::string_body> req = BuildRequest(method, parsed, body, headers);
    asio::io_context ioc;
    if (!parsed.tls) {
      PlainStream stream(ioc);
      Run(ioc, stream, parsed, req, out);
    } else {
      ssl::context ctx(ssl::context::tls_client);
      if (SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1) {
        throw std::runtime_error("cannot set TLS 1.2 as the minimum");
      }
      ctx.set_verify_mode(ssl::verify_peer);
      const std::string& trusted = ca_pem.empty() ? SharedPki().ca_cert_pem : ca_pem;
      ctx.add_certificate_authority(asio::buffer(trusted));
      TlsStream stream(ioc, ctx);
      SSL* ssl_handle = stream.native_handle();
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      bool ok = false;
      if (IsIpLiteral(parsed.host)) {
        ok = X509_VERIFY_PARAM_set1_ip_asc(param, parsed.host.c_str()) == 1;
      } else {
        ok = X509_VERIFY_PARAM_set1_host(param, parsed.host.c_str(), 0) == 1 &&
             SSL_set_tlsext_host_name(ssl_handle, parsed.host.c_str()) == 1;
      }
      if (!ok) {
        throw std::runtime_error("cannot set the expected peer name " + parsed.host);
      }
      Run(ioc, stream, parsed, req, out);
    }
  } catch (const std::exception& e) {
    out.error = std::string("client: ") + e.what();
  }
  if (!out.error.empty()) {
    out.status = 0;
    out.headers.clear();
    out.body.clear();
  }
  return out;
}

}  // namespace doubles
