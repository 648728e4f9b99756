// GrantsTable lists grants: reference, title, state, period and the donor's
// maximum contribution in the grant currency. Used by the grants list and by
// a framework agreement's page.
import { Anchor, Table, Text } from "@mantine/core";
import { Link } from "wouter";
import { useTranslation } from "react-i18next";
import type { Grant } from "../../gen/pactum/v1/grant_pb";
import { useFormat } from "../../lib/format";
import { GrantStateBadge } from "./badges";

interface Props {
  grants: Grant[];
  minWidth: number;
  caption?: string;
  busy?: boolean;
  striped?: boolean;
}

export function GrantsTable({ grants, minWidth, caption, busy, striped }: Props) {
  const { t } = useTranslation(["grants", "common"]);
  const fmt = useFormat();
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native">
      <Table striped={striped} highlightOnHover verticalSpacing={striped ? "sm" : "xs"} aria-busy={busy} aria-label={caption}>
        <Table.Thead>
          <Table.Tr style={{ whiteSpace: "nowrap" }}>
            <Table.Th scope="col">{t("grants:columns.reference")}</Table.Th>
            <Table.Th scope="col" miw={220}>
              {t("grants:columns.title")}
            </Table.Th>
            <Table.Th scope="col">{t("grants:columns.state")}</Table.Th>
            <Table.Th scope="col">{t("grants:columns.period")}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t("grants:columns.maxContribution")}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {grants.map((g) => (
            <Table.Tr key={g.name}>
              <Table.Td>
                <Anchor component={Link} href={`/${g.name}`} fz="sm" fw={600} style={{ whiteSpace: "nowrap" }}>
                  {g.donorReference}
                </Anchor>
              </Table.Td>
              <Table.Td>{g.title}</Table.Td>
              <Table.Td>
                <GrantStateBadge state={g.state} size="sm" />
              </Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                <Text size="sm">
                  {fmt.date(g.startDate)} – {fmt.date(g.endDate)}
                </Text>
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>
                {fmt.money(g.maxDonorContribution, g.currencyCode)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
