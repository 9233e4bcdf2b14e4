#include "domains/auction/model.h"

#include <algorithm>
#include <charconv>

namespace carecity::auction {
namespace {

Error BadIncrements() { return Error::Invalid("invalid_value", "increments"); }

std::optional<Fen> ParseFen(std::string_view s) {
  Fen v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return v;
}

}  // namespace

IncrementTable IncrementTable::Default() {
  IncrementTable t;
  t.bands_ = {{0, 1000}, {20000, 2000}, {100000, 5000}, {500000, 10000}};
  return t;
}

Result<IncrementTable> IncrementTable::Make(std::vector<IncrementBand> bands) {
  if (bands.empty() || bands.front().from_fen != 0) {
    return BadIncrements();
  }
  for (size_t i = 0; i < bands.size(); ++i) {
    if (bands[i].step_fen < 1) {
      return BadIncrements();
    }
    // Steps never shrink as the price grows: a higher price never needs a
    // smaller raise, so outbidding the leader always clears the minimum.
    if (i > 0 && (bands[i].from_fen <= bands[i - 1].from_fen || bands[i].step_fen < bands[i - 1].step_fen)) {
      return BadIncrements();
    }
  }
  IncrementTable t;
  t.bands_ = std::move(bands);
  return t;
}

Result<IncrementTable> IncrementTable::Parse(const std::string& text) {
  std::vector<IncrementBand> bands;
  std::string_view rest(text);
  bool more = !rest.empty();
  while (more) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    more = comma != std::string_view::npos;  // a trailing comma leaves an empty (invalid) band
    rest = more ? rest.substr(comma + 1) : std::string_view();
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    while (!item.empty() && item.back() == ' ') {
      item.remove_suffix(1);
    }
    const size_t colon = item.find(':');
    if (colon == std::string_view::npos) {
      return BadIncrements();
    }
    const auto from = ParseFen(item.substr(0, colon));
    const auto step = ParseFen(item.substr(colon + 1));
    if (!from || !step) {
      return BadIncrements();
    }
    bands.push_back({*from, *step});
  }
  return Make(std::move(bands));
}

Fen IncrementTable::StepAt(Fen price_fen) const {
  Fen step = bands_.front().step_fen;
  for (const IncrementBand& b : bands_) {
    if (price_fen < b.from_fen) {
      break;
    }
    step = b.step_fen;
  }
  return step;
}

LotState InitialState(const LotRules& rules) {
  LotState s;
  s.ends_at_ms = rules.ends_at_ms;
  return s;
}

std::string RejectionKey(Rejection r) {
  switch (r) {
    case Rejection::kNotStarted:
      return "auction.not_started";
    case Rejection::kClosed:
      return "auction.closed";
    case Rejection::kTooLow:
      return "auction.bid_too_low";
    case Rejection::kNone:
      break;
  }
  return "";
}

Fen VisiblePrice(const LotRules& rules, const LotState& state) {
  Fen price = rules.start_price_fen;
  if (state.runner_up_id) {
    price = std::min(state.leader_max_fen,
                     state.runner_up_max_fen + rules.increments.StepAt(state.runner_up_max_fen));
  }
  if (rules.reserve_fen && price < *rules.reserve_fen && state.leader_max_fen >= *rules.reserve_fen) {
    price = *rules.reserve_fen;
  }
  return price;
}

Fen MinimumBid(const LotRules& rules, const LotState& state, int64_t bidder_id) {
  if (!state.leader_id || !state.price_fen) {
    return rules.start_price_fen;
  }
  if (*state.leader_id == bidder_id) {
    return state.leader_max_fen + 1;
  }
  return *state.price_fen + rules.increments.StepAt(*state.price_fen);
}

BidOutcome PlaceBid(const LotRules& rules, const LotState& state, const Bid& bid) {
  BidOutcome out;
  out.state = state;
  out.min_fen = MinimumBid(rules, state, bid.bidder_id);
  out.leading = state.leader_id == bid.bidder_id;
  if (bid.at_ms < rules.starts_at_ms) {
    out.rejection = Rejection::kNotStarted;
    return out;
  }
  if (bid.at_ms >= state.ends_at_ms) {
    out.rejection = Rejection::kClosed;
    return out;
  }
  if (bid.max_fen < out.min_fen) {
    out.rejection = Rejection::kTooLow;
    return out;
  }
  LotState n = state;
  if (!state.leader_id || !state.price_fen) {
    n.leader_id = bid.bidder_id;
    n.leader_max_fen = bid.max_fen;
  } else if (*state.leader_id == bid.bidder_id) {
    n.leader_max_fen = bid.max_fen;
  } else if (bid.max_fen > state.leader_max_fen) {
    // A new leader: the old leader's maximum is now the second highest.
    n.runner_up_id = state.leader_id;
    n.runner_up_max_fen = state.leader_max_fen;
    n.leader_id = bid.bidder_id;
    n.leader_max_fen = bid.max_fen;
    out.outbid_id = state.leader_id;
  } else {
    // At or below the leader's maximum: the leader stays (at equal maxima
    // the earlier bid leads) and this bid is the new second highest (it
    // clears price + increment, which is above every other maximum).
    n.runner_up_id = bid.bidder_id;
    n.runner_up_max_fen = bid.max_fen;
  }
  n.price_fen = VisiblePrice(rules, n);
  n.bid_count = state.bid_count + 1;
  out.raised_price = !state.price_fen || *n.price_fen > *state.price_fen;
  if (out.raised_price && bid.at_ms > state.ends_at_ms - rules.extend_window_ms &&
      state.extensions < rules.max_extensions) {
    n.ends_at_ms = bid.at_ms + rules.extend_window_ms;
    n.extensions = state.extensions + 1;
    out.extended = true;
  }
  out.accepted = true;
  out.leading = n.leader_id == bid.bidder_id;
  out.state = n;
  return out;
}

Result<LotState> Replay(const LotRules& rules, const std::vector<Bid>& accepted) {
  LotState s = InitialState(rules);
  for (const Bid& b : accepted) {
    BidOutcome o = PlaceBid(rules, s, b);
    if (!o.accepted) {
      return Error::Invalid("invalid_value", "bids", RejectionKey(o.rejection));
    }
    s = o.state;
  }
  return s;
}

bool ReserveMet(const LotRules& rules, const LotState& state) {
  if (!state.price_fen) {
    return false;
  }
  return !rules.reserve_fen || *state.price_fen >= *rules.reserve_fen;
}

CloseResult Close(const LotRules& rules, const LotState& state) {
  if (!state.leader_id || !state.price_fen) {
    return CloseResult::kNoBids;
  }
  if (!ReserveMet(rules, state)) {
    return CloseResult::kReserveNotMet;
  }
  return CloseResult::kSold;
}

std::string Lot::Phase(int64_t now_ms) const {
  if (status == "pending_approval" || status == "unsold") {
    return status;
  }
  if (status != "approved") {
    return "sold";
  }
  if (now_ms < rules.starts_at_ms) {
    return "upcoming";
  }
  return now_ms < state.ends_at_ms ? "live" : "ended";
}

}  // namespace carecity::auction
