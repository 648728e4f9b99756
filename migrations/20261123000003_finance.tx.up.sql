-- Budgets (by donor template, in versions), the grant's rule set and rate
-- policy, exchange rates, transfers to partners, pre-financing instalments,
-- expenditures with their receipts, and ledger imports. Portable SQL.
-- Money is BIGINT minor units of the row's currency; exchange rates and
-- unit counts are decimal TEXT (exact, read with shopspring/decimal).

-- A donor's budget template: headings in order. PRAG Annex III ships as data
-- (below); coordinators add other donors' templates.
CREATE TABLE budget_templates (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    built_in    BOOLEAN NOT NULL DEFAULT FALSE,
    -- The organisation that defined it (NULL for built-in templates).
    organisation_id TEXT REFERENCES organisations (id),
    version     BIGINT NOT NULL DEFAULT 1,
    create_time TIMESTAMP NOT NULL,
    update_time TIMESTAMP NOT NULL
);

--bun:split
-- kind: direct (a cost heading), contingency, indirect, or a computed row:
-- subtotal (sum of direct), total_direct (subtotal + contingency),
-- total (total_direct + indirect).
CREATE TABLE budget_template_headings (
    template_id TEXT NOT NULL REFERENCES budget_templates (id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    -- Usual lines, one per text line "code<TAB>description", offered when a
    -- budget is drafted.
    usual_lines TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (template_id, code)
);

--bun:split
INSERT INTO budget_templates (id, name, description, built_in, create_time, update_time) VALUES
  ('eu-prag-annex-iii', 'EU PRAG Annex III', 'Budget for the Action, EU external actions (PRAG Annex III)', TRUE, '2026-01-01 00:00:00', '2026-01-01 00:00:00');
--bun:split
INSERT INTO budget_template_headings (template_id, code, title, kind, position, usual_lines) VALUES
  ('eu-prag-annex-iii', '1', 'Human resources', 'direct', 1, '1.1	Salaries, local staff (technical and administrative)
1.2	Salaries, expatriate/international staff
1.3	Per diems for missions/travel'),
  ('eu-prag-annex-iii', '2', 'Travel', 'direct', 2, '2.1	International travel
2.2	Local transportation'),
  ('eu-prag-annex-iii', '3', 'Equipment and supplies', 'direct', 3, '3.1	Purchase or rent of vehicles
3.2	Furniture, computer equipment
3.3	Machines, tools
3.4	Spare parts/equipment for machines, tools
3.5	Other'),
  ('eu-prag-annex-iii', '4', 'Local office', 'direct', 4, '4.1	Vehicle costs
4.2	Office rent
4.3	Consumables, office supplies
4.4	Other services (tel/fax, electricity/heating, maintenance)'),
  ('eu-prag-annex-iii', '5', 'Other costs, services', 'direct', 5, '5.1	Publications
5.2	Studies, research
5.3	Expenditure verification
5.4	Evaluation costs
5.5	Translation, interpreters
5.6	Financial services (bank guarantee costs etc.)
5.7	Costs of conferences/seminars
5.8	Visibility actions'),
  ('eu-prag-annex-iii', '6', 'Other', 'direct', 6, '6.1	Other'),
  ('eu-prag-annex-iii', '7', 'Subtotal direct eligible costs of the Action (1-6)', 'subtotal', 7, ''),
  ('eu-prag-annex-iii', '8', 'Contingency reserve (maximum 5% of 7)', 'contingency', 8, '8.1	Contingency reserve'),
  ('eu-prag-annex-iii', '9', 'Total direct eligible costs of the Action (7+8)', 'total_direct', 9, ''),
  ('eu-prag-annex-iii', '10', 'Indirect costs (maximum 7% of 9)', 'indirect', 10, '10.1	Indirect costs'),
  ('eu-prag-annex-iii', '11', 'Total eligible costs (9+10)', 'total', 11, '');

--bun:split
-- The rule set of a grant (one row per grant; PRAG defaults until edited).
-- Percentages are hundredths of a percent (2500 = 25%).
CREATE TABLE grant_rules (
    grant_id                 TEXT PRIMARY KEY REFERENCES grants (id),
    template_id              TEXT NOT NULL REFERENCES budget_templates (id),
    flexibility_bp           INTEGER NOT NULL,
    indirect_cap_bp          INTEGER NOT NULL,
    contingency_cap_bp       INTEGER NOT NULL,
    prefinancing_threshold_bp INTEGER NOT NULL,
    -- monthly | period_average | fixed | transfer
    rate_policy              TEXT NOT NULL,
    version                  BIGINT NOT NULL DEFAULT 1,
    create_time              TIMESTAMP NOT NULL,
    update_time              TIMESTAMP NOT NULL
);

--bun:split
-- Fixed contract rates of a grant: units of currency_code per unit of the
-- grant currency.
CREATE TABLE grant_fixed_rates (
    grant_id      TEXT NOT NULL REFERENCES grants (id),
    currency_code TEXT NOT NULL,
    rate          TEXT NOT NULL,
    source        TEXT NOT NULL,
    PRIMARY KEY (grant_id, currency_code)
);

--bun:split
-- A budget version: the original, an addendum, or a transfer between
-- headings without an addendum (checked against the flexibility rule).
-- number orders versions within the grant (0 = original).
CREATE TABLE budget_versions (
    id             TEXT PRIMARY KEY,
    grant_id       TEXT NOT NULL REFERENCES grants (id),
    number         INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    label          TEXT NOT NULL DEFAULT '',
    effective_date TEXT,
    -- draft (lines editable) | adopted
    state          TEXT NOT NULL,
    adopt_time     TIMESTAMP,
    version        BIGINT NOT NULL DEFAULT 1,
    create_time    TIMESTAMP NOT NULL,
    update_time    TIMESTAMP NOT NULL
);
--bun:split
CREATE UNIQUE INDEX budget_versions_grant_number_key ON budget_versions (grant_id, number);

--bun:split
-- A budget line of one version. line_key is the line's identity across
-- versions (copied into each new version); expenditures point to it.
CREATE TABLE budget_lines (
    id                TEXT PRIMARY KEY,
    budget_version_id TEXT NOT NULL REFERENCES budget_versions (id) ON DELETE CASCADE,
    grant_id          TEXT NOT NULL REFERENCES grants (id),
    line_key          TEXT NOT NULL,
    heading_code      TEXT NOT NULL,
    code              TEXT NOT NULL,
    description       TEXT NOT NULL,
    unit              TEXT NOT NULL DEFAULT '',
    units             TEXT NOT NULL,
    unit_cost         BIGINT NOT NULL,
    total             BIGINT NOT NULL,
    project_id        TEXT REFERENCES projects (id),
    organisation_id   TEXT REFERENCES organisations (id),
    position          INTEGER NOT NULL,
    version           BIGINT NOT NULL DEFAULT 1,
    create_time       TIMESTAMP NOT NULL,
    update_time       TIMESTAMP NOT NULL
);
--bun:split
CREATE UNIQUE INDEX budget_lines_version_key ON budget_lines (budget_version_id, line_key);
--bun:split
CREATE UNIQUE INDEX budget_lines_version_code_key ON budget_lines (budget_version_id, code);
--bun:split
CREATE INDEX budget_lines_grant_key_idx ON budget_lines (grant_id, line_key);

--bun:split
-- Exchange rates: units of currency_code per 1 unit of base_currency for a
-- month ("YYYY-MM"), as InforEuro publishes them (base EUR).
CREATE TABLE exchange_rates (
    base_currency TEXT NOT NULL,
    currency_code TEXT NOT NULL,
    month         TEXT NOT NULL,
    rate          TEXT NOT NULL,
    source        TEXT NOT NULL,
    create_time   TIMESTAMP NOT NULL,
    update_time   TIMESTAMP NOT NULL,
    PRIMARY KEY (base_currency, currency_code, month)
);

--bun:split
-- Bank transfers that funded a partner: grant_amount in the grant currency
-- bought local_amount in currency_code; their ratio is the transfer rate.
CREATE TABLE partner_transfers (
    id              TEXT PRIMARY KEY,
    grant_id        TEXT NOT NULL REFERENCES grants (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    transfer_date   TEXT NOT NULL,
    grant_amount    BIGINT NOT NULL,
    currency_code   TEXT NOT NULL,
    local_amount    BIGINT NOT NULL,
    reference       TEXT NOT NULL DEFAULT '',
    create_time     TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX partner_transfers_grant_idx ON partner_transfers (grant_id, organisation_id, currency_code, transfer_date);

--bun:split
-- Pre-financing instalments received from the donor, in the grant currency.
CREATE TABLE prefinancing_payments (
    id            TEXT PRIMARY KEY,
    grant_id      TEXT NOT NULL REFERENCES grants (id),
    number        INTEGER NOT NULL,
    received_date TEXT NOT NULL,
    amount        BIGINT NOT NULL,
    create_time   TIMESTAMP NOT NULL
);
--bun:split
CREATE UNIQUE INDEX prefinancing_payments_grant_number_key ON prefinancing_payments (grant_id, number);

--bun:split
-- A ledger import: one file, all rows or none.
CREATE TABLE ledger_imports (
    id          TEXT PRIMARY KEY,
    grant_id    TEXT NOT NULL REFERENCES grants (id),
    file_name   TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    row_count   INTEGER NOT NULL,
    new_count   INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    create_time TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX ledger_imports_grant_idx ON ledger_imports (grant_id, create_time);

--bun:split
-- An expenditure, in the currency it was paid in, and its conversion to the
-- grant currency under the grant's rate policy (rate, rate_source and
-- converted_amount are NULL while no rate applies: "rate missing", left out
-- of totals, never converted 1:1).
CREATE TABLE expenditures (
    id               TEXT PRIMARY KEY,
    grant_id         TEXT NOT NULL REFERENCES grants (id),
    line_key         TEXT NOT NULL,
    heading_code     TEXT NOT NULL,
    project_id       TEXT REFERENCES projects (id),
    organisation_id  TEXT NOT NULL REFERENCES organisations (id),
    expense_date     TEXT NOT NULL,
    amount           BIGINT NOT NULL,
    currency_code    TEXT NOT NULL,
    payee            TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    document_ref     TEXT NOT NULL DEFAULT '',
    -- draft | submitted | verified | rejected
    status           TEXT NOT NULL,
    reject_reason    TEXT NOT NULL DEFAULT '',
    rate             TEXT,
    rate_source      TEXT NOT NULL DEFAULT '',
    converted_amount BIGINT,
    -- Why no rate applies, when converted_amount is NULL.
    rate_problem     TEXT NOT NULL DEFAULT '',
    ledger_import_id TEXT REFERENCES ledger_imports (id),
    -- Identity of an imported row (file-independent), so a re-import adds nothing.
    import_key       TEXT,
    created_by       TEXT NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1,
    create_time      TIMESTAMP NOT NULL,
    update_time      TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX expenditures_grant_date_idx ON expenditures (grant_id, expense_date, id);
--bun:split
CREATE INDEX expenditures_grant_line_idx ON expenditures (grant_id, line_key);
--bun:split
CREATE INDEX expenditures_organisation_idx ON expenditures (organisation_id, grant_id);
--bun:split
CREATE INDEX expenditures_currency_idx ON expenditures (currency_code, expense_date);
--bun:split
CREATE UNIQUE INDEX expenditures_import_key ON expenditures (grant_id, import_key);

--bun:split
-- Receipts: files stored content-addressed (by SHA-256) in the blob store.
CREATE TABLE receipts (
    id             TEXT PRIMARY KEY,
    expenditure_id TEXT NOT NULL REFERENCES expenditures (id) ON DELETE CASCADE,
    sha256         TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size_bytes     BIGINT NOT NULL,
    created_by     TEXT NOT NULL,
    create_time    TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX receipts_expenditure_idx ON receipts (expenditure_id);
--bun:split
CREATE INDEX receipts_sha256_idx ON receipts (sha256);
