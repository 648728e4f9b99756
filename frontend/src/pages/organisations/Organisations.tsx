// /organisations: the network's organisations, filtered by country, region
// and kind and searched by name (on the server, ignoring case and accents).
// The filters live in the address, so a filtered list can be shared and the
// Back button restores it. Coordinators create organisations here.
import { useEffect, useEffectEvent, useState } from "react";
import { Anchor, Badge, Button, Group, Modal, Select, SimpleGrid, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue, useDisclosure, useMediaQuery } from "@mantine/hooks";
import { showToast } from "../../lib/toast";
import { useInfiniteQuery, useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useSearchParams } from "wouter";
import { useTranslation } from "react-i18next";
import {
  OrganisationKind,
  OrganisationKindSchema,
  OrganisationService,
  Region,
  RegionSchema,
} from "../../gen/pactum/v1/organisation_pb";
import { enumLabel, enumOptions } from "../../lib/enums";
import { useSession } from "../../lib/session";
import { useCountries } from "../../components/organisations/countries";
import { OrganisationForm, toMessage, type OrganisationValues } from "../../components/organisations/OrganisationForm";
import { Empty, LoadError, LoadMore, PageHeader } from "../../components/shared/ui";
import { idOf, newRequestId } from "../../components/shared/requestId";

const kindColours: Record<number, string> = {
  [OrganisationKind.LEAD]: "teal.9",
  [OrganisationKind.MEMBER]: "cyan.9",
  [OrganisationKind.AFFILIATE]: "indigo.9",
  [OrganisationKind.LOCAL_PARTNER]: "grape.9",
  [OrganisationKind.DONOR]: "violet.9",
};

