-- PostgreSQL twin of 011_report_rollups.sqlite.sql, kept exact by row triggers:
-- 1. distinct users of a range as SUM(users) WHERE start_day BETWEEN a AND b AND prev_day < a;
-- 2. dwell time per (day, site, page) for the pages report.
CREATE TABLE user_day (
  user_key  TEXT   NOT NULL,
  site_id   TEXT   NOT NULL,
  start_day TEXT   NOT NULL,
  sessions  BIGINT NOT NULL,
  PRIMARY KEY (user_key, site_id, start_day)
);

CREATE TABLE day_users (
  start_day TEXT   NOT NULL,
  prev_day  TEXT   NOT NULL,
  users     BIGINT NOT NULL,
  PRIMARY KEY (start_day, prev_day)
);

CREATE TABLE site_day_users (
  site_id   TEXT   NOT NULL,
  start_day TEXT   NOT NULL,
  prev_day  TEXT   NOT NULL,
  users     BIGINT NOT NULL,
  PRIMARY KEY (site_id, start_day, prev_day)
);

INSERT INTO user_day (user_key, site_id, start_day, sessions)
  SELECT user_key, site_id, start_day, COUNT(*) FROM sessions GROUP BY user_key, site_id, start_day;

INSERT INTO day_users (start_day, prev_day, users)
  SELECT start_day, prev_day, COUNT(*) FROM (
    SELECT start_day, COALESCE(LAG(start_day) OVER (PARTITION BY user_key ORDER BY start_day), '') AS prev_day
    FROM (SELECT DISTINCT user_key, start_day FROM user_day) d
  ) x GROUP BY start_day, prev_day;

INSERT INTO site_day_users (site_id, start_day, prev_day, users)
  SELECT site_id, start_day, prev_day, COUNT(*) FROM (
    SELECT site_id, start_day, COALESCE(LAG(start_day) OVER (PARTITION BY site_id, user_key ORDER BY start_day), '') AS prev_day
    FROM user_day
  ) x GROUP BY site_id, start_day, prev_day;

