// The application shell: a header with the language switch and the user's
// menu, and a navigation that collapses behind a burger on phones. Partner
// users get a simpler navigation: their home, their projects, milestones.
// The bell shows how many notifications are unread.
import { Suspense, type ReactNode } from "react";
import { Burger, Group, Text, Title, VisuallyHidden } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Link, useLocation } from "wouter";
import { useTranslation } from "react-i18next";
import type { User } from "../gen/pactum/v1/user_pb";
import { isPartner, useSession } from "../lib/session";
import { LanguageSwitch } from "./LanguageSwitch";
import { NotificationBell } from "./notifications/NotificationBell";
import { PageLoader } from "./PageLoader";
import classes from "./Layout.module.css";

interface Item {
  to: string;
  label: string;
}

export function Layout({ user, children }: { user: User; children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const [location] = useLocation();
  const partner = isPartner(user);
  const { permissions } = useSession();
  const items: Item[] = partner
    ? [
        { to: "/", label: t("nav.home") },
        { to: "/projects", label: t("nav.myProjects") },
        { to: "/progress", label: t("nav.progressUpdates") },
        { to: "/activities", label: t("nav.activities") },
        { to: "/milestones", label: t("nav.milestones") },
        { to: "/expenditures", label: t("nav.expenditures") },
        { to: "/profile", label: t("nav.profile") },
      ]
    : [
        { to: "/", label: t("nav.dashboard") },
        { to: "/organisations", label: t("nav.organisations") },
        { to: "/agreements", label: t("nav.agreements") },
        { to: "/grants", label: t("nav.grants") },
        { to: "/projects", label: t("nav.projects") },
        { to: "/milestones", label: t("nav.milestones") },
        { to: "/progress", label: t("nav.progressUpdates") },
        { to: "/activities", label: t("nav.activities") },
        { to: "/expenditures", label: t("nav.expenditures") },
        ...(permissions?.manageExchangeRates ? [{ to: "/rates", label: t("nav.rates") }] : []),
        ...(permissions?.manageBudgetTemplates ? [{ to: "/budget-templates", label: t("nav.budgetTemplates") }] : []),
        ...(permissions?.manageUsers ? [{ to: "/users", label: t("nav.users") }] : []),
        { to: "/profile", label: t("nav.profile") },
      ];
  const active = (to: string) => (to === "/" ? location === "/" : location.startsWith(to));
  return (
    <>
      <a href="#main" className="skip-link">
        {t("nav.skip")}
      </a>
      {/* The class keeps the header in place when a dialog locks scrolling. */}
      <header className={`${classes.header} right-scroll-bar-position`}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t("nav.menu")} aria-expanded={opened} aria-controls="navigation" />
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
            <NotificationBell />
            <LanguageSwitch account />
          </Group>
        </Group>
      </header>
      <nav id="navigation" className={classes.navbar} data-opened={opened || undefined} aria-label={t("nav.label")}>
        <VisuallyHidden>
          <h2>{t("nav.label")}</h2>
        </VisuallyHidden>
        {items.map((i) => (
          <Link key={i.to} href={i.to} className={`${classes.link} mantine-focus-auto`} aria-current={active(i.to) ? "page" : undefined} onClick={close}>
            {i.label}
          </Link>
        ))}
      </nav>
      <main id="main" className={classes.main}>
        <Suspense fallback={<PageLoader />}>{children}</Suspense>
      </main>
    </>
  );
}
