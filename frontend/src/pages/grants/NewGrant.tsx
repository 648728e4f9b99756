// /grants/new: a coordinator records a signed grant. The request carries a
// request_id chosen when the form opens and kept across retries of the same
// submission, so a retry on a flaky connection returns the grant created the
// first time instead of a duplicate. On success: the grant's page.
import "@mantine/dates/styles.css";
import { useState } from "react";
import { Alert, Paper } from "@mantine/core";
import { showToast } from "../../lib/toast";
import { useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useLocation, useSearchParams } from "wouter";
import { useTranslation } from "react-i18next";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { useSession } from "../../lib/session";
import { DatesSetup } from "../../components/grants/DatesSetup";
import { GrantForm } from "../../components/grants/GrantForm";
import { toGrant, type GrantValues } from "../../components/grants/grantValues";
import { PageHeader } from "../../components/shared/ui";
import { idOf, newRequestId } from "../../components/shared/requestId";

export default function NewGrant() {
  const { t } = useTranslation(["grants", "common"]);
  const { permissions } = useSession();
  const [, navigate] = useLocation();
  const [params] = useSearchParams();
  const agreement = params.get("agreement") ?? undefined;
  const queryClient = useQueryClient();
  // One id per submission of this form: the same on every retry.
  const [requestId] = useState(newRequestId);
  const create = useMutation(GrantService.method.createGrant);

  const submit = (v: GrantValues) =>
    create.mutate(
      { grant: toGrant(v), requestId },
      {
        onSuccess: (res) => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("grants:created") });
          navigate(`/grants/${idOf(res.grant?.name)}`, { replace: true });
        },
      },
    );

  return (
    <>
      <PageHeader title={t("grants:newGrant")} subtitle={t("grants:newIntro")} back={{ href: "/grants", label: t("grants:title") }} />
      {!permissions?.createGrants ? (
        <Alert color="yellow" variant="light">
          {t("common:errors.permissionDenied")}
        </Alert>
      ) : (
        <Paper withBorder radius="md" p={{ base: "sm", sm: "lg" }} maw={980}>
          <DatesSetup>
            <GrantForm
              create
              defaultAgreement={agreement?.startsWith("frameworkAgreements/") ? agreement : undefined}
              submitLabel={t("grants:createGrant")}
              pending={create.isPending}
              error={create.error}
              onSubmit={submit}
              onCancel={() => navigate("/grants")}
            />
          </DatesSetup>
        </Paper>
      )}
    </>
  );
}
