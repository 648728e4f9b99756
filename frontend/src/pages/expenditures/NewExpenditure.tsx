// /grants/:id/expenditures/new: record an expenditure. It is saved as a
// draft; its page follows, where receipts are added and it is submitted.
import { lazy, Suspense, useMemo, useState } from "react";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useLocation, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { ExpenditureService } from "../../gen/pactum/v1/expenditure_pb";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { showToast } from "../../lib/toast";
import { partnerOrganisations, useSession } from "../../lib/session";
import { LoadError, PageHeader, Section } from "../../components/shared/ui";
import { idOf, newRequestId } from "../../components/shared/requestId";
import { expenditureValues, toExpenditure, type ExpenditureValues } from "../../components/expenditures/expenditureValues";
import { PageLoader } from "../../components/PageLoader";

const ExpenditureForm = lazy(() => import("../../components/expenditures/ExpenditureForm"));

// The currency last used, offered again (a partner pays in the same one).
const lastCurrencyKey = "pactum.expenditure.currency";

export default function NewExpenditure() {
  const { id } = useParams<{ id: string }>();
  const grantName = `grants/${id}`;
  const { t } = useTranslation(["expenditures", "common"]);
  const { user } = useSession();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const grantQ = useQuery(GrantService.method.getGrant, { name: grantName });
  const grant = grantQ.data?.grant;
  const [requestId] = useState(newRequestId);
  const create = useMutation(ExpenditureService.method.createExpenditure);

  const start = useMemo(() => {
    const mine = partnerOrganisations(user);
    return expenditureValues(grantName, undefined, {
      // No default otherwise: an amount in the wrong currency is worse than a
      // choice to make.
      currencyCode: localStorage.getItem(lastCurrencyKey) || "",
      organisation: mine.length === 1 ? mine[0] : "",
    });
  }, [grantName, user]);

  const submit = (v: ExpenditureValues) => {
    create.mutate(
      { parent: grantName, requestId, expenditure: toExpenditure(v) },
      {
        onSuccess: (res) => {
          localStorage.setItem(lastCurrencyKey, v.currencyCode);
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("expenditures:created") });
          navigate(`/grants/${id}/expenditures/${idOf(res.expenditure?.name)}`);
        },
      },
    );
  };

  if (grantQ.isLoading) return <PageLoader />;
  const back = { href: `/grants/${id}/expenditures`, label: t("expenditures:title") };
  if (!grant) {
    return (
      <>
        <PageHeader title={t("expenditures:new")} back={back} />
        <LoadError error={grantQ.error} onRetry={() => void grantQ.refetch()} />
      </>
    );
  }
  return (
    <>
      <PageHeader title={t("expenditures:new")} back={back} subtitle={`${grant.donorReference} · ${grant.title}`} />
      <Section title={t("expenditures:form.title")} id="new-expenditure">
        <Suspense fallback={<PageLoader />}>
          <ExpenditureForm
            grant={grant}
            start={start}
            submitLabel={t("expenditures:form.saveDraft")}
            pending={create.isPending}
            error={create.error}
            onSubmit={submit}
            onCancel={() => navigate(back.href)}
          />
        </Suspense>
      </Section>
    </>
  );
}
