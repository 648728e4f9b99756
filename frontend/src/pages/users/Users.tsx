// Placeholder: replaced by the Users screen.
export default function Users() {
  return <h2>Users</h2>;
}
