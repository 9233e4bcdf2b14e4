// carecity: the command line. Every subcommand takes --db and --config;
// CARECITY_DB and CARECITY_LISTEN override the file.
#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>

#include "app/app.h"
#include "app/seed_demo.h"
#include "core/crypto.h"
#include "core/memory.h"
#include "core/run_sync.h"
#include "core/text.h"
#include "db/migrations.h"
#include "db/sqlite/backup.h"
#include "domains/accounts/service.h"
#include "domains/audit/chain.h"
#include "domains/notify/service.h"
#include "http/json.h"

namespace {

using namespace carecity;  // NOLINT: main.cc is not a header
namespace json = boost::json;

struct Globals {
  std::string config_path;
  std::string db;
};

int Fail(const Error& e) {
  std::string msg = http::ErrorMessage(e, http::Lang::kEn);
  if (!e.field.empty() && msg.find(e.field) == std::string::npos) {
    msg += " (" + e.field + ")";
  }
  if (!e.detail.empty()) {
    msg += ": " + e.detail;
  }
  std::fprintf(stderr, "error: %s\n", msg.c_str());
  return 1;
}

Result<Config> Configure(const Globals& g) {
  auto config = LoadConfig(g.config_path);
  if (!config.ok()) {
    return config;
  }
  if (!g.db.empty()) {
    config->db_url = g.db;
  }
  // The process keeps the subdistrict's time: local days (the forum's
  // days visited, log timestamps) start at its midnight. Set before any
  // thread starts, as setenv requires.
  ::setenv("TZ", config->time_zone.c_str(), 1);
  ::tzset();
  return config;
}

// The system clock shifted by a fixed offset: used when
// CARECITY_CLOCK_OFFSET_MS is set, so a browser test can restart the server
// "days later" (a contract's public notice running out) against the same
// database. Logged as a warning; never for a real server.
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(int64_t offset_ms) : offset_ms_(offset_ms) {}
  int64_t NowMs() const override { return system_.NowMs() + offset_ms_; }

 private:
  SystemClock system_;
  int64_t offset_ms_;
};

Result<std::unique_ptr<app::App>> OpenApp(const Config& config, const Clock& clock) {
  return app::App::Open(config, clock);
}

}  // namespace

