// /grants/:id/expenditures/:eid: one expenditure. What was paid, in which
// currency and how it converts (rate and source, or why no rate applies
// yet), its receipts, and what can be done with it in its state: a draft or
// rejected one is changed (only the fields changed, with the etag; after
// someone else's change, Reload keeps what was typed), submitted or deleted;
// finance verifies a submitted one or rejects it with a reason.
import { lazy, Suspense, useMemo, useState } from "react";
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useLocation, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { ExpenditureService, ExpenditureStatus, type Expenditure } from "../../gen/pactum/v1/expenditure_pb";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { useFormat } from "../../lib/format";
import { showToast } from "../../lib/toast";
import { sameText, useEtagEdit } from "../../components/shared/forms";
import { Detail, Details, LoadError, PageHeader, Section } from "../../components/shared/ui";
import { MutationError, errorReason } from "../../components/grants/MutationError";
import { OrganisationName } from "../../components/organisations/OrganisationName";
import { Receipts } from "../../components/expenditures/Receipts";
import { expenditureValues, paths, toExpenditure, type ExpenditureValues } from "../../components/expenditures/expenditureValues";
import { IneligibleBadge, RateMissingBadge, StatusBadge, lineLabel, useGrantParties, useLatestBudget, useRateFormat, warning, warnText } from "../../components/expenditures/shared";
import { PageLoader } from "../../components/PageLoader";

const ExpenditureForm = lazy(() => import("../../components/expenditures/ExpenditureForm"));

type Action = "submit" | "verify" | "reject" | "delete";

const fieldLabels: Record<keyof ExpenditureValues, string> = {
  expenseDate: "expenditures:fields.expenseDate",
  budgetLineKey: "expenditures:fields.budgetLine",
  project: "expenditures:fields.project",
  organisation: "expenditures:fields.partner",
  amount: "expenditures:fields.amount",
  currencyCode: "expenditures:fields.currency",
  payee: "expenditures:fields.payee",
  description: "expenditures:fields.description",
  documentRef: "expenditures:fields.documentRef",
};

