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
      // A hovered row stays light enough for the text and buttons on it.
      Table: { defaultProps: { highlightOnHoverColor: "gray.0" } },
    },
  });
}

const lightColours = ["dark", "gray", "red", "pink", "grape", "violet", "indigo", "blue", "cyan", "teal", "green", "lime", "yellow", "orange"];
// Colours whose darkest shade is still too light under white text.
const paleFilled = new Set(["cyan", "teal", "green", "lime", "yellow", "orange"]);

// darken mixes a #rrggbb colour with black: amount 0.2 keeps 80% of it.
export function darken(hex: string, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const ch = (shift: number) => Math.round(((n >> shift) & 255) * (1 - amount));
  return "#" + [16, 8, 0].map((s) => ch(s).toString(16).padStart(2, "0")).join("");
}

// Contrast to WCAG AA (4.5:1) throughout: secondary ("dimmed") text in
// gray.7 instead of gray.6 (3.3:1 on white), field errors in red.9; the text
// of light variants (badges, alerts, light buttons) a fifth darker than each
// colour's darkest shade, so it holds on the tinted background too; filled
// variants of the pale colours darker under their white text, and every
// filled hover darker rather than lighter.
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const vars: Record<string, string> = {
    "--mantine-color-dimmed": t.colors.gray[7],
    "--mantine-color-error": t.colors.red[9],
  };
  for (const c of lightColours) {
    const deepest = t.colors[c][9];
    const filled = paleFilled.has(c) ? darken(deepest, 0.18) : deepest;
    vars[`--mantine-color-${c}-light-color`] = darken(deepest, 0.22);
    // Outline buttons sit on hovered table rows (gray.1) too.
    vars[`--mantine-color-${c}-outline`] = darken(deepest, 0.22);
    vars[`--mantine-color-${c}-filled`] = filled;
    vars[`--mantine-color-${c}-filled-hover`] = darken(filled, 0.15);
    if (c === t.primaryColor) {
      vars["--mantine-primary-color-filled"] = filled;
      vars["--mantine-primary-color-filled-hover"] = darken(filled, 0.15);
      vars["--mantine-primary-color-light-color"] = darken(deepest, 0.22);
    }
  }
  return { variables: {}, light: vars, dark: {} };
};
