// IneligibleConfirm: a change of a grant's dates that would leave recorded
// expenditures outside the implementation period. The server refused it
// (EXPENDITURES_OUTSIDE_PERIOD) and listed them (validate_only); the
// coordinator sees which, and what follows (not eligible, no longer counted),
// and confirms or goes back to the form.
import { Badge, Button, Group, Modal, Stack, Table, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { OutOfPeriodReason, type UpdateGrantResponse } from "../../gen/pactum/v1/grant_pb";
import { useFormat } from "../../lib/format";
import { OrganisationName } from "../organisations/OrganisationName";
import { MutationError } from "./MutationError";

export function IneligibleConfirm({
  preview,
  currency,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  // The validate-only answer: the grant as it would be and the expenditures.
  preview: UpdateGrantResponse | undefined;
  currency: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation(["grants", "common"]);
  const fmt = useFormat();
  const phone = useMediaQuery("(max-width: 36em)");
  const g = preview?.grant;
  const listed = preview?.ineligibleExpenditures ?? [];
  const count = preview?.ineligibleCount ?? 0;
  return (
    <Modal
      opened={!!preview}
      onClose={onCancel}
      title={t("grants:ineligible.title", { count })}
      size={960}
      fullScreen={phone}
      closeButtonProps={{ "aria-label": t("common:actions.close") }}
    >
      <Stack gap="md">
        <Text size="sm">
          {t("grants:ineligible.body", {
            count,
            formatted: fmt.number(count),
            start: fmt.date(g?.startDate),
            end: fmt.date(g?.endDate),
            total: fmt.money(preview?.ineligibleTotal, currency),
          })}
        </Text>
        <Text size="sm">{t("grants:ineligible.consequence")}</Text>
        <Table.ScrollContainer minWidth={640} type="native" mah={phone ? undefined : 360} tabIndex={0} role="region" aria-label={t("grants:ineligible.caption")}>
          <Table verticalSpacing={4} fz="sm" stickyHeader>
            <Table.Caption>{t("grants:ineligible.caption")}</Table.Caption>
            <Table.Thead>
              <Table.Tr style={{ whiteSpace: "nowrap" }}>
                <Table.Th scope="col">{t("grants:ineligible.col.date")}</Table.Th>
                <Table.Th scope="col">{t("grants:ineligible.col.reference")}</Table.Th>
                <Table.Th scope="col">{t("grants:ineligible.col.payee")}</Table.Th>
                <Table.Th scope="col">{t("grants:ineligible.col.partner")}</Table.Th>
                <Table.Th scope="col" style={{ textAlign: "right" }}>
                  {t("grants:ineligible.col.amount")}
                </Table.Th>
                <Table.Th scope="col" style={{ textAlign: "right" }}>
                  {t("grants:ineligible.col.converted", { currency })}
                </Table.Th>
                <Table.Th scope="col">{t("grants:ineligible.col.reason")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {listed.map((e) => (
                <Table.Tr key={e.expenditure}>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{fmt.date(e.expenseDate)}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    {e.documentRef}
                    {e.draft && (
                      <Badge ml={6} size="xs" variant="outline" color="gray">
                        {t("grants:ineligible.draft")}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{e.payee}</Table.Td>
                  <Table.Td>
                    <OrganisationName name={e.organisation} short link={false} />
                  </Table.Td>
                  <Table.Td style={{ textAlign: "right", whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>
                    {fmt.money(e.amount, e.currencyCode)}
                  </Table.Td>
                  <Table.Td style={{ textAlign: "right", whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>
                    {e.convertedAmount ? fmt.money(e.convertedAmount, currency) : t("grants:ineligible.noRate")}
                  </Table.Td>
                  <Table.Td>
                    {e.reason === OutOfPeriodReason.AFTER_END ? t("grants:ineligible.afterEnd") : t("grants:ineligible.beforeStart")}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {count > listed.length && <Text size="sm">{t("grants:ineligible.more", { count: count - listed.length, formatted: fmt.number(count - listed.length) })}</Text>}
        <MutationError error={error} reasonsNs="grants" />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={pending}>
            {t("grants:ineligible.back")}
          </Button>
          <Button color="red" onClick={onConfirm} loading={pending}>
            {t("grants:ineligible.confirm", { count, formatted: fmt.number(count) })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
