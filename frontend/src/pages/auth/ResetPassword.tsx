// /reset-password?token=...: a new password from a reset link; the user is
// signed in (and signed out everywhere else).
import { SetPasswordForm } from "../../components/auth/SetPasswordForm";

export default function ResetPassword() {
  return <SetPasswordForm kind="reset" />;
}
