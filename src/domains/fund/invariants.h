// The fund's business rules, checked over the whole database: what
// `carecity fund verify` adds to the ledger's own checks (balanced entries,
// an intact chain, balances equal to their lines). Each entry can balance
// and the chain be intact while money was still paid twice; these catch it.
#pragma once

#include "db/tx.h"
#include "domains/fund/model.h"

namespace carecity::fund {

// Adds a problem to `report` (and clears report.ok) for each rule broken:
//   - a disbursement booked more than once, or paid without its entry;
//   - a commitment's disbursed total above its amount or unequal to its
//     paid disbursements;
//   - a fund (net-asset account) below zero, or an organisation's payable
//     paid beyond what was granted to it;
//   - a sponsorship's instalments above its commitment;
//   - a donation booked more than once, confirmed without its entry, or
//     refunded without a reversal;
//   - a sale standing on a reversed entry, holding amounts its entries or
//     payables do not, or with a receipt for another amount than its gift.
// Read-only.
void CheckInvariants(db::Tx& tx, VerifyReport& report);

}  // namespace carecity::fund
