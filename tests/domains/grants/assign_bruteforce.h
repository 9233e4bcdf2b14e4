// A naive, independent implementation of the reviewer-assignment objective
// in src/domains/grants/assign.h, written from that header's contract (hard
// rules and objective), not from the flow code. Exhaustive search, so only
// for tiny pools (≤ 4 applications, ≤ 7 reviewers, ≤ 2+1 seats).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include "domains/grants/assign.h"

namespace carecity::grants::bruteforce {

inline const AssignReviewer* FindReviewer(const AssignInput& in, int64_t id) {
  for (const AssignReviewer& r : in.reviewers) {
    if (r.id == id) {
      return &r;
    }
  }
  return nullptr;
}

inline const AssignApplication* FindApplication(const AssignInput& in, int64_t id) {
  for (const AssignApplication& a : in.applications) {
    if (a.id == id) {
      return &a;
    }
  }
  return nullptr;
}

inline bool Excluded(const AssignInput& in, int64_t reviewer_id, int64_t application_id) {
  return std::any_of(in.exclusions.begin(), in.exclusions.end(), [&](const AssignExclusion& x) {
    return x.reviewer_id == reviewer_id && x.application_id == application_id;
  });
}

inline bool Tagged(const AssignReviewer& r, const AssignApplication& a) {
  return std::find(r.tags.begin(), r.tags.end(), a.project_type) != r.tags.end();
}

inline bool Village(const AssignReviewer& r, const AssignApplication& a) {
  return r.kind == ReviewerKind::kCitizen && r.rural.has_value() && a.rural.has_value() && *r.rural == *a.rural;
}

// Hard rules 1, 2, 3 and 6 for one seat of kind `kind` (4, 5, 7 are about
// counts and are enforced by the search).
inline bool MayTakeSeat(const AssignInput& in, const AssignReviewer& r, const AssignApplication& a, ReviewerKind kind) {
  if (r.kind != kind || !r.available || Excluded(in, r.id, a.id)) {
    return false;
  }
  return !in.options.strict_tags[static_cast<int>(kind)] || Tagged(r, a);
}

// The objective of a set of seats, straight from the formula:
// M·empty + T·mismatch + L·Σ(final² − load²) − v·village.
inline int64_t Objective(const AssignInput& in, const std::vector<Placement>& seats) {
  int64_t need = 0;
  for (const AssignApplication& a : in.applications) {
    need += a.need[0] + a.need[1];
  }
  const int64_t empty = need - static_cast<int64_t>(seats.size());
  int64_t mismatch = 0;
  int64_t village = 0;
  std::map<int64_t, const AssignReviewer*> reviewer;
  for (const AssignReviewer& r : in.reviewers) {
    reviewer[r.id] = &r;
  }
  std::map<int64_t, const AssignApplication*> application;
  for (const AssignApplication& a : in.applications) {
    application[a.id] = &a;
  }
  std::map<int64_t, int64_t> extra;
  for (const Placement& p : seats) {
    const AssignReviewer* r = reviewer[p.reviewer_id];
    const AssignApplication* a = application[p.application_id];
    if (r == nullptr || a == nullptr) {
      return std::numeric_limits<int64_t>::min();  // not a solution of this input
    }
    mismatch += Tagged(*r, *a) ? 0 : 1;
    village += Village(*r, *a) ? 1 : 0;
    ++extra[r->id];
  }
  int64_t load = 0;
  for (const AssignReviewer& r : in.reviewers) {
    const int64_t fin = r.load + extra[r.id];
    load += fin * fin - int64_t{r.load} * r.load;
  }
  return kEmptySeatCost * empty + kTagMismatchCost * mismatch + kLoadCostUnit * load - kVillageBonus * village;
}

// Exhaustive search: each (application, kind) slot takes a subset of at most
// need reviewers that may take the seat, every reviewer at most once per
// slot and never beyond load_cap overall. Branch and bound on the exact
// partial objective; the rest of the search can lower it by at most v per
// remaining seat (the only negative term), so pruning is safe. Leaves are
// re-scored with Objective() from scratch.
class Search {
 public:
  explicit Search(const AssignInput& in) : in_(in) {
    for (const AssignApplication& a : in.applications) {
      for (ReviewerKind k : {ReviewerKind::kExpert, ReviewerKind::kCitizen}) {
        const int need = a.need[static_cast<int>(k)];
        if (need <= 0) {
          continue;
        }
        Slot s{&a, k, need, {}};
        for (const AssignReviewer& r : in.reviewers) {
          if (MayTakeSeat(in, r, a, k)) {
            s.candidates.push_back(&r);
          }
        }
        slots_.push_back(s);
        remaining_seats_ += need;
      }
    }
    for (const AssignReviewer& r : in.reviewers) {
      load_[r.id] = r.load;
    }
  }

  // The minimum objective over all solutions that obey the hard rules.
  int64_t Optimum() {
    best_ = std::numeric_limits<int64_t>::max();
    Fill(0, 0, 0, 0);
    return best_;
  }

  // Leaves whose incremental score disagreed with Objective(); must stay 0.
  int inconsistent_leaves() const { return inconsistent_; }

 private:
  struct Slot {
    const AssignApplication* app;
    ReviewerKind kind;
    int need;
    std::vector<const AssignReviewer*> candidates;
  };

  // Slot `s`, next candidate to consider `from`, seats taken in this slot so
  // far `taken`, exact objective of the decisions made `partial`.
  void Fill(size_t s, size_t from, int taken, int64_t partial) {
    if (s == slots_.size()) {
      const int64_t full = Objective(in_, seats_);
      if (full != partial) {
        ++inconsistent_;
      }
      best_ = std::min(best_, full);
      return;
    }
    const Slot& slot = slots_[s];
    if (partial - kVillageBonus * (remaining_seats_ - taken) >= best_) {
      return;
    }
    if (taken < slot.need) {
      for (size_t i = from; i < slot.candidates.size(); ++i) {
        const AssignReviewer& r = *slot.candidates[i];
        int& load = load_[r.id];
        if (load + 1 > r.load_cap) {
          continue;
        }
        const int64_t step = kLoadCostUnit * (int64_t{load + 1} * (load + 1) - int64_t{load} * load) +
                             (Tagged(r, *slot.app) ? 0 : kTagMismatchCost) -
                             (Village(r, *slot.app) ? kVillageBonus : 0);
        ++load;
        seats_.push_back(Placement{slot.app->id, r.id, slot.kind, true, false, 0, 0});
        Fill(s, i + 1, taken + 1, partial + step);
        seats_.pop_back();
        --load;
      }
    }
    // Close this slot, leaving the rest of its seats empty.
    const int empty = slot.need - taken;
    remaining_seats_ -= slot.need;
    Fill(s + 1, 0, 0, partial + kEmptySeatCost * empty);
    remaining_seats_ += slot.need;
  }

  const AssignInput& in_;
  std::vector<Slot> slots_;
  std::map<int64_t, int> load_;
  std::vector<Placement> seats_;
  int64_t remaining_seats_ = 0;
  int64_t best_ = 0;
  int inconsistent_ = 0;
};

inline int64_t Optimum(const AssignInput& in) { return Search(in).Optimum(); }

}  // namespace carecity::grants::bruteforce