export default function ExpenditurePage() {
  const { id, eid } = useParams<{ id: string; eid: string }>();
  const grantName = `grants/${id}`;
  const name = `${grantName}/expenditures/${eid}`;
  const { t } = useTranslation(["expenditures", "common", "finance"]);
  const fmt = useFormat();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const phone = useMediaQuery("(max-width: 36em)");
  const rateFmt = useRateFormat();

  const q = useQuery(ExpenditureService.method.getExpenditure, { name });
  const e = q.data?.expenditure;
  const grantQ = useQuery(GrantService.method.getGrant, { name: grantName });
  const grant = grantQ.data?.grant;
  const budget = useLatestBudget(grantName);
  const parties = useGrantParties(grantName);

  // Editing: the record as it was when editing began, and the etag to send.
  const update = useMutation(ExpenditureService.method.updateExpenditure);
  const edit = useEtagEdit<Expenditure>({
    refetch: async () => (await q.refetch()).data?.expenditure,
    reset: update.reset,
    changes: (was, now) => {
      const before = expenditureValues(grantName, was);
      const after = expenditureValues(grantName, now);
      return (Object.keys(paths) as (keyof ExpenditureValues)[]).filter((k) => !sameText(before[k], after[k])).map((k) => t(fieldLabels[k]));
    },
  });
  const base = edit.base;
  const changedMeanwhile = edit.changed ?? [];
  const start = useMemo(() => expenditureValues(grantName, base), [grantName, base]);
  const refresh = () => void queryClient.invalidateQueries();
  const save = (v: ExpenditureValues, mask: string[]) => {
    if (mask.length === 0) {
      edit.stop();
      return;
    }
    update.mutate(
      { expenditure: { name, etag: edit.etag, ...toExpenditure(v) }, updateMask: { paths: mask } },
      {
        onSuccess: () => {
          refresh();
          showToast({ color: "teal", message: t("expenditures:saved") });
          edit.stop();
        },
      },
    );
  };

  // Submit, verify, reject (with a reason), delete: confirmed in a dialog.
  const [pending, setPending] = useState<Action>();
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState("");
  const submit = useMutation(ExpenditureService.method.submitExpenditure);
  const verify = useMutation(ExpenditureService.method.verifyExpenditure);
  const reject = useMutation(ExpenditureService.method.rejectExpenditure);
  const del = useMutation(ExpenditureService.method.deleteExpenditure);
  const current = pending === "submit" ? submit : pending === "verify" ? verify : pending === "reject" ? reject : del;
  const open = (a: Action) => {
    [submit, verify, reject, del].forEach((m) => m.reset());
    setReason("");
    setReasonError("");
    setPending(a);
  };
  const confirm = () => {
    const req = { name, etag: e?.etag ?? "" };
    const done = (message: string) => () => {
      setPending(undefined);
      refresh();
      showToast({ color: "teal", message });
    };
    if (pending === "submit") submit.mutate(req, { onSuccess: done(t("expenditures:actions.submitted")) });
    if (pending === "verify") verify.mutate(req, { onSuccess: done(t("expenditures:actions.verified")) });
    if (pending === "reject") {
      if (!reason.trim()) {
        setReasonError(t("expenditures:validation.reason"));
        return;
      }
      reject.mutate({ ...req, reason: reason.trim() }, { onSuccess: done(t("expenditures:actions.rejected")) });
    }
    if (pending === "delete")
      del.mutate(req, {
        onSuccess: () => {
          done(t("expenditures:actions.deleted"))();
          navigate(`/grants/${id}/expenditures`);
        },
      });
  };

  const back = { href: `/grants/${id}/expenditures`, label: t("expenditures:title") };
  if (q.isLoading || grantQ.isLoading) return <PageLoader />;
  if (!e || !grant) {
    return (
      <>
        <PageHeader title={t("expenditures:one")} back={back} />
        <LoadError error={q.error ?? grantQ.error} onRetry={() => void q.refetch()} />
      </>
    );
  }

  // What the caller may do, as the server decides it: with this expenditure
  // (its callerCan* fields, below) and in its grant (receipts, the help).
  const recorder = grant.callerCanRecordExpenditures;
  const currency = e.grantCurrencyCode || grant.currencyCode;
  const line = budget.line(e.budgetLineKey);
  const heading = budget.version?.headings.find((h) => h.code === (line?.headingCode || e.headingCode));
  const project = parties.project(e.project);

  return (
    <>
      <PageHeader
        title={e.payee || e.documentRef || t("expenditures:one")}
        back={back}
        subtitle={[fmt.date(e.expenseDate), e.documentRef, fmt.money(e.amount, e.currencyCode)].filter(Boolean).join(" · ")}
        badge={
          <Group gap="xs">
            <StatusBadge status={e.status} size="lg" />
            {e.rateMissing && <RateMissingBadge />}
            <IneligibleBadge day={e.expenseDate} grant={grant} size="lg" />
          </Group>
        }
        actions={
          !base && (
            <>
              {e.callerCanUpdate && (
                <Button variant="default" onClick={() => edit.start(e)}>
                  {t("common:actions.edit")}
                </Button>
              )}
              {e.callerCanSubmit && (
                <Button onClick={() => open("submit")}>{e.status === ExpenditureStatus.REJECTED ? t("expenditures:actions.resubmit") : t("common:actions.submit")}</Button>
              )}
              {e.callerCanVerify && (
                <Button color="teal" onClick={() => open("verify")}>
                  {t("expenditures:actions.verify")}
                </Button>
              )}
              {(e.callerCanVerify || e.callerFourEyes) && (
                <Button color="red" variant="outline" onClick={() => open("reject")}>
                  {t("expenditures:actions.reject")}
                </Button>
              )}
              {e.callerCanDelete && (
                <Button color="red" variant="subtle" onClick={() => open("delete")}>
                  {t("common:actions.delete")}
                </Button>
              )}
            </>
          )
        }
      />

      <Stack gap="md">
        {e.callerFourEyes && (
          <Alert {...warning} title={t("finance:expenditure.fourEyesTitle")} data-testid="four-eyes">
            {t("finance:expenditure.fourEyes")}
          </Alert>
        )}
        {e.status === ExpenditureStatus.REJECTED && (
          <Alert color="red" variant="light" title={t("expenditures:rejectedTitle")}>
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {e.rejectReason}
            </Text>
            {recorder && (
              <Text size="xs" c="dimmed" mt="xs">
                {t("expenditures:rejectedHelp")}
              </Text>
            )}
          </Alert>
        )}
        {e.rateMissing && (
          <Alert {...warning} title={t("expenditures:rateMissing.oneTitle", { currency })}>
            {e.rateProblem && (
              <Text size="sm" lang="en">
                {e.rateProblem}
              </Text>
            )}
            <Text size="xs" c="dimmed" mt={4}>
              {t("expenditures:rateMissing.oneHelp")}
            </Text>
          </Alert>
        )}

        {base ? (
          <Section title={t("expenditures:editTitle")} id="edit">
            {changedMeanwhile.length > 0 && (
              <Alert color="blue" variant="light" mb="md" title={t("expenditures:reloaded")}>
                {t("expenditures:changedMeanwhile", { fields: changedMeanwhile.join(", ") })}
              </Alert>
            )}
            <Suspense fallback={<PageLoader />}>
              <ExpenditureForm
                grant={grant}
                start={start}
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
          <Section title={t("expenditures:sections.details")} id="details">
            <Details>
              <Detail label={t("expenditures:fields.expenseDate")}>{fmt.date(e.expenseDate)}</Detail>
              <Detail label={t("expenditures:fields.documentRef")}>{e.documentRef}</Detail>
              <Detail label={t("expenditures:fields.payee")}>{e.payee}</Detail>
              <Detail label={t("expenditures:fields.budgetLine")}>
                {lineLabel(line, e.budgetLineKey)}
                {heading && (
                  <Text span size="xs" c="dimmed" display="block">
                    {heading.code}. {heading.title}
                  </Text>
                )}
              </Detail>
              <Detail label={t("expenditures:fields.project")}>{project ? `${project.code} – ${project.title}` : e.project ? e.project : ""}</Detail>
              <Detail label={t("expenditures:fields.partner")}>{e.organisation && <OrganisationName name={e.organisation} />}</Detail>
            </Details>
          </Section>
        )}

        <Section title={t("expenditures:sections.money")} id="money">
          <Details>
            <Detail label={t("expenditures:fields.amountPaid")}>
              <Text span fw={600} style={{ fontVariantNumeric: "tabular-nums" }}>
                {fmt.money(e.amount, e.currencyCode)}
              </Text>
            </Detail>
            <Detail label={t("expenditures:fields.rate")}>
              {e.rateMissing ? (
                <Text span c={warnText} size="sm">
                  {t("expenditures:rateMissing.badge")}
                </Text>
              ) : (
                e.rate && (
                  <>
                    <Text span style={{ fontVariantNumeric: "tabular-nums" }}>
                      {t("expenditures:ratePer", { grantCurrency: currency, rate: rateFmt(e.rate), currency: e.currencyCode })}
                    </Text>
                    {e.rateSource && (
                      <Text span size="xs" c="dimmed" display="block">
                        {t("expenditures:rateSource", { source: e.rateSource })}
                      </Text>
                    )}
                  </>
                )
              )}
            </Detail>
            <Detail label={t("expenditures:fields.converted", { currency })}>
              {!e.rateMissing && e.convertedAmount && (
                <Text span fw={700} size="lg" style={{ fontVariantNumeric: "tabular-nums" }}>
                  {fmt.money(e.convertedAmount, currency)}
                </Text>
              )}
            </Detail>
          </Details>
          {e.description && (
            <Stack gap={2} mt="md">
              <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: "0.03em" }}>
                {t("expenditures:fields.description")}
              </Text>
              <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                {e.description}
              </Text>
            </Stack>
          )}
          <Text size="xs" c="dimmed" mt="md">
            {e.createTime && t("expenditures:recordedAt", { when: fmt.dateTime(timestampDate(e.createTime)) })}
            {e.updateTime && ` · ${t("expenditures:updatedAt", { when: fmt.dateTime(timestampDate(e.updateTime)) })}`}
          </Text>
        </Section>

        <Section title={t("expenditures:receipts.title")} id="receipts">
          <Receipts expenditure={e} editable={recorder && e.status !== ExpenditureStatus.VERIFIED} onChanged={() => void q.refetch()} />
        </Section>
      </Stack>

      <Modal
        opened={!!pending}
        onClose={() => setPending(undefined)}
        title={pending ? t(`expenditures:dialogs.${pending}.title`) : ""}
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        <Stack gap="md">
          <Text size="sm">
            {pending &&
              t(`expenditures:dialogs.${pending}.body`, {
                amount: fmt.money(e.amount, e.currencyCode),
                payee: e.payee || e.documentRef || t("expenditures:one"),
              })}
          </Text>
          {pending === "submit" && e.receipts.length === 0 && (
            <Alert {...warning}>
              {t("expenditures:dialogs.submit.noReceipt")}
            </Alert>
          )}
          {pending === "reject" && (
            <Textarea
              label={t("expenditures:dialogs.reject.reason")}
              description={t("expenditures:dialogs.reject.reasonHelp")}
              required
              autosize
              minRows={3}
              maxLength={2000}
              value={reason}
              onChange={(ev) => {
                setReason(ev.currentTarget.value);
                setReasonError("");
              }}
              error={reasonError || undefined}
              data-autofocus
            />
          )}
          <MutationError error={current.error} reasonsNs="expenditures" onReload={() => void q.refetch().then(() => current.reset())} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setPending(undefined)} disabled={current.isPending}>
              {t("common:actions.cancel")}
            </Button>
            <Button
              color={pending === "verify" ? "teal" : pending === "reject" || pending === "delete" ? "red" : undefined}
              onClick={confirm}
              loading={current.isPending}
              disabled={!!errorReason(current.error)}
            >
              {pending && t(`expenditures:dialogs.${pending}.confirm`)}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
