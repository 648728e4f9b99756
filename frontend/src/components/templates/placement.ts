// Where the server's field violations of a new template go in its form
// (CreateBudgetTemplate's paths, without "budget_template."), and in which
// words: each field's rule in the user's language.
import type { Place } from "../shared/forms";

// The server's field paths (without "budget_template.") and the form's
// keys and words for them.
const headingField: Record<string, { key: string; word: string }> = {
  code: { key: "code", word: "code" },
  title: { key: "title", word: "title" },
  kind: { key: "kind", word: "kind" },
  usual_lines: { key: "usualLines", word: "usualLines" },
};

// placeFor: each violation on its field, in words of the user's language
// saying what is valid there (the server's English detail is not shown).
export function placeFor(t: (k: string) => string): Place {
  return (v) => {
    const errors: Record<string, string> = {};
    for (const path of Object.keys(v)) {
      let m: RegExpExecArray | null;
      if (path === "display_name") errors.displayName = t("templates:validation.displayName");
      else if (path === "organisation") errors.organisation = t("templates:validation.organisation");
      else if (path === "headings") errors.headings = t("templates:validation.headings");
      else if ((m = /^headings\[(\d+)\]\.usual_lines\[(\d+)\]\.(code|description)$/.exec(path)))
        errors[`headings.${m[1]}.usualLines.${m[2]}.${m[3]}`] = t(m[3] === "code" ? "templates:validation.lineCode" : "templates:validation.lineDescription");
      else if ((m = /^headings\[(\d+)\]\.(code|title|kind|usual_lines)$/.exec(path))) {
        const f = headingField[m[2]];
        errors[`headings.${m[1]}.${f.key}`] = t(`templates:validation.${f.word}`);
      }
    }
    return errors;
  };
}

// placed reports whether the form shows the violation of path itself.
export const placed = (path: string) =>
  ["display_name", "organisation", "headings"].includes(path) || /^headings\[\d+\]\.(code|title|kind|usual_lines)(\[\d+\]\.(code|description))?$/.test(path);
