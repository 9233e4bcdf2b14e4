#include "app/app.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/keys.h"
#include "core/crypto.h"
#include "core/run_sync.h"
#include "db/idempotency.h"
#include "db/migrations.h"
#include "db/rate_limit.h"
#include "domains/notify/tencent_sms.h"
#include "domains/payments/alipay_provider.h"
#include "domains/payments/wechatpay_provider.h"

namespace carecity::app {

db::StoreOptions StoreOptionsFrom(const Config& config) {
  db::StoreOptions o;
  o.read_connections = config.read_connections;
  o.write_queue_limit = config.write_queue_limit;
  o.max_batch = config.max_batch;
  o.sqlite_synchronous = config.sqlite_synchronous;
  return o;
}

namespace {

// Rate-limit pruning per maintenance run: batches of this many rows, each its
// own short write transaction, and at most this many batches (a backlog is
// worked off over several runs without holding the writer for long).
constexpr int64_t kRateLimitPruneBatch = 1000;
constexpr int kRateLimitPruneBatchesPerRun = 20;

// The key that seals casework's sensitive fields: from the configuration,
// else from its file, else a new one written to that file (0600). Never
// stored in the database it protects.
Result<std::string> LoadDataKey(const Config& config) {
  const CaseworkConfig& c = config.casework;
  auto key = LoadKey({c.data_key,
                      c.data_key_file.empty() ? BesideDatabase(config.db_url, ".key", "carecity-data.key")
                                              : c.data_key_file,
                      "casework.data_key", "casework.data_key_file", "casework data key"},
                     true);
  if (!key.ok()) {
    return std::move(key).error();
  }
  return std::move(**key);
}

// [payments] provider: empty, or one that is configured.
Status CheckPaymentProvider(const Config& config) {
  const std::string& name = config.channels.payment_provider;
  if (name.empty() || (name == "wechatpay" && config.channels.wechatpay) ||
      (name == "alipay" && config.channels.alipay) || (name == "sandbox" && config.sandbox.enabled)) {
    return {};
  }
  return Error::Invalid("invalid_config", "payments.provider",
                        "\"" + name + "\" is not a configured payment provider: configure [payments." + name +
                            "] (or [payments] sandbox = true), or name wechatpay, alipay or sandbox");
}

}  // namespace

Result<std::unique_ptr<App>> App::Open(const Config& config, const Clock& clock) {
  if (config.sandbox.enabled && !config.sandbox.allow_on_https && config.public_origin.rfind("https://", 0) == 0) {
    return Error::Invalid("invalid_config", "payments.sandbox",
                          "the sandbox payment provider takes no money and marks any order paid on request, so it "
                          "must not run on a public https site (" +
                              config.public_origin +
                              "); set [payments] sandbox = false, or sandbox_on_https = true for a staging site");
  }
  CC_TRY(CheckPasswordCost(config));
  CC_TRY(CheckPaymentProvider(config));
  if (config.allow_test_password_cost && (config.password_cost.memlimit_bytes < kMinArgon2MemlimitBytes ||
                                          config.password_cost.opslimit < kMinArgon2Opslimit)) {
    spdlog::warn("security.argon2_allow_test_cost: password hashes use a test cost; never run a real server so");
  }
  if (auto increments = auction::IncrementTable::Parse(config.auction.increments); !increments.ok()) {
    return Error::Invalid("invalid_config", "auction.increments",
                          "from_fen:step_fen bands starting at 0, ascending, steps positive and never smaller");
  }
  // The outside channels' keys before anything else: a configured provider
  // that cannot sign stops the server with the setting and file named.
  auto channel_keys = LoadChannelKeys(config, clock.NowMs());
  if (!channel_keys.ok()) {
    return std::move(channel_keys).error();
  }
  for (const std::string& warning : channel_keys->warnings) {
    spdlog::warn("{}", warning);
  }
  std::unique_ptr<http::OutboundClient> outbound;
  if (config.channels.any_provider()) {
    auto client = http::OutboundClient::Create({config.channels.tls.extra_ca_file});
    if (!client.ok()) {
      return std::move(client).error();
    }
    outbound = std::move(*client);
  }
  auto store = db::OpenStore(config.db_url, StoreOptionsFrom(config));
  if (!store.ok()) {
    return std::move(store).error();
  }
  try {
    const auto applied = db::Migrate(**store, clock.NowMs());
    for (int64_t v : applied) {
      spdlog::info("applied migration {}", v);
    }
  } catch (const db::DbError& e) {
    return Error{ErrorCode::kUnavailable, "migration_failed", "db", e.what()};
  }
  // Secrets that must survive restarts but need no operator: generated once
  // and kept in the database, unless the configuration sets them.
  Secrets secrets;
  secrets.channels = std::move(*channel_keys);
  secrets.outbound = std::move(outbound);
  secrets.sandbox = config.sandbox.secret;
  secrets.receipt = config.fund.receipt_secret;
  try {
    db::WriteSync(**store, [&](db::Tx& tx) {
      const auto ensure = [&tx](const char* key) {
        tx.Exec("INSERT INTO platform_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                {key, RandomToken()});
        return tx.Query("SELECT value FROM platform_settings WHERE key = $1", {key}).front().Text(0);
      };
      if (secrets.sandbox.empty()) {
        secrets.sandbox = ensure("payments.sandbox.secret");
      }
      if (secrets.receipt.empty()) {
        secrets.receipt = ensure("fund.receipt_secret");
      }
      secrets.access = ensure("platform.access_secret");
      return true;
    });
  } catch (const db::DbError& e) {
    return Error{ErrorCode::kUnavailable, "database_unavailable", "db", e.what()};
  }
  auto data_key = LoadDataKey(config);
  if (!data_key.ok()) {
    return std::move(data_key).error();
  }
  // A sealed check value ties the database to its key: a server started
  // with another key (a second server, a lost key file) refuses to run
  // rather than seal new data it cannot read back alongside old data it
  // cannot open.
  try {
    const bool matches = db::WriteSync(**store, [&](db::Tx& tx) {
      constexpr const char* kCheck = "carecity-data-key-check";
      tx.Exec("INSERT INTO platform_settings (key, value) VALUES ('casework.key_check', $1) ON CONFLICT (key) DO NOTHING",
              {Seal(*data_key, kCheck)});
      const auto sealed =
          tx.Query("SELECT value FROM platform_settings WHERE key = 'casework.key_check'").front().Text(0);
      return carecity::Open(*data_key, sealed) == std::optional<std::string>(kCheck);
    });
    if (!matches) {
      return Error{ErrorCode::kUnavailable, "invalid_config", "casework.data_key",
                   "this database's sensitive fields were sealed with another data key; configure that key "
                   "([casework] data_key or data_key_file, or CARECITY_DATA_KEY)"};
    }
  } catch (const db::DbError& e) {
    return Error{ErrorCode::kUnavailable, "database_unavailable", "db", e.what()};
  }
  secrets.data_key = std::move(data_key).value();
  // The key that signs the chains' checkpoints: outside the database too.
  auto checkpoint_key = LoadCheckpointKey(config, true);
  if (!checkpoint_key.ok()) {
    return std::move(checkpoint_key).error();
  }
  secrets.checkpoint_key = std::move(**checkpoint_key);
  // The forum's sensitive-word list: a configured file that cannot be read
  // or parsed stops the server, naming it.
  if (!config.forum.word_list.empty()) {
    auto words = media::WordFilter::Load(config.forum.word_list);
    if (!words.ok()) {
      Error e = std::move(words).error();
      e.field = "forum.word_list";
      return e;
    }
    secrets.words = std::move(words).value();
  }
  auto app = std::unique_ptr<App>(new App(config, clock, std::move(store).value(), std::move(secrets)));
  db::WriteSync(app->store(), [&](db::Tx& tx) {
    app->fund().EnsureAccountsTx(tx, clock.NowMs());
    return true;
  });
  // Sensitive fields sealed before they were bound to their row are
  // re-sealed before anyone is answered (once; see ResealUnbound).
  try {
    auto resealed = app->casework().ResealUnbound();
    if (!resealed.ok()) {
      return std::move(resealed).error();
    }
  } catch (const db::DbError& e) {
    return Error{ErrorCode::kUnavailable, "database_unavailable", "db", e.what()};
  }
  return app;
}

App::App(const Config& config, const Clock& clock, std::unique_ptr<db::Store> store, Secrets secrets)
    : config_(config),
      clock_(clock),
      channel_keys_(std::move(secrets.channels)),
      outbound_(std::move(secrets.outbound)),
      store_(std::move(store)),
      cpu_(2),
      access_tokens_(std::make_unique<AccessTokens>(std::move(secrets.access))) {
  accounts_ = std::make_unique<accounts::AccountsService>(*store_, cpu_, clock_, config_);
  payments_ = std::make_unique<payments::PaymentsService>(*store_, clock_, *access_tokens_);
  if (config_.sandbox.enabled) {
    payments_->AddSandbox(
        std::make_unique<payments::SandboxProvider>(*store_, clock_, config_.sandbox, std::move(secrets.sandbox)));
  }
  AddPaymentProviders();
  if (config_.channels.sms && channel_keys_.sms_secret_key && outbound_) {
    sms_sender_ = std::make_unique<notify::TencentSmsSender>(*config_.channels.sms, *channel_keys_.sms_secret_key,
                                                             *outbound_, clock_);
    sms_dispatcher_ = std::make_unique<notify::Dispatcher>(*store_, clock_, *sms_sender_, *config_.channels.sms);
  }
  fund_ = std::make_unique<fund::FundService>(*store_, *payments_, clock_, config_, std::move(secrets.receipt));
  events_ = std::make_unique<events::EventsService>(*store_, *accounts_, clock_);
  // Images are encoded on the same CPU pool as password hashes.
  media_ = std::make_unique<media::MediaService>(*store_, cpu_, clock_, config_.media, config_.rate_limits);
  // The shop seals delivery addresses with the same data key as casework.
  shop_ = std::make_unique<shop::ShopService>(*store_, *accounts_, *events_, *fund_, *payments_, *media_, clock_,
                                              config_, secrets.data_key);
  // 党员接待室 visits seal the resident's name and phone with the same key.
  const std::string reception_key = secrets.data_key;
  casework_ = std::make_unique<casework::CaseworkService>(*store_, *accounts_, clock_, config_.casework,
                                                          std::move(secrets.data_key));
  auction_ = std::make_unique<auction::AuctionService>(*store_, *payments_, *fund_, *media_, clock_,
                                                      config_.auction);
  // The assigner runs on the same CPU pool as password hashes.
  grants_ = std::make_unique<grants::GrantsService>(*store_, *fund_, *accounts_, cpu_, clock_);
  projects_ = std::make_unique<grants::ProjectsService>(*store_, *fund_, clock_);
  // market (issue 12): the catalogue, needs, surveys and matching.
  market_ = std::make_unique<market::MarketService>(*store_, clock_);
  contracts_ = std::make_unique<market::ContractsService>(*store_, clock_, config_.market);
  meetings_ = std::make_unique<market::MeetingsService>(*store_, clock_, *events_, *contracts_);
  // training (issue 13): a class's trainers run its session events.
  training_ = std::make_unique<training::TrainingService>(*store_, clock_, *events_, *market_, cpu_,
                                                          config_.training.org_id);
  events_->SetCoStaff([this](db::Tx& tx, const accounts::Principal& p, const events::Event& e) {
    return e.roster_only && training_->RunsSessionTx(tx, p, e.id);
  });
  reception_ = std::make_unique<reception::ReceptionService>(*store_, clock_, *casework_, reception_key);
  talent_ = std::make_unique<talent::TalentService>(*store_, clock_, cpu_);
  villagebooks_ = std::make_unique<villagebook::VillageBookService>(*store_, clock_);
  forum_ = std::make_unique<forum::ForumService>(*store_, clock_, config_.forum, config_.rate_limits,
                                                 std::move(secrets.words));
  news_ = std::make_unique<news::NewsService>(*store_, clock_, *media_);
  cards_ = std::make_unique<RouterCards>(router_);
  share_ = std::make_unique<SharePosters>(router_, *news_, *media_, cpu_, clock_, config_.public_origin);
  accounts_->OnExport("events", [this](db::Tx& tx, int64_t user_id) { return events_->ExportJsonTx(tx, user_id); });
  accounts_->OnExport("casework",
                      [this](db::Tx& tx, int64_t user_id) { return casework_->ExportJsonTx(tx, user_id); });
  accounts_->OnAccountDeleted([this](db::Tx& tx, int64_t user_id, int64_t now_ms) {
    events_->ForgetUserTx(tx, user_id, now_ms);
    fund_->ForgetDonorTx(tx, user_id);
    casework_->ForgetApplicantTx(tx, user_id, now_ms);
  });
  checkpointer_ = std::make_unique<Checkpointer>(*store_, clock_, std::move(secrets.checkpoint_key),
                                                 CheckpointLogPath(config_), config_.checkpoints.interval_s * kSecondMs);
  if (!config_.web_dir.empty()) {
    static_files_ = std::make_unique<http::StaticFiles>(config_.web_dir);
  }
  page_meta_ = std::make_unique<PageMeta>(router_, *news_, static_files_.get(), config_.public_origin);
  hub_ = live::OpenHub(config_.db_url).value();  // fails only for a malformed channel name (a constant)
  // After each commit (on the committing request's thread: Publish never blocks).
  auction_->set_change_hook([hub = hub_.get()](const std::string& lot_id, const std::string& snapshot) {
    hub->Publish(AuctionTopic(lot_id), snapshot);
  });
  home_ = std::make_unique<HomeFeed>(router_, clock_, 5000);
  RegisterRoutes();
  http::ServerOptions so;
  so.listen = config_.listen;
  so.threads = config_.threads;
  so.max_body_bytes = config_.max_body_bytes;
  so.max_header_bytes = config_.max_header_bytes;
  so.max_connections = config_.max_connections;
  so.read_timeout_s = config_.read_timeout_s;
  so.idle_timeout_s = config_.idle_timeout_s;
  so.shutdown_grace_s = config_.shutdown_grace_s;
  so.public_origin = config_.public_origin;
  so.trusted_proxies = config_.trusted_proxies;
  so.access_log = config_.access_log;
  server_ = std::make_unique<http::Server>(so, router_, metrics_, static_files_.get());
}

// The real providers configured (their keys loaded and checked in Open),
// calling back at the public origin; new payments use [payments] provider,
// else WeChat Pay (JSAPI inside WeChat, H5 elsewhere), else Alipay, else the
// sandbox.
void App::AddPaymentProviders() {
  const ChannelsConfig& c = config_.channels;
  if (c.wechatpay && channel_keys_.wechatpay && outbound_) {
    payments_->AddProvider(std::make_unique<payments::WechatPayProvider>(
        *c.wechatpay, *channel_keys_.wechatpay,
        config_.public_origin + payments::PaymentsService::NotifyPath("wechatpay"), *outbound_, clock_));
  }
  if (c.alipay && channel_keys_.alipay && outbound_) {
    payments_->AddProvider(std::make_unique<payments::AlipayProvider>(
        *c.alipay, *channel_keys_.alipay, config_.public_origin + payments::PaymentsService::NotifyPath("alipay"),
        *outbound_, clock_));
  }
  std::string preferred = c.payment_provider;
  if (preferred.empty()) {
    preferred = c.wechatpay ? "wechatpay" : c.alipay ? "alipay" : "";
  }
  if (!preferred.empty()) {
    payments_->set_default_provider(preferred);
  }
}

App::~App() {
  store_->Close();
  cpu_.join();
}

std::string App::Listen() {
  std::string url = server_->Listen();
  // The sandbox provider calls back the address we actually bound.
  payments_->set_notify_base_url(url);
  // Providers' pages send the payer back to the public address.
  payments_->set_public_origin(config_.public_origin.empty() ? url : config_.public_origin);
  return url;
}

void App::DeliverMessages() {
  if (!sms_dispatcher_) {
    return;
  }
  try {
    RunSync(sms_dispatcher_->RunDue());
  } catch (const std::exception& e) {
    spdlog::error("sms: delivery failed: {}", e.what());
  }
}

void App::ReconcilePayments() {
  try {
    auto n = RunSync(payments_->Reconcile(60 * kSecondMs));
    if (n.ok() && *n > 0) {
      spdlog::warn("payments: confirmed {} payment(s) whose notification never arrived", *n);
    }
  } catch (const std::exception& e) {
    spdlog::error("payments: reconciliation failed: {}", e.what());
  }
}

void App::RunAuctionDue() {
  try {
    auto n = RunSync(auction_->RunDue());
    if (n.ok() && *n > 0) {
      spdlog::info("auction: {} lot(s) closed, lapsed or offers expired", *n);
    } else if (!n.ok()) {
      spdlog::error("auction: closing lots failed: {}", n.error().key);
    }
  } catch (const std::exception& e) {
    spdlog::error("auction: closing lots failed: {}", e.what());
  }
}

void App::RunMaintenance() {
  ReconcilePayments();
  RunAuctionDue();
  try {
    auto n = RunSync(shop_->ExpireDueOrders());
    if (n.ok() && *n > 0) {
      spdlog::info("shop: {} unpaid order(s) expired, their stock released", *n);
    }
  } catch (const std::exception& e) {
    spdlog::error("shop: expiring orders failed: {}", e.what());
  }
  try {
    auto r = db::WriteSync(*store_, [&](db::Tx& tx) -> Result<std::pair<int64_t, int64_t>> {
      return events_->MaintainTx(tx, clock_.NowMs());
    });
    if (r.ok() && (r->first > 0 || r->second > 0)) {
      spdlog::info("events: {} offer(s) expired, {} reminder(s) queued", r->first, r->second);
    }
  } catch (const std::exception& e) {
    spdlog::error("events: maintenance failed: {}", e.what());
  }
  try {
    // Retention (docs/operations): idempotency keys after 7 days, rejected
    // payment notifications after 30; a bounded batch each run, so a
    // backlog drains over a few runs without one long transaction.
    constexpr int kPruneBatch = 5000;
    auto n = db::WriteSync(*store_, [&](db::Tx& tx) -> Result<int64_t> {
      const int64_t now = clock_.NowMs();
      return db::PruneIdempotencyKeys(tx, now - db::kIdempotencyRetentionMs, kPruneBatch) +
             payments_->PruneTx(tx, now, kPruneBatch);
    });
    if (n.ok() && *n > 0) {
      spdlog::info("retention: pruned {} idempotency key(s) and rejected notification(s)", *n);
    }
  } catch (const std::exception& e) {
    spdlog::error("retention: pruning failed: {}", e.what());
  }
  try {
    auto n = db::WriteSync(*store_, [&](db::Tx& tx) -> Result<int64_t> { return casework_->PurgeTx(tx, clock_.NowMs()); });
    if (n.ok() && *n > 0) {
      spdlog::info("casework: purged the sensitive fields of {} closed application(s)", *n);
    }
  } catch (const std::exception& e) {
    spdlog::error("casework: retention purge failed: {}", e.what());
  }
  try {
    // Windows are at most kRateLimitRetentionS long (config refuses longer),
    // so every window that started before now minus that has ended.
    const int64_t before_ms = clock_.NowMs() - kRateLimitRetentionS * 1000;
    int64_t pruned = 0;
    for (int batch = 0; batch < kRateLimitPruneBatchesPerRun; ++batch) {
      const int64_t n =
          db::WriteSync(*store_, [&](db::Tx& tx) { return db::PruneRateLimits(tx, before_ms, kRateLimitPruneBatch); });
      pruned += n;
      if (n < kRateLimitPruneBatch) {
        break;
      }
    }
    if (pruned > 0) {
      spdlog::info("rate limits: pruned {} window(s) older than a day", pruned);
    }
  } catch (const std::exception& e) {
    spdlog::error("rate limits: pruning failed: {}", e.what());
  }
  WriteCheckpoints(false);
}

CheckpointRound App::WriteCheckpoints(bool force) {
  CheckpointRound round;
  try {
    round = checkpointer_->Run(force);
  } catch (const std::exception& e) {
    spdlog::error("checkpoints: failed: {}", e.what());
    return round;
  }
  for (const audit::Checkpoint& c : round.written) {
    spdlog::info("checkpoints: signed {} at seq {} ({})", c.chain, c.seq, c.head_hash);
  }
  for (const Error& e : round.errors) {
    spdlog::error("checkpoints: {} ({}): {}", e.key, e.field, e.detail);
  }
  return round;
}

void App::Run(bool handle_signals, bool checkpoint_at_start) {
  // Lost notifications are found by asking the provider, like a real
  // integration's reconciliation job.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::thread reconciler([&] {
    if (checkpoint_at_start) {
      WriteCheckpoints(true);  // off the serving path: the first one may walk a whole chain
    }
    std::unique_lock lock(mu);
    while (!cv.wait_for(lock, std::chrono::seconds(30), [&] { return stopping; })) {
      lock.unlock();
      RunMaintenance();
      lock.lock();
    }
  });
  // The forum's view and read counts and the articles' views reach the
  // database every [forum] view_flush_ms (domains/forum/activity.h), and
  // once more at the end.
  std::thread flusher([&] {
    std::unique_lock lock(mu);
    const auto interval = std::chrono::milliseconds(config_.forum.view_flush_ms);
    while (!cv.wait_for(lock, interval, [&] { return stopping; })) {
      lock.unlock();
      forum_->FlushActivity();
      news_->FlushViews();
      lock.lock();
    }
  });
  // Text messages (codes) leave within seconds of being queued.
  std::thread deliverer([&] {
    if (!sms_dispatcher_) {
      return;
    }
    std::unique_lock lock(mu);
    while (!cv.wait_for(lock, std::chrono::seconds(kDeliverySeconds), [&] { return stopping; })) {
      lock.unlock();
      DeliverMessages();
      lock.lock();
    }
  });
  server_->Run(handle_signals);
  {
    std::lock_guard lock(mu);
    stopping = true;
  }
  cv.notify_all();
  reconciler.join();
  flusher.join();
  deliverer.join();
  forum_->FlushActivity();
  news_->FlushViews();
  store_->Close();  // drains queued writes before returning
}

void App::Stop() { server_->Stop(); }

}  // namespace carecity::app
