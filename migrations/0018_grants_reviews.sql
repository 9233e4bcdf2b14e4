-- Reviews of grant applications (docs/design-grants.md §4): one per
-- application and reviewer, written only while the reviewer holds a live,
-- unconflicted seat and before the meeting's scores are due (the INSERT ...
-- SELECT that writes it says so); each criterion scored 0..10.

CREATE TABLE grants_reviews (
  application_id BIGINT NOT NULL REFERENCES grants_applications (id),
  reviewer_id BIGINT NOT NULL REFERENCES grants_reviewers (id),
  meeting_id BIGINT NOT NULL REFERENCES grants_meetings (id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'abstained', 'recused')),
  comment TEXT NOT NULL DEFAULT '',
  submitted_at_ms BIGINT,
  updated_at_ms BIGINT NOT NULL,
  recused_by BIGINT REFERENCES users (id),
  PRIMARY KEY (application_id, reviewer_id),
  CHECK ((status = 'recused') = (recused_by IS NOT NULL))
);
CREATE INDEX grants_reviews_by_meeting ON grants_reviews (meeting_id);

CREATE TABLE grants_review_scores (
  application_id BIGINT NOT NULL,
  reviewer_id BIGINT NOT NULL,
  criterion TEXT NOT NULL,
  score BIGINT NOT NULL CHECK (score BETWEEN 0 AND 10),
  PRIMARY KEY (application_id, reviewer_id, criterion),
  FOREIGN KEY (application_id, reviewer_id) REFERENCES grants_reviews (application_id, reviewer_id)
);
