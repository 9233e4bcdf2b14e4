// The set-up both writer benchmarks share: an App (the same services the
// HTTP routes call) on a fresh SQLite database with synchronous=FULL in a
// throwaway directory, removed again when this goes out of scope.
#pragma once

#include <fmt/format.h>

#include <filesystem>
#include <functional>
#include <memory>

#include "app/app.h"
#include "core/crypto.h"
#include "core/memory.h"

namespace carecity::bench {

class WriterBenchApp {
 public:
  // `adjust` changes the configuration before the App opens (queue limits,
  // test hooks). nullptr app() if it could not open (the reason is printed).
  explicit WriterBenchApp(const std::function<void(Config&)>& adjust) {
    TuneAllocator();
    InitCrypto();
    dir_ = std::filesystem::temp_directory_path() / ("carecity-writer-" + RandomDigits(8));
    std::filesystem::create_directories(dir_);
    Config c;
    c.db_url = "sqlite:" + (dir_ / "w.db").string();
    c.web_dir = "";
    c.access_log = "off";
    c.log_level = "warn";
    c.sqlite_synchronous = "FULL";
    c.casework.data_key = NewDataKeyHex();
    adjust(c);
    auto opened = app::App::Open(c, clock_);
    if (!opened.ok()) {
      fmt::print(stderr, "open: {}\n", opened.error().detail);
      return;
    }
    app_ = std::move(opened).value();
  }
  ~WriterBenchApp() {
    app_.reset();  // closes the store before its files go
    std::filesystem::remove_all(dir_);
  }
  WriterBenchApp(const WriterBenchApp&) = delete;
  WriterBenchApp& operator=(const WriterBenchApp&) = delete;

  app::App* app() { return app_.get(); }
  const Clock& clock() const { return clock_; }

 private:
  std::filesystem::path dir_;
  SystemClock clock_;
  std::unique_ptr<app::App> app_;
};

}  // namespace carecity::bench
