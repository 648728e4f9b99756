// Placeholder: replaced by the AgreementPage screen.
export default function AgreementPage() {
  return <h2>AgreementPage</h2>;
}
