import { describe, expect, test } from "vitest";
import { tokens, wordDiff } from "./wordDiff";

const join = (parts: ReturnType<typeof wordDiff>, keep: "before" | "after") =>
  parts
    .filter((p) => p.kind === "same" || p.kind === (keep === "before" ? "removed" : "added"))
    .map((p) => p.text)
    .join("");

describe("wordDiff", () => {
  test("tokens keep the spaces", () => {
    expect(tokens("  one two\nthree ")).toEqual(["  ", "one", " ", "two", "\n", "three", " "]);
    expect(tokens("")).toEqual([]);
  });
  test("a word changed in the middle", () => {
    const d = wordDiff("We trained 40 organisers in Nairobi.", "We trained 55 organisers in Nairobi.");
    expect(d).toEqual([
      { kind: "same", text: "We trained " },
      { kind: "removed", text: "40" },
      { kind: "added", text: "55" },
      { kind: "same", text: " organisers in Nairobi." },
    ]);
  });
  test("a paragraph added at the end", () => {
    const d = wordDiff("First.", "First.\n\nSecond update: new members.");
    expect(d.map((p) => p.kind)).toEqual(["same", "added"]);
    expect(join(d, "after")).toBe("First.\n\nSecond update: new members.");
  });
  test("the parts give back both texts", () => {
    const before = "a b c d e f g";
    const after = "a x c d y f g z";
    const d = wordDiff(before, after);
    expect(join(d, "before")).toBe(before);
    expect(join(d, "after")).toBe(after);
    expect(d.filter((p) => p.kind === "same").map((p) => p.text.trim())).toEqual(["a", "c d", "f g"]);
  });
  test("identical and empty texts", () => {
    expect(wordDiff("same text", "same text")).toEqual([{ kind: "same", text: "same text" }]);
    expect(wordDiff("", "")).toEqual([]);
    expect(wordDiff("", "new")).toEqual([{ kind: "added", text: "new" }]);
  });
});
