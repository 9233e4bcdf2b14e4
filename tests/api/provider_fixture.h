// What the tests of a real payment provider against its double share: a
// PaymentsService over the test database with counting handlers, and "our
// notify route" played by a plain-HTTP server that hands each notification
// to the service as the real route does (the doubles post to it).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "core/run_sync.h"
#include "doubles/double_server.h"
#include "doubles/test_pki.h"
#include "domains/payments/service.h"
#include "http/json.h"
#include "http/outbound.h"
#include "support/test_server.h"

namespace carecity::testing {

class ProviderFixture : public ::testing::Test {
 protected:
  explicit ProviderFixture(std::string provider)
      : provider_(std::move(provider)),
        receiver_(doubles::DoubleServer::Options{.tls = false}),
        svc_(server_.app().store(), server_.clock(), tokens_) {
    auto client = http::OutboundClient::Create({doubles::SharedPki().ca_cert_path});
    EXPECT_TRUE(client.ok());
    client_ = std::move(*client);
    receiver_.Route("POST", NotifyPath(), [this](const doubles::Request& req) {
      const payments::HeaderLookup header = [&req](std::string_view name) -> std::string_view {
        auto it = req.headers.find(std::string(name));
        return it == req.headers.end() ? std::string_view() : std::string_view(it->second);
      };
      auto outcome = RunSync(svc_.HandleNotify(provider_, req.body, header));
      doubles::Response res;
      if (!outcome.ok()) {
        res.status = http::StatusFor(outcome.error().code);
        res.body = R"({"code":"FAIL","message":")" + outcome.error().key + "\"}";
        return res;
      }
      const payments::NotifyReply reply = svc_.Acknowledge(provider_, *outcome);
      res.status = reply.status;
      res.content_type = reply.content_type;
      res.body = reply.body;
      return res;
    });
    payments::PaymentHandlers h;
    h.paid = [this](db::Tx&, const payments::Payment&, int64_t) -> Status {
      ++credits_;
      return {};
    };
    h.closed = [this](db::Tx&, const payments::Payment&, int64_t) -> Status {
      ++closes_;
      return {};
    };
    h.refunded = [this](db::Tx&, const payments::Payment&, const payments::PaymentRefund&, int64_t) -> Status {
      ++refunds_booked_;
      return {};
    };
    svc_.Handle("gift", std::move(h));
    svc_.set_notify_base_url("http://127.0.0.1:9");
    svc_.set_public_origin("https://care.example.cn");
  }

  std::string NotifyPath() const { return "/api/v1/payments/notify/" + provider_; }
  std::string NotifyUrl() const { return receiver_.base_url() + NotifyPath(); }

  // A payment of this provider, after its donation's commit: nothing is
  // opened at the provider yet.
  payments::Payment NewPayment(int64_t ref, int64_t amount) {
    auto p = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      payments::NewPayment np;
      np.purpose = "gift";
      np.ref_id = ref;
      np.amount_fen = amount;
      np.description = "关爱基金捐赠";
      np.return_url = "/fund/donations/" + std::to_string(ref);
      np.provider = provider_;
      return svc_.CreateTx(tx, np, server_.clock().NowMs());
    });
    EXPECT_TRUE(p.ok());
    EXPECT_TRUE(RunSync(svc_.Open(*p, "203.0.113.9")).ok());
    return *p;
  }
  Caller PayerOf(const payments::Payment& p) const {
    return Caller{std::nullopt, tokens_.Issue("payment", p.public_id)};
  }
  std::string StateOf(const payments::Payment& p) { return RunSync(svc_.Get(p.public_id, PayerOf(p)))->status; }

  std::string provider_;
  TestServer server_;
  doubles::DoubleServer receiver_;
  std::unique_ptr<http::OutboundClient> client_;
  AccessTokens tokens_{"a test secret of at least thirty-two bytes"};
  payments::PaymentsService svc_;
  std::atomic<int> credits_{0};
  std::atomic<int> closes_{0};
  std::atomic<int> refunds_booked_{0};
};

}  // namespace carecity::testing
