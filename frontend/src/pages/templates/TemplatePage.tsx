// /budget-templates/:id: a budget template: its headings in order with
// their kinds in words and usual lines, who defined it and how many grants
// use it. Anyone may copy it into a new template (if the session lets them
// define templates); its organisation's coordinators delete it while no
// grant uses it. Templates never change: a grant's budget is kept in its
// template's headings.
import { useState } from "react";
import { Alert, Badge, Button, List, Paper, Stack, Table, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { BudgetService, type BudgetTemplateHeading } from "../../gen/pactum/v1/budget_pb";
import { useSession } from "../../lib/session";
import { showToast } from "../../lib/toast";
import { ScrollTable } from "../../components/budget/ui";
import { OrganisationName } from "../../components/organisations/OrganisationName";
import { ConfirmDialog } from "../../components/shared/ConfirmDialog";
import { Detail, Details, LoadError, PageHeader, Section } from "../../components/shared/ui";
import { PageLoader } from "../../components/PageLoader";
import { computed, kindKey } from "../../components/templates/kinds";

export default function TemplatePage() {
  const { id } = useParams<{ id: string }>();
  const name = `budgetTemplates/${id}`;
  const { t } = useTranslation(["templates", "common"]);
  const { permissions } = useSession();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const q = useQuery(BudgetService.method.getBudgetTemplate, { name });
  const del = useMutation(BudgetService.method.deleteBudgetTemplate);
  const [confirming, setConfirming] = useState(false);
  const tpl = q.data?.budgetTemplate;
  const phone = useMediaQuery("(max-width: 48em)", window.matchMedia("(max-width: 48em)").matches, { getInitialValueInEffect: false });

  if (q.isLoading) return <PageLoader />;
  if (!tpl) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;

  const remove = () =>
    del.mutate(
      { name: tpl.name, etag: tpl.etag },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("page.deleted") });
          navigate("/budget-templates", { replace: true });
        },
      },
    );

  return (
    <>
      <PageHeader
        title={tpl.displayName}
        back={{ href: "/budget-templates", label: t("page.back") }}
        subtitle={tpl.description || undefined}
        badge={
          tpl.builtIn && (
            <Badge variant="light" color="gray" c="gray.9">
              {t("builtIn")}
            </Badge>
          )
        }
        actions={
          <>
            {!!permissions?.manageBudgetTemplates && (
              <Button component={Link} href={`/budget-templates/new?from=${encodeURIComponent(id)}`}>
                {t("page.copy")}
              </Button>
            )}
            {tpl.callerCanDelete && tpl.grantCount === 0 && (
              <Button variant="default" color="red" c="red.9" onClick={() => setConfirming(true)}>
                {t("page.delete")}
              </Button>
            )}
          </>
        }
      />
      <Section title={t("page.headings")} id="headings">
        <Details>
          <Detail label={t("page.organisation")}>{tpl.organisation ? <OrganisationName name={tpl.organisation} /> : t("builtIn")}</Detail>
          <Detail label={t("page.grants")}>{tpl.grantCount > 0 ? t("grantCount", { count: tpl.grantCount }) : t("noGrants")}</Detail>
        </Details>
        <Alert color="gray" variant="light" mt="md" mb="md">
          <Text size="sm">{tpl.builtIn ? t("builtInHelp") : tpl.grantCount > 0 ? t("page.inUse", { count: tpl.grantCount }) : t("page.unchanging")}</Text>
        </Alert>
        {phone ? (
          <Stack gap="xs" role="list" aria-label={t("page.headingsCaption")}>
            {tpl.headings.map((h) => (
              <Paper key={h.code} withBorder radius="sm" p="sm" role="listitem" bg={computed(h.kind) ? "gray.0" : undefined}>
                <Text fw={600} size="sm">
                  {h.code}. {h.title}
                </Text>
                <Kind h={h} />
                {!computed(h.kind) && (
                  <Stack gap={2} mt={6}>
                    <Text size="xs" fw={600} c="gray.7">
                      {t("page.usualLines")}
                    </Text>
                    <UsualLines h={h} />
                  </Stack>
                )}
              </Paper>
            ))}
          </Stack>
        ) : (
          <ScrollTable minWidth={620} label={t("page.headingsCaption")}>
            <Table verticalSpacing="sm" aria-label={t("page.headingsCaption")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("page.code")}</Table.Th>
                  <Table.Th scope="col">{t("page.heading")}</Table.Th>
                  <Table.Th scope="col">{t("page.kind")}</Table.Th>
                  <Table.Th scope="col">{t("page.usualLines")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tpl.headings.map((h) => (
                  <Table.Tr key={h.code} style={computed(h.kind) ? { background: "var(--mantine-color-gray-0)" } : undefined}>
                    <Table.Td fw={600} style={{ whiteSpace: "nowrap" }}>
                      {h.code}
                    </Table.Td>
                    <Table.Td fw={computed(h.kind) ? 600 : undefined}>{h.title}</Table.Td>
                    <Table.Td>
                      <Kind h={h} />
                    </Table.Td>
                    <Table.Td>
                      <UsualLines h={h} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </Section>
      <ConfirmDialog
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t("page.deleteTitle")}
        body={t("page.deleteBody", { name: tpl.displayName })}
        confirmLabel={t("page.deleteConfirm")}
        color="red"
        onConfirm={remove}
        pending={del.isPending}
        error={del.error}
        reasonsNs="templates"
        onReload={() => void q.refetch()}
      />
    </>
  );
}

function Kind({ h }: { h: BudgetTemplateHeading }) {
  const { t } = useTranslation("templates");
  return (
    <>
      <Text size="sm">{t(`kinds.${kindKey[h.kind] ?? "DIRECT"}.label`)}</Text>
      {computed(h.kind) && (
        <Text size="xs" c="gray.7">
          {t("page.computed")}
        </Text>
      )}
    </>
  );
}

function UsualLines({ h }: { h: BudgetTemplateHeading }) {
  const { t } = useTranslation("templates");
  if (h.usualLines.length === 0) {
    return (
      <Text size="sm" c="gray.7">
        {t("page.noUsualLines")}
      </Text>
    );
  }
  return (
    <List size="sm" listStyleType="none" spacing={2}>
      {h.usualLines.map((l) => (
        <List.Item key={l.code}>
          <Text span size="sm" fw={500} style={{ fontVariantNumeric: "tabular-nums" }}>
            {l.code}
          </Text>{" "}
          {l.description}
        </List.Item>
      ))}
    </List>
  );
}
