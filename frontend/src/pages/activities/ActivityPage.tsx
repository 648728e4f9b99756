// Placeholder: replaced by the screen's real implementation.
export default function ActivityPage() {
  return null;
}
