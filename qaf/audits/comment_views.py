"""Comments on an audit by the practitioner whose work it is (and the auditor answering them), and
alerts marked as seen by the people they were sent to."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as HTTPResponse

from qaf.audits import bp
from qaf.audits.alerts import acknowledge_alert
from qaf.audits.forms import COMMENT_ON_AUDIT
from qaf.audits.lookups import audit_for
from qaf.audits.workflow import add_comment
from qaf.database import run_write_transaction
from qaf.formspec import SpecForm, build_form_class
from qaf.models import Alert
from qaf.objects import get_or_404
from qaf.policy import Action, requires


def comment_form() -> SpecForm:
    return build_form_class(COMMENT_ON_AUDIT)()


@bp.route("/audits/<int:audit_id>/comments", methods=["GET", "POST"])
@requires(Action.COMMENT_ON_AUDIT)
def comments(audit_id: int):  # type: ignore[no-untyped-def]
    audit = audit_for(Action.COMMENT_ON_AUDIT, audit_id)
    form = comment_form()
    if form.validate_on_submit():
        text = form.comment.data.strip()
        run_write_transaction(lambda: add_comment(audit_for(Action.COMMENT_ON_AUDIT, audit_id), current_user, text))
        flash("Your comment has been added to the audit.")
        if audit.is_draft:
            return redirect(url_for("audits.comments", audit_id=audit_id))
        return redirect(url_for("audits.view_audit", audit_id=audit_id, _anchor="comments"))
    return render_template("audits/comments.html", audit=audit, form=form)


@bp.post("/alerts/<int:alert_id>/seen")
@requires(Action.ACKNOWLEDGE_ALERT)
def acknowledge(alert_id: int) -> HTTPResponse:
    alert = get_or_404(Alert, alert_id, Action.ACKNOWLEDGE_ALERT)
    audit_id = alert.audit_id

    def work() -> None:
        acknowledge_alert(get_or_404(Alert, alert_id, Action.ACKNOWLEDGE_ALERT), current_user)

    run_write_transaction(work)
    flash(f"You have marked alert {alert_id} as seen.")
    return redirect(url_for("audits.view_audit", audit_id=audit_id))
