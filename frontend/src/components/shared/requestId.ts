// newRequestId: a UUID for a create call's request_id, so that a retry of the
// same submission (a flaky connection) returns the record made the first
// time. crypto.randomUUID needs a secure context; plain-http installs on a
// local network fall back to getRandomValues.
export function newRequestId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// idOf: the last segment of a resource name ("grants/abc" -> "abc").
export function idOf(name: string | undefined): string {
  if (!name) return "";
  return name.slice(name.lastIndexOf("/") + 1);
}
