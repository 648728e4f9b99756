// Placeholder: replaced by the Projects screen.
export default function Projects() {
  return <h2>Projects</h2>;
}
