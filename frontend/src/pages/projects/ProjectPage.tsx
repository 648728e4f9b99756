// Placeholder: replaced by the ProjectPage screen.
export default function ProjectPage() {
  return <h2>ProjectPage</h2>;
}
