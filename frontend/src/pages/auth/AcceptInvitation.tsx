// /accept-invitation?token=...: an invited user chooses their password and
// is signed in.
import { SetPasswordForm } from "../../components/auth/SetPasswordForm";

export default function AcceptInvitation() {
  return <SetPasswordForm kind="invitation" />;
}
