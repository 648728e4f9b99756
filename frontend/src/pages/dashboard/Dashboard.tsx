// Placeholder: replaced by the Dashboard screen.
export default function Dashboard() {
  return <h2>Dashboard</h2>;
}
