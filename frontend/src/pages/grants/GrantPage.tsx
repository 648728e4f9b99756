// Placeholder: replaced by the GrantPage screen.
export default function GrantPage() {
  return <h2>GrantPage</h2>;
}
