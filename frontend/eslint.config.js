// ESLint (flat config): the JavaScript and TypeScript recommended rules and
// React's rules of hooks (eslint-plugin-react-hooks' recommended set: the
// rules of hooks, exhaustive effect dependencies and the React Compiler's
// checks). `npm run lint` runs it with no warnings allowed (make
// frontend-check). A disable comment must say why, and one that no longer
// silences anything is an error.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // Generated code (protoc-gen-es) and the built app are not linted.
  { ignores: ["dist/", "src/gen/", "test-results/", "playwright-report/"] },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.{ts,tsx}"],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
  },
  {
    // Node: the build's configuration, its plugins and the browser tests
    // (whose page.evaluate callbacks run in the page).
    files: ["*.{js,cjs,ts}", "tests/**/*.{ts,mjs,js}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ["*.cjs"],
    languageOptions: { sourceType: "commonjs" },
  },
  {
    rules: {
      // `const { a: _a, ...rest } = x` leaves a field out on purpose.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
);
