// SubmitImport submits every draft of one ledger import in one action
// (BatchSubmitExpenditures with ledger_import), and says how many were
// submitted and, if any was refused, why.
import { useState } from "react";
import { Button, Group, Text } from "@mantine/core";
import { createConnectQueryKey, useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ExpenditureService } from "../../gen/pactum/v1/expenditure_pb";
import { useFormat } from "../../lib/format";
import { errorMessage } from "../../lib/errors";
import { newRequestId } from "../shared/requestId";
import { refusal } from "./batch";

const expenditureQueries = createConnectQueryKey({ schema: ExpenditureService, cardinality: undefined });

export function SubmitImport({ grant, importName, count }: { grant: string; importName: string; count: number }) {
  const { t } = useTranslation(["finance", "common"]);
  const fmt = useFormat();
  const qc = useQueryClient();
  const submit = useMutation(ExpenditureService.method.batchSubmitExpenditures);
  const [requestId] = useState(newRequestId);
  const res = submit.data;
  const refused = res?.results.filter((r) => !r.done) ?? [];
  if (res && refused.length === 0)
    return (
      <Text size="sm" fw={600} data-testid="import-submitted">
        {t("finance:home.importSubmitted", { count: res.doneCount, formatted: fmt.number(res.doneCount) })}
      </Text>
    );
  return (
    <Group gap="xs" wrap="wrap">
      <Button
        size="xs"
        color="teal.9"
        loading={submit.isPending}
        onClick={() => submit.mutate({ parent: grant, ledgerImport: importName, requestId }, { onSuccess: () => void qc.invalidateQueries({ queryKey: expenditureQueries }) })}
      >
        {t("finance:import.submitAll", { count, formatted: fmt.number(count) })}
      </Button>
      {submit.error && (
        <Text size="sm" c="red.9" role="alert">
          {errorMessage(submit.error, t)}
        </Text>
      )}
      {refused.length > 0 && (
        <Text size="sm" c="red.9" role="alert">
          {t("finance:queue.refusedCount", { count: refused.length, formatted: fmt.number(refused.length) })} {refusal(refused[0], t)}
        </Text>
      )}
    </Group>
  );
}
