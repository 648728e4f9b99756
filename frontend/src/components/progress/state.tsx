// A progress update's state: a badge that always carries its label, and the
// workflow as a row of steps (Draft -> Submitted -> (Returned ->
// Resubmitted) -> Approved) with the current one marked for screen readers.
import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ProgressUpdateState as S } from "../../gen/pactum/v1/progress_update_pb";

// Colours meet WCAG AA contrast on their backgrounds.
const look: Record<number, { bg: string; fg: string; bd: string }> = {
  [S.UNSPECIFIED]: { bg: "#f1f3f5", fg: "#495057", bd: "#dee2e6" },
  [S.DRAFT]: { bg: "#f1f3f5", fg: "#495057", bd: "#ced4da" },
  [S.SUBMITTED]: { bg: "#e7f5ff", fg: "#1864ab", bd: "#a5d8ff" },
  [S.RESUBMITTED]: { bg: "#e7f5ff", fg: "#1864ab", bd: "#a5d8ff" },
  [S.RETURNED]: { bg: "#fff4e6", fg: "#a63f00", bd: "#ffc078" },
  [S.APPROVED]: { bg: "#ebfbee", fg: "#1e6b30", bd: "#b2f2bb" },
};

export const stateKeys: Record<number, string> = {
  [S.UNSPECIFIED]: "notStarted",
  [S.DRAFT]: "DRAFT",
  [S.SUBMITTED]: "SUBMITTED",
  [S.RETURNED]: "RETURNED",
  [S.RESUBMITTED]: "RESUBMITTED",
  [S.APPROVED]: "APPROVED",
};

export function awaitsReview(s: S): boolean {
  return s === S.SUBMITTED || s === S.RESUBMITTED;
}

export function StateBadge({ state, size = "md" }: { state: S; size?: "sm" | "md" | "lg" }) {
  const { t } = useTranslation("progress");
  const l = look[state] ?? look[S.UNSPECIFIED];
  return (
    <Badge size={size} radius="sm" variant="outline" tt="none" style={{ background: l.bg, color: l.fg, borderColor: l.bd, flexShrink: 0 }}
      // Never cut short in a narrow table column.
      styles={{ label: { overflow: "visible" } }}
      data-state={stateKeys[state]}>
      {t(`state.${stateKeys[state] ?? "notStarted"}`)}
    </Badge>
  );
}

// StateSteps: the workflow, with the steps done, the current one, and those
// to come. Returned and Resubmitted appear once the update was returned.
export function StateSteps({ state, returned }: { state: S; returned: boolean }) {
  const { t } = useTranslation("progress");
  const loop = returned || state === S.RETURNED || state === S.RESUBMITTED;
  const steps = loop ? [S.DRAFT, S.SUBMITTED, S.RETURNED, S.RESUBMITTED, S.APPROVED] : [S.DRAFT, S.SUBMITTED, S.APPROVED];
  // After a return, "Submitted" is done and the loop may repeat.
  const at = state === S.APPROVED ? steps.length - 1 : steps.indexOf(state);
  return (
    <ol className="pactum-steps" aria-label={t("steps.label")}>
      {steps.map((s, i) => {
        const status = i < at ? "done" : i === at ? "current" : "todo";
        return (
          <li key={s} data-status={status} aria-current={status === "current" ? "step" : undefined}>
            <span className="pactum-steps-dot" aria-hidden>
              {status === "done" ? "✓" : i + 1}
            </span>
            <span>
              {t(`state.${stateKeys[s]}`)}
              {status !== "current" && <span className="pactum-sr-only"> ({t(`steps.${status}`)})</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
