// Routes. Every screen is its own chunk (React.lazy), so a partner's first
// visit loads the shell, sign-in and their home page only.
import { lazy } from "react";
import { Redirect, Route, Switch } from "wouter";
import { useSession } from "./lib/session";
import { PageLoader } from "./components/PageLoader";
import { Layout } from "./components/Layout";

const SignIn = lazy(() => import("./pages/auth/SignIn"));
const AcceptInvitation = lazy(() => import("./pages/auth/AcceptInvitation"));
const ForgotPassword = lazy(() => import("./pages/auth/ForgotPassword"));
const ResetPassword = lazy(() => import("./pages/auth/ResetPassword"));
const Dashboard = lazy(() => import("./pages/dashboard/Dashboard"));
const Organisations = lazy(() => import("./pages/organisations/Organisations"));
const OrganisationPage = lazy(() => import("./pages/organisations/OrganisationPage"));
const Agreements = lazy(() => import("./pages/grants/Agreements"));
const AgreementPage = lazy(() => import("./pages/grants/AgreementPage"));
const Grants = lazy(() => import("./pages/grants/Grants"));
const GrantPage = lazy(() => import("./pages/grants/GrantPage"));
const NewGrant = lazy(() => import("./pages/grants/NewGrant"));
const Projects = lazy(() => import("./pages/projects/Projects"));
const ProjectPage = lazy(() => import("./pages/projects/ProjectPage"));
const Milestones = lazy(() => import("./pages/milestones/Milestones"));
const Users = lazy(() => import("./pages/users/Users"));
const Profile = lazy(() => import("./pages/profile/Profile"));
const History = lazy(() => import("./pages/history/History"));

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
              <Route path="/agreements/:id" component={AgreementPage} />
              <Route path="/grants" component={Grants} />
              <Route path="/grants/new" component={NewGrant} />
              <Route path="/grants/:id" component={GrantPage} />
              <Route path="/projects" component={Projects} />
              <Route path="/projects/:id" component={ProjectPage} />
              <Route path="/milestones" component={Milestones} />
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
