#include "support/chain_forger.h"

#include <string>
#include <vector>

#include "domains/audit/service.h"
#include "domains/fund/ledger.h"
#include "domains/fund/repo.h"

namespace carecity::testing {
namespace {

// Recomputes `entries` from `from` on (after `edit`), storing each with
// `store_entry`; returns the new last hash.
template <class E, class Hash, class Store>
std::string Relink(std::vector<E>& entries, int64_t from, const std::function<void(E&)>& edit, Hash hash,
                   Store store_entry) {
  std::string prev;
  for (E& e : entries) {
    if (e.id == from) {
      edit(e);
    }
    if (e.id >= from) {
      e.prev_hash = prev;
      e.hash = hash(e);
      store_entry(e);
    }
    prev = e.hash;
  }
  return prev;
}

}  // namespace

void RewriteAuditChainFrom(db::Store& store, int64_t from, const std::function<void(audit::Entry&)>& edit) {
  db::WriteSync(store, [&](db::Tx& tx) {
    auto rows = tx.Query(
        "SELECT id, at_ms, actor_user_id, action, target_type, target_id, detail_json, ip, prev_hash, hash "
        "FROM audit_log ORDER BY id");
    std::vector<audit::Entry> entries;
    for (size_t i = 0; i < rows.size(); ++i) {
      const db::Row r = rows[i];
      entries.push_back(audit::Entry{r.Int(0), r.Int(1), r.OptInt(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6),
                                     r.Text(7), r.Text(8), r.Text(9)});
    }
    const std::string last = Relink<audit::Entry>(entries, from, edit, audit::ChainHash, [&tx](const audit::Entry& e) {
      tx.Exec("UPDATE audit_log SET action = $2, target_id = $3, detail_json = $4, prev_hash = $5, hash = $6 "
              "WHERE id = $1",
              {e.id, e.action, e.target_id, e.detail_json, e.prev_hash, e.hash});
    });
    tx.Exec("UPDATE audit_head SET last_hash = $1 WHERE id = 1", {last});
    return true;
  });
}

void RewriteFundChainFrom(db::Store& store, int64_t from, const std::function<void(fund::Entry&)>& edit) {
  db::WriteSync(store, [&](db::Tx& tx) {
    std::vector<fund::Entry> entries = fund::repo::EntriesAfter(tx, 0, 1'000'000);
    const std::string last =
        Relink<fund::Entry>(entries, from, edit, fund::ledger::EntryHash, [&tx](const fund::Entry& e) {
          tx.Exec("UPDATE fund_entries SET memo = $2, donor_display = $3, prev_hash = $4, hash = $5 WHERE id = $1",
                  {e.id, e.memo, e.donor_display, e.prev_hash, e.hash});
        });
    tx.Exec("UPDATE fund_head SET last_hash = $1 WHERE id = 1", {last});
    return true;
  });
}

}  // namespace carecity::testing
