"""The triggers that keep approvals_applicationcount (models/counts.py), for PostgreSQL and SQLite.

PostgreSQL: statement-level triggers with transition tables, so a COPY or a bulk insert of 50 000 rows
adds its counts in one grouped upsert, and an UPDATE that changes no state or organisation writes
nothing (the net change is filtered with HAVING). Rows are upserted in key order: two transactions
moving applications between the same states lock the counts in the same order (no deadlock).
SQLite: row-level triggers (one writer at a time, no locks to order).
"""

# Constant SQL, written out whole (no interpolation). Changing it needs a new migration.
POSTGRESQL = [
    """
CREATE FUNCTION approvals_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    INSERT INTO approvals_applicationcount (organization_id, state, n)
    SELECT organization_id, state, SUM(d) FROM (SELECT organization_id, state, 1 AS d FROM new_rows) AS changed
    GROUP BY organization_id, state HAVING SUM(d) <> 0 ORDER BY organization_id, state
    ON CONFLICT (organization_id, state) DO UPDATE SET n = approvals_applicationcount.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION approvals_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    INSERT INTO approvals_applicationcount (organization_id, state, n)
    SELECT organization_id, state, SUM(d) FROM (SELECT organization_id, state, -1 AS d FROM old_rows) AS changed
    GROUP BY organization_id, state HAVING SUM(d) <> 0 ORDER BY organization_id, state
    ON CONFLICT (organization_id, state) DO UPDATE SET n = approvals_applicationcount.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION approvals_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    INSERT INTO approvals_applicationcount (organization_id, state, n)
    SELECT organization_id, state, SUM(d) FROM (
        SELECT organization_id, state, 1 AS d FROM new_rows
        UNION ALL SELECT organization_id, state, -1 AS d FROM old_rows
    ) AS changed
    GROUP BY organization_id, state HAVING SUM(d) <> 0 ORDER BY organization_id, state
    ON CONFLICT (organization_id, state) DO UPDATE SET n = approvals_applicationcount.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE TRIGGER approvals_count_insert AFTER INSERT ON approvals_travelapplication
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION approvals_count_inserted();
CREATE TRIGGER approvals_count_delete AFTER DELETE ON approvals_travelapplication
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION approvals_count_deleted();
CREATE TRIGGER approvals_count_update AFTER UPDATE ON approvals_travelapplication
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION approvals_count_updated();
"""
]
POSTGRESQL_DROP = [
    """
DROP TRIGGER IF EXISTS approvals_count_insert ON approvals_travelapplication;
DROP TRIGGER IF EXISTS approvals_count_delete ON approvals_travelapplication;
DROP TRIGGER IF EXISTS approvals_count_update ON approvals_travelapplication;
DROP FUNCTION IF EXISTS approvals_count_inserted();
DROP FUNCTION IF EXISTS approvals_count_deleted();
DROP FUNCTION IF EXISTS approvals_count_updated();
"""
]

SQLITE = [
    """CREATE TRIGGER approvals_count_insert AFTER INSERT ON approvals_travelapplication BEGIN
    INSERT INTO approvals_applicationcount (organization_id, state, n) VALUES (NEW.organization_id, NEW.state, 1)
    ON CONFLICT (organization_id, state) DO UPDATE SET n = n + 1;
END;""",
    """CREATE TRIGGER approvals_count_delete AFTER DELETE ON approvals_travelapplication BEGIN
    UPDATE approvals_applicationcount SET n = n - 1
    WHERE organization_id = OLD.organization_id AND state = OLD.state;
END;""",
    """CREATE TRIGGER approvals_count_update AFTER UPDATE OF state, organization_id ON approvals_travelapplication
WHEN OLD.state IS NOT NEW.state OR OLD.organization_id IS NOT NEW.organization_id BEGIN
    UPDATE approvals_applicationcount SET n = n - 1
    WHERE organization_id = OLD.organization_id AND state = OLD.state;
    INSERT INTO approvals_applicationcount (organization_id, state, n) VALUES (NEW.organization_id, NEW.state, 1)
    ON CONFLICT (organization_id, state) DO UPDATE SET n = n + 1;
END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS approvals_count_insert;",
    "DROP TRIGGER IF EXISTS approvals_count_delete;",
    "DROP TRIGGER IF EXISTS approvals_count_update;",
]

# The counts of the rows already there (the migration; also `recount()`).
RECOUNT = [
    "DELETE FROM approvals_applicationcount;",
    """INSERT INTO approvals_applicationcount (organization_id, state, n)
SELECT organization_id, state, COUNT(*) FROM approvals_travelapplication GROUP BY organization_id, state;""",
]


def statements(vendor: str, *, drop: bool = False) -> list[str]:
    if vendor == "postgresql":
        return POSTGRESQL_DROP if drop else POSTGRESQL
    if vendor == "sqlite":
        return SQLITE_DROP if drop else SQLITE
    raise NotImplementedError(f"No application-count triggers for {vendor}.")


def install(schema_editor) -> None:
    for sql in [*statements(schema_editor.connection.vendor), *RECOUNT]:
        schema_editor.execute(sql, params=None)


def uninstall(schema_editor) -> None:
    for sql in statements(schema_editor.connection.vendor, drop=True):
        schema_editor.execute(sql, params=None)
