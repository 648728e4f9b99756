// The frame of the screens a visitor sees before signing in: the product
// name, the language switch, and one card with the page's single heading.
import type { ReactNode } from "react";
import { Box, Container, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "../LanguageSwitch";

export function AuthPage({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation("auth");
  useDocumentTitle(`${title} · Pactum`);
  return (
    <Box component="main" mih="100dvh" bg="gray.0" py={{ base: "lg", sm: 64 }} px="md">
      <Container size={460} p={0}>
        <Stack gap="lg">
          <Group justify="space-between" align="center" wrap="nowrap" gap="sm">
            <Box miw={0}>
              <Text fw={750} fz={30} lh={1.1} c="teal.9" style={{ letterSpacing: "-0.02em" }}>
                Pactum
              </Text>
              <Text size="sm" c="gray.7">
                {t("tagline")}
              </Text>
            </Box>
            <Box style={{ flexShrink: 0 }}>
              <LanguageSwitch />
            </Box>
          </Group>
          <Paper withBorder shadow="sm" radius="md" p={{ base: "lg", sm: "xl" }}>
            <Stack gap="md">
              <Title order={2}>{title}</Title>
              {children}
            </Stack>
          </Paper>
        </Stack>
      </Container>
    </Box>
  );
}
