-- EmailNG Settings — roles and grants on amavisd-new's SQL storage tables (database mail_log).
-- Run by deploy/stack/ctl.sh as postgres after the package's own schema (README.sql-pg,
-- storage part) is loaded; psql variables carry the passwords.
--   amavis        what amavisd needs to log and quarantine mail (README.sql-pg's grants)
--   webapp        the settings app: reads the log and quarantine, may only mark msgrcpt.rs
--                 (V viewed, R released, D deleted); never deletes
--   housekeeping  expiry job: deletes old rows and orphans (README.sql-pg's cleanup)
CREATE ROLE amavis LOGIN PASSWORD :'amavis_password';
GRANT SELECT, INSERT, UPDATE, DELETE ON maddr, msgs, msgrcpt, quarantine TO amavis;
GRANT USAGE, UPDATE ON SEQUENCE maddr_id_seq TO amavis;

CREATE ROLE webapp LOGIN PASSWORD :'webapp_password';
GRANT SELECT ON maddr, msgs, msgrcpt, quarantine TO webapp;
GRANT UPDATE (rs) ON msgrcpt TO webapp;

CREATE ROLE housekeeping LOGIN PASSWORD :'housekeeping_password';
GRANT SELECT, DELETE ON maddr, msgs, msgrcpt, quarantine TO housekeeping;

REVOKE ALL ON DATABASE mail_log FROM PUBLIC;
GRANT CONNECT ON DATABASE mail_log TO amavis, webapp, housekeeping;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
