// Files picked by the user, sent to the API as bytes, and files from the API
// saved by the browser.

export async function fileBytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

// saveBytes offers bytes to the user as a download.
export function saveBytes(bytes: Uint8Array, fileName: string, contentType: string) {
  const blob = new Blob([bytes as BlobPart], { type: contentType || "application/octet-stream" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName || "download";
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// formatBytes: "2.4 MB" in the user's locale.
export function formatBytes(n: number | bigint, locale: string): string {
  const v = Number(n);
  const units = ["byte", "kilobyte", "megabyte"] as const;
  let i = 0;
  let x = v;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return new Intl.NumberFormat(locale, { style: "unit", unit: units[i], unitDisplay: i === 0 ? "long" : "short", maximumFractionDigits: i === 0 ? 0 : 1 }).format(x);
}

// Uploads over plain HTTP (receipts, attachments) answer errors as
// Connect-style JSON with an HTTP status.

export type UploadError = "tooLarge" | "typeNotAllowed" | "unauthenticated" | "permissionDenied" | "notFound" | "state" | "network" | "server";

// uploadErrorOf: what went wrong, from the HTTP status and the Connect error code
// of the JSON answer ({"code": "failed_precondition", "message": ...}).
export function uploadErrorOf(xhr: XMLHttpRequest): UploadError {
  switch (xhr.status) {
    case 0:
      return "network";
    case 413:
      return "tooLarge";
    case 415:
      return "typeNotAllowed";
  }
  let code: string;
  try {
    code = (JSON.parse(xhr.responseText) as { code?: string }).code ?? "";
  } catch {
    code = "";
  }
  switch (code) {
    case "unauthenticated":
      return "unauthenticated";
    case "permission_denied":
      return "permissionDenied";
    case "not_found":
      return "notFound";
    case "failed_precondition":
    case "aborted":
      return "state";
    case "unavailable":
      return "network";
  }
  if (xhr.status === 401) return "unauthenticated";
  if (xhr.status === 403) return "permissionDenied";
  if (xhr.status === 404) return "notFound";
  return "server";
}

// uploadServerMessage: the message of an error answer, Connect-style JSON or text.
export function uploadServerMessage(xhr: XMLHttpRequest): string {
  try {
    const j = JSON.parse(xhr.responseText) as { message?: string };
    return j.message ?? "";
  } catch {
    return xhr.responseText.slice(0, 300);
  }
}
