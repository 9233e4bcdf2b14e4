#include "app/seed_villagebooks.h"

#include "db/await.h"
#include "domains/accounts/repo.h"
#include "domains/villagebook/ledger.h"

namespace carecity::app {
namespace {

struct OpeningFunding {
  const char* village;
  Fen amount_fen;
  const char* voucher_no;
  const char* memo;
};

// Each rural village's collective puts part of its year's income into a
// social-service budget before the 供需见面会, so it can buy projects.
constexpr OpeningFunding kOpenings[] = {
    {"叠滘村", 30'000'000, "叠集记〔2012〕001号", "2012年度村集体社会服务专项资金拨入（村民代表会议决议）"},
    {"平东村", 20'000'000, "平集记〔2012〕001号", "2012年度村集体社会服务专项资金拨入（村民代表会议决议）"},
    {"三山村", 15'000'000, "三集记〔2012〕001号", "2012年度村集体社会服务专项资金拨入（村民代表会议决议）"},
};

}  // namespace

Status SeedVillageBooks(App& app, const std::function<void(const std::string&)>& progress) {
  progress("village collective books (村集体账) of 叠滘村, 平东村, 三山村");
  for (const OpeningFunding& o : kOpenings) {
    const Status s = db::WriteSync(app.store(), [&](db::Tx& tx) -> Status {
      // Before the 供需见面会 and the purchases that follow it (seed_market.cc).
      const int64_t now = app.clock().NowMs() - 60 * kDayMs;
      // The villages themselves (rural, with a collective economy) are seed_demo.cc's kVillages.
      const int64_t village_id = *accounts::repo::FindVillageIdByName(tx, o.village);
      CC_ASSIGN_OR_RETURN(const villagebook::Book book, villagebook::ledger::EnsureBook(tx, village_id, now));
      if (book.seq > 0) {
        return Status();
      }
      CC_TRY(villagebook::ledger::RecordFundingTx(tx, village_id, o.amount_fen, o.voucher_no, o.memo, std::nullopt,
                                                  now));
      return Status();
    });
    CC_TRY(s);
  }
  return Status();
}

}  // namespace carecity::app
