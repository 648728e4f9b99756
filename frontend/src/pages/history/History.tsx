// Placeholder: replaced by the History screen.
export default function History() {
  return <h2>History</h2>;
}
