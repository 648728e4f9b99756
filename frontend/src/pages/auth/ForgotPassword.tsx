// Placeholder: replaced by the ForgotPassword screen.
export default function ForgotPassword() {
  return <h2>ForgotPassword</h2>;
}
