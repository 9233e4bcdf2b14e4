// Wiring: opens the store, migrates, builds the services and the route
// table, and runs the HTTP server. One App per process (tests run several).
//
// Thread-safety: Open/Listen/Run are called from one thread; Stop() from any.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>

#include "app/chains.h"
#include "core/channel_keys.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/service.h"
#include "domains/auction/service.h"
#include "domains/casework/service.h"
#include "domains/events/service.h"
#include "domains/fund/service.h"
#include "domains/grants/projects_service.h"
#include "domains/grants/service.h"
// market (issue 12)
#include "domains/market/contracts_service.h"
#include "domains/market/meetings_service.h"
#include "domains/market/service.h"
// training (issue 13)
#include "domains/training/service.h"
#include "domains/reception/service.h"
#include "domains/talent/service.h"
#include "domains/forum/service.h"
#include "domains/news/service.h"
#include "app/news_cards.h"
#include "app/share.h"
#include "app/page_meta.h"
#include "app/home.h"
#include "domains/notify/dispatcher.h"
#include "domains/notify/sms_sender.h"
#include "domains/payments/service.h"
#include "domains/shop/service.h"
#include "domains/villagebook/service.h"
#include "core/access.h"
#include "http/metrics.h"
#include "http/outbound.h"
#include "media/service.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_files.h"
#include "live/hub.h"

namespace carecity::app {

// The live channel's topic of an auction lot (by its public id).
inline std::string AuctionTopic(std::string_view lot_id) { return "auction.lot." + std::string(lot_id); }

inline constexpr const char* kVersion = "0.1.0";

class App {
 public:
  // Opens the database at config.db_url and applies pending migrations.
  // `clock` must outlive the App.
  static Result<std::unique_ptr<App>> Open(const Config& config, const Clock& clock);
  ~App();

  db::Store& store() { return *store_; }
  accounts::AccountsService& accounts() { return *accounts_; }
  payments::PaymentsService& payments() { return *payments_; }
  // The outbox's text-message delivery, or nullptr when [sms] is not
  // configured (messages then wait in the outbox: `carecity outbox`).
  notify::Dispatcher* sms_dispatcher() { return sms_dispatcher_.get(); }
  fund::FundService& fund() { return *fund_; }
  events::EventsService& events() { return *events_; }
  casework::CaseworkService& casework() { return *casework_; }
  media::MediaService& media() { return *media_; }
  // The live channel's hub (in process on SQLite, LISTEN/NOTIFY on
  // PostgreSQL): domains publish a state on it after their commit, and
  // live::AddTopicRoute serves watchers from it.
  live::Hub& hub() { return *hub_; }
  auction::AuctionService& auction() { return *auction_; }
  shop::ShopService& shop() { return *shop_; }
  grants::GrantsService& grants() { return *grants_; }
  grants::ProjectsService& projects() { return *projects_; }
  // market (issue 12)
  market::MarketService& market() { return *market_; }
  market::ContractsService& contracts() { return *contracts_; }
  market::MeetingsService& meetings() { return *meetings_; }
  // training (issue 13)
  training::TrainingService& training() { return *training_; }
  reception::ReceptionService& reception() { return *reception_; }
  talent::TalentService& talent() { return *talent_; }
  villagebook::VillageBookService& villagebooks() { return *villagebooks_; }
  forum::ForumService& forum() { return *forum_; }
  news::NewsService& news() { return *news_; }
  HomeFeed& home() { return *home_; }
  const Config& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  // The outside channels' keys, read at Open (core/channel_keys.h), and the
  // HTTPS client that reaches them: null when no channel is configured.
  const ChannelKeys& channel_keys() const { return channel_keys_; }
  http::OutboundClient* outbound() { return outbound_.get(); }

  // Binds config.listen; returns "http://HOST:PORT".
  std::string Listen();
  // Serves until Stop() or a signal, then closes the store (flushing the
  // writer). Blocks. Maintenance runs every 30 s meanwhile, and begins with
  // a round of checkpoints unless `checkpoint_at_start` is false (tests that
  // count checkpoints).
  void Run(bool handle_signals, bool checkpoint_at_start = true);
  void Stop();

