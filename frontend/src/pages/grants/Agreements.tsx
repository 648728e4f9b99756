// /agreements: the framework partnership agreements the user may see, oldest
// first: reference and title, donor and lead organisation, period, currency,
// open or closed; coordinators record a new one.
import { Anchor, Button, Table, Text } from "@mantine/core";
import { useInfiniteQuery } from "@connectrpc/connect-query";
import { Link } from "wouter";
import { useTranslation } from "react-i18next";
import { FrameworkAgreementService } from "../../gen/pactum/v1/framework_agreement_pb";
import { useFormat } from "../../lib/format";
import { useSession } from "../../lib/session";
import { AgreementStateBadge } from "../../components/agreements/badges";
import { OrganisationName } from "../../components/organisations/OrganisationName";
import { idOf } from "../../components/shared/requestId";
import { Empty, LoadError, LoadMore, PageHeader } from "../../components/shared/ui";

export default function Agreements() {
  const { t } = useTranslation(["grants", "setup", "common"]);
  const fmt = useFormat();
  const { permissions } = useSession();
  const list = useInfiniteQuery(
    FrameworkAgreementService.method.listFrameworkAgreements,
    { pageSize: 50, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const rows = list.data?.pages.flatMap((p) => p.frameworkAgreements) ?? [];

  return (
    <>
      <PageHeader
        title={t("grants:agreements.title")}
        subtitle={t("grants:agreements.intro")}
        actions={
          !!permissions?.createGrants && (
            <Button component={Link} href="/agreements/new">
              {t("setup:agreement.newTitle")}
            </Button>
          )
        }
      />
      {list.error ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={820} type="native">
            <Table striped highlightOnHover verticalSpacing="sm" aria-busy={list.isFetching} aria-label={t("grants:agreements.caption")}>
              <Table.Thead>
                <Table.Tr style={{ whiteSpace: "nowrap" }}>
                  <Table.Th scope="col">{t("grants:agreements.reference")}</Table.Th>
                  <Table.Th scope="col" miw={220}>
                    {t("grants:agreements.agreementTitle")}
                  </Table.Th>
                  <Table.Th scope="col">{t("grants:fields.donor")}</Table.Th>
                  <Table.Th scope="col">{t("grants:fields.lead")}</Table.Th>
                  <Table.Th scope="col">{t("grants:agreements.period")}</Table.Th>
                  <Table.Th scope="col">{t("grants:fields.currency")}</Table.Th>
                  <Table.Th scope="col">{t("setup:agreement.stateColumn")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((a) => (
                  <Table.Tr key={a.name}>
                    <Table.Td>
                      <Anchor component={Link} href={`/agreements/${idOf(a.name)}`} fz="sm" fw={600} style={{ whiteSpace: "nowrap" }}>
                        {a.reference || t("common:none")}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{a.title}</Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>
                      <OrganisationName name={a.donor} short />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>
                      <OrganisationName name={a.leadOrganisation} short />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>
                      <Text size="sm">
                        {fmt.date(a.startDate)} – {fmt.date(a.endDate)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{a.currencyCode}</Table.Td>
                    <Table.Td>
                      <AgreementStateBadge state={a.state} size="sm" />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.isLoading && <Empty>{t("common:loading")}</Empty>}
          {!list.isLoading && rows.length === 0 && <Empty>{t("grants:agreements.empty")}</Empty>}
          <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
        </>
      )}
    </>
  );
}
