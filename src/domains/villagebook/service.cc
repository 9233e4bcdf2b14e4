#include "domains/villagebook/service.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "db/await.h"
#include "domains/audit/service.h"
#include "domains/villagebook/ledger.h"

namespace carecity::villagebook {

bool CanKeepBook(const accounts::Principal& p, int64_t village_id) {
  return p.HasVillageRole(accounts::Role::kVillageStaff, village_id) || p.Has(accounts::Role::kPlatformAdmin);
}

Task<BookView> VillageBookService::GetBook(int64_t village_id, int64_t before_seq, int limit) {
  co_return co_await db::ReadTx(store_,
                                [&](db::Tx& tx) { return ledger::ReadBook(tx, village_id, before_seq, limit); });
}

Task<Entry> VillageBookService::RecordFunding(const accounts::Principal& p, int64_t village_id, FundingInput in) {
  if (!CanKeepBook(p, village_id)) {
    co_return Error::Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Entry> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(Entry e, ledger::RecordFundingTx(tx, village_id, in.amount_fen, in.voucher_no, in.memo,
                                                         actor, now));
    const boost::json::object detail{{"village_id", village_id},
                                     {"seq", e.seq},
                                     {"voucher_no", e.voucher_no},
                                     {"amount_fen", e.amount_fen}};
    audit::Record(tx, {actor, "villagebook.funding.recorded", "village", std::to_string(village_id),
                       boost::json::serialize(detail), ""},
                  now);
    return e;
  });
}

}  // namespace carecity::villagebook
