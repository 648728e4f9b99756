// ProjectEditor: the project form with its date pickers, loaded only when a
// coordinator edits a project.
import type { ComponentProps } from "react";
import { DatesSetup } from "../grants/DatesSetup";
import { ProjectForm } from "./ProjectForm";

export default function ProjectEditor(props: ComponentProps<typeof ProjectForm>) {
  return (
    <DatesSetup>
      <ProjectForm {...props} />
    </DatesSetup>
  );
}
