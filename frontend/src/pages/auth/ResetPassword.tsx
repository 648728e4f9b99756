// Placeholder: replaced by the ResetPassword screen.
export default function ResetPassword() {
  return <h2>ResetPassword</h2>;
}
