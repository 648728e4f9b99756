import { createTheme, type CSSVariablesResolver, type MantineThemeOverride } from "@mantine/core";

// A sober, readable theme: a deep teal primary, generous type, visible focus.
export const baseTheme = {
  primaryColor: "teal",
  primaryShade: 9,
  defaultRadius: "sm",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  headings: { fontWeight: "650" },
  focusRing: "auto",
} satisfies MantineThemeOverride;

// themeFor names the clear buttons of selects and date inputs in the user's
// language (screen readers announce them).
export function themeFor(clearLabel: string, closeLabel: string, loadingLabel: string) {
  const clearButtonProps = { "aria-label": clearLabel };
  const closeButtonProps = { "aria-label": closeLabel };
  return createTheme({
    ...baseTheme,
    components: {
      ...Object.fromEntries(
        ["Select", "MultiSelect", "Autocomplete", "TagsInput", "DatePickerInput", "DateInput", "MonthPickerInput", "YearPickerInput", "TextInput", "NumberInput"].map(
          (c) => [c, { defaultProps: { clearButtonProps } }],
        ),
      ),
      Notification: { defaultProps: { closeButtonProps } },
      // A spinner is a status: named, and announced by screen readers.
      Loader: { defaultProps: { role: "status", "aria-label": loadingLabel } },
      Modal: { defaultProps: { closeButtonProps } },
      Drawer: { defaultProps: { closeButtonProps } },
      Alert: { defaultProps: { closeButtonLabel: closeLabel } },
      // Links inside text are underlined, not told apart by colour alone.
      Anchor: { defaultProps: { underline: "always" } },
    },
  });
}

const lightColours = ["dark", "gray", "red", "pink", "grape", "violet", "indigo", "blue", "cyan", "teal", "green", "lime", "yellow", "orange"];

// Contrast to WCAG AA: secondary ("dimmed") text in gray.7 instead of gray.6
// (3.3:1 on white), field errors in red.9, and the text of light variants (badges, alerts, light
// buttons) in each colour's darkest shade.
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": t.colors.gray[7],
    "--mantine-color-error": t.colors.red[9],
    ...Object.fromEntries(lightColours.map((c) => [`--mantine-color-${c}-light-color`, t.colors[c][9]])),
  },
  dark: {},
});
