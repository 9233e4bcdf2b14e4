// The one way a rule on something scarce is decided where the database
// serialises it. PostgreSQL runs our write jobs at READ COMMITTED on pooled
// connections, so "read a row, decide in C++, write" lets two servers (or two
// connections of one) both pass the same check. Use, in this order of
// preference:
//
// 1. A conditional write: the rule is the UPDATE's WHERE clause
//      UPDATE fund_disbursements SET status = 'paid' ... WHERE id = $1 AND status = 'approved'
//    and zero rows changed means someone else got there first (or the row is
//    in another state: read it again to tell which, for the error). Right for
//    a state transition or a counter that one row decides alone.
// 2. LockRow on the row that owns the quantity (the event for its seats, the
//    commitment for its disbursements, the account for its balance), then
//    read, decide and write in the same job. Right when the rule reads other
//    rows (a sum of instalments, the waitlist). Lock in a fixed order (parent
//    before child; several rows of one table by ascending id) so two jobs
//    cannot deadlock; PostgreSQL's deadlock detector would abort one and the
//    store retries it, but it costs a second.
// 3. A CHECK constraint (or a unique index) as the last guard under either,
//    where a number must never cross a line: a bug that forgets 1 or 2 then
//    fails loudly instead of overselling.
//
// SQLite needs no row locks: a write job runs inside BEGIN IMMEDIATE on the
// single writer, which excludes every other writer in this process or
// another; LockRow there only checks that the row exists.
#pragma once

#include <cstdint>
#include <string_view>

#include "db/tx.h"

namespace carecity::db {

// Locks row `id` of `table` until the write job ends (PostgreSQL
// `SELECT ... FOR UPDATE`), so every later statement in the job sees the
// latest committed version and no other job changes it meanwhile. Returns
// false if there is no such row. `table` must be a plain identifier written
// in the code (never user input); anything else throws. Only in write jobs.
bool LockRow(Tx& tx, std::string_view table, int64_t id);

}  // namespace carecity::db
