// Placeholder: replaced by the Profile screen.
export default function Profile() {
  return <h2>Profile</h2>;
}
