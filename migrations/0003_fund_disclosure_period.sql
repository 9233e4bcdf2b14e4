-- One disclosure per fundraising activity and period.
CREATE UNIQUE INDEX fund_disclosures_period ON fund_disclosures (purpose_id, period_label);
