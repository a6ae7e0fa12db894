-- Indexes for the Held mail page's queries (api/src/backends/quarantine/store.ts), beside the
-- ones amavisd-new's schema creates. Measured with `npm run bench -- quarantine` (BENCHMARKS.md):
-- one user's 10,000 held rows among 1,000,000.
--   maddr_idx_email       the user's addresses are looked up by email alone; the package's
--                         unique (partition_tag, email) is not used without partition_tag.
--   msgrcpt_idx_rid_held  a recipient's held rows, with every column the list filters on, so
--                         choosing the page is an index-only scan (passed mail, ds = 'P', is
--                         most of the log and left out of the index).
--   msgs_idx_held_time    the quarantined messages' time, to sort them without the heap.
-- amavisd writes these tables on every message: three small indexes are the whole cost.
CREATE INDEX IF NOT EXISTS maddr_idx_email ON maddr (email);
CREATE INDEX IF NOT EXISTS msgrcpt_idx_rid_held ON msgrcpt (rid)
  INCLUDE (partition_tag, mail_id, rseqnum, rs, content, bl) WHERE ds <> 'P';
CREATE INDEX IF NOT EXISTS msgs_idx_held_time ON msgs (partition_tag, mail_id)
  INCLUDE (time_iso) WHERE quar_type = 'Q';
