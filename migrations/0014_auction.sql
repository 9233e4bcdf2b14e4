-- 公益拍卖: lots (donated items sold by proxy bidding with a soft close) and
-- every bid. A lot's bidding state lives on its row and changes only under
-- its row lock (domains/auction/service.cc); the CHECKs are the last guard.

CREATE TABLE auction_lots (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  donor_name TEXT NOT NULL DEFAULT '',
  market_value_fen BIGINT CHECK (market_value_fen IS NULL OR market_value_fen >= 0),
  purpose_id BIGINT REFERENCES fund_purposes (id),
  starts_at_ms BIGINT NOT NULL,
  scheduled_end_ms BIGINT NOT NULL CHECK (scheduled_end_ms > starts_at_ms),
  ends_at_ms BIGINT NOT NULL CHECK (ends_at_ms >= scheduled_end_ms),   -- after extensions
  start_price_fen BIGINT NOT NULL CHECK (start_price_fen > 0),
  reserve_fen BIGINT CHECK (reserve_fen IS NULL OR reserve_fen >= start_price_fen),  -- never shown
  increments TEXT NOT NULL,                   -- the increment table the lot was created with
  extend_window_ms BIGINT NOT NULL CHECK (extend_window_ms >= 0),
  max_extensions BIGINT NOT NULL CHECK (max_extensions >= 0),
  extensions BIGINT NOT NULL DEFAULT 0,
  -- pending_approval -> approved (bidding by time) -> unsold | awaiting_payment;
  -- awaiting_payment -> paid | lapsed; lapsed -> offered (to the runner-up)
  -- -> awaiting_payment | unsold.
  status TEXT NOT NULL CHECK (status IN ('pending_approval', 'approved', 'awaiting_payment', 'paid', 'lapsed',
                                         'offered', 'unsold')),
  -- Bidding state (domains/auction/model.h LotState).
  price_fen BIGINT,
  leader_user_id BIGINT REFERENCES users (id),
  leader_max_fen BIGINT NOT NULL DEFAULT 0,
  runner_up_user_id BIGINT REFERENCES users (id),
  runner_up_max_fen BIGINT NOT NULL DEFAULT 0,
  bid_count BIGINT NOT NULL DEFAULT 0 CHECK (bid_count >= 0),
  -- The close and after.
  closed_at_ms BIGINT,
  unsold_reason TEXT,                          -- no_bids | reserve_not_met | offer_declined | offer_expired
  buyer_user_id BIGINT REFERENCES users (id),  -- the winner, or the runner-up who accepted
  sale_price_fen BIGINT,
  pay_by_ms BIGINT,
  payment_id BIGINT,
  offer_user_id BIGINT REFERENCES users (id),
  offer_price_fen BIGINT,
  offer_expires_at_ms BIGINT,
  created_by BIGINT NOT NULL REFERENCES users (id),
  approved_by BIGINT REFERENCES users (id),
  approved_at_ms BIGINT,
  created_at_ms BIGINT NOT NULL,
  CHECK (price_fen IS NULL OR (price_fen >= start_price_fen AND price_fen <= leader_max_fen)),
  CHECK (extensions <= max_extensions),
  CHECK (approved_by IS NULL OR approved_by <> created_by)
);
CREATE INDEX auction_lots_by_status ON auction_lots (status, ends_at_ms);

CREATE TABLE auction_bids (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  lot_id BIGINT NOT NULL REFERENCES auction_lots (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  max_fen BIGINT NOT NULL,
  at_ms BIGINT NOT NULL,
  accepted SMALLINT NOT NULL CHECK (accepted IN (0, 1)),
  reject_reason TEXT,                          -- auction.bid_too_low | auction.closed | auction.not_started
  min_fen BIGINT NOT NULL,                     -- the minimum when it was placed
  seq BIGINT,                                  -- the lot's bid_count after it: the order accepted
  price_after_fen BIGINT,
  leading_after SMALLINT NOT NULL DEFAULT 0,
  extended SMALLINT NOT NULL DEFAULT 0,
  CHECK ((accepted = 1) = (seq IS NOT NULL))
);
CREATE UNIQUE INDEX auction_bids_seq ON auction_bids (lot_id, seq);
CREATE INDEX auction_bids_by_user ON auction_bids (user_id, id);

-- In-app notifications by person (GET /api/v1/me/notifications: outbid, won, offers).
CREATE INDEX notify_outbox_by_user ON notify_outbox (user_id, id);
