DROP TABLE forecast_lines;
--bun:split
DROP TABLE forecasts;
--bun:split
DROP TABLE funding_receipts;
--bun:split
DROP TABLE funding_sources;
--bun:split
ALTER TABLE budget_versions DROP COLUMN approval_reference;
--bun:split
ALTER TABLE grants DROP COLUMN indirect_cost_rate_bp;
