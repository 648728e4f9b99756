// A milestone's status as a coloured badge that always carries its label:
// overdue red (with a warning sign), due soon orange, submitted blue,
// accepted green, upcoming grey. Colours meet WCAG AA contrast.
import { Badge } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { MilestoneStatus, MilestoneStatusSchema } from "../../gen/pactum/v1/milestone_pb";
import { enumLabel } from "../../lib/enums";

const look: Record<number, { bg: string; fg: string; bd: string }> = {
  [MilestoneStatus.OVERDUE]: { bg: "#c92a2a", fg: "#ffffff", bd: "#c92a2a" },
  [MilestoneStatus.DUE_SOON]: { bg: "#fff4e6", fg: "#b34700", bd: "#ffc078" },
  [MilestoneStatus.SUBMITTED]: { bg: "#e7f5ff", fg: "#1864ab", bd: "#a5d8ff" },
  [MilestoneStatus.ACCEPTED]: { bg: "#ebfbee", fg: "#1e6b30", bd: "#b2f2bb" },
  [MilestoneStatus.UPCOMING]: { bg: "#f1f3f5", fg: "#495057", bd: "#dee2e6" },
  [MilestoneStatus.CANCELLED]: { bg: "#ffffff", fg: "#495057", bd: "#adb5bd" },
};

const dots: Record<number, string> = {
  [MilestoneStatus.OVERDUE]: "#c92a2a",
  [MilestoneStatus.DUE_SOON]: "#e8590c",
  [MilestoneStatus.SUBMITTED]: "#1971c2",
  [MilestoneStatus.ACCEPTED]: "#2f9e44",
  [MilestoneStatus.UPCOMING]: "#868e96",
  [MilestoneStatus.CANCELLED]: "#ced4da",
};

// statusColour is the status's main colour, for dots and borders (always
// next to a text label, never alone).
export function statusColour(status: MilestoneStatus): string {
  return dots[status] ?? dots[MilestoneStatus.UPCOMING];
}

export function MilestoneStatusBadge({ status, size = "md" }: { status: MilestoneStatus; size?: "sm" | "md" | "lg" }) {
  const { t } = useTranslation();
  const l = look[status] ?? look[MilestoneStatus.UPCOMING];
  return (
    <Badge
      size={size}
      radius="sm"
      variant="outline"
      leftSection={status === MilestoneStatus.OVERDUE ? <IconAlertTriangle size={12} stroke={2.5} aria-hidden /> : undefined}
      style={{ "--badge-bg": l.bg, "--badge-color": l.fg, "--badge-bd": `1px solid ${l.bd}`, flexShrink: 0, minWidth: "max-content" } as React.CSSProperties}
    >
      {enumLabel(t, "milestoneStatus", MilestoneStatusSchema, status)}
    </Badge>
  );
}
