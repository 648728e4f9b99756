// Why a cancelled milestone was cancelled, by whom and when: kept and shown
// wherever the milestone is listed.
import { Text } from "@mantine/core";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useTranslation } from "react-i18next";
import { MilestoneStatus, type Milestone } from "../../gen/pactum/v1/milestone_pb";
import { useFormat } from "../../lib/format";

export function CancelNote({ milestone: m }: { milestone: Milestone }) {
  const { t } = useTranslation("setup");
  const fmt = useFormat();
  if (m.status !== MilestoneStatus.CANCELLED) return null;
  return (
    <Text size="xs" c="gray.7" mt={2} style={{ overflowWrap: "anywhere" }}>
      {t("milestone.cancelledNote", {
        who: m.cancelledByName || t("milestone.someone"),
        date: m.cancelTime ? fmt.date(timestampDate(m.cancelTime).toISOString().slice(0, 10)) : "",
        reason: m.cancelReason,
      })}
    </Text>
  );
}
