// GrantEditor: the grant form with its date pickers, loaded only when a
// coordinator edits a grant (so readers of a grant never download them).
import type { ComponentProps } from "react";
import { DatesSetup } from "./DatesSetup";
import { GrantForm } from "./GrantForm";

export default function GrantEditor(props: ComponentProps<typeof GrantForm>) {
  return (
    <DatesSetup>
      <GrantForm {...props} />
    </DatesSetup>
  );
}
