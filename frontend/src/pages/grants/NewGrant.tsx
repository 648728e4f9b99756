// Placeholder: replaced by the NewGrant screen.
export default function NewGrant() {
  return <h2>NewGrant</h2>;
}
