// Placeholder: replaced by the Grants screen.
export default function Grants() {
  return <h2>Grants</h2>;
}
