// /agreements/new: a coordinator records a signed framework agreement. The
// request carries a request_id chosen when the form opens and kept across
// retries, so a retry on a flaky connection returns the agreement created
// the first time. On success: the agreement's page.
import { useState } from "react";
import { Alert, Paper } from "@mantine/core";
import { useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useLocation } from "wouter";
import { useTranslation } from "react-i18next";
import { FrameworkAgreementService } from "../../gen/pactum/v1/framework_agreement_pb";
import { showToast } from "../../lib/toast";
import { useSession } from "../../lib/session";
import { AgreementForm, toAgreement, type AgreementValues } from "../../components/agreements/AgreementForm";
import { DatesSetup } from "../../components/grants/DatesSetup";
import { PageHeader } from "../../components/shared/ui";
import { idOf, newRequestId } from "../../components/shared/requestId";

export default function NewAgreement() {
  const { t } = useTranslation(["setup", "grants", "common"]);
  const { permissions } = useSession();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [requestId] = useState(newRequestId);
  const create = useMutation(FrameworkAgreementService.method.createFrameworkAgreement);
  const submit = (v: AgreementValues) =>
    create.mutate(
      { frameworkAgreement: toAgreement(v), requestId },
      {
        onSuccess: (res) => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("setup:agreement.created") });
          navigate(`/agreements/${idOf(res.frameworkAgreement?.name)}`, { replace: true });
        },
      },
    );
  return (
    <>
      <PageHeader title={t("setup:agreement.newTitle")} subtitle={t("setup:agreement.newIntro")} back={{ href: "/agreements", label: t("grants:agreements.title") }} />
      {!permissions?.createGrants ? (
        <Alert color="yellow" variant="light">
          {t("common:errors.permissionDenied")}
        </Alert>
      ) : (
        <Paper withBorder radius="md" p={{ base: "sm", sm: "lg" }} maw={980}>
          <DatesSetup>
            <AgreementForm submitLabel={t("setup:agreement.create")} pending={create.isPending} error={create.error} onSubmit={submit} onCancel={() => navigate("/agreements")} />
          </DatesSetup>
        </Paper>
      )}
    </>
  );
}
