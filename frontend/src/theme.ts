import { createTheme } from "@mantine/core";

// A sober, readable theme: a deep teal primary, generous type, visible focus.
export const theme = createTheme({
  primaryColor: "teal",
  primaryShade: 8,
  defaultRadius: "sm",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  headings: { fontWeight: "650" },
  focusRing: "auto",
});
