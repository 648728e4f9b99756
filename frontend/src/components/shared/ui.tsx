// Small building blocks shared by the screens: a page header, a section
// card, label/value details, an error alert for loading failures, an empty
// state and a "Load more" button.
import type { ReactNode } from "react";
import { Alert, Anchor, Box, Button, Center, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Link } from "wouter";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../../lib/errors";

export function PageHeader({
  title,
  back,
  subtitle,
  badge,
  actions,
}: {
  title: ReactNode;
  back?: { href: string; label: string };
  subtitle?: ReactNode;
  badge?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Stack gap={4} mb="lg">
      {back && (
        <Anchor component={Link} href={back.href} size="sm">
          ← {back.label}
        </Anchor>
      )}
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={4} style={{ flex: "1 1 18rem", minWidth: 0 }}>
          <Group gap="sm" align="center" wrap="wrap">
            <Title order={2} style={{ overflowWrap: "anywhere" }}>
              {title}
            </Title>
            {badge}
          </Group>
          {subtitle && (
            <Text c="dimmed" size="sm" style={{ overflowWrap: "anywhere" }}>
              {subtitle}
            </Text>
          )}
        </Stack>
        {actions && (
          <Group gap="xs" wrap="wrap">
            {actions}
          </Group>
        )}
      </Group>
    </Stack>
  );
}

export function Section({ title, actions, children, id }: { title: ReactNode; actions?: ReactNode; children: ReactNode; id?: string }) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="section" aria-labelledby={headingId}>
      <Group justify="space-between" align="center" mb="sm" gap="xs">
        <Title order={3} size="h4" id={headingId}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

// Details: a description list laid out in columns that stack on phones.
export function Details({ children, cols = 3 }: { children: ReactNode; cols?: number }) {
  return (
    <SimpleGrid component="dl" cols={{ base: 1, xs: 2, md: cols }} spacing="md" verticalSpacing="sm" m={0}>
      {children}
    </SimpleGrid>
  );
}

export function Detail({ label, children }: { label: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  const empty = children === undefined || children === null || children === "" || children === false;
  return (
    <Box>
      <Text component="dt" size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: "0.03em" }}>
        {label}
      </Text>
      <Text component="dd" m={0} size="sm" style={{ overflowWrap: "anywhere" }}>
        {empty ? t("common:none") : children}
      </Text>
    </Box>
  );
}

// LoadError: a list or record that could not be loaded, with a retry.
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" role="alert" title={errorMessage(error, t)}>
      {onRetry && (
        <Button size="xs" variant="white" color="red" onClick={onRetry} mt={4}>
          {t("common:actions.reload")}
        </Button>
      )}
    </Alert>
  );
}

export function LoadMore({
  hasMore,
  loading,
  onClick,
}: {
  hasMore: boolean | undefined;
  loading: boolean;
  onClick: () => void;
}) {
  const { t } = useTranslation();
  if (!hasMore) return null;
  return (
    <Center mt="md">
      <Button variant="default" onClick={onClick} loading={loading}>
        {t("common:actions.more")}
      </Button>
    </Center>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Text c="dimmed" size="sm" py="md" ta="center">
      {children ?? t("common:empty")}
    </Text>
  );
}
