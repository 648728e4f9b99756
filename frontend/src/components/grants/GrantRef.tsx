// GrantRef shows a grant named by its resource name as a link with its
// donor reference (the title on hover); fetched once and cached.
import { Anchor, Skeleton, Text } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { Link } from "wouter";
import { useTranslation } from "react-i18next";
import { GrantService } from "../../gen/pactum/v1/grant_pb";

export function GrantRef({ name }: { name: string | undefined }) {
  const { t } = useTranslation();
  const q = useQuery(GrantService.method.getGrant, { name }, { enabled: !!name, staleTime: 5 * 60_000, retry: false });
  if (!name) return <>{t("common:none")}</>;
  if (q.isLoading) return <Skeleton height={12} width={100} display="inline-block" aria-label={t("common:loading")} />;
  const g = q.data?.grant;
  if (!g) {
    return (
      <Text span c="dimmed" size="sm">
        {t("common:none")}
      </Text>
    );
  }
  return (
    <Anchor component={Link} href={`/${name}`} fz="inherit" title={g.title}>
      {g.donorReference || g.title}
    </Anchor>
  );
}
