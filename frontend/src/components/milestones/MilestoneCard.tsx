// One milestone as a card: what it is, when it is due (and how far off that
// is), where it belongs, and the actions the user may take. Used on phones
// and on the partner's home page; MilestoneTable uses it on small screens.
import type { ReactNode } from "react";
import { Box, Group, Paper, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { MilestoneKindSchema, MilestoneStatus, type Milestone } from "../../gen/pactum/v1/milestone_pb";
import type { Grant } from "../../gen/pactum/v1/grant_pb";
import type { Project } from "../../gen/pactum/v1/project_pb";
import type { Organisation } from "../../gen/pactum/v1/organisation_pb";
import { enumLabel } from "../../lib/enums";
import { useFormat } from "../../lib/format";
import { RecordLink } from "../projects/RecordLink";
import { MilestoneStatusBadge, statusColour } from "./MilestoneStatusBadge";
import { CancelNote } from "./CancelNote";
import { daysBetween, idOf, isOpen, todayISO } from "./milestoneRules";

// Names resolves the records a milestone points to; any may be missing.
export interface Names {
  grant?: (name: string) => Grant | undefined;
  project?: (name: string) => Project | undefined;
  organisation?: (name: string) => Organisation | undefined;
}

// useDue formats a due date with how far it is from today, in the user's
// language ("1 Dec 2026 · in 8 days", "29 Aug 2026 · 86 days ago").
export function useDue() {
  const f = useFormat();
  const rtf = new Intl.RelativeTimeFormat(f.locale, { numeric: "auto" });
  const today = todayISO();
  return (iso: string) => ({ date: f.date(iso), relative: iso ? rtf.format(daysBetween(today, iso), "day") : "" });
}

export function DueDate({ milestone: m }: { milestone: Milestone }) {
  const due = useDue()(m.dueDate);
  const late = m.status === MilestoneStatus.OVERDUE;
  return (
    <Text size="sm" component="span">
      <Text span fw={600} size="sm">
        {due.date}
      </Text>
      {isOpen(m) && due.relative && (
        <Text span size="sm" c={late ? "red.9" : "gray.7"} fw={late ? 600 : 400}>
          {" · "}
          {due.relative}
        </Text>
      )}
    </Text>
  );
}

// named reports whether a milestone is shown by its title: one made or
// edited by hand. Generated ones are named by their kind, in the user's
// language (their stored titles are English), as on the grant's timeline.
function named(m: Milestone): boolean {
  return !(m.generated && !m.edited) && !!m.title;
}

// useMilestoneTitle names a milestone in the user's language: its title, or
// its kind when it was generated.
export function useMilestoneTitle() {
  const { t } = useTranslation("milestones");
  return (m: Milestone) => (named(m) ? m.title : enumLabel(t, "milestoneKind", MilestoneKindSchema, m.kind));
}

// kindLabel is the milestone's kind in the user's language, or "" when the
// name already says it.
export function useKindLabel() {
  const { t } = useTranslation("milestones");
  return (m: Milestone) => {
    const k = enumLabel(t, "milestoneKind", MilestoneKindSchema, m.kind);
    return !named(m) || m.title.toLowerCase().startsWith(k.toLowerCase()) ? "" : k;
  };
}

// Where says which project or grant a milestone belongs to, as links.
export function Where({ milestone: m, names, showProject = true }: { milestone: Milestone; names: Names; showProject?: boolean }) {
  const { t } = useTranslation("milestones");
  const project = m.project && showProject ? names.project?.(m.project) : undefined;
  const grant = names.grant?.(m.grant);
  return (
    <Stack gap={0}>
      {project && (
        <Text size="sm" lineClamp={2}>
          <RecordLink href={`/projects/${idOf(project.name)}`} fw={600}>
            {project.code}
          </RecordLink>{" "}
          {project.title}
        </Text>
      )}
      {grant ? (
        <>
          <Text size="sm" lineClamp={1}>
            <RecordLink href={`/grants/${idOf(grant.name)}`} size="sm">
              {grant.donorReference || grant.title}
            </RecordLink>
          </Text>
          {!project && grant.donorReference && (
            <Text size="xs" c="gray.7" lineClamp={1} title={grant.title}>
              {grant.title}
            </Text>
          )}
        </>
      ) : (
        !m.project && (
          <Text size="sm" c="gray.7">
            {t("wholeGrant")}
          </Text>
        )
      )}
    </Stack>
  );
}

// CoveredPeriod says which period a milestone covers (a report's, a
// partner's progress update's): otherwise the updates of one partner differ
// only by their due dates.
export function CoveredPeriod({ milestone: m }: { milestone: Milestone }) {
  const { t } = useTranslation(["milestones", "grants"]);
  const fmt = useFormat();
  if (!m.periodStartDate || !m.periodEndDate) return null;
  return (
    <Text size="sm" c="gray.7">
      {t("grants:milestones.period", { start: fmt.date(m.periodStartDate), end: fmt.date(m.periodEndDate) })}
    </Text>
  );
}

interface CardProps {
  milestone: Milestone;
  names: Names;
  showProject?: boolean;
  showResponsible?: boolean;
  actions?: ReactNode;
}

export function MilestoneCard({ milestone: m, names, showProject = true, showResponsible = true, actions }: CardProps) {
  const { t } = useTranslation("milestones");
  const kind = useKindLabel()(m);
  const title = useMilestoneTitle()(m);
  const responsible = showResponsible && m.responsibleOrganisation ? names.organisation?.(m.responsibleOrganisation) : undefined;
  return (
    <Paper component="li" withBorder radius="md" p="sm" style={{ borderLeft: `4px solid ${statusColour(m.status)}` }}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
          <Box miw={0}>
            <Text fw={600} style={{ overflowWrap: "break-word" }}>
              {title}
            </Text>
            {kind && (
              <Text size="sm" c="gray.7">
                {kind}
              </Text>
            )}
            <CoveredPeriod milestone={m} />
            <CancelNote milestone={m} />
          </Box>
          <MilestoneStatusBadge status={m.status} />
        </Group>
        <Text size="sm">
          <Text span size="sm" c="gray.7">
            {t("due")}{" "}
          </Text>
          <DueDate milestone={m} />
        </Text>
        <Where milestone={m} names={names} showProject={showProject} />
        {responsible && (
          <Text size="sm" c="gray.7">
            {t("responsible")}: <Text span size="sm" c="dark">{responsible.displayName}</Text>
          </Text>
        )}
        {actions}
      </Stack>
    </Paper>
  );
}

// CardList is the list the cards sit in (a real list for screen readers).
export function CardList({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }} aria-label={label}>
      {children}
    </Stack>
  );
}
