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
