import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { GrantState, GrantStateSchema } from "../../gen/pactum/v1/grant_pb";
import { MilestoneStatus, MilestoneStatusSchema } from "../../gen/pactum/v1/milestone_pb";
import { enumLabel } from "../../lib/enums";

const grantColours: Record<number, string> = {
  [GrantState.DRAFT]: "gray",
  [GrantState.ACTIVE]: "teal",
  [GrantState.CLOSED]: "dark",
};

export function GrantStateBadge({ state, size = "md" }: { state: GrantState; size?: "sm" | "md" | "lg" }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={grantColours[state] ?? "gray"}
      variant={state === GrantState.ACTIVE ? "filled" : "light"}
      size={size}
      styles={{ root: { maxWidth: "none", flexShrink: 0 }, label: { overflow: "visible" } }}
    >
      {enumLabel(t, "grantState", GrantStateSchema, state)}
    </Badge>
  );
}

// Milestone status colours: overdue red, due soon orange, submitted blue,
// accepted green, upcoming grey.
export const milestoneColours: Record<number, string> = {
  [MilestoneStatus.OVERDUE]: "red",
  [MilestoneStatus.DUE_SOON]: "orange",
  [MilestoneStatus.SUBMITTED]: "blue",
  [MilestoneStatus.ACCEPTED]: "green",
  [MilestoneStatus.UPCOMING]: "gray",
  [MilestoneStatus.CANCELLED]: "dark",
};

export function MilestoneStatusBadge({ status }: { status: MilestoneStatus }) {
  const { t } = useTranslation();
  const strong = status === MilestoneStatus.OVERDUE || status === MilestoneStatus.DUE_SOON;
  return (
    <Badge
      color={milestoneColours[status] ?? "gray"}
      variant={strong ? "filled" : "light"}
      size="sm"
      styles={{ root: { maxWidth: "none", flexShrink: 0 }, label: { overflow: "visible" } }}
    >
      {enumLabel(t, "milestoneStatus", MilestoneStatusSchema, status)}
    </Badge>
  );
}
