// /expenditures: the grants whose expenditures the user may read, each
// leading to its expenditure list. A user with a single grant (a partner,
// usually) goes straight to it.
import { useEffect } from "react";
import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import { Link, useLocation } from "wouter";
import { useTranslation } from "react-i18next";
import { GrantState } from "../../gen/pactum/v1/grant_pb";
import { useFormat } from "../../lib/format";
import { useSession } from "../../lib/session";
import { Empty, LoadError, PageHeader } from "../../components/shared/ui";
import { GrantStateBadge } from "../../components/grants/badges";
import { idOf } from "../../components/shared/requestId";
import { useGrants } from "../../components/projects/lookups";
import { PageLoader } from "../../components/PageLoader";

export default function Expenditures() {
  const { t } = useTranslation(["expenditures", "common"]);
  const fmt = useFormat();
  const { permissions } = useSession();
  const [, navigate] = useLocation();
  const grants = useGrants();
  const list = grants.list.filter((g) => g.state !== GrantState.DRAFT);

  // One grant: straight to its expenditures.
  const only = !grants.isLoading && list.length === 1 ? list[0].name : undefined;
  useEffect(() => {
    if (only) navigate(`/grants/${idOf(only)}/expenditures`, { replace: true });
  }, [only, navigate]);

  if (grants.isLoading || list.length === 1) return <PageLoader />;
  return (
    <>
      <PageHeader
        title={t("expenditures:title")}
        subtitle={t("expenditures:chooseGrant")}
        actions={
          permissions?.manageExchangeRates && (
            <Button component={Link} href="/rates" variant="default">
              {t("expenditures:ratesLink")}
            </Button>
          )
        }
      />
      {grants.error ? (
        <LoadError error={grants.error} onRetry={() => void grants.refetch()} />
      ) : list.length === 0 ? (
        <Empty>{t("expenditures:noGrants")}</Empty>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
          {list.map((g) => {
            const gid = idOf(g.name);
            return (
              <Paper component="li" key={g.name} withBorder radius="md" p="md">
                <Stack gap={6}>
                  <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                    <Anchor component={Link} href={`/grants/${gid}/expenditures`} fw={700}>
                      {g.title}
                    </Anchor>
                    <GrantStateBadge state={g.state} size="sm" />
                  </Group>
                  <Text size="sm" c="dimmed">
                    {g.donorReference} · {g.currencyCode} · {fmt.date(g.startDate)} – {fmt.date(g.endDate)}
                  </Text>
                  <Group gap="xs" mt={4}>
                    <Button component={Link} href={`/grants/${gid}/expenditures`} size="xs" variant="light">
                      {t("expenditures:open")}
                    </Button>
                    {g.callerCanRecordExpenditures && g.state === GrantState.ACTIVE && (
                      <Button component={Link} href={`/grants/${gid}/expenditures/new`} size="xs" variant="default">
                        {t("expenditures:record")}
                      </Button>
                    )}
                  </Group>
                </Stack>
              </Paper>
            );
          })}
        </SimpleGrid>
      )}
    </>
  );
}
