// Milestones as a table on wide screens and as cards on phones (one or the
// other is rendered, never both).
import type { ReactNode } from "react";
import { Stack, Table, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import type { Milestone } from "../../gen/pactum/v1/milestone_pb";
import { MilestoneActions, type Done } from "./MilestoneActions";
import { CardList, CoveredPeriod, DueDate, MilestoneCard, Where, useKindLabel, useMilestoneTitle, type Names } from "./MilestoneCard";
import { MilestoneStatusBadge, statusColour } from "./MilestoneStatusBadge";
import { canAccept, canSubmit } from "./milestoneRules";
import { CancelNote } from "./CancelNote";

interface Props {
  milestones: Milestone[];
  names: Names;
  onDone: (d: Done) => void;
  showProject?: boolean;
  // showWhere: the project / grant column (not on a project's own page).
  showWhere?: boolean;
  caption: string;
  // manage: more actions on a milestone (edit, cancel), for those who may.
  manage?: (m: Milestone) => ReactNode;
}

export function MilestoneTable({ milestones, names, onDone, showProject = true, showWhere = true, caption, manage }: Props) {
  const { t } = useTranslation("milestones");
  const narrow = useMediaQuery("(max-width: 48em)", window.matchMedia("(max-width: 48em)").matches, { getInitialValueInEffect: false });
  const kindOf = useKindLabel();
  const titleOf = useMilestoneTitle();
  const withActions = milestones.some((m) => canSubmit(m) || canAccept(m) || !!manage?.(m));
  const actions = (m: Milestone) => (
    <Stack gap={6}>
      <MilestoneActions milestone={m} onDone={onDone} quiet />
      {manage?.(m)}
    </Stack>
  );

  if (narrow) {
    return (
      <CardList label={caption}>
        {milestones.map((m) => (
          <MilestoneCard
            key={m.name}
            milestone={m}
            names={names}
            showProject={showProject}
            actions={actions(m)}
          />
        ))}
      </CardList>
    );
  }
  return (
    <Table.ScrollContainer minWidth={showWhere ? 760 : 600}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Caption style={{ captionSide: "top", textAlign: "start", position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)" }}>
          {caption}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("columns.status")}</Table.Th>
            <Table.Th scope="col">{t("columns.due")}</Table.Th>
            <Table.Th scope="col">{t("columns.milestone")}</Table.Th>
            {showWhere && <Table.Th scope="col">{showProject ? t("columns.where") : t("columns.grant")}</Table.Th>}
            <Table.Th scope="col">{t("columns.responsible")}</Table.Th>
            {withActions && <Table.Th scope="col">{t("columns.actions")}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {milestones.map((m) => {
            const org = m.responsibleOrganisation ? names.organisation?.(m.responsibleOrganisation) : undefined;
            return (
              <Table.Tr key={m.name}>
                <Table.Td style={{ boxShadow: `inset 4px 0 0 ${statusColour(m.status)}` }}>
                  <MilestoneStatusBadge status={m.status} />
                </Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>
                  <DueDate milestone={m} />
                </Table.Td>
                <Table.Td maw={320}>
                  <Text size="sm" fw={600}>
                    {titleOf(m)}
                  </Text>
                  {kindOf(m) && (
                    <Text size="sm" c="gray.7">
                      {kindOf(m)}
                    </Text>
                  )}
                  <CoveredPeriod milestone={m} />
                  <CancelNote milestone={m} />
                </Table.Td>
                {showWhere && (
                  <Table.Td maw={320} miw={200}>
                    <Where milestone={m} names={names} showProject={showProject} />
                  </Table.Td>
                )}
                <Table.Td maw={220}>
                  <Text size="sm" lineClamp={2} title={org?.displayName}>
                    {org ? org.shortName || org.displayName : t("common:none")}
                  </Text>
                </Table.Td>
                {withActions && (
                  <Table.Td miw={150}>{actions(m)}</Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
