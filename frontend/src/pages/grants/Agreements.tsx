// Placeholder: replaced by the Agreements screen.
export default function Agreements() {
  return <h2>Agreements</h2>;
}
