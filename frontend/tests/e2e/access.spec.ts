import { apiHeaders, expect, shot, signIn, test } from "./helpers";

// A membership limited to named grants: the buttons come from what the
// server says the caller may do with each record (callerCan*), not from the
// role, so a coordinator limited to one grant is offered that grant's
// buttons and none of the lead organisation's (no new grants, no new grants
// under its framework agreement).
test("a coordinator limited to one grant sees the buttons of that grant and no others", async ({ page }) => {
  await signIn(page, { email: "admin@demo.pactum.example", password: "demo-admin-pass" });
  const call = async (method: string, body: unknown) => {
    const r = await page.request.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
    expect(r.ok(), await r.text()).toBeTruthy();
    return r.json();
  };
  const { grants } = (await call("GrantService/ListGrants", {})) as { grants: { name: string; title: string; donorReference: string; leadOrganisation: string; frameworkAgreement: string }[] };
  const mine = grants.find((g) => g.title === "Decent Work for Domestic and Migrant Workers")!;
  const other = grants.find((g) => g.title === "Organising in the Informal Economy")!;
  expect(mine && other).toBeTruthy();
  const invited = await call("UserService/InviteUser", {
    user: {
      email: `limited-${Date.now()}@demo.pactum.example`,
      displayName: "Lina Limited",
      memberships: [{ organisation: mine.leadOrganisation, role: "ROLE_COORDINATOR", grants: [mine.name] }],
    },
  });
  const token = new URL(invited.invitationUrl).searchParams.get("token");
  // Accepting the invitation signs her in, in place of the admin.
  await call("AuthService/AcceptInvitation", { token, password: "a long enough password for Lina" });

  await page.goto("/grants");
  await expect(page.getByRole("link", { name: mine.donorReference })).toBeVisible();
  await expect(page.getByText(other.title)).toHaveCount(0);
  await expect(page.getByRole("link", { name: "New grant" })).toHaveCount(0);

  await page.getByRole("link", { name: mine.donorReference }).click();
  await expect(page.getByRole("button", { name: "Edit", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "History" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Financial report" })).toBeVisible();
  await shot(page, "grant-limited-coordinator");

  await page.goto(`/agreements/${mine.frameworkAgreement.slice(mine.frameworkAgreement.indexOf("/") + 1)}`);
  await expect(page.getByRole("link", { name: "History" })).toBeVisible();
  await expect(page.getByRole("link", { name: mine.donorReference })).toBeVisible();
  await expect(page.getByRole("link", { name: "New grant" })).toHaveCount(0);
  await shot(page, "agreement-limited-coordinator");
});
