// The bell in the header: a link to /notifications with the number of
// unread notifications. It is part of every screen's first load, so it
// stays tiny: one small request (a page of one unread notification, whose
// answer carries the unread count), repeated every few minutes, and only
// components whose styles are in first.css.
import { ActionIcon, Badge } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { IconBell } from "@tabler/icons-react";
import { Link } from "wouter";
import { useTranslation } from "react-i18next";
import { NotificationService } from "../../gen/pactum/v1/notification_pb";

const every = 3 * 60_000;

export function NotificationBell() {
  const { t } = useTranslation();
  const q = useQuery(
    NotificationService.method.listNotifications,
    { pageSize: 1, unreadOnly: true },
    { refetchInterval: every, refetchIntervalInBackground: false, staleTime: 30_000, retry: false },
  );
  const unread = q.data?.unreadCount ?? 0;
  const shown = unread > 99 ? "99+" : String(unread);
  const label = unread > 0 ? `${t("nav.notifications")} (${shown})` : t("nav.notifications");
  return (
    <ActionIcon
      component={Link}
      href="/notifications"
      variant="subtle"
      color="gray.8"
      size="lg"
      radius="xl"
      aria-label={label}
      title={label}
      data-testid="notification-bell"
      data-unread={unread}
      style={{ position: "relative", overflow: "visible" }}
    >
      <IconBell size={22} stroke={1.8} aria-hidden />
      {unread > 0 && (
        <Badge
          size="xs"
          circle={unread < 10}
          color="red.8"
          variant="filled"
          aria-hidden
          style={{ position: "absolute", top: -2, right: -4, pointerEvents: "none", paddingInline: unread < 10 ? 0 : 4 }}
        >
          {shown}
        </Badge>
      )}
    </ActionIcon>
  );
}
