// Placeholder: replaced by the Milestones screen.
export default function Milestones() {
  return <h2>Milestones</h2>;
}
