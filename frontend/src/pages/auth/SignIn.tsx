// Placeholder: replaced by the SignIn screen.
export default function SignIn() {
  return <h2>SignIn</h2>;
}