-- A day becoming active (sign 1) or inactive (sign -1) for one user: it counts with its previous active
-- day, and the next active day's previous day becomes it (or goes back). site_id NULL: all sites.
CREATE FUNCTION day_users_apply(sign integer, site text, day text, prev text, next text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF site IS NULL THEN
    INSERT INTO day_users AS r (start_day, prev_day, users) VALUES (day, prev, sign)
      ON CONFLICT (start_day, prev_day) DO UPDATE SET users = r.users + EXCLUDED.users;
    IF next IS NOT NULL THEN
      INSERT INTO day_users AS r (start_day, prev_day, users) VALUES (next, prev, -sign), (next, day, sign)
        ON CONFLICT (start_day, prev_day) DO UPDATE SET users = r.users + EXCLUDED.users;
    END IF;
  ELSE
    INSERT INTO site_day_users AS r (site_id, start_day, prev_day, users) VALUES (site, day, prev, sign)
      ON CONFLICT (site_id, start_day, prev_day) DO UPDATE SET users = r.users + EXCLUDED.users;
    IF next IS NOT NULL THEN
      INSERT INTO site_day_users AS r (site_id, start_day, prev_day, users) VALUES (site, next, prev, -sign), (site, next, day, sign)
        ON CONFLICT (site_id, start_day, prev_day) DO UPDATE SET users = r.users + EXCLUDED.users;
    END IF;
  END IF;
END
$$;

-- One session's share of user_day, added (sign 1) or taken away (sign -1). Writers of the same user are
-- serialized by an advisory lock first, so that the neighbouring days read next are what the others
-- committed (each statement of a plpgsql function reads a fresh snapshot). Day strings are compared
-- with, the byte order of YYYY-MM-DD, whatever the database's collation.
CREATE FUNCTION user_day_apply(sign integer, u text, site text, day text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  on_site bigint;
  on_all bigint;
  -- Sessions the user has that day before a share that changes the day's state: 0 when one is added, 1 when taken.
  changes_at bigint := CASE WHEN sign > 0 THEN 0 ELSE 1 END;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('user_day'), hashtext(u));
  SELECT COALESCE(SUM(sessions) FILTER (WHERE site_id = site), 0), COALESCE(SUM(sessions), 0) INTO on_site, on_all
    FROM user_day WHERE user_key = u AND start_day = day;
  IF on_site = changes_at THEN
    PERFORM day_users_apply(sign, site, day,
      COALESCE((SELECT MAX(start_day) FROM user_day WHERE user_key = u AND site_id = site AND start_day < day), ''),
      (SELECT MIN(start_day) FROM user_day WHERE user_key = u AND site_id = site AND start_day > day));
  END IF;
  IF on_all = changes_at THEN
    PERFORM day_users_apply(sign, NULL, day,
      COALESCE((SELECT MAX(start_day) FROM user_day WHERE user_key = u AND start_day < day), ''),
      (SELECT MIN(start_day) FROM user_day WHERE user_key = u AND start_day > day));
  END IF;
  INSERT INTO user_day AS r (user_key, site_id, start_day, sessions) VALUES (u, site, day, sign)
    ON CONFLICT (user_key, site_id, start_day) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions;
  DELETE FROM user_day WHERE user_key = u AND site_id = site AND start_day = day AND sessions = 0;
END
$$;

CREATE FUNCTION sessions_user_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A replacement moves the session's share only when it changes user (identify came later), site or day.
  IF TG_OP = 'UPDATE' AND (OLD.user_key, OLD.site_id, OLD.start_day) IS NOT DISTINCT FROM (NEW.user_key, NEW.site_id, NEW.start_day) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM user_day_apply(-1, OLD.user_key, OLD.site_id, OLD.start_day);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM user_day_apply(1, NEW.user_key, NEW.site_id, NEW.start_day);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER sessions_user_day AFTER INSERT OR UPDATE OR DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION sessions_user_day();

-- 2. Per (day, site, page) for the pages report: the page rows carry their weight in millionths and their
-- weighted views and engaged ms rounded once where the row is written (store/queries/write.ts), so the
-- rollup only adds and takes away integers.
ALTER TABLE session_pages ADD COLUMN weight_micro BIGINT NOT NULL DEFAULT 1000000;
ALTER TABLE session_pages ADD COLUMN views_weighted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE session_pages ADD COLUMN engaged_ms_weighted BIGINT NOT NULL DEFAULT 0;
UPDATE session_pages p SET weight_micro = s.weight_micro FROM sessions s WHERE s.site_id = p.site_id AND s.id = p.session_id;
UPDATE session_pages SET views_weighted = round(views * weight_micro / 1000000.0), engaged_ms_weighted = round(engaged_ms * weight_micro / 1000000.0);

CREATE TABLE site_day_page (
  start_day           TEXT   NOT NULL,
  site_id             TEXT   NOT NULL,
  path                TEXT   NOT NULL,
  sessions            BIGINT NOT NULL, -- page rows: sessions that showed the page
  weight_micro        BIGINT NOT NULL,
  views_weighted      BIGINT NOT NULL,
  engaged_ms          BIGINT NOT NULL,
  engaged_ms_weighted BIGINT NOT NULL,
  PRIMARY KEY (start_day, site_id, path)
);

INSERT INTO site_day_page (start_day, site_id, path, sessions, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
  SELECT start_day, site_id, path, COUNT(*), SUM(weight_micro), SUM(views_weighted), SUM(engaged_ms), SUM(engaged_ms_weighted)
  FROM session_pages GROUP BY start_day, site_id, path;

CREATE FUNCTION site_day_page_apply(p session_pages, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO site_day_page AS r (start_day, site_id, path, sessions, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
    VALUES (p.start_day, p.site_id, p.path, sign, sign * p.weight_micro, sign * p.views_weighted, sign * p.engaged_ms, sign * p.engaged_ms_weighted)
    ON CONFLICT (start_day, site_id, path) DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions, weight_micro = r.weight_micro + EXCLUDED.weight_micro,
      views_weighted = r.views_weighted + EXCLUDED.views_weighted, engaged_ms = r.engaged_ms + EXCLUDED.engaged_ms,
      engaged_ms_weighted = r.engaged_ms_weighted + EXCLUDED.engaged_ms_weighted;
END
$$;

CREATE FUNCTION session_pages_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM site_day_page_apply(OLD, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM site_day_page_apply(NEW, 1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER session_pages_day AFTER INSERT OR UPDATE OR DELETE ON session_pages FOR EACH ROW EXECUTE FUNCTION session_pages_day();
