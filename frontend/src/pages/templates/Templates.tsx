// /budget-templates: the donors' budget templates, built-in ones first:
// name (built in marked), headings, defining organisation, how many grants
// use it. Those who may define templates (the session says so) start a new
// one, empty or as a copy.
import { Anchor, Badge, Button, Group, Table, Text } from "@mantine/core";
import { useInfiniteQuery } from "@connectrpc/connect-query";
import { Link } from "wouter";
import { useTranslation } from "react-i18next";
import { BudgetService } from "../../gen/pactum/v1/budget_pb";
import { useSession } from "../../lib/session";
import { OrganisationName } from "../../components/organisations/OrganisationName";
import { idOf } from "../../components/shared/requestId";
import { Empty, LoadError, LoadMore, PageHeader } from "../../components/shared/ui";

export default function Templates() {
  const { t } = useTranslation(["templates", "common"]);
  const { permissions } = useSession();
  const list = useInfiniteQuery(
    BudgetService.method.listBudgetTemplates,
    { pageSize: 100, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const rows = list.data?.pages.flatMap((p) => p.budgetTemplates) ?? [];

  return (
    <>
      <PageHeader
        title={t("title")}
        subtitle={t("intro")}
        actions={
          !!permissions?.manageBudgetTemplates && (
            <Button component={Link} href="/budget-templates/new">
              {t("new")}
            </Button>
          )
        }
      />
      {list.error ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={640} type="native">
            <Table striped highlightOnHover verticalSpacing="sm" aria-busy={list.isFetching} aria-label={t("caption")}>
              <Table.Thead>
                <Table.Tr style={{ whiteSpace: "nowrap" }}>
                  <Table.Th scope="col" miw={220}>
                    {t("columns.name")}
                  </Table.Th>
                  <Table.Th scope="col">{t("columns.headings")}</Table.Th>
                  <Table.Th scope="col">{t("columns.organisation")}</Table.Th>
                  <Table.Th scope="col">{t("columns.grants")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((tpl) => (
                  <Table.Tr key={tpl.name}>
                    <Table.Td>
                      <Group gap="xs" wrap="wrap">
                        <Anchor component={Link} href={`/budget-templates/${idOf(tpl.name)}`} fz="sm" fw={600}>
                          {tpl.displayName}
                        </Anchor>
                        {tpl.builtIn && (
                          <Badge size="sm" variant="light" color="gray" c="gray.9" title={t("builtInHelp")}>
                            {t("builtIn")}
                          </Badge>
                        )}
                      </Group>
                      {tpl.description && (
                        <Text size="xs" c="gray.7" lineClamp={2}>
                          {tpl.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>{t("headingCount", { count: tpl.headings.length })}</Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>{tpl.organisation ? <OrganisationName name={tpl.organisation} short /> : t("common:none")}</Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>{tpl.grantCount > 0 ? t("grantCount", { count: tpl.grantCount }) : t("noGrants")}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.isLoading && <Empty>{t("common:loading")}</Empty>}
          {!list.isLoading && rows.length === 0 && <Empty>{t("empty")}</Empty>}
          <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
        </>
      )}
    </>
  );
}
