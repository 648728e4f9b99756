// An agreement's state as a badge: open (grants may be signed under it) or
// closed.
import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { FrameworkAgreementState } from "../../gen/pactum/v1/framework_agreement_pb";

export function AgreementStateBadge({ state, size = "lg" }: { state: FrameworkAgreementState; size?: "sm" | "md" | "lg" }) {
  const { t } = useTranslation("setup");
  const closed = state === FrameworkAgreementState.CLOSED;
  return (
    <Badge color={closed ? "dark" : "teal"} variant={closed ? "light" : "filled"} size={size} styles={{ root: { maxWidth: "none", flexShrink: 0 }, label: { overflow: "visible" } }}>
      {closed ? t("setup:agreement.state.CLOSED") : t("setup:agreement.state.OPEN")}
    </Badge>
  );
}
