// The screens a visit may start on, which the boot script (src/boot.ts)
// preloads while the app itself is still on its way: their page modules and
// the translation namespaces they need besides "common". The build reads the
// modules (vite.config.ts), the app the namespaces (src/App.tsx).
//
// "lean" screens use only the styles loaded with the app (src/styles/first.css);
// the others bring src/styles/more.css (the build checks both).
export const firstScreens = {
  signIn: { modules: ["src/pages/auth/SignIn.tsx"], ns: ["auth"], lean: true },
  acceptInvitation: { modules: ["src/pages/auth/AcceptInvitation.tsx"], ns: ["auth"], lean: false },
  forgotPassword: { modules: ["src/pages/auth/ForgotPassword.tsx"], ns: ["auth"], lean: false },
  resetPassword: { modules: ["src/pages/auth/ResetPassword.tsx"], ns: ["auth"], lean: false },
  // A signed-in user elsewhere than the home page: the app's frame only.
  shell: { modules: [], ns: [], lean: true },
  partnerHome: { modules: ["src/pages/dashboard/Dashboard.tsx"], ns: ["dashboard", "milestones"], lean: true },
  home: { modules: ["src/pages/dashboard/Dashboard.tsx", "src/pages/dashboard/CoordinatorDashboard.tsx"], ns: ["dashboard", "milestones"], lean: false },
} as const satisfies Record<string, { modules: readonly string[]; ns: readonly string[]; lean: boolean }>;

export type FirstScreen = keyof typeof firstScreens;
