// The home page's screen, apart from the routes (src/App.tsx) because the
// sign-in page preloads it too: importing it from App.tsx there made an
// import cycle (App.tsx loads the sign-in page). A partner's home is lean;
// the coordinators' dashboard, its own chunk, is not
// (src/pages/dashboard/Dashboard.tsx).
import { firstScreens } from "./firstScreens";
import { lazyScreen } from "./lib/lazyScreen";

export const Dashboard = lazyScreen(() => import("./pages/dashboard/Dashboard"), firstScreens.partnerHome);
