// The application shell: a header with the language switch and the user's
// menu, and a navigation that collapses behind a burger on phones. Partner
// users get a simpler navigation: their home, their projects, milestones.
import { Suspense, type ReactNode } from "react";
import { AppShell, Burger, Group, NavLink, Text, Title, VisuallyHidden } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Link, useLocation } from "wouter";
import { useTranslation } from "react-i18next";
import type { User } from "../gen/pactum/v1/user_pb";
import { canManage, isPartner } from "../lib/session";
import { LanguageSwitch } from "./LanguageSwitch";
import { PageLoader } from "./PageLoader";

interface Item {
  to: string;
  label: string;
}

export function Layout({ user, children }: { user: User; children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const [location] = useLocation();
  const partner = isPartner(user);
  const items: Item[] = partner
    ? [
        { to: "/", label: t("nav.home") },
        { to: "/projects", label: t("nav.myProjects") },
        { to: "/milestones", label: t("nav.milestones") },
        { to: "/profile", label: t("nav.profile") },
      ]
    : [
        { to: "/", label: t("nav.dashboard") },
        { to: "/organisations", label: t("nav.organisations") },
        { to: "/agreements", label: t("nav.agreements") },
        { to: "/grants", label: t("nav.grants") },
        { to: "/projects", label: t("nav.projects") },
        { to: "/milestones", label: t("nav.milestones") },
        ...(canManage(user) ? [{ to: "/users", label: t("nav.users") }] : []),
        { to: "/profile", label: t("nav.profile") },
      ];
  const active = (to: string) => (to === "/" ? location === "/" : location.startsWith(to));
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link">
        {t("nav.skip")}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t("nav.menu")} />
            <Link href="/" style={{ textDecoration: "none", color: "inherit" }}>
              <Title order={1} size="h3" c="teal.9">
                Pactum
              </Title>
            </Link>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="gray.7" visibleFrom="sm">
              {user.displayName}
            </Text>
            <LanguageSwitch />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t("nav.label")}>
        <VisuallyHidden>
          <h2>{t("nav.label")}</h2>
        </VisuallyHidden>
        {items.map((i) => (
          <NavLink
            key={i.to}
            component={Link}
            href={i.to}
            label={i.label}
            active={active(i.to)}
            variant="filled"
            aria-current={active(i.to) ? "page" : undefined}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main">
        <Suspense fallback={<PageLoader />}>{children}</Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
