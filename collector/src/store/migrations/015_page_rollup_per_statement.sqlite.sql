-- Issue 14, SQLite side of 015: the writer now updates a session's page rows in place (store/sqlite-batch.ts:
-- an upsert per page, a delete of the paths a snapshot no longer lists) instead of deleting and inserting all
-- of them. A page row updated within its (day, site, path) applies one difference to its site_day_page row;
-- one that moves to another day keeps 011's removal and addition. Integers: the same to the unit.
DROP TRIGGER session_pages_day_update;

CREATE TRIGGER session_pages_day_update AFTER UPDATE ON session_pages
  WHEN NOT (OLD.start_day = NEW.start_day AND OLD.site_id = NEW.site_id AND OLD.path = NEW.path) BEGIN
  INSERT INTO site_day_page_change (sign, start_day, site_id, path, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
    VALUES (-1, OLD.start_day, OLD.site_id, OLD.path, OLD.weight_micro, OLD.views_weighted, OLD.engaged_ms, OLD.engaged_ms_weighted);
  INSERT INTO site_day_page_change (sign, start_day, site_id, path, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted)
    VALUES (1, NEW.start_day, NEW.site_id, NEW.path, NEW.weight_micro, NEW.views_weighted, NEW.engaged_ms, NEW.engaged_ms_weighted);
END;

CREATE TRIGGER session_pages_day_delta AFTER UPDATE ON session_pages
  WHEN OLD.start_day = NEW.start_day AND OLD.site_id = NEW.site_id AND OLD.path = NEW.path BEGIN
  UPDATE site_day_page SET weight_micro = weight_micro + NEW.weight_micro - OLD.weight_micro, views_weighted = views_weighted + NEW.views_weighted - OLD.views_weighted,
    engaged_ms = engaged_ms + NEW.engaged_ms - OLD.engaged_ms, engaged_ms_weighted = engaged_ms_weighted + NEW.engaged_ms_weighted - OLD.engaged_ms_weighted
    WHERE start_day = NEW.start_day AND site_id = NEW.site_id AND path = NEW.path;
END;
