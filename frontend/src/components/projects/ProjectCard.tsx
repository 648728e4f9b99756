// A project as a card: code, title (a link to the project), countries by
// name, dates, and whatever the screen adds below (grant, role, …).
import type { ReactNode } from "react";
import { Badge, Group, Paper, Stack, Text } from "@mantine/core";
import type { Project } from "../../gen/pactum/v1/project_pb";
import { useFormat } from "../../lib/format";
import { CountryNames } from "./Countries";
import { RecordLink } from "./RecordLink";

export function projectPath(p: Project): string {
  return `/projects/${p.name.slice(p.name.indexOf("/") + 1)}`;
}

export function ProjectCode({ code }: { code: string }) {
  return (
    <Badge variant="outline" radius="sm" style={{ "--badge-color": "#0b4f3f", "--badge-bd": "1px solid #63e6be", "--badge-bg": "#e6fcf5", flexShrink: 0, minWidth: "max-content" } as React.CSSProperties}>
      {code}
    </Badge>
  );
}

export function ProjectCard({ project: p, children, component = "li" }: { project: Project; children?: ReactNode; component?: "li" | "div" }) {
  const f = useFormat();
  return (
    <Paper component={component} withBorder radius="md" p="md">
      <Stack gap={6}>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <ProjectCode code={p.code} />
          <RecordLink href={projectPath(p)} fw={600} style={{ overflowWrap: "anywhere" }}>
            {p.title}
          </RecordLink>
        </Group>
        {p.countryCodes.length > 0 && (
          <Text size="sm">
            <CountryNames codes={p.countryCodes} />
          </Text>
        )}
        {(p.startDate || p.endDate) && (
          <Text size="sm" c="gray.7">
            {f.date(p.startDate)} – {f.date(p.endDate)}
          </Text>
        )}
        {children}
      </Stack>
    </Paper>
  );
}
