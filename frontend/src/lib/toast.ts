// showToast shows a notification. The toast code loads with the first toast,
// not with the first screen (partners on slow links never pay for it unless
// they see one).
import type { NotificationData } from "@mantine/notifications";

const listeners = new Set<() => void>();
let requested = false;

export function showToast(data: NotificationData) {
  void import("@mantine/notifications").then((m) => {
    if (!requested) {
      requested = true;
      listeners.forEach((l) => l());
    }
    m.notifications.show(data);
  });
}

// onToastsRequested calls fn once a toast was asked for (at once if one was).
export function onToastsRequested(fn: () => void): () => void {
  if (requested) fn();
  listeners.add(fn);
  return () => listeners.delete(fn);
}
