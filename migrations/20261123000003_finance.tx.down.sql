DROP TABLE receipts;
--bun:split
DROP TABLE expenditures;
--bun:split
DROP TABLE ledger_imports;
--bun:split
DROP TABLE prefinancing_payments;
--bun:split
DROP TABLE partner_transfers;
--bun:split
DROP TABLE exchange_rates;
--bun:split
DROP TABLE budget_lines;
--bun:split
DROP TABLE budget_versions;
--bun:split
DROP TABLE grant_fixed_rates;
--bun:split
DROP TABLE grant_rules;
--bun:split
DROP TABLE budget_template_headings;
--bun:split
DROP TABLE budget_templates;
