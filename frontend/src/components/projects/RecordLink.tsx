// A link to a record inside the app, in a shade of the primary colour dark
// enough for WCAG AA contrast on white (the theme's filled teal is not).
import type { ReactNode } from "react";
import { Anchor, type AnchorProps } from "@mantine/core";
import { Link } from "wouter";

export function RecordLink({ href, children, ...rest }: AnchorProps & { href: string; children: ReactNode; "aria-label"?: string }) {
  return (
    <Anchor component={Link} href={href} c="teal.9" {...rest}>
      {children}
    </Anchor>
  );
}
