-- Ledger imports stage their rows here, written in short batches outside
-- any long transaction, and then move them into expenditures with one
-- INSERT ... SELECT in one short transaction: the rows become visible all
-- at once, and a large import never holds SQLite's write lock for long.
-- Staged rows are removed once moved or when the import fails; rows left
-- behind by a crash are removed by a later import. The columns are those of
-- expenditures (ledger_import_id names the import staging them), without
-- constraints: they are checked when the rows are moved.
CREATE TABLE expenditure_staging (
    id               TEXT PRIMARY KEY,
    grant_id         TEXT NOT NULL,
    line_key         TEXT NOT NULL,
    heading_code     TEXT NOT NULL,
    project_id       TEXT,
    organisation_id  TEXT NOT NULL,
    expense_date     TEXT NOT NULL,
    amount           BIGINT NOT NULL,
    currency_code    TEXT NOT NULL,
    payee            TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    document_ref     TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    reject_reason    TEXT NOT NULL DEFAULT '',
    rate             TEXT,
    rate_source      TEXT NOT NULL DEFAULT '',
    converted_amount BIGINT,
    rate_problem     TEXT NOT NULL DEFAULT '',
    ledger_import_id TEXT NOT NULL,
    import_key       TEXT,
    created_by       TEXT NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1,
    create_time      TIMESTAMP NOT NULL,
    update_time      TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX expenditure_staging_import_idx ON expenditure_staging (ledger_import_id, id);
--bun:split
CREATE INDEX expenditure_staging_time_idx ON expenditure_staging (create_time);