  // Confirms payments whose notification was lost, closes expired ones and
  // finishes unbooked refunds (PaymentsService::Reconcile); `serve` runs it
  // every 30 s for payments older than 60 s.
  void ReconcilePayments();
  // Sends the outbox's due text messages (notify::Dispatcher); `serve` runs
  // it every kDeliverySeconds while [sms] is configured.
  void DeliverMessages();
  static constexpr int kDeliverySeconds = 2;
  // Closes ended auction lots, lapses unpaid ones and expires runner-up
  // offers (AuctionService::RunDue); part of RunMaintenance.
  void RunAuctionDue();
  // The periodic jobs `serve` runs every 30 s: payment reconciliation, shop
  // orders left unpaid past their expiry, event offers that expired,
  // day-before reminders, auction closes, casework retention, chain
  // checkpoints, and rate-limit windows older than a day (bounded batches).
  void RunMaintenance();
  // Signs a checkpoint of each hash chain that grew (Checkpointer::Run);
  // `serve` runs it at start-up (force) and from RunMaintenance (at most
  // every [checkpoints] interval_s). Logs what it wrote and any error.
  CheckpointRound WriteCheckpoints(bool force);
  Checkpointer& checkpointer() { return *checkpointer_; }

 private:
  // Secrets the services need, from the configuration or kept in the
  // database (generated once), and the casework data key and the checkpoint
  // signing key (never there).
  struct Secrets {
    std::string sandbox;
    std::string receipt;
    std::string access;  // guests' access tokens (core/access.h)
    std::string data_key;
    std::string checkpoint_key;  // Ed25519 seed (app/chains.h)
    media::WordFilter words;     // the forum's word list ([forum] word_list)
    ChannelKeys channels;        // the outside channels' keys (files and environment)
    std::unique_ptr<http::OutboundClient> outbound;
  };
  App(const Config& config, const Clock& clock, std::unique_ptr<db::Store> store, Secrets secrets);
  void RegisterRoutes();
  void AddPaymentProviders();

  Config config_;
  const Clock& clock_;
  ChannelKeys channel_keys_;
  std::unique_ptr<http::OutboundClient> outbound_;
  std::unique_ptr<db::Store> store_;
  boost::asio::thread_pool cpu_;
  std::unique_ptr<AccessTokens> access_tokens_;
  std::unique_ptr<accounts::AccountsService> accounts_;
  std::unique_ptr<payments::PaymentsService> payments_;
  std::unique_ptr<notify::SmsSender> sms_sender_;
  std::unique_ptr<notify::Dispatcher> sms_dispatcher_;
  std::unique_ptr<fund::FundService> fund_;
  std::unique_ptr<events::EventsService> events_;
  std::unique_ptr<casework::CaseworkService> casework_;
  std::unique_ptr<media::MediaService> media_;
  std::unique_ptr<auction::AuctionService> auction_;
  std::unique_ptr<shop::ShopService> shop_;
  std::unique_ptr<grants::GrantsService> grants_;
  std::unique_ptr<grants::ProjectsService> projects_;
  // market (issue 12)
  std::unique_ptr<market::MarketService> market_;
  std::unique_ptr<market::ContractsService> contracts_;
  std::unique_ptr<market::MeetingsService> meetings_;
  // training (issue 13)
  std::unique_ptr<training::TrainingService> training_;
  std::unique_ptr<reception::ReceptionService> reception_;
  std::unique_ptr<talent::TalentService> talent_;
  std::unique_ptr<villagebook::VillageBookService> villagebooks_;
  std::unique_ptr<forum::ForumService> forum_;
  std::unique_ptr<news::NewsService> news_;
  std::unique_ptr<RouterCards> cards_;  // asks router_ for an article's related items
  std::unique_ptr<SharePosters> share_;  // asks router_ too
  std::unique_ptr<PageMeta> page_meta_;   // fills share tags into index.html
  std::unique_ptr<HomeFeed> home_;  // reads router_, declared after it is filled
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<live::Hub> hub_;  // outlives the server and its sockets' subscriptions
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<http::StaticFiles> static_files_;
  std::unique_ptr<http::Server> server_;
};

// StoreOptions from the [database] section.
db::StoreOptions StoreOptionsFrom(const Config& config);

}  // namespace carecity::app
