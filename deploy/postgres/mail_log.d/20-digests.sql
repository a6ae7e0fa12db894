-- EmailNG Settings — the app's own table in mail_log: each user's choice of held-mail digest
-- and the state of her digests (what the last one covered, a send in progress). Idempotent:
-- deploy/stack/ctl.sh applies it (migrate_pg) when it changes; on a site, run it once as the
-- owner of mail_log (psql -d mail_log -f 20-digests.sql) before the first digest run.
-- The app's role webapp may read and write this table and nothing else of its own; amavisd's
-- tables keep the grants of mail_log-roles.sql.
CREATE TABLE IF NOT EXISTS emailng_digest (
  uid            text PRIMARY KEY CHECK (length(uid) BETWEEN 1 AND 256),
  schedule       text NOT NULL DEFAULT 'daily' CHECK (schedule IN ('never', 'daily', 'weekly')),
  language       text NOT NULL CHECK (language IN ('en', 'el')),
  -- Watermark: the log time of the newest held message a digest listed (null: no digest yet),
  -- and the messages logged in that same second that it listed (amavisd logs whole seconds).
  covered_until  timestamptz,
  covered_edge   text[] NOT NULL DEFAULT '{}',
  last_sent_at   timestamptz,
  -- A send in progress: who claimed it, when, and the watermark it will move to.
  claim_token    uuid,
  claimed_at     timestamptz,
  claim_until    timestamptz,
  claim_edge     text[],
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- The digest's "held since" query uses amavisd's own indexes (msgrcpt_idx_rid, msgs_idx_time_iso).

GRANT SELECT, INSERT, UPDATE ON emailng_digest TO webapp;
