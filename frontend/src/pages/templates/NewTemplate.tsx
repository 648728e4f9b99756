// /budget-templates/new[?from={id}]: a new budget template, empty or as a
// copy of an existing one (the EU's, say) to change where the donor differs.
// The request carries a request_id chosen when the page opens and kept across
// retries, so a retry on a flaky connection returns the template created the
// first time. On success: the template's page.
import { useState } from "react";
import { Alert, Paper, Select, Stack } from "@mantine/core";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useLocation, useSearchParams } from "wouter";
import { useTranslation } from "react-i18next";
import { BudgetService } from "../../gen/pactum/v1/budget_pb";
import { useSession } from "../../lib/session";
import { showToast } from "../../lib/toast";
import { idOf, newRequestId } from "../../components/shared/requestId";
import { Empty, LoadError, PageHeader } from "../../components/shared/ui";
import { TemplateForm, templateValues, toTemplate, type TemplateValues } from "../../components/templates/TemplateForm";

const EMPTY = "empty";

export default function NewTemplate() {
  const { t } = useTranslation(["templates", "common"]);
  const { permissions } = useSession();
  const [, navigate] = useLocation();
  const [params, setParams] = useSearchParams();
  const from = params.get("from") || EMPTY;
  const queryClient = useQueryClient();
  const [requestId] = useState(newRequestId);
  const templates = useQuery(BudgetService.method.listBudgetTemplates, { pageSize: 1000 });
  const create = useMutation(BudgetService.method.createBudgetTemplate);
  const list = templates.data?.budgetTemplates ?? [];
  const source = from === EMPTY ? undefined : list.find((x) => idOf(x.name) === from);

  const submit = (v: TemplateValues) =>
    create.mutate(
      { budgetTemplate: toTemplate(v), organisation: v.organisation, requestId },
      {
        onSuccess: (res) => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("form.created") });
          navigate(`/budget-templates/${idOf(res.budgetTemplate?.name)}`, { replace: true });
        },
      },
    );

  let body;
  if (!permissions?.manageBudgetTemplates) {
    body = (
      <Alert color="yellow" variant="light">
        {t("common:errors.permissionDenied")}
      </Alert>
    );
  } else if (templates.isLoading) {
    body = <Empty>{t("common:loading")}</Empty>;
  } else if (templates.error) {
    body = <LoadError error={templates.error} onRetry={() => void templates.refetch()} />;
  } else {
    body = (
      <Stack gap="md">
        <Select
          label={t("form.start")}
          description={t("form.startHelp")}
          allowDeselect={false}
          maw={480}
          data={[{ value: EMPTY, label: t("form.startEmpty") }, ...list.map((x) => ({ value: idOf(x.name), label: x.displayName }))]}
          value={source ? from : EMPTY}
          onChange={(v) => setParams(v && v !== EMPTY ? { from: v } : {}, { replace: true })}
        />
        <TemplateForm
          // A new start gives a new form.
          key={source?.name ?? EMPTY}
          initial={templateValues(source, (n) => t("form.copyName", { name: n }))}
          pending={create.isPending}
          error={create.error}
          onSubmit={submit}
          onCancel={() => navigate(source ? `/budget-templates/${from}` : "/budget-templates")}
        />
      </Stack>
    );
  }

  return (
    <>
      <PageHeader
        title={t("form.newTitle")}
        subtitle={source ? t("form.copyIntro", { name: source.displayName }) : t("form.newIntro")}
        back={{ href: "/budget-templates", label: t("page.back") }}
      />
      <Paper withBorder radius="md" p={{ base: "sm", sm: "lg" }} maw={1100}>
        {body}
      </Paper>
    </>
  );
}
