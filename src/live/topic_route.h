// A WebSocket route that shows one topic's live state:
//
//   live::AddTopicRoute(router, hub, "/ws/auctions/{id}",
//       [](std::string_view id) { return "auction.lot." + std::string(id); },
//       [&auctions](std::string id, const http::Request& req) { return auctions.LiveSnapshot(id, req); });
//
// On an upgrade request it subscribes to the topic of the path's (only)
// parameter, then asks `snapshot` for the state: an error is answered as a
// plain HTTP error before upgrading (not_found → 404, so unknown ids never
// open a socket). Otherwise the socket opens with the snapshot and then
// carries every payload published on the topic; when the hub says messages
// may have been missed (a payload too large for NOTIFY, the listening
// connection back after a drop) it sends a fresh snapshot. A snapshot that
// fails later closes the socket (the page reconnects and gets the 404).
//
// Ordering: what was published while a snapshot was being read is sent after
// that snapshot. Publishes from several servers may arrive out of commit
// order: payloads should carry a version (a bid count) so the page keeps the
// newest.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/message.h"
#include "http/router.h"
#include "live/hub.h"

namespace carecity::live {

using TopicOf = std::function<std::string(std::string_view id)>;
// The topic's current state for the caller (the request carries the session
// cookie), or an error (not_found for an unknown id or one the caller may not
// see). Called on connecting and on every resync, on an I/O thread.
using SnapshotFn = std::function<boost::asio::awaitable<Result<std::string>>(std::string id, const http::Request& req)>;

// `hub` must outlive the router's server.
void AddTopicRoute(http::Router& router, Hub& hub, std::string pattern, TopicOf topic_of, SnapshotFn snapshot);

}  // namespace carecity::live
