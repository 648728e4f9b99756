// /grants: the grants the user may see, oldest first, with their state,
// implementation period and the donor's maximum contribution in the grant
// currency; filtered by state (kept in the address). Coordinators start a
// new grant from here.
import { Button, Group, Select } from "@mantine/core";
import { useInfiniteQuery } from "@connectrpc/connect-query";
import { Link, useSearchParams } from "wouter";
import { useTranslation } from "react-i18next";
import { GrantService, GrantState, GrantStateSchema } from "../../gen/pactum/v1/grant_pb";
import { enumOptions } from "../../lib/enums";
import { useSession } from "../../lib/session";
import { GrantsTable } from "../../components/grants/GrantsTable";
import { Empty, LoadError, LoadMore, PageHeader } from "../../components/shared/ui";

export default function Grants() {
  const { t } = useTranslation(["grants", "common"]);
  const { permissions } = useSession();
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
          permissions?.createGrants && (
            <Group gap="xs">
              <Button component={Link} href="/grants/from-contract" variant="default">
                {t("grants:fromContract")}
              </Button>
              <Button component={Link} href="/grants/new">
                {t("grants:newGrant")}
              </Button>
            </Group>
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
          <GrantsTable grants={rows} minWidth={760} striped busy={list.isFetching} caption={t("grants:caption")} />
          {list.isLoading && <Empty>{t("common:loading")}</Empty>}
          {!list.isLoading && rows.length === 0 && <Empty>{state ? t("grants:noResults") : t("grants:empty")}</Empty>}
          <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
        </>
      )}
    </>
  );
}
