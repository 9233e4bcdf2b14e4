#include "http/client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdlib>

namespace carecity::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

asio::awaitable<Result<ClientResponse>> PostJson(const std::string& url, const std::string& body,
                                                 const std::map<std::string, std::string>& headers) {
  constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
  const std::string prefix = "http://";
  if (url.rfind(prefix, 0) != 0) {
    co_return Error{ErrorCode::kInternal, "upstream_unreachable", {}, "only http:// URLs: " + url};
  }
  const auto slash = url.find('/', prefix.size());
  const std::string hostport = url.substr(prefix.size(), slash - prefix.size());
  const std::string target = slash == std::string::npos ? "/" : url.substr(slash);
  const auto colon = hostport.rfind(':');
  const std::string host = colon == std::string::npos ? hostport : hostport.substr(0, colon);
  const std::string port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);

  auto ex = co_await asio::this_coro::executor;
  beast::tcp_stream stream(ex);
  stream.expires_after(std::chrono::seconds(10));
  // A numeric address needs no resolver (which runs getaddrinfo on a thread).
  boost::system::error_code aec;
  const auto address = asio::ip::make_address(host, aec);
  const auto port_num = static_cast<unsigned short>(std::atoi(port.c_str()));
  if (!aec) {
    auto [cec] = co_await stream.async_connect(tcp::endpoint(address, port_num), kTuple);
    if (cec) {
      co_return Error{ErrorCode::kInternal, "upstream_unreachable", {}, cec.message()};
    }
  } else {
    tcp::resolver resolver(ex);
    auto [rec, endpoints] = co_await resolver.async_resolve(host, port, kTuple);
    if (rec) {
      co_return Error{ErrorCode::kInternal, "upstream_unreachable", {}, rec.message()};
    }
    auto [cec, ep] = co_await stream.async_connect(endpoints, kTuple);
    if (cec) {
      co_return Error{ErrorCode::kInternal, "upstream_unreachable", {}, cec.message()};
    }
  }
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
  req.set(bhttp::field::host, hostport);
  req.set(bhttp::field::content_type, "application/json");
  req.set(bhttp::field::user_agent, "carecity-sandbox-provider");
  for (const auto& [k, v] : headers) {
    req.set(k, v);
  }
  req.body() = body;
  req.prepare_payload();
  auto [wec, wn] = co_await bhttp::async_write(stream, req, kTuple);
  if (wec) {
    co_return Error{ErrorCode::kInternal, "upstream_unreachable", {}, wec.message()};
  }
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  auto [rdec, rn] = co_await bhttp::async_read(stream, buffer, res, kTuple);
  if (rdec) {
    co_return Error{ErrorCode::kInternal, "upstream_unreachable", {}, rdec.message()};
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  co_return ClientResponse{static_cast<int>(res.result_int()), std::move(res.body())};
}

}  // namespace carecity::http
