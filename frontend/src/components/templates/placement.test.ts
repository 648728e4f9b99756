// The server's violations of a new template land on the form's fields (the
// heading's code, a usual line's description), worded in the user's
// language; those the form has no place for are left to the error list.
import { describe, expect, test } from "vitest";
import { createInstance } from "i18next";
import en from "../../locales/en/templates.json";
import fr from "../../locales/fr/templates.json";
import { placeFor, placed } from "./placement";

async function tFor(lng: "en" | "fr") {
  const i = createInstance();
  await i.init({ lng, ns: ["templates"], defaultNS: "templates", resources: { en: { templates: en }, fr: { templates: fr } } });
  return (k: string) => i.t(k);
}

const say = (d: string) => d;

describe("placeFor", () => {
  test("each violation on its heading's field, in the user's language", async () => {
    const place = placeFor(await tFor("fr"));
    const got = place(
      {
        "headings[3].code": '"5" is also the code of headings[4]',
        "headings[1].kind": "a template has at most one heading of kind TOTAL",
        "headings[2].usual_lines": "must be empty",
        "headings[0].usual_lines[1].description": "must be one line",
        display_name: "is required",
        organisation: "does not exist",
      },
      say,
    );
    expect(got).toEqual({
      "headings.3.code": fr.validation.code,
      "headings.1.kind": fr.validation.kind,
      "headings.2.usualLines": fr.validation.usualLines,
      "headings.0.usualLines.1.description": fr.validation.lineDescription,
      displayName: fr.validation.displayName,
      organisation: fr.validation.organisation,
    });
  });

  test("a path the form does not show is not placed", async () => {
    const place = placeFor(await tFor("en"));
    expect(place({ description: "too long", "headings[0].colour": "x" }, say)).toEqual({});
    expect(placed("description")).toBe(false);
    expect(placed("headings[0].colour")).toBe(false);
    expect(placed("headings[12].usual_lines[3].code")).toBe(true);
    expect(placed("headings")).toBe(true);
    expect(en.validation.code).not.toBe(fr.validation.code);
  });
});
