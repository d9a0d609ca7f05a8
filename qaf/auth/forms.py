"""The sign-in and password forms, defined like every other form."""

from qaf.formspec import Question, staff_form_spec

EMAIL = Question(id="email", type="email", label="Email address", thing="your email address")
PASSWORD = Question(id="password", type="current_password", label="Password", thing="your password")
NEW_PASSWORD = Question(
    id="new_password",
    type="new_password",
    label="New password",
    hint="At least 12 characters. Three random words make a strong password that is easy to remember.",
    thing="a new password",
)
CONFIRM_PASSWORD = Question(
    id="confirm_password", type="new_password", label="Confirm new password", thing="your new password again"
)
CURRENT_PASSWORD = Question(
    id="current_password", type="current_password", label="Current password", thing="your current password"
)

SIGN_IN = staff_form_spec("sign-in", "Sign in", EMAIL, PASSWORD)
FORGOT_PASSWORD = staff_form_spec("forgot-password", "Reset your password", EMAIL)
SET_PASSWORD = staff_form_spec("set-password", "Set your password", NEW_PASSWORD, CONFIRM_PASSWORD)
CHANGE_PASSWORD = staff_form_spec(
    "change-password", "Change your password", CURRENT_PASSWORD, NEW_PASSWORD, CONFIRM_PASSWORD
)
SIGN_IN_LINK = staff_form_spec("sign-in-link", "Get a link to sign in", EMAIL)
# Only a button: the link's token is the proof, and a post (not the email's GET) spends it.
SIGN_IN_WITH_LINK = staff_form_spec("sign-in-with-link", "Sign in with your link")
