// An organisation in context, on its page: the grants it leads or funds
// (as the server lets the user see them) and its people (for those who
// manage users: admins and coordinators). Its projects are listed by the
// page itself.
import { Anchor, Badge, Group, Table, Text } from "@mantine/core";
import { useInfiniteQuery, useQuery } from "@connectrpc/connect-query";
import { Link } from "wouter";
import { useTranslation } from "react-i18next";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { RoleSchema, UserService } from "../../gen/pactum/v1/user_pb";
import { enumLabel } from "../../lib/enums";
import { useSession } from "../../lib/session";
import { GrantsTable } from "../grants/GrantsTable";
import { Empty, LoadError, LoadMore, Section } from "../shared/ui";

export function OrganisationGrants({ organisation }: { organisation: string }) {
  const { t } = useTranslation(["setup", "common"]);
  const page = { pageSize: 50, pageToken: "" };
  const next = { pageParamKey: "pageToken" as const, getNextPageParam: (last: { nextPageToken: string }) => last.nextPageToken || undefined };
  const led = useInfiniteQuery(GrantService.method.listGrants, { ...page, leadOrganisation: organisation }, next);
  const funded = useInfiniteQuery(GrantService.method.listGrants, { ...page, donor: organisation }, next);
  const parts = [
    { key: "lead", title: t("setup:organisation.grantsLed"), q: led },
    { key: "donor", title: t("setup:organisation.grantsFunded"), q: funded },
  ];
  const rows = (q: typeof led) => q.data?.pages.flatMap((p) => p.grants) ?? [];
  const shown = parts.filter((p) => p.q.error || rows(p.q).length > 0);
  return (
    <Section title={t("setup:organisation.grants")} id="grants">
      {led.isLoading || funded.isLoading ? (
        <Empty>{t("common:loading")}</Empty>
      ) : shown.length === 0 ? (
        <Empty>{t("setup:organisation.noGrants")}</Empty>
      ) : (
        shown.map((p) =>
          p.q.error ? (
            <LoadError key={p.key} error={p.q.error} onRetry={() => void p.q.refetch()} />
          ) : (
            <div key={p.key}>
              <Text size="sm" fw={600} mb={4}>
                {p.title}
              </Text>
              <GrantsTable grants={rows(p.q)} minWidth={720} caption={p.title} />
              <LoadMore hasMore={p.q.hasNextPage} loading={p.q.isFetchingNextPage} onClick={() => void p.q.fetchNextPage()} />
            </div>
          ),
        )
      )}
    </Section>
  );
}

export function OrganisationPeople({ organisation }: { organisation: string }) {
  const { t } = useTranslation(["setup", "common"]);
  const { permissions } = useSession();
  const may = !!permissions?.manageUsers;
  const q = useQuery(UserService.method.listUsers, { organisation, pageSize: 200 }, { enabled: may });
  if (!may) return null;
  const people = q.data?.users ?? [];
  return (
    <Section title={t("setup:organisation.people")} id="people">
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : q.isLoading ? (
        <Empty>{t("common:loading")}</Empty>
      ) : people.length === 0 ? (
        <Empty>{t("setup:organisation.noPeople")}</Empty>
      ) : (
        <Table.ScrollContainer minWidth={560} type="native">
          <Table verticalSpacing="xs" aria-label={t("setup:organisation.people")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("setup:organisation.person")}</Table.Th>
                <Table.Th scope="col">{t("setup:organisation.email")}</Table.Th>
                <Table.Th scope="col">{t("setup:organisation.roles")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {people.map((u) => (
                <Table.Tr key={u.name}>
                  <Table.Td>
                    <Group gap="xs">
                      <Text size="sm" fw={500}>
                        {u.displayName}
                      </Text>
                      {u.disabled ? (
                        <Badge size="xs" color="gray" variant="light">
                          {t("setup:organisation.disabled")}
                        </Badge>
                      ) : (
                        !u.active && (
                          <Badge size="xs" color="yellow" variant="light">
                            {t("setup:organisation.invited")}
                          </Badge>
                        )
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Anchor href={`mailto:${u.email}`} size="sm">
                      {u.email}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {u.memberships
                        .filter((m) => m.organisation === organisation)
                        .map((m) => enumLabel(t, "role", RoleSchema, m.role))
                        .join(", ")}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        <Anchor component={Link} href="/users" size="xs">
          {t("setup:organisation.manageUsers")}
        </Anchor>
      </Text>
    </Section>
  );
}
