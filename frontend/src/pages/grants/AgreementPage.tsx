// /agreements/:id: a framework partnership agreement (donor, lead
// organisation, signature, period, currency) and the grants signed under it.
import { Button, Stack, Text } from "@mantine/core";
import { useInfiniteQuery, useQuery } from "@connectrpc/connect-query";
import { Link, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { FrameworkAgreementService } from "../../gen/pactum/v1/framework_agreement_pb";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { useFormat } from "../../lib/format";
import { OrganisationName } from "../../components/organisations/OrganisationName";
import { GrantsTable } from "../../components/grants/GrantsTable";
import { elapsed } from "../../components/grants/period";
import { Detail, Details, Empty, LoadError, LoadMore, PageHeader, Section } from "../../components/shared/ui";
import { PageLoader } from "../../components/PageLoader";

export default function AgreementPage() {
  const { id } = useParams<{ id: string }>();
  const name = `frameworkAgreements/${id}`;
  const { t } = useTranslation(["grants", "common"]);
  const fmt = useFormat();
  const q = useQuery(FrameworkAgreementService.method.getFrameworkAgreement, { name });
  const a = q.data?.frameworkAgreement;
  const grants = useInfiniteQuery(
    GrantService.method.listGrants,
    { frameworkAgreement: name, pageSize: 50, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined, enabled: !!a },
  );
  const rows = grants.data?.pages.flatMap((p) => p.grants) ?? [];

  if (q.isLoading) return <PageLoader />;
  if (!a) {
    return (
      <>
        <PageHeader title={t("grants:agreements.title")} back={{ href: "/agreements", label: t("grants:agreements.title") }} />
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      </>
    );
  }
  const period = elapsed(a.startDate, a.endDate);

  return (
    <>
      <PageHeader
        title={a.title || a.reference}
        subtitle={a.reference}
        back={{ href: "/agreements", label: t("grants:agreements.title") }}
        actions={
          a.callerCanReadHistory && (
            <Button component={Link} href={`/history/frameworkAgreements/${id}`} variant="default">
              {t("common:actions.history")}
            </Button>
          )
        }
      />
      <Stack gap="md">
        <Section title={t("grants:sections.contract")} id="agreement">
          <Details>
            <Detail label={t("grants:agreements.reference")}>{a.reference}</Detail>
            <Detail label={t("grants:fields.donor")}>
              <OrganisationName name={a.donor} />
            </Detail>
            <Detail label={t("grants:fields.lead")}>
              <OrganisationName name={a.leadOrganisation} />
            </Detail>
            <Detail label={t("grants:agreements.signed")}>{fmt.date(a.signatureDate)}</Detail>
            <Detail label={t("grants:agreements.period")}>
              {a.startDate && `${fmt.date(a.startDate)} – ${fmt.date(a.endDate)}`}
              {period && (
                <Text span size="xs" c="dimmed" display="block">
                  {t("grants:agreements.elapsed", { percent: new Intl.NumberFormat(fmt.locale, { style: "percent" }).format(period.percent / 100) })}
                </Text>
              )}
            </Detail>
            <Detail label={t("grants:fields.currency")}>{a.currencyCode}</Detail>
          </Details>
        </Section>

        <Section
          title={t("grants:agreements.grants")}
          id="grants"
          actions={
            a.callerCanCreateGrant && (
              <Button component={Link} href={`/grants/new?agreement=${encodeURIComponent(name)}`} size="xs" variant="light">
                {t("grants:newGrant")}
              </Button>
            )
          }
        >
          {grants.error ? (
            <LoadError error={grants.error} onRetry={() => void grants.refetch()} />
          ) : grants.isLoading ? (
            <Empty>{t("common:loading")}</Empty>
          ) : rows.length === 0 ? (
            <Empty>{t("grants:agreements.noGrants")}</Empty>
          ) : (
            <>
              <GrantsTable grants={rows} minWidth={720} />
              <LoadMore hasMore={grants.hasNextPage} loading={grants.isFetchingNextPage} onClick={() => void grants.fetchNextPage()} />
            </>
          )}
        </Section>
      </Stack>
    </>
  );
}
