// Routes. Every screen is its own chunk, so a partner's first visit loads
// the app's frame, sign-in and their home page only. Screens are declared
// with lazyScreen, not React.lazy: it brings the styles and translations a
// screen needs along with its code (src/lib/lazyScreen.ts).
import { Redirect, Route, Switch } from "wouter";
import { useSession } from "./lib/session";
import { PageLoader } from "./components/PageLoader";
import { Layout } from "./components/Layout";
import { firstScreens, type FirstScreen } from "./firstScreens";
import { lazyScreen, type Screen } from "./lib/lazyScreen";
import { Dashboard } from "./home";

const SignIn = lazyScreen(() => import("./pages/auth/SignIn"), firstScreens.signIn);
const AcceptInvitation = lazyScreen(() => import("./pages/auth/AcceptInvitation"), firstScreens.acceptInvitation);
const ForgotPassword = lazyScreen(() => import("./pages/auth/ForgotPassword"), firstScreens.forgotPassword);
const ResetPassword = lazyScreen(() => import("./pages/auth/ResetPassword"), firstScreens.resetPassword);
const Organisations = lazyScreen(() => import("./pages/organisations/Organisations"));
const OrganisationPage = lazyScreen(() => import("./pages/organisations/OrganisationPage"), { ns: ["organisations", "setup", "grants"] });
const Agreements = lazyScreen(() => import("./pages/grants/Agreements"), { ns: ["grants", "setup"] });
const AgreementPage = lazyScreen(() => import("./pages/grants/AgreementPage"), { ns: ["grants", "setup"] });
const NewAgreement = lazyScreen(() => import("./pages/grants/NewAgreement"), { ns: ["grants", "setup", "organisations"] });
const NewProject = lazyScreen(() => import("./pages/projects/NewProject"), { ns: ["projects", "setup", "organisations"] });
const Grants = lazyScreen(() => import("./pages/grants/Grants"));
const GrantPage = lazyScreen(() => import("./pages/grants/GrantPage"), { ns: ["grants", "setup"] });
const BudgetPage = lazyScreen(() => import("./pages/budget/BudgetPage"), { ns: ["budget", "templates"] });
const NewGrant = lazyScreen(() => import("./pages/grants/NewGrant"));
const GrantFromContract = lazyScreen(() => import("./pages/grants/GrantFromContract"));
const Projects = lazyScreen(() => import("./pages/projects/Projects"));
const ProjectPage = lazyScreen(() => import("./pages/projects/ProjectPage"), { ns: ["projects", "milestones", "setup", "grants"] });
const Milestones = lazyScreen(() => import("./pages/milestones/Milestones"), { ns: ["milestones", "setup"] });
const Users = lazyScreen(() => import("./pages/users/Users"));
const Profile = lazyScreen(() => import("./pages/profile/Profile"));
const History = lazyScreen(() => import("./pages/history/History"));
const Expenditures = lazyScreen(() => import("./pages/expenditures/Expenditures"), { ns: ["expenditures"] });
const GrantExpenditures = lazyScreen(() => import("./pages/expenditures/GrantExpenditures"), { ns: ["expenditures"] });
const VerifyQueue = lazyScreen(() => import("./pages/finance/VerifyQueue"), { ns: ["finance", "expenditures"] });
const NewExpenditure = lazyScreen(() => import("./pages/expenditures/NewExpenditure"), { ns: ["expenditures"] });
const ExpenditurePage = lazyScreen(() => import("./pages/expenditures/ExpenditurePage"), { ns: ["expenditures"] });
const LedgerImport = lazyScreen(() => import("./pages/expenditures/LedgerImport"), { ns: ["expenditures"] });
const Transfers = lazyScreen(() => import("./pages/expenditures/Transfers"), { ns: ["expenditures", "rates"] });
const Rates = lazyScreen(() => import("./pages/rates/Rates"), { ns: ["rates", "expenditures"] });
const FundingPage = lazyScreen(() => import("./pages/funding/FundingPage"), { ns: ["funding"] });
const ProcurementPage = lazyScreen(() => import("./pages/procurement/ProcurementPage"), { ns: ["procurement"] });
const ReportPage = lazyScreen(() => import("./pages/report/ReportPage"), { ns: ["report"] });
const ForecastPage = lazyScreen(() => import("./pages/forecast/ForecastPage"), { ns: ["forecast"] });
const NarrativePage = lazyScreen(() => import("./pages/narrative/NarrativePage"), { ns: ["narrative", "results"] });
const Activities = lazyScreen(() => import("./pages/activities/Activities"), { ns: ["activities"] });
const ActivityPage = lazyScreen(() => import("./pages/activities/ActivityPage"), { ns: ["activities", "progress"] });
const ActivityEdit = lazyScreen(() => import("./pages/activities/ActivityEdit"), { ns: ["activities", "progress"] });
const ProjectResults = lazyScreen(() => import("./pages/results/ProjectResults"), { ns: ["results"] });
const GrantResults = lazyScreen(() => import("./pages/results/GrantResults"), { ns: ["results"] });
const IndicatorSheet = lazyScreen(() => import("./pages/results/IndicatorSheet"), { ns: ["results"] });
const ProgressUpdates = lazyScreen(() => import("./pages/progress/ProgressUpdates"), { ns: ["progress"] });
const ProgressUpdatePage = lazyScreen(() => import("./pages/progress/ProgressUpdatePage"), { ns: ["progress"] });
const GrantProgress = lazyScreen(() => import("./pages/progress/GrantProgress"), { ns: ["progress", "results"] });
const Templates = lazyScreen(() => import("./pages/templates/Templates"), { ns: ["templates"] });
const TemplatePage = lazyScreen(() => import("./pages/templates/TemplatePage"), { ns: ["templates"] });
const NewTemplate = lazyScreen(() => import("./pages/templates/NewTemplate"), { ns: ["templates"] });
const Notifications = lazyScreen(() => import("./pages/notifications/Notifications"), { ns: ["notifications"] });

