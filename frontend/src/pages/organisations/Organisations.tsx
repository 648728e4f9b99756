// Placeholder: replaced by the Organisations screen.
export default function Organisations() {
  return <h2>Organisations</h2>;
}
