#include "domains/audit/chain_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace carecity::audit {
namespace {

constexpr const char* kColumns = "SELECT chain, seq, head_hash, at_ms, public_key, signature FROM chain_checkpoints ";

std::vector<Checkpoint> FromRows(const db::Rows& rows) {
  std::vector<Checkpoint> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    out.push_back(Checkpoint{r.Text(0), r.Int(1), r.Text(2), r.Int(3), r.Text(4), r.Text(5)});
  }
  return out;
}

Error LogFailed(const std::string& what, const std::string& path) {
  return Error{ErrorCode::kUnavailable, "checkpoint_log_failed", "checkpoints.log_file",
               what + " " + path + ": " + std::strerror(errno)};
}

}  // namespace

bool InsertCheckpoint(db::Tx& tx, const Checkpoint& c) {
  return tx.Exec("INSERT INTO chain_checkpoints (chain, seq, head_hash, at_ms, public_key, signature) "
                 "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (chain, seq) DO NOTHING",
                 {c.chain, c.seq, c.head_hash, c.at_ms, c.public_key, c.signature}) == 1;
}

std::vector<Checkpoint> ListCheckpoints(db::Tx& tx, std::string_view chain, int64_t before_seq, int limit) {
  if (before_seq > 0) {
    return FromRows(tx.Query(std::string(kColumns) + "WHERE chain = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
                             {chain, before_seq, limit}));
  }
  return FromRows(tx.Query(std::string(kColumns) + "WHERE chain = $1 ORDER BY seq DESC LIMIT $2", {chain, limit}));
}

std::vector<Checkpoint> AllCheckpoints(db::Tx& tx) {
  return FromRows(tx.Query(std::string(kColumns) + "ORDER BY chain, seq"));
}

bool CheckpointTableExists(db::Tx& tx) {
  if (tx.dialect() == db::Dialect::kSqlite) {
    return !tx.Query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chain_checkpoints'").empty();
  }
  return !tx.Query("SELECT to_regclass('chain_checkpoints')").front().IsNull(0);
}

Status AppendCheckpointLog(const std::string& path, const Checkpoint& c) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return LogFailed("cannot open", path);
  }
  const std::string line = CheckpointJson(c) + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  const Error failed = LogFailed("cannot write", path);
  ::close(fd);
  if (!written) {
    return failed;
  }
  return {};
}

Result<CheckpointLog> ReadCheckpointLog(const std::string& path) {
  CheckpointLog log;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) {
    return log;
  }
  std::ifstream in(path);
  if (!in) {
    return LogFailed("cannot read", path);
  }
  log.exists = true;
  std::string line;
  int64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      continue;
    }
    if (auto c = ParseCheckpoint(line)) {
      log.checkpoints.push_back(std::move(*c));
    } else {
      log.bad_lines.push_back(n);
    }
  }
  return log;
}

}  // namespace carecity::audit
