import { expect, signIn, test, users } from "./helpers";

// The server requires, on every update where a lost update would matter,
// the etag the caller read. These screens had no browser test that saves:
// each edit is saved twice (the second puts the demo data back), so the
// second save must send the etag the first one returned.
test("a coordinator corrects an organisation and a user, twice each: the forms send the etag they read", async ({ page }) => {
  await signIn(page, users.coordinator);

  await page.goto("/organisations");
  await page.getByRole("link", { name: "Umoja Domestic Workers Union" }).first().click();
  for (const short of ["UDWU-KE", "UDWU"]) {
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await page.getByRole("textbox", { name: "Short name" }).fill(short);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("Changes saved.")).toBeVisible();
    await expect(page.getByText(short, { exact: true })).toBeVisible();
    await page.getByText("Changes saved.").waitFor({ state: "hidden" });
  }

  await page.goto("/users");
  for (const [from, to] of [["Sita Gurung", "Sita Gurung Rai"], ["Sita Gurung Rai", "Sita Gurung"]]) {
    await page.getByRole("button", { name: `Edit ${from}` }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill(to);
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText(`Changes to ${to} saved.`)).toBeVisible();
    await expect(dialog).toBeHidden();
  }
});
