// The village books' service: the public read of a book (村务公开) and the
// collective's funding recorded by its village staff. Rules live in
// ledger.h; this owns the transactions, the permissions and the audit rows.
//
// Thread-safety: immutable after construction; safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/villagebook/model.h"

namespace carecity::villagebook {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

// 集体资金拨入 as the village staff record it.
struct FundingInput {
  Fen amount_fen = 0;
  std::string voucher_no;
  std::string memo;
};

class VillageBookService {
 public:
  // `store` and `clock` must outlive the service.
  VillageBookService(db::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // The book of `village_id` (public: organisations are named, people never).
  // Errors: village_not_found, villagebook.no_book (404 both).
  Task<BookView> GetBook(int64_t village_id, int64_t before_seq, int limit);

  // Records the collective's funding into its book (creating the book):
  // village_staff of that village or a platform_admin; anyone else 403.
  // Errors: forbidden, village_not_found, villagebook.no_book (422),
  // villagebook.voucher_taken (409).
  Task<Entry> RecordFunding(const accounts::Principal& p, int64_t village_id, FundingInput in);

 private:
  db::Store& store_;
  const Clock& clock_;
};

// May `p` write `village_id`'s book: its village_staff, or a platform_admin.
bool CanKeepBook(const accounts::Principal& p, int64_t village_id);

}  // namespace carecity::villagebook