int main(int argc, char** argv) {
  TuneAllocator();
  InitCrypto();
  auto logger = spdlog::stderr_color_mt("carecity");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  CLI::App cli{"CareCity (关爱城市): a community public-welfare platform"};
  cli.require_subcommand(1);
  Globals g;
  cli.add_option("--config", g.config_path, "TOML configuration file")->check(CLI::ExistingFile);
  cli.add_option("--db", g.db, "Database URL: sqlite:PATH or postgresql://...");
  // Subcommands also accept the global options after their name.
  const auto global_opts = [&g](CLI::App* sub) {
    sub->add_option("--config", g.config_path, "TOML configuration file")->check(CLI::ExistingFile);
    sub->add_option("--db", g.db, "Database URL: sqlite:PATH or postgresql://...");
  };

  auto* serve = cli.add_subcommand("serve", "Run the HTTP server (migrates first)");
  global_opts(serve);
  std::string listen;
  std::string web;
  serve->add_option("--listen", listen, "HOST:PORT to listen on (port 0 picks a free one)");
  serve->add_option("--web", web, "Directory of the built web app (web/dist)");

  auto* migrate = cli.add_subcommand("migrate", "Apply pending schema migrations");
  global_opts(migrate);

  auto* seed = cli.add_subcommand("seed-demo", "Load the 关爱桂城 demo data (idempotent)");
  global_opts(seed);

  auto* create_admin = cli.add_subcommand("create-admin", "Create a platform_admin (or promote an account)");
  global_opts(create_admin);
  std::string admin_login;
  std::string admin_name;
  bool password_stdin = false;
  create_admin->add_option("--login", admin_login, "Phone number or e-mail")->required();
  create_admin->add_option("--name", admin_name, "Display name")->required();
  create_admin->add_flag("--password-stdin", password_stdin, "Read the password from standard input")->required();

  auto* backup = cli.add_subcommand("backup", "Back up the database (SQLite online backup)");
  global_opts(backup);
  std::string backup_out;
  backup->add_option("--out", backup_out, "Destination file")->required();

  // Both verify commands read only (no migration, no data key) and check the
  // chain against its signed checkpoints.
  app::VerifyOptions verify_options;
  const auto verify_opts = [&verify_options](CLI::App* sub) {
    sub->add_option("--public-key", verify_options.public_keys,
                    "Trust checkpoints signed by this Ed25519 public key (hex; repeatable). Default: the configured "
                    "signing key's");
    sub->add_option("--public-key-file", verify_options.public_key_file, "File of trusted public keys, one per line");
    sub->add_option("--checkpoint-log", verify_options.logs,
                    "Checkpoint log (JSON lines) to check against (repeatable). Default: [checkpoints] log_file");
  };
  // `<group> verify`: a tools group and its read-only verify command.
  const auto add_verify = [&](const char* group, const char* group_help, const char* help) {
    auto* tools = cli.add_subcommand(group, group_help);
    tools->require_subcommand(1);
    auto* verify = tools->add_subcommand("verify", help);
    global_opts(verify);
    verify_opts(verify);
    return verify;
  };
  auto* audit_verify = add_verify(
      "audit", "Audit log tools",
      "Check the audit hash chain against its signed checkpoints (read only); exit 1 if broken");

  auto* checkpoint = cli.add_subcommand("checkpoint", "Sign a checkpoint of every hash chain that grew, now");
  global_opts(checkpoint);

  auto* fund_verify = add_verify(
      "fund", "Care Fund tools",
      "Check that every entry balances, balances equal their lines and the chain is intact and matches its signed "
      "checkpoints (read only); exit 1 if not");

  auto* books_verify = add_verify(
      "books", "Village collective book (村集体账) tools",
      "Check every village's collective book: entries balance, balances equal their lines, no line on another "
      "village's account, each book's chain intact and matching its signed checkpoints (read only); exit 1 if not");

  auto* payments_cmd = cli.add_subcommand("payments", "Payment tools");
  payments_cmd->require_subcommand(1);
  auto* payments_reconcile = payments_cmd->add_subcommand(
      "reconcile", "Confirm payments the provider reports paid but whose notification never arrived");
  global_opts(payments_reconcile);

  auto* outbox = cli.add_subcommand("outbox", "List queued notifications as JSON lines");
  global_opts(outbox);
  int64_t outbox_after = 0;
  int outbox_limit = 1000;
  outbox->add_option("--after", outbox_after, "Only messages with a larger id");
  outbox->add_option("--limit", outbox_limit, "At most this many")->check(CLI::Range(1, 100000));

  auto* grants_cmd = cli.add_subcommand("grants", "关爱基金 grant review tools");
  grants_cmd->require_subcommand(1);
  auto* grants_assign = grants_cmd->add_subcommand(
      "assign", "Fill a review meeting's panels (the same optimal assignment as POST /api/v1/grants/meetings/{id}/assign) "
                "and print them");
  global_opts(grants_assign);
  std::string assign_meeting;
  bool assign_dry_run = false;
  bool assign_json = false;
  grants_assign->add_option("--meeting", assign_meeting, "The meeting's id")->required();
  grants_assign->add_flag("--dry-run", assign_dry_run, "Solve and print, write nothing");
  grants_assign->add_flag("--json", assign_json, "Print the route's JSON answer instead of the panels");

  auto* version = cli.add_subcommand("version", "Print the version");

  CLI11_PARSE(cli, argc, argv);

  if (version->parsed()) {
    std::printf("carecity %s\n", app::kVersion);
    return 0;
  }

  auto config = Configure(g);
  if (!config.ok()) {
    return Fail(config.error());
  }
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  SystemClock system_clock;
  std::optional<OffsetClock> offset_clock;
  if (const char* offset = std::getenv("CARECITY_CLOCK_OFFSET_MS"); offset != nullptr && *offset != '\0') {
    char* end = nullptr;
    const long long ms = std::strtoll(offset, &end, 10);
    if (*end != '\0' || ms < 0 || ms > 366LL * kDayMs) {
      std::fprintf(stderr, "CARECITY_CLOCK_OFFSET_MS must be 0 to %lld (ms)\n", 366LL * kDayMs);
      return 2;
    }
    spdlog::warn("the clock runs {} ms ahead (CARECITY_CLOCK_OFFSET_MS): only for tests, never in production", ms);
    offset_clock.emplace(ms);
  }
  const Clock& clock = offset_clock ? static_cast<const Clock&>(*offset_clock) : system_clock;

  if (backup->parsed()) {
    if (config->db_url.rfind("sqlite:", 0) != 0) {
      std::fprintf(stderr,
                   "PostgreSQL databases are backed up with PostgreSQL's own tools, e.g.\n"
                   "  pg_dump --format=custom --file=%s '%s'\n",
                   backup_out.c_str(), config->db_url.c_str());
      return 2;
    }
    const std::string path = config->db_url.substr(7);
    auto s = db::BackupSqlite(path, backup_out, [](int done, int total) {
      std::fprintf(stderr, "\rbackup: %d/%d pages", done, total);
    });
    std::fprintf(stderr, "\n");
    if (!s.ok()) {
      return Fail(s.error());
    }
    std::fprintf(stderr, "backup written to %s\n", backup_out.c_str());
    return 0;
  }

  if (serve->parsed()) {
    if (!listen.empty()) {
      config->listen = listen;  // flags beat the environment, which beats the file
    }
    if (!web.empty()) {
      config->web_dir = web;
    }
    if (!config->rate_limits.enabled) {
      spdlog::warn("rate limits are OFF (CARECITY_RATE_LIMITS=off): only for load tests, never in production");
    }
  }

  if (audit_verify->parsed() || fund_verify->parsed()) {
    auto code = app::RunVerify(*config, audit_verify->parsed() ? app::kAuditChain : app::kFundChain, verify_options);
    return code.ok() ? *code : Fail(code.error());
  }

  if (books_verify->parsed()) {
    auto code = app::RunBooksVerify(*config, verify_options);
    return code.ok() ? *code : Fail(code.error());
  }

  auto app = OpenApp(*config, clock);
  if (!app.ok()) {
    return Fail(app.error());
  }
  app::App& a = **app;

  try {
    if (migrate->parsed()) {
      std::fprintf(stderr, "schema at version %lld\n", static_cast<long long>(db::CurrentVersion(a.store())));
      return 0;
    }
    if (seed->parsed()) {
      auto s = app::SeedDemo(a, [](const std::string& step) { std::fprintf(stderr, "seed-demo: %s\n", step.c_str()); });
      if (!s.ok()) {
        return Fail(s.error());
      }
      std::fprintf(stderr, "seed-demo: done\n");
      return 0;
    }
    if (create_admin->parsed()) {
      std::string password;
      std::getline(std::cin, password);
      if (!password.empty() && password.back() == '\r') {
        password.pop_back();
      }
      auto login = accounts::ParseLogin(admin_login);
      if (!login) {
        return Fail(Error::Invalid("invalid_value", "login", "expected a mainland mobile number or e-mail"));
      }
      if (auto s = accounts::ValidatePassword(password, "password"); !s.ok()) {
        return Fail(s.error());
      }
      const std::string name = Trim(admin_name);
      if (name.empty() || CodePointCount(name) > 32 || HasControlChars(name, false)) {
        return Fail(Error::Invalid("invalid_value", "name", "1 to 32 characters"));
      }
      const std::string hash = a.accounts().HashPasswordNow(password);
      auto uid = db::WriteSync(a.store(), [&](db::Tx& tx) {
        return a.accounts().EnsureUserTx(tx, *login, name, hash,
                                         {accounts::RoleGrant{accounts::Role::kPlatformAdmin}},
                                         "accounts.admin.created");
      });
      if (!uid.ok()) {
        return Fail(uid.error());
      }
      std::printf("platform_admin user %lld: %s\n", static_cast<long long>(*uid), login->value.c_str());
      return 0;
    }
    if (checkpoint->parsed()) {
      const auto round = a.WriteCheckpoints(true);
      for (const auto& c : round.written) {
        std::printf("%s\n", audit::CheckpointJson(c).c_str());
      }
      return round.errors.empty() ? 0 : 1;
    }
    if (payments_reconcile->parsed()) {
      // Every open payment and unbooked refund, however recent: the operator asked.
      auto n = RunSync(a.payments().Reconcile(0));
      if (!n.ok()) {
        return Fail(n.error());
      }
      std::printf("{\"confirmed\":%lld}\n", static_cast<long long>(*n));
      return 0;
    }
    if (grants_assign->parsed()) {
      auto r = RunSync(a.grants().AssignAs(std::nullopt, assign_meeting, assign_dry_run, "cli"));
      if (!r.ok()) {
        return Fail(r.error());
      }
      if (assign_json) {
        std::printf("%s\n", json::serialize(grants::AssignOutcomeJson(*r)).c_str());
      } else {
        std::fputs(grants::PanelsText(*r).c_str(), stdout);
      }
      return 0;
    }
    if (outbox->parsed()) {
      const auto messages = db::ReadSync(a.store(), [&](db::Tx& tx) {
        return notify::List(tx, outbox_after, outbox_limit);
      });
      for (const auto& m : messages) {
        json::object line{{"id", m.id},
                          {"channel", m.channel},
                          {"recipient", m.recipient},
                          {"user_id", m.user_id ? json::value(*m.user_id) : json::value(nullptr)},
                          {"template", m.template_name},
                          {"params", json::parse(m.params_json)},
                          {"status", m.status},
                          {"created_at_ms", m.created_at_ms},
                          {"attempts", m.attempts},
                          {"last_error", m.last_error},
                          {"provider_ref", m.provider_ref}};
        std::printf("%s\n", json::serialize(line).c_str());
      }
      return 0;
    }
    if (serve->parsed()) {
      const std::string url = a.Listen();
      std::printf("listening on %s\n", url.c_str());
      std::fflush(stdout);
      spdlog::info("CareCity {} serving {} (database {}, web {})", app::kVersion, url,
                   config->db_url.rfind("sqlite:", 0) == 0 ? config->db_url : "postgresql",
                   config->web_dir);
      spdlog::flush_every(std::chrono::seconds(1));
      a.Run(true);
      spdlog::info("stopped cleanly");
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
