// /grants: the grants the user may see, oldest first, with their state,
// implementation period and the donor's maximum contribution in the grant
// currency; filtered by state (kept in the address). Coordinators start a
// new grant from here.
import { Anchor, Button, Group, Select, Table, Text } from "@mantine/core";
import { useInfiniteQuery } from "@connectrpc/connect-query";
import { Link, useSearchParams } from "wouter";
import { useTranslation } from "react-i18next";
import { GrantService, GrantState, GrantStateSchema } from "../../gen/pactum/v1/grant_pb";
import { enumOptions } from "../../lib/enums";
import { useFormat } from "../../lib/format";
import { canManage, useSession } from "../../lib/session";
import { GrantStateBadge } from "../../components/grants/badges";
import { Empty, LoadError, LoadMore, PageHeader } from "../../components/grants/ui";

export default function Grants() {
  const { t } = useTranslation(["grants", "common"]);
  const { user } = useSession();
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const state = params.get("state") ?? "";

  const list = useInfiniteQuery(
    GrantService.method.listGrants,
    { pageSize: 50, pageToken: "", state: state ? (Number(state) as GrantState) : GrantState.UNSPECIFIED },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const rows = list.data?.pages.flatMap((p) => p.grants) ?? [];

  return (
    <>
      <PageHeader
        title={t("grants:title")}
        subtitle={t("grants:intro")}
        actions={
          canManage(user) && (
            <Button component={Link} href="/grants/new">
              {t("grants:newGrant")}
            </Button>
          )
        }
      />
      <Group mb="md" role="search" aria-label={t("grants:filters.label")}>
        <Select
          label={t("grants:filters.state")}
          placeholder={t("grants:filters.any")}
          clearable
          data={enumOptions(t, "grantState", GrantStateSchema)}
          value={state || null}
          onChange={(v) => setParams(v ? { state: v } : {}, { replace: true })}
          w={{ base: "100%", xs: 240 }}
        />
      </Group>

      {list.error ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={760} type="native">
            <Table striped highlightOnHover verticalSpacing="sm" aria-busy={list.isFetching} aria-label={t("grants:caption")}>
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
                {rows.map((g) => (
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
          {list.isLoading && <Empty>{t("common:loading")}</Empty>}
          {!list.isLoading && rows.length === 0 && <Empty>{state ? t("grants:noResults") : t("grants:empty")}</Empty>}
          <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
        </>
      )}
    </>
  );
}
