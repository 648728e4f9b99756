// ProblemsTable: the problems of a refused import, row by row (row, column,
// problem). Files can hold 10,000 rows, so the report is filtered, sorted
// and shown a page at a time.
import { useMemo, useState } from "react";
import { Badge, Group, Pagination, Select, Table, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { ImportProblem } from "../../gen/pactum/v1/exchange_rate_pb";
import { useFormat } from "../../lib/format";
import { numeric, srOnly } from "./shared";

const pageSize = 50;
type SortKey = "row" | "column";

export function ProblemsTable({ problems, caption }: { problems: ImportProblem[]; caption: string }) {
  const { t } = useTranslation("expenditures");
  const fmt = useFormat();
  const [search, setSearch] = useState("");
  const [column, setColumn] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: "row", asc: true });
  const [page, setPage] = useState(1);

  const columns = useMemo(() => [...new Set(problems.map((p) => p.column).filter(Boolean))].sort(), [problems]);
  const rowsWithProblems = useMemo(() => new Set(problems.map((p) => p.row)).size, [problems]);
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    const list = problems.filter(
      (p) => (!column || p.column === column) && (!q || p.problem.toLowerCase().includes(q) || String(p.row) === q || p.column.toLowerCase().includes(q)),
    );
    const dir = sort.asc ? 1 : -1;
    return list.sort((a, b) =>
      sort.key === "row" ? (a.row - b.row) * dir || a.column.localeCompare(b.column) : a.column.localeCompare(b.column) * dir || a.row - b.row,
    );
  }, [problems, search, column, sort]);
  const pages = Math.max(1, Math.ceil(shown.length / pageSize));
  const current = Math.min(page, pages);
  const slice = shown.slice((current - 1) * pageSize, current * pageSize);

  const header = (key: SortKey, label: string, right?: boolean) => (
    <Table.Th scope="col" aria-sort={sort.key === key ? (sort.asc ? "ascending" : "descending") : "none"} style={right ? { textAlign: "right" } : undefined}>
      <UnstyledButton
        fw={700}
        fz="sm"
        onClick={() => {
          setSort((s) => ({ key, asc: s.key === key ? !s.asc : true }));
          setPage(1);
        }}
      >
        {label} {sort.key === key ? (sort.asc ? "▲" : "▼") : <span aria-hidden>↕</span>}
      </UnstyledButton>
    </Table.Th>
  );

  return (
    <div>
      <Group justify="space-between" align="flex-end" gap="sm" mb="sm" wrap="wrap">
        <Text size="sm" fw={600} role="status">
          {t("expenditures:problems.count", { count: problems.length, problems: fmt.number(problems.length), rows: fmt.number(rowsWithProblems) })}
        </Text>
        {problems.length > 10 && (
          <Group gap="sm" align="flex-end" wrap="wrap">
            <TextInput
              label={t("expenditures:problems.search")}
              type="search"
              size="xs"
              value={search}
              onChange={(e) => {
                setSearch(e.currentTarget.value);
                setPage(1);
              }}
              w={200}
            />
            {columns.length > 1 && (
              <Select
                label={t("expenditures:problems.column")}
                placeholder={t("expenditures:filters.any")}
                size="xs"
                clearable
                data={columns}
                value={column}
                onChange={(v) => {
                  setColumn(v);
                  setPage(1);
                }}
                w={180}
                comboboxProps={{ withinPortal: true }}
              />
            )}
          </Group>
        )}
      </Group>
      <Table.ScrollContainer minWidth={480} type="native" style={{ position: "relative" }}>
        <Table verticalSpacing={6} striped withTableBorder>
          <Table.Caption style={srOnly}>{caption}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {header("row", t("expenditures:problems.row"), true)}
              {header("column", t("expenditures:problems.column"))}
              <Table.Th scope="col">{t("expenditures:problems.problem")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {slice.map((p, i) => (
              <Table.Tr key={`${p.row}-${p.column}-${i}`}>
                <Table.Td style={numeric} w={90}>
                  {p.row > 0 ? fmt.number(p.row) : t("common:none")}
                </Table.Td>
                <Table.Td w={180}>
                  {p.column ? (
                    <Badge variant="light" color="gray" radius="sm" size="md" tt="none" styles={{ root: { maxWidth: "none" } }}>
                      {p.column}
                    </Badge>
                  ) : (
                    t("common:none")
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lang="en">
                    {p.problem}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
            {slice.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={3}>
                  <Text size="sm" c="dimmed" ta="center">
                    {t("expenditures:problems.noMatch")}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && (
        <Group justify="space-between" mt="sm" gap="sm" wrap="wrap">
          <Text size="xs" c="dimmed">
            {t("expenditures:problems.showing", {
              from: fmt.number((current - 1) * pageSize + 1),
              to: fmt.number(Math.min(current * pageSize, shown.length)),
              total: fmt.number(shown.length),
            })}
          </Text>
          <Pagination
            total={pages}
            value={current}
            onChange={setPage}
            size="sm"
            siblings={1}
            boundaries={1}
            getItemProps={(n) => ({ "aria-label": t("expenditures:problems.page", { page: n }) })}
            getControlProps={(control) => ({
              "aria-label":
                control === "next"
                  ? t("common:actions.next")
                  : control === "previous"
                    ? t("common:actions.previous")
                    : control === "first"
                      ? t("expenditures:problems.first")
                      : t("expenditures:problems.last"),
            })}
          />
        </Group>
      )}
    </div>
  );
}