export default function Organisations() {
  const { t } = useTranslation(["organisations", "common"]);
  const { permissions } = useSession();
  const countries = useCountries();
  const [params, setParams] = useSearchParams();
  const [, navigate] = useLocation();
  const country = params.get("country") ?? "";
  const region = params.get("region") ?? "";
  const kind = params.get("kind") ?? "";
  const [search, setSearch] = useState(params.get("q") ?? "");
  const [query] = useDebouncedValue(search.trim(), 350);
  const [creating, setCreating] = useState(false);
  const phone = useMediaQuery("(max-width: 36em)");
  const [filtersOpen, { toggle: toggleFilters }] = useDisclosure(false);

  const setParam = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  // The search, once typed (debounced), goes into the address.
  const queryToParams = useEffectEvent((q: string) => {
    if ((params.get("q") ?? "") !== q) setParam("q", q);
  });
  useEffect(() => queryToParams(query), [query]);

  const list = useInfiniteQuery(
    OrganisationService.method.listOrganisations,
    {
      pageSize: 50,
      pageToken: "",
      countryCode: country,
      region: region ? (Number(region) as Region) : Region.UNSPECIFIED,
      kind: kind ? (Number(kind) as OrganisationKind) : OrganisationKind.UNSPECIFIED,
      query,
    },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const rows = list.data?.pages.flatMap((p) => p.organisations) ?? [];
  const filtered = !!(country || region || kind || query);
  const activeFilters = [country, region, kind].filter(Boolean).length;

  const queryClient = useQueryClient();
  const [requestId, setRequestId] = useState(newRequestId);
  const create = useMutation(OrganisationService.method.createOrganisation);
  const submitCreate = (v: OrganisationValues) =>
    create.mutate(
      { organisation: toMessage(v), requestId },
      {
        onSuccess: (res) => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("organisations:created") });
          setCreating(false);
          setRequestId(newRequestId());
          navigate(`/organisations/${idOf(res.organisation?.name)}`);
        },
      },
    );
  const openCreate = () => {
    create.reset();
    setCreating(true);
  };

  return (
    <>
      <PageHeader
        title={t("organisations:title")}
        subtitle={t("organisations:intro")}
        actions={
          permissions?.manageOrganisations && (
            <Button onClick={openCreate}>{t("organisations:create")}</Button>
          )
        }
      />

      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" mb="md" role="search" aria-label={t("organisations:filters.label")}>
        <TextInput
          label={t("organisations:filters.search")}
          placeholder={t("organisations:filters.searchPlaceholder")}
          type="search"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          maxLength={200}
          rightSectionWidth={phone ? 92 : undefined}
          rightSectionPointerEvents="all"
          rightSection={
            phone && (
              <Button size="compact-sm" variant="light" onClick={toggleFilters} aria-expanded={filtersOpen}>
                {t("organisations:filters.more")}
                {activeFilters > 0 && ` (${activeFilters})`}
              </Button>
            )
          }
        />
        {(!phone || filtersOpen) && (
          <>
        <Select
          label={t("organisations:filters.country")}
          placeholder={t("organisations:filters.any")}
          searchable
          clearable
          data={countries.options}
          limit={300}
          nothingFoundMessage={t("organisations:filters.noCountry")}
          value={country || null}
          onChange={(v) => setParam("country", v)}
        />
        <Select
          label={t("organisations:filters.region")}
          placeholder={t("organisations:filters.any")}
          clearable
          data={enumOptions(t, "region", RegionSchema)}
          value={region || null}
          onChange={(v) => setParam("region", v)}
        />
        <Select
          label={t("organisations:filters.kind")}
          placeholder={t("organisations:filters.any")}
          clearable
          data={enumOptions(t, "organisationKind", OrganisationKindSchema)}
          value={kind || null}
          onChange={(v) => setParam("kind", v)}
        />
          </>
        )}
      </SimpleGrid>
      {filtered && (
        <Group justify="flex-end" mb="xs">
          <Button
            variant="subtle"
            size="compact-sm"
            onClick={() => {
              setSearch("");
              setParams(new URLSearchParams(), { replace: true });
            }}
          >
            {t("common:actions.clear")}
          </Button>
        </Group>
      )}

      {list.error ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={720} type="native">
            <Table striped highlightOnHover verticalSpacing="sm" aria-busy={list.isFetching} aria-label={t("organisations:caption")}>
              <Table.Thead>
                <Table.Tr style={{ whiteSpace: "nowrap" }}>
                  <Table.Th scope="col" miw={220}>
                    {t("organisations:columns.name")}
                  </Table.Th>
                  <Table.Th scope="col">{t("organisations:columns.shortName")}</Table.Th>
                  <Table.Th scope="col">{t("organisations:columns.kind")}</Table.Th>
                  <Table.Th scope="col">{t("organisations:columns.country")}</Table.Th>
                  <Table.Th scope="col">{t("organisations:columns.region")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((o) => (
                  <Table.Tr key={o.name}>
                    <Table.Td>
                      <Anchor component={Link} href={`/${o.name}`} fz="sm" fw={500}>
                        {o.displayName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{o.shortName || t("common:none")}</Table.Td>
                    <Table.Td>
                      <Badge
                        variant="outline"
                        color={kindColours[o.kind] ?? "gray.7"}
                        tt="none"
                        styles={{ root: { maxWidth: "none" }, label: { overflow: "visible" } }}
                      >
                        {enumLabel(t, "organisationKind", OrganisationKindSchema, o.kind)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {o.countryCode ? (
                        <>
                          {countries.name(o.countryCode)}{" "}
                          <Text span c="dimmed" size="xs">
                            {o.countryCode}
                          </Text>
                        </>
                      ) : (
                        t("common:none")
                      )}
                    </Table.Td>
                    <Table.Td>{enumLabel(t, "region", RegionSchema, o.region)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.isLoading && <Empty>{t("common:loading")}</Empty>}
          {!list.isLoading && rows.length === 0 && <Empty>{filtered ? t("organisations:noResults") : t("organisations:empty")}</Empty>}
          <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
        </>
      )}

      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t("organisations:createTitle")}
        size="xl"
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        <OrganisationForm
          submitLabel={t("common:actions.create")}
          pending={create.isPending}
          error={create.error}
          onSubmit={submitCreate}
          onCancel={() => setCreating(false)}
        />
      </Modal>
    </>
  );
}
