// Placeholder: replaced by the OrganisationPage screen.
export default function OrganisationPage() {
  return <h2>OrganisationPage</h2>;
}
