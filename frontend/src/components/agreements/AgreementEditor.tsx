// AgreementEditor: the agreement form with its date pickers, loaded only
// when a coordinator edits an agreement.
import type { ComponentProps } from "react";
import { DatesSetup } from "../grants/DatesSetup";
import { AgreementForm } from "./AgreementForm";

export default function AgreementEditor(props: ComponentProps<typeof AgreementForm>) {
  return (
    <DatesSetup>
      <AgreementForm {...props} />
    </DatesSetup>
  );
}