// The screen each first screen of the boot script shows.
export const byFirstScreen: Record<FirstScreen, Pick<Screen<object>, "preload"> | undefined> = {
  signIn: SignIn,
  acceptInvitation: AcceptInvitation,
  forgotPassword: ForgotPassword,
  resetPassword: ResetPassword,
  shell: undefined,
  partnerHome: Dashboard,
  home: Dashboard,
};

export function App() {
  const { user, loading } = useSession();
  if (loading) return <PageLoader />;
  return (
    <Switch>
      <Route path="/sign-in" component={SignIn} />
      <Route path="/accept-invitation" component={AcceptInvitation} />
      <Route path="/forgot-password" component={ForgotPassword} />
      <Route path="/reset-password" component={ResetPassword} />
      <Route>
        {user ? (
          <Layout user={user}>
            <Switch>
              <Route path="/" component={Dashboard} />
              <Route path="/organisations" component={Organisations} />
              <Route path="/organisations/:id" component={OrganisationPage} />
              <Route path="/agreements" component={Agreements} />
              <Route path="/agreements/new" component={NewAgreement} />
              <Route path="/agreements/:id" component={AgreementPage} />
              <Route path="/grants" component={Grants} />
              <Route path="/grants/new" component={NewGrant} />
              <Route path="/grants/from-contract" component={GrantFromContract} />
              <Route path="/grants/:id/budget" component={BudgetPage} />
              <Route path="/grants/:id/expenditures" component={GrantExpenditures} />
              <Route path="/grants/:id/expenditures/new" component={NewExpenditure} />
              <Route path="/grants/:id/expenditures/import" component={LedgerImport} />
              <Route path="/grants/:id/expenditures/verify" component={VerifyQueue} />
              <Route path="/grants/:id/expenditures/:eid" component={ExpenditurePage} />
              <Route path="/grants/:id/transfers" component={Transfers} />
              <Route path="/grants/:id/report" component={ReportPage} />
              <Route path="/grants/:id/forecast/:period" component={ForecastPage} />
              <Route path="/grants/:id/narrative/:period" component={NarrativePage} />
              <Route path="/grants/:id/funding" component={FundingPage} />
              <Route path="/grants/:id/procurement" component={ProcurementPage} />
              <Route path="/grants/:id/results" component={GrantResults} />
              <Route path="/grants/:id/results/opsys" component={IndicatorSheet} />
              <Route path="/grants/:id/progress" component={GrantProgress} />
              <Route path="/grants/:id/projects/new" component={NewProject} />
              <Route path="/grants/:id" component={GrantPage} />
              <Route path="/projects" component={Projects} />
              <Route path="/projects/:id/results" component={ProjectResults} />
              <Route path="/projects/:id/activities/new" component={ActivityEdit} />
              <Route path="/projects/:id/activities/:aid/edit" component={ActivityEdit} />
              <Route path="/projects/:id/activities/:aid" component={ActivityPage} />
              <Route path="/projects/:id" component={ProjectPage} />
              <Route path="/activities" component={Activities} />
              <Route path="/progress" component={ProgressUpdates} />
              <Route path="/progress/:id" component={ProgressUpdatePage} />
              <Route path="/notifications" component={Notifications} />
              <Route path="/milestones" component={Milestones} />
              <Route path="/expenditures" component={Expenditures} />
              <Route path="/rates" component={Rates} />
              <Route path="/budget-templates" component={Templates} />
              <Route path="/budget-templates/new" component={NewTemplate} />
              <Route path="/budget-templates/:id" component={TemplatePage} />
              <Route path="/users" component={Users} />
              <Route path="/profile" component={Profile} />
              <Route path="/history/:collection/:id" component={History} />
              <Route>
                <Redirect to="/" />
              </Route>
            </Switch>
          </Layout>
        ) : (
          <Redirect to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} />
        )}
      </Route>
    </Switch>
  );
}
