// Placeholder: replaced by the AcceptInvitation screen.
export default function AcceptInvitation() {
  return <h2>AcceptInvitation</h2>;
}
