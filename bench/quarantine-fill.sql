-- Fills a copy of amavisd-new's storage schema with a month of a large site's mail log for
-- `npm run bench -- quarantine`: 1,000,000 recipient rows, of which 20,000 are one user's
-- (half under her alias), 10,000 of those held; the other 980,000 spread over 2,000 other
-- recipients, about a third held. Deterministic (no random()), so runs compare.

INSERT INTO maddr (partition_tag, email, domain)
SELECT 0, convert_to('sender' || i || '@ext' || (i % 500) || '.example', 'UTF8'), 'example.ext' || (i % 500)
FROM generate_series(1, 100000) AS i;

INSERT INTO maddr (partition_tag, email, domain) VALUES
  (0, convert_to('bench.user@cs.example.edu', 'UTF8'), 'edu.example.cs'),
  (0, convert_to('b.user@cs.example.edu', 'UTF8'), 'edu.example.cs');

INSERT INTO maddr (partition_tag, email, domain)
SELECT 0, convert_to('rcpt' || i || '@cs.example.edu', 'UTF8'), 'edu.example.cs'
FROM generate_series(1, 2000) AS i;

CREATE TEMP TABLE bench_ids AS
SELECT (SELECT id FROM maddr WHERE email = convert_to('bench.user@cs.example.edu', 'UTF8')) AS user_id,
       (SELECT id FROM maddr WHERE email = convert_to('b.user@cs.example.edu', 'UTF8')) AS alias_id,
       (SELECT id FROM maddr WHERE email = convert_to('rcpt1@cs.example.edu', 'UTF8')) AS first_other;

-- One row per message: i % 50 = 0 goes to the user (i % 100 = 0 held), the rest to others.
CREATE TEMP TABLE bench_mail AS
SELECT i,
       convert_to(lpad(to_hex(i), 12, 'x'), 'UTF8') AS mail_id,
       now() - make_interval(secs => (i * 2.592)::double precision) AS at,
       (1 + (i::bigint * 7919) % 100000)::integer AS sid,
       CASE WHEN i % 50 = 0 THEN (CASE WHEN i % 100 = 0 THEN true ELSE false END)
            ELSE i % 3 = 0 END AS held,
       CASE WHEN i % 50 = 0 THEN (CASE WHEN i % 200 = 0 THEN 'alias' ELSE 'user' END) ELSE 'other' END AS who,
       CASE WHEN i % 97 = 0 THEN 'V' WHEN i % 89 = 0 THEN 'B' ELSE 'S' END AS kind
FROM generate_series(1, 1000000) AS i;

INSERT INTO msgs (partition_tag, mail_id, secret_id, am_id, time_num, time_iso, sid, policy, client_addr,
                  size, originating, content, quar_type, quar_loc, dsn_sent, spam_level, message_id,
                  from_addr, subject, host)
SELECT 0, b.mail_id, convert_to(lpad(to_hex(i * 31), 12, 's'), 'UTF8'), 'b' || i,
       extract(epoch FROM b.at)::integer, b.at, b.sid, '', '192.0.2.' || (i % 250),
       2000 + i % 50000, ' ', CASE WHEN b.held THEN b.kind ELSE 'C' END,
       CASE WHEN b.held THEN 'Q' ELSE '' END, CASE WHEN b.held THEN b.mail_id::text ELSE '' END, 'N',
       CASE WHEN b.kind = 'S' AND b.held THEN 20 + (i % 30) ELSE (i % 5) END,
       '<' || i || '@ext.example>', '"Sender ' || i || '" <sender' || b.sid || '@ext.example>',
       CASE i % 4 WHEN 0 THEN 'Invoice ' || i WHEN 1 THEN 'Ανακοίνωση ' || i WHEN 2 THEN 'Meeting notes ' || i
                  ELSE 'You have won ' || i END,
       'content-filter.example'
FROM bench_mail AS b;

INSERT INTO msgrcpt (partition_tag, mail_id, rseqnum, rid, is_local, content, ds, rs, bl, wl, bspam_level, smtp_resp)
SELECT 0, b.mail_id, 1,
       CASE b.who WHEN 'user' THEN ids.user_id WHEN 'alias' THEN ids.alias_id ELSE ids.first_other + (b.i % 2000) END,
       'Y', CASE WHEN b.held THEN b.kind ELSE 'C' END, CASE WHEN b.held THEN 'D' ELSE 'P' END,
       CASE WHEN b.held AND b.i % 1000 = 0 THEN 'R' ELSE ' ' END, 'N', 'N', 0,
       CASE WHEN b.held THEN '250 2.7.0 Ok, discarded' ELSE '250 2.0.0 Ok' END
FROM bench_mail AS b, bench_ids AS ids;

VACUUM ANALYZE maddr;
VACUUM ANALYZE msgs;
VACUUM ANALYZE msgrcpt;
