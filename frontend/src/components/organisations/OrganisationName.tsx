// OrganisationName shows an organisation named by its resource name
// ("organisations/abc") as a link with its short and full name. Each is
// fetched once and cached; one the caller may not read shows a dash.
import { Anchor, Skeleton, Text } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { Link } from "wouter";
import { useTranslation } from "react-i18next";
import { OrganisationService } from "../../gen/pactum/v1/organisation_pb";

export function useOrganisation(name: string | undefined) {
  return useQuery(
    OrganisationService.method.getOrganisation,
    { name },
    { enabled: !!name, staleTime: 10 * 60_000, retry: false },
  );
}

export function OrganisationName({ name, link = true, short = false }: { name: string | undefined; link?: boolean; short?: boolean }) {
  const { t } = useTranslation();
  const q = useOrganisation(name);
  if (!name) return <>{t("common:none")}</>;
  if (q.isLoading) return <Skeleton height={12} width={120} display="inline-block" aria-label={t("common:loading")} />;
  const o = q.data?.organisation;
  if (!o) {
    return (
      <Text span c="dimmed" size="sm">
        {t("common:none")}
      </Text>
    );
  }
  const label = short && o.shortName ? o.shortName : o.shortName && o.shortName !== o.displayName ? `${o.displayName} (${o.shortName})` : o.displayName;
  if (!link) return <>{label}</>;
  return (
    <Anchor component={Link} href={`/${name}`} fz="inherit" title={o.displayName}>
      {label}
    </Anchor>
  );
}
