// /agreements/:id: a framework partnership agreement (donor, lead
// organisation, signature, period, currency) and the grants signed under it.
// Its coordinators edit it (only the fields they changed, with the etag;
// Reload after someone else's change keeps what they typed), close it (no
// further grant under it), reopen it, and delete one without grants.
import { useConfirmedAction } from "../../components/shared/confirmedAction";
import { lazy, Suspense } from "react";
import { Alert, Button, Stack, Text } from "@mantine/core";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useInfiniteQuery, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { FrameworkAgreementService, FrameworkAgreementState, type FrameworkAgreement } from "../../gen/pactum/v1/framework_agreement_pb";
import { showToast } from "../../lib/toast";
import { agreementValues, toAgreement, type AgreementValues } from "../../components/agreements/AgreementForm";
import { AgreementStateBadge } from "../../components/agreements/badges";
import { ConfirmDialog } from "../../components/shared/ConfirmDialog";
import { sameText, useEtagEdit } from "../../components/shared/forms";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { useFormat } from "../../lib/format";
import { OrganisationName } from "../../components/organisations/OrganisationName";
import { GrantsTable } from "../../components/grants/GrantsTable";
import { elapsed } from "../../components/grants/period";
import { Detail, Details, Empty, LoadError, LoadMore, PageHeader, Section } from "../../components/shared/ui";
import { PageLoader } from "../../components/PageLoader";

const AgreementEditor = lazy(() => import("../../components/agreements/AgreementEditor"));

const fieldLabels: Record<keyof AgreementValues, string> = {
  reference: "setup:agreement.fields.reference",
  title: "setup:agreement.fields.title",
  donor: "grants:fields.donor",
  lead: "grants:fields.lead",
  signatureDate: "setup:agreement.fields.signatureDate",
  startDate: "grants:fields.startDate",
  endDate: "grants:fields.endDate",
  currencyCode: "grants:fields.currency",
};

type Step = "close" | "reopen" | "delete";

export default function AgreementPage() {
  const { id } = useParams<{ id: string }>();
  const name = `frameworkAgreements/${id}`;
  const { t } = useTranslation(["grants", "setup", "common"]);
  const fmt = useFormat();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const q = useQuery(FrameworkAgreementService.method.getFrameworkAgreement, { name });
  const a = q.data?.frameworkAgreement;

  const update = useMutation(FrameworkAgreementService.method.updateFrameworkAgreement);
  const edit = useEtagEdit<FrameworkAgreement>({
    refetch: async () => (await q.refetch()).data?.frameworkAgreement,
    reset: update.reset,
    changes: (was, now) => {
      const before = agreementValues(was);
      const after = agreementValues(now);
      return (Object.keys(fieldLabels) as (keyof AgreementValues)[]).filter((k) => !sameText(before[k], after[k])).map((k) => t(fieldLabels[k]));
    },
  });
  const save = (v: AgreementValues, mask: string[]) => {
    if (mask.length === 0) {
      edit.stop();
      return;
    }
    update.mutate(
      { frameworkAgreement: { name, etag: edit.etag, ...toAgreement(v) }, updateMask: { paths: mask } },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("grants:saved") });
          edit.stop();
        },
      },
    );
  };

  const close = useMutation(FrameworkAgreementService.method.closeFrameworkAgreement);
  const reopen = useMutation(FrameworkAgreementService.method.reopenFrameworkAgreement);
  const del = useMutation(FrameworkAgreementService.method.deleteFrameworkAgreement);
  const { step, current, open, cancel, done } = useConfirmedAction<Step>({ close, reopen, delete: del });
  const confirm = () => {
    const req = { name, etag: a?.etag ?? "" };
    if (step === "close") close.mutate(req, { onSuccess: () => done(t("setup:agreement.closed")) });
    if (step === "reopen") reopen.mutate(req, { onSuccess: () => done(t("setup:agreement.reopened")) });
    if (step === "delete")
      del.mutate(req, {
        onSuccess: () => {
          done(t("setup:agreement.deleted"));
          navigate("/agreements");
        },
      });
  };
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
  const closed = a.state === FrameworkAgreementState.CLOSED;
  const manage = a.callerCanUpdate;

  return (
    <>
      <PageHeader
        title={a.title || a.reference}
        subtitle={a.reference}
        back={{ href: "/agreements", label: t("grants:agreements.title") }}
        badge={<AgreementStateBadge state={a.state} />}
        actions={
          <>
            {a.callerCanReadHistory && (
              <Button component={Link} href={`/history/frameworkAgreements/${id}`} variant="default">
                {t("common:actions.history")}
              </Button>
            )}
            {manage && !edit.base && (
              <>
                {!closed && <Button onClick={() => edit.start(a)}>{t("common:actions.edit")}</Button>}
                {closed ? (
                  <Button color="teal" variant="outline" onClick={() => open("reopen")}>
                    {t("setup:agreement.reopen")}
                  </Button>
                ) : (
                  <Button color="dark" variant="outline" onClick={() => open("close")}>
                    {t("setup:agreement.close")}
                  </Button>
                )}
                <Button color="red" variant="outline" onClick={() => open("delete")}>
                  {t("common:actions.delete")}
                </Button>
              </>
            )}
          </>
        }
      />
      <Stack gap="md">
        {closed && (
          <Alert color="gray" variant="light" title={t("setup:agreement.closedTitle")}>
            {t("setup:agreement.closedBody", { date: a.closeTime ? fmt.dateTime(timestampDate(a.closeTime)) : "" })}
          </Alert>
        )}
        {edit.base ? (
          <Section title={t("setup:agreement.editTitle")} id="edit">
            {(edit.changed ?? []).length > 0 && (
              <Alert color="blue" variant="light" mb="md" title={t("grants:reloaded")}>
                {t("grants:changedMeanwhile", { fields: (edit.changed ?? []).join(", ") })}
              </Alert>
            )}
            <Suspense fallback={<PageLoader />}>
              <AgreementEditor
                initial={edit.base}
                submitLabel={t("common:actions.save")}
                pending={update.isPending}
                error={update.error}
                onSubmit={save}
                onCancel={edit.stop}
                onReload={() => void edit.reload()}
                reloading={edit.reloading}
              />
            </Suspense>
          </Section>
        ) : (
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
        )}

        <Section
          title={t("grants:agreements.grants")}
          id="grants"
          actions={
            a.callerCanCreateGrant &&
            !closed && (
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
      <ConfirmDialog
        opened={!!step}
        onClose={cancel}
        title={step ? t(`setup:agreement.dialogs.${step}.title`) : ""}
        body={step ? t(`setup:agreement.dialogs.${step}.body`, { reference: a.reference }) : ""}
        confirmLabel={step ? t(`setup:agreement.dialogs.${step}.confirm`) : ""}
        color={step === "delete" ? "red" : step === "close" ? "dark" : "teal"}
        onConfirm={confirm}
        pending={current.isPending}
        error={current.error}
        reasonsNs="setup"
        onReload={() => void q.refetch().then(() => current.reset())}
      />
    </>
  );
}

