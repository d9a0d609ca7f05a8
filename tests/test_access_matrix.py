"""Every route against every kind of visitor: anonymous, each role, and someone from another team.

The table is written out by hand and must cover the URL map exactly, so a new route
without a row here fails this test.
"""

from datetime import date

import pytest

from tests.conftest import ClientRequest

WHO = ("anonymous", "practitioner", "auditor", "service_manager", "qa_admin", "other_auditor")

OPEN = dict.fromkeys(WHO, 200)
STAFF = {who: (302 if who == "anonymous" else 200) for who in WHO}
ADMIN = {who: {"anonymous": 302, "qa_admin": 200}.get(who, 403) for who in WHO}
ADMIN_POST = {who: {"anonymous": 302, "qa_admin": 302}.get(who, 403) for who in WHO}
SIGN_IN_PAGE = {who: (200 if who == "anonymous" else 302) for who in WHO}
AUDITORS = {
    "anonymous": 302,
    "practitioner": 403,
    "auditor": 200,
    "service_manager": 200,
    "qa_admin": 200,
    "other_auditor": 200,
}
# The audits below are of Priya (practitioner) in Ashford, by Alex (auditor); Olu is in another service.
SEES_AUDIT = {
    "anonymous": 302,
    "practitioner": 200,
    "auditor": 200,
    "service_manager": 200,
    "qa_admin": 200,
    "other_auditor": 403,
}
EDITS_DRAFT = {
    "anonymous": 302,
    "practitioner": 403,
    "auditor": 200,
    "service_manager": 403,
    "qa_admin": 403,
    "other_auditor": 403,
}
# A draft Olu (other_auditor, Thanet) started on an Ashford case he was never allocated, before audits
# were limited to the auditor's scope: nobody may save or submit it.
NOBODY_EDITS = {who: (302 if who == "anonymous" else 403) for who in WHO}
MODERATES = {
    "anonymous": 302,
    "practitioner": 403,
    "auditor": 403,
    "service_manager": 200,
    "qa_admin": 200,
    "other_auditor": 403,
}
# Priya comments on the audits of her work, and Alex, their auditor, answers, until they are moderated.
COMMENTS = {
    "anonymous": 302,
    "practitioner": 200,
    "auditor": 200,
    "service_manager": 403,
    "qa_admin": 403,
    "other_auditor": 403,
}
# An audit by Alex of a case that is not Priya's: hidden from her.
SEES_OTHERS_AUDIT = SEES_AUDIT | {"practitioner": 403}
COMMENTS_ON_OTHERS = COMMENTS | {"practitioner": 403}
# The submitted audit's alert went to Alex (Priya's line manager) and Sam (service manager): each marks it seen.
ACKNOWLEDGES_ALERT = {
    "anonymous": 302,
    "practitioner": 403,
    "auditor": 302,
    "service_manager": 302,
    "qa_admin": 403,
    "other_auditor": 403,
}
RAISES_ACTION = {
    "anonymous": 302,
    "practitioner": 403,
    "auditor": 200,
    "service_manager": 200,
    "qa_admin": 200,
    "other_auditor": 403,
}

# Team summaries: team managers go to their own team's; Ashford's is seen by its manager and service manager.
TEAM_SUMMARIES = {
    "anonymous": 302,
    "practitioner": 403,
    "auditor": 302,
    "service_manager": 200,
    "qa_admin": 200,
    "other_auditor": 302,
}
SEES_TEAM = RAISES_ACTION
# An invitation Priya (practitioner) made in Ashford: she and the managers of Ashford may cancel or re-issue it.
CHANGES_INVITATION = SEES_AUDIT
CANCELS_INVITATION = {who: (403 if status == 403 else 302) for who, status in SEES_AUDIT.items()}

# The QA programme: managers see the schedule; the work is Alex's (auditor); the peer review is of an
# audit by Alex, given to Olu (other_auditor), settled by a moderator who is neither.
VIEWS_PROGRAMME = {who: {"anonymous": 302, "service_manager": 200, "qa_admin": 200}.get(who, 403) for who in WHO}
RECORDS_WORK = {who: {"anonymous": 302, "auditor": 200, "qa_admin": 200}.get(who, 403) for who in WHO}
STARTS_OWN_ALLOCATION = {who: {"anonymous": 302, "auditor": 302}.get(who, 403) for who in WHO}
SETTLES_PEER_REVIEW = VIEWS_PROGRAMME
# Early Help Units' group moderation, of an evaluation by Alex: the QA team and Sam, its service manager.
RUNS_GROUP_MODERATION = VIEWS_PROGRAMME
# Its evaluation is chosen already: choosing again goes to it.
CHOOSES_AGAIN = {
    who: {"service_manager": 302, "qa_admin": 302}.get(who, status) for who, status in VIEWS_PROGRAMME.items()
}

# (method, rule, URL to request) -> expected status for each visitor.
MATRIX = [
    ("GET", "/", "/", OPEN),
    ("GET", "/healthz", "/healthz", OPEN),
    ("GET", "/readyz", "/readyz", OPEN),
    ("GET", "/privacy", "/privacy", OPEN),
    ("GET", "/accessibility", "/accessibility", OPEN),
    ("GET", "/healthz", "/healthz", OPEN),
    ("GET", "/readyz", "/readyz", OPEN),
    ("GET", "/feedback/<form_key>", "/feedback/family", OPEN),
    ("GET", "/feedback/<form_key>/thank-you", "/feedback/family/thank-you", OPEN),
    ("GET", "/sign-in", "/sign-in", SIGN_IN_PAGE),
    # Only where passwords are off (tests/auth/test_break_glass.py) and a provider is set (test_council_sign_in.py).
    ("GET", "/sign-in/break-glass", "/sign-in/break-glass", dict.fromkeys(WHO, 404)),
    ("GET", "/sign-in/oidc", "/sign-in/oidc", dict.fromkeys(WHO, 404)),
    ("GET", "/sign-in/oidc/callback", "/sign-in/oidc/callback", dict.fromkeys(WHO, 404)),
    ("POST", "/sign-out", "/sign-out", {who: 302 for who in WHO}),
    ("GET", "/staff", "/staff", STAFF),
    ("POST", "/session/keep-alive", "/session/keep-alive", STAFF),
    ("GET", "/account/change-password", "/account/change-password", STAFF),
    ("GET", "/forgot-password", "/forgot-password", OPEN),
    ("GET", "/set-password/<token>", "/set-password/not-a-real-token", dict.fromkeys(WHO, 404)),
    ("GET", "/sign-in-link", "/sign-in-link", OPEN),
    ("GET", "/sign-in-link/<token>", "/sign-in-link/not-a-real-token", dict.fromkeys(WHO, 404)),
    ("GET", "/admin/audit-log", "/admin/audit-log", ADMIN),
    ("GET", "/admin/outbox", "/admin/outbox", ADMIN),
    ("POST", "/admin/outbox/deliveries", "/admin/outbox/deliveries", ADMIN_POST),
    ("GET", "/admin/voids", "/admin/voids", ADMIN),
    ("GET", "/admin/organisation", "/admin/organisation", ADMIN),
    ("GET", "/admin/services/new", "/admin/services/new", ADMIN),
    ("GET", "/admin/services/<int:service_id>", "/admin/services/{service}", ADMIN),
    ("GET", "/admin/teams/new", "/admin/teams/new", ADMIN),
    ("GET", "/admin/teams/<int:team_id>", "/admin/teams/{team}", ADMIN),
    ("GET", "/admin/people", "/admin/people", ADMIN),
    ("GET", "/admin/people/new", "/admin/people/new", ADMIN),
    ("GET", "/admin/people/import", "/admin/people/import", ADMIN),
    ("GET", "/admin/people/<int:user_id>", "/admin/people/{person}", ADMIN),
    ("POST", "/admin/people/<int:user_id>/deactivate", "/admin/people/{person}/deactivate", ADMIN_POST),
    ("POST", "/admin/people/<int:user_id>/reactivate", "/admin/people/{person}/reactivate", ADMIN_POST),
    (
        "POST",
        "/admin/people/<int:user_id>/send-set-password-link",
        "/admin/people/{person}/send-set-password-link",
        ADMIN_POST,
    ),
    ("GET", "/audits", "/audits", STAFF),
    ("GET", "/audits/new", "/audits/new", AUDITORS),
    ("GET", "/audits/<int:audit_id>/edit", "/audits/{draft}/edit", EDITS_DRAFT),
    ("GET", "/audits/<int:audit_id>/edit", "/audits/{stray_draft}/edit", NOBODY_EDITS),
    ("POST", "/audits/<int:audit_id>/autosave", "/audits/{draft}/autosave", EDITS_DRAFT),
    ("POST", "/audits/<int:audit_id>/autosave", "/audits/{stray_draft}/autosave", NOBODY_EDITS),
    ("GET", "/audits/<int:audit_id>", "/audits/{submitted}", SEES_AUDIT),
    ("GET", "/audits/<int:audit_id>", "/audits/{not_hers}", SEES_OTHERS_AUDIT),
    ("GET", "/audits/<int:audit_id>/comments", "/audits/{draft}/comments", COMMENTS),
    ("GET", "/audits/<int:audit_id>/comments", "/audits/{submitted}/comments", COMMENTS),
    ("GET", "/audits/<int:audit_id>/comments", "/audits/{not_hers}/comments", COMMENTS_ON_OTHERS),
    ("POST", "/alerts/<int:alert_id>/seen", "/alerts/{alert}/seen", ACKNOWLEDGES_ALERT),
    ("GET", "/audits/<int:audit_id>/moderate", "/audits/{submitted}/moderate", MODERATES),
    ("GET", "/audits/<int:audit_id>/actions/new", "/audits/{submitted}/actions/new", RAISES_ACTION),
    ("GET", "/actions", "/actions", STAFF),
    ("GET", "/actions/<int:action_id>", "/actions/{action}", SEES_AUDIT),
    ("GET", "/actions/tracker", "/actions/tracker", ADMIN),
    ("GET", "/i/<token>", "/i/not-a-real-invitation-token-at-all", dict.fromkeys(WHO, 404)),
    ("GET", "/feedback/<form_key>/rounds/<int:round_id>", "/feedback/partner/rounds/{round}", OPEN),
    ("GET", "/invitations", "/invitations", STAFF),
    ("GET", "/invitations/new", "/invitations/new", STAFF),
    ("GET", "/invitations/bulk", "/invitations/bulk", STAFF),
    ("GET", "/invitations/<int:invitation_id>", "/invitations/{invitation}", CHANGES_INVITATION),
    ("POST", "/invitations/<int:invitation_id>/cancel", "/invitations/{invitation}/cancel", CANCELS_INVITATION),
    ("POST", "/invitations/<int:invitation_id>/reissue", "/invitations/{invitation}/reissue", CHANGES_INVITATION),
    # A closed case of Ashford listed for post-closure feedback: anyone working in Ashford makes its link.
    (
        "POST",
        "/invitations/post-closure/<int:due_id>",
        "/invitations/post-closure/{post_closure_due}",
        CHANGES_INVITATION,
    ),
    ("GET", "/admin/rounds", "/admin/rounds", ADMIN),
    ("GET", "/admin/rounds/new", "/admin/rounds/new", ADMIN),
    ("GET", "/admin/rounds/<int:round_id>", "/admin/rounds/{round}", ADMIN),
    ("GET", "/admin/rounds/<int:round_id>/edit", "/admin/rounds/{round}/edit", ADMIN),
    ("POST", "/admin/rounds/<int:round_id>/close", "/admin/rounds/{round}/close", ADMIN_POST),
    ("GET", "/admin/rounds/<int:round_id>/delete", "/admin/rounds/{round}/delete", ADMIN),
    ("GET", "/admin/rounds/<int:round_id>/email-partners", "/admin/rounds/{round}/email-partners", ADMIN),
    ("GET", "/admin/rounds/<int:round_id>/email-staff", "/admin/rounds/{wave}/email-staff", ADMIN),
    ("GET", "/admin/partner-contacts", "/admin/partner-contacts", ADMIN),
    ("GET", "/admin/partner-contacts/new", "/admin/partner-contacts/new", ADMIN),
    ("GET", "/admin/partner-contacts/<int:contact_id>", "/admin/partner-contacts/{contact}", ADMIN),
    ("GET", "/admin/partner-contacts/<int:contact_id>/remove", "/admin/partner-contacts/{contact}/remove", ADMIN),
    ("GET", "/admin/partner-contacts/import", "/admin/partner-contacts/import", ADMIN),
    ("GET", "/reports", "/reports", ADMIN),
    ("POST", "/reports/download", "/reports/download", ADMIN),  # the workbook of this quarter
    ("POST", "/reports/download/<form_key>", "/reports/download/family", ADMIN_POST),  # nothing to download
    ("GET", "/reports/response-rates", "/reports/response-rates", ADMIN),
    ("GET", "/reports/teams", "/reports/teams", TEAM_SUMMARIES),
    ("GET", "/reports/teams/<int:team_id>", "/reports/teams/{team}", SEES_TEAM),
    ("GET", "/programme", "/programme", VIEWS_PROGRAMME),
    ("GET", "/programme/activities/new", "/programme/activities/new", ADMIN),
    ("GET", "/programme/activities/<int:activity_id>", "/programme/activities/{activity}", VIEWS_PROGRAMME),
    ("GET", "/programme/activities/<int:activity_id>/edit", "/programme/activities/{activity}/edit", ADMIN),
    (
        "GET",
        "/programme/activities/<int:activity_id>/samples/new",
        "/programme/activities/{activity}/samples/new",
        ADMIN,
    ),
    ("GET", "/programme/work/<int:work_id>", "/programme/work/{work}", RECORDS_WORK),
    ("GET", "/programme/assigned", "/programme/assigned", STAFF),
    ("GET", "/programme/cases", "/programme/cases", ADMIN),
    ("GET", "/programme/cases/import", "/programme/cases/import", ADMIN),
    ("GET", "/programme/cases/headings", "/programme/cases/headings", ADMIN),
    ("GET", "/programme/cases/post-closure", "/programme/cases/post-closure", ADMIN),
    ("GET", "/programme/cases/imports/<int:import_id>", "/programme/cases/imports/{case_import}", ADMIN),
    # The import left nothing out: the QA team is sent back to it.
    (
        "GET",
        "/programme/cases/imports/<int:import_id>/close-left-out",
        "/programme/cases/imports/{case_import}/close-left-out",
        ADMIN_POST,
    ),
    (
        "POST",
        "/programme/cases/imports/<int:import_id>/close-left-out",
        "/programme/cases/imports/{case_import}/close-left-out",
        ADMIN_POST,
    ),
    ("GET", "/programme/samples/<int:sample_id>", "/programme/samples/{sample}", ADMIN),
    ("POST", "/programme/samples/<int:sample_id>/allocate", "/programme/samples/{sample}/allocate", ADMIN_POST),
    ("GET", "/programme/allocations", "/programme/allocations", ADMIN),
    ("GET", "/programme/allocations/<int:allocation_id>", "/programme/allocations/{allocation}", ADMIN),
    ("POST", "/programme/allocations/move", "/programme/allocations/move", ADMIN),  # nothing ticked: the list again
    (
        "POST",
        "/programme/allocations/<int:allocation_id>/start",
        "/programme/allocations/{allocation}/start",
        STARTS_OWN_ALLOCATION,
    ),
    ("GET", "/programme/auditors", "/programme/auditors", ADMIN),
    ("GET", "/programme/auditors/<int:user_id>", "/programme/auditors/{person}", ADMIN),
    ("GET", "/programme/peer-reviews", "/programme/peer-reviews", VIEWS_PROGRAMME),
    ("GET", "/programme/peer-reviews/new", "/programme/peer-reviews/new", ADMIN),
    ("GET", "/programme/peer-reviews/<int:review_id>", "/programme/peer-reviews/{peer_review}", SETTLES_PEER_REVIEW),
    ("GET", "/programme/group-moderation", "/programme/group-moderation", VIEWS_PROGRAMME),
    (
        "GET",
        "/programme/group-moderation/<int:service_id>/choose",
        "/programme/group-moderation/{service}/choose",
        CHOOSES_AGAIN,
    ),
    (
        "GET",
        "/programme/group-moderation/<int:moderation_id>",
        "/programme/group-moderation/{group_moderation}",
        RUNS_GROUP_MODERATION,
    ),
    ("GET", "/programme/thematic", "/programme/thematic", VIEWS_PROGRAMME),
    ("GET", "/programme/thematic/new", "/programme/thematic/new", ADMIN),
    ("GET", "/programme/thematic/<int:thematic_id>", "/programme/thematic/{thematic}", VIEWS_PROGRAMME),
    ("GET", "/programme/thematic/<int:thematic_id>/edit", "/programme/thematic/{thematic}/edit", ADMIN),
    ("GET", "/programme/thematic/<int:thematic_id>/findings", "/programme/thematic/{thematic}/findings", ADMIN),
    (
        "GET",
        "/programme/thematic/<int:thematic_id>/samples/new",
        "/programme/thematic/{thematic}/samples/new",
        ADMIN,
    ),
    ("GET", "/programme/thematic/<int:thematic_id>/summary", "/programme/thematic/{thematic}/summary", VIEWS_PROGRAMME),
    (
        "GET",
        "/programme/thematic/<int:thematic_id>/actions/new",
        "/programme/thematic/{thematic}/actions/new",
        ADMIN,
    ),
    ("GET", "/complaints", "/complaints", STAFF),
    ("GET", "/complaints/new", "/complaints/new", STAFF),
    (
        "GET",
        "/complaints/<int:complaint_id>/edit",
        "/complaints/{complaint}/edit",
        RAISES_ACTION | {"practitioner": 200},
    ),
    ("POST", "/complaints/download", "/complaints/download", ADMIN),
    # The form editor: a draft of the training form (also published once) and one of an audit template.
    ("GET", "/admin/forms", "/admin/forms", ADMIN),
    ("GET", "/admin/forms/<form_key>", "/admin/forms/family", ADMIN),
    ("GET", "/admin/forms/<form_key>/draft", "/admin/forms/training/draft", ADMIN),
    ("GET", "/admin/forms/<form_key>/draft/details", "/admin/forms/training/draft/details", ADMIN),
    ("GET", "/admin/forms/<form_key>/draft/sections/new", "/admin/forms/training/draft/sections/new", ADMIN),
    (
        "GET",
        "/admin/forms/<form_key>/draft/sections/<int(min=0):section>",
        "/admin/forms/training/draft/sections/0",
        ADMIN,
    ),
    (
        "POST",
        "/admin/forms/<form_key>/draft/sections/<int(min=0):section>/move",
        "/admin/forms/training/draft/sections/0/move",
        ADMIN_POST,
    ),
    (
        "GET",
        "/admin/forms/<form_key>/draft/sections/<int(min=0):section>/remove",
        "/admin/forms/training/draft/sections/0/remove",
        ADMIN,
    ),
    (
        "GET",
        "/admin/forms/<form_key>/draft/sections/<int(min=0):section>/condition",
        "/admin/forms/training/draft/sections/0/condition",
        ADMIN,
    ),
    (
        "GET",
        "/admin/forms/<form_key>/draft/sections/<int(min=0):section>/questions/new",
        "/admin/forms/training/draft/sections/0/questions/new",
        ADMIN,
    ),
    (
        "GET",
        "/admin/forms/<form_key>/draft/sections/<int(min=0):section>/questions/new/<type_name>",
        "/admin/forms/training/draft/sections/0/questions/new/text",
        ADMIN,
    ),
    (
        "GET",
        "/admin/forms/<form_key>/draft/sections/<int(min=0):section>/questions/<int(min=0):question>",
        "/admin/forms/training/draft/sections/0/questions/0",
        ADMIN,
    ),
    (
        "GET",
        "/admin/forms/<form_key>/draft/sections/<int(min=0):section>/questions/<int(min=0):question>/type",
        "/admin/forms/training/draft/sections/0/questions/0/type",
        ADMIN,
    ),
    (
        "POST",
        "/admin/forms/<form_key>/draft/sections/<int(min=0):section>/questions/<int(min=0):question>/move",
        "/admin/forms/training/draft/sections/0/questions/0/move",
        ADMIN_POST,
    ),
    (
        "GET",
        "/admin/forms/<form_key>/draft/sections/<int(min=0):section>/questions/<int(min=0):question>/remove",
        "/admin/forms/training/draft/sections/0/questions/0/remove",
        ADMIN,
    ),
    (
        "GET",
        "/admin/forms/<form_key>/draft/sections/<int(min=0):section>/questions/<int(min=0):question>/condition",
        "/admin/forms/training/draft/sections/0/questions/1/condition",
        ADMIN,
    ),
    ("GET", "/admin/forms/<form_key>/draft/alerts/new", "/admin/forms/ehat-quality-audit/draft/alerts/new", ADMIN),
    (
        "GET",
        "/admin/forms/<form_key>/draft/alerts/<int(min=0):alert>",
        "/admin/forms/ehat-quality-audit/draft/alerts/0",
        ADMIN,
    ),
    (
        "POST",
        "/admin/forms/<form_key>/draft/alerts/<int(min=0):alert>/remove",
        "/admin/forms/ehat-quality-audit/draft/alerts/0/remove",
        ADMIN_POST,
    ),
    ("GET", "/admin/forms/<form_key>/draft/check", "/admin/forms/training/draft/check", ADMIN),
    ("GET", "/admin/forms/<form_key>/draft/preview", "/admin/forms/training/draft/preview", ADMIN),
    ("GET", "/admin/forms/<form_key>/draft/publish", "/admin/forms/training/draft/publish", ADMIN),
    ("POST", "/admin/forms/<form_key>/draft/discard", "/admin/forms/training/draft/discard", ADMIN_POST),
    ("GET", "/admin/forms/<form_key>/current.yaml", "/admin/forms/training/current.yaml", ADMIN),
    ("GET", "/admin/forms/<form_key>/draft.yaml", "/admin/forms/training/draft.yaml", ADMIN),
    ("GET", "/admin/forms/<form_key>/versions/<int:number>", "/admin/forms/training/versions/1", ADMIN),
    (
        "POST",
        "/admin/forms/<form_key>/versions/<int:number>/draft",
        "/admin/forms/training/versions/1/draft",
        ADMIN_POST,
    ),
]
# Work about a team, posted by hand: "made" (one record stored), "refused" (the page again with an error,
# nothing stored) or a status with nothing stored. Team managers and practitioners work in their own team
# (Ashford), the service manager in their service (Ashford and Dover), Olu (other_auditor) in Thanet, and
# the QA team anywhere; Olu also has EH-1 in Ashford allocated for a peer review.
MADE_IN_ASHFORD = {
    "anonymous": 302,
    "practitioner": "made",
    "auditor": "made",
    "service_manager": "made",
    "qa_admin": "made",
    "other_auditor": "refused",
}
MADE_IN_DOVER = MADE_IN_ASHFORD | {"practitioner": "refused", "auditor": "refused"}
MADE_IN_THANET = MADE_IN_DOVER | {"service_manager": "refused", "other_auditor": "made"}
NOT_PRACTITIONERS = {"practitioner": 403}
ALLOCATED = {"other_auditor": "made"}


def starts_audit(team: str, case: str = "EH-9") -> dict[str, str]:
    return {"template": "ehat-quality-audit", "case_reference": case, "team": "{" + team + "}", "practitioner": ""}


def logs_complaint(team: str) -> dict[str, str]:
    today = date.today()
    return {
        "kind": "complaint",
        "received_on-day": str(today.day),
        "received_on-month": str(today.month),
        "received_on-year": str(today.year),
        "team": "{" + team + "}",
        "theme": "timeliness",
        "outcome": "in_progress",
        "learning": "",
    }


def invites(team: str) -> dict[str, str]:
    return {"form": "family", "case_reference": "EH-9", "team": "{" + team + "}", "stage": "closure"}


# (URL, what is posted, the model stored, expected for each visitor).
SCOPED_POSTS = [
    ("/audits/new", starts_audit("team"), "Audit", MADE_IN_ASHFORD | NOT_PRACTITIONERS),
    ("/audits/new", starts_audit("team", case="EH-1"), "Audit", MADE_IN_ASHFORD | NOT_PRACTITIONERS | ALLOCATED),
    ("/audits/new", starts_audit("dover"), "Audit", MADE_IN_DOVER | NOT_PRACTITIONERS),
    ("/audits/new", starts_audit("thanet"), "Audit", MADE_IN_THANET | NOT_PRACTITIONERS),
    ("/invitations/new", invites("team"), "Invitation", MADE_IN_ASHFORD),
    ("/invitations/new", invites("dover"), "Invitation", MADE_IN_DOVER),
    ("/invitations/new", invites("thanet"), "Invitation", MADE_IN_THANET),
    ("/complaints/new", logs_complaint("team"), "ComplaintOrCompliment", MADE_IN_ASHFORD),
    ("/complaints/new", logs_complaint("dover"), "ComplaintOrCompliment", MADE_IN_DOVER),
    ("/complaints/new", logs_complaint("thanet"), "ComplaintOrCompliment", MADE_IN_THANET),
]
NOT_FOUND_FOR_ADMIN = [
    "/programme/activities/9999",
    "/programme/work/9999",
    "/programme/samples/9999",
    "/programme/cases/imports/9999",
    "/programme/allocations/9999",
    "/programme/peer-reviews/9999",
    "/programme/group-moderation/9999",
    "/programme/group-moderation/9999/choose",
    "/programme/thematic/9999",
    "/programme/thematic/9999/actions/new",
    "/audits/9999",
    "/audits/9999/edit",
    "/audits/9999/comments",
    "/actions/9999",
    "/admin/rounds/9999",
    "/admin/rounds/9999/edit",
    "/admin/rounds/9999/delete",
    "/admin/rounds/9999/email-partners",
    "/admin/rounds/9999/email-staff",
    "/admin/partner-contacts/9999",
    "/admin/partner-contacts/9999/remove",
    "/invitations/9999",
    "/feedback/partner/rounds/9999",
    "/admin/services/9999",
    "/admin/teams/9999",
    "/admin/people/9999",
    "/complaints/9999/edit",
    "/admin/forms/no-such-form",
    "/admin/forms/family/draft/check",
    "/admin/forms/family/versions/9999",
]


def test_the_matrix_covers_every_route(app):
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(method, rule) for method, rule, _url, _expected in MATRIX}
    # A page's POST is covered by the GET row plus the behaviour tests of that page.
    uncovered = {
        (method, rule) for method, rule in routes if (method, rule) not in covered and ("GET", rule) not in covered
    }
    assert uncovered == set()
    assert covered <= routes


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(("method", "rule", "url", "expected"), MATRIX, ids=[row[1] + " " + row[0] for row in MATRIX])
def test_each_visitor_gets_what_their_role_allows(app, staff, who, method, rule, url, expected):
    ids = make_records(app, staff)
    client = ClientRequest(app.test_client())
    if who != "anonymous":
        client.login(staff[who]["email"])
    target = url.format(**ids)
    response = client.client.open(target, method=method)
    assert response.status_code == expected[who], f"{who} {method} {target}"
    if response.status_code == 302 and who == "anonymous" and rule not in ("/sign-out",):
        assert response.headers["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    ("url", "posted", "model", "expected"),
    SCOPED_POSTS,
    ids=[
        f"{url} {posted['team']} {posted.get('case_reference', '')}" for url, posted, _model, _expected in SCOPED_POSTS
    ],
)
def test_each_visitor_starts_work_only_within_their_scope(app, staff, who, url, posted, model, expected):
    from sqlalchemy import func, select

    from qaf import models
    from qaf.extensions import db

    ids = make_records(app, staff)
    client = ClientRequest(app.test_client())
    if who != "anonymous":
        client.login(staff[who]["email"])

    def stored() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(getattr(models, model)))

    before = stored()
    response = client.client.post(url, data={name: value.format(**ids) for name, value in posted.items()})
    outcome = expected[who]
    if outcome == "made":
        assert response.status_code in (200, 302), f"{who} {url}"
        assert stored() == before + 1, f"{who} {url}: nothing stored"
        return
    if outcome == "refused":
        assert response.status_code == 200, f"{who} {url}"
        assert "govuk-error-summary" in response.get_data(as_text=True), f"{who} {url}: no error summary"
    else:
        assert response.status_code == outcome, f"{who} {url}"
    assert stored() == before, f"{who} {url}: something stored"


def make_records(app, staff) -> dict[str, int]:
    """A service, a team, a draft and a submitted audit of the practitioner, and an action she owns."""
    from datetime import date, timedelta

    from qaf.extensions import db
    from qaf.forms_registry import all_forms
    from qaf.invitations import create_invitation
    from qaf.models import (
        Alert,
        AlertRecipient,
        Audit,
        AuditAction,
        ComplaintOrCompliment,
        FeedbackRound,
        PartnerContact,
        PostClosureDue,
        Service,
        Team,
        User,
    )
    from qaf.responses import ensure_form_version
    from tests.programme.records import programme_records

    with app.app_context():
        version_id = ensure_form_version(all_forms()["family"])
        team = db.session.query(Team).filter_by(slug="ashford-ehu").one()
        common = {
            "form_key": "family",
            "form_version_id": version_id,
            "case_reference": "EH-1",
            "team_id": team.id,
            "practitioner_id": staff["practitioner"]["id"],
            "auditor_id": staff["auditor"]["id"],
        }
        draft, submitted = Audit(**common), Audit(**common, status="submitted")
        stray_draft = Audit(**common | {"case_reference": "EH-9", "auditor_id": staff["other_auditor"]["id"]})
        not_hers = Audit(**common | {"case_reference": "EH-5", "practitioner_id": None}, status="submitted")
        db.session.add_all([draft, submitted, stray_draft, not_hers])
        db.session.flush()
        alert = Alert(audit_id=submitted.id, reasons="Inadequate", concerns="Inadequate practice")
        alert.recipients = [
            AlertRecipient(user_id=staff[who]["id"], email=staff[who]["email"], why=why)
            for who, why in (("auditor", "line manager"), ("service_manager", "service manager"))
        ]
        db.session.add(alert)
        action = AuditAction(
            audit_id=submitted.id,
            action="Do it",
            owner_id=staff["practitioner"]["id"],
            due_date=date.today(),
            created_by_id=staff["auditor"]["id"],
        )
        db.session.add(action)
        partner_round = FeedbackRound(
            form_key="partner", name="This half", opens_on=date.today(), closes_on=date.today() + timedelta(days=30)
        )
        staff_wave = FeedbackRound(
            form_key="staff-survey", name="Spring", opens_on=date.today(), closes_on=date.today() + timedelta(days=30)
        )
        contact = PartnerContact(organisation="Dover School", agency_type="school", email="office@dover.sch.uk")
        db.session.add_all([partner_round, staff_wave, contact])
        programme = programme_records(staff, team)
        complaint = ComplaintOrCompliment(received_on=date.today(), team_id=team.id, kind="compliment", theme="other")
        db.session.add(complaint)
        invitation = create_invitation(
            form_key="family",
            team_id=team.id,
            stage="review",
            case_reference="EH-1",
            by=db.session.get(User, staff["practitioner"]["id"]),
        ).invitation
        db.session.add_all(editor_records(app))
        post_closure_due = PostClosureDue(
            case_reference="EH-7", team_id=team.id, closed_on=date.today(), form_key="closure"
        )
        db.session.add(post_closure_due)
        db.session.commit()
        return {
            "service": db.session.query(Service.id).first()[0],
            "team": team.id,
            "dover": db.session.query(Team.id).filter_by(slug="dover-ehu").scalar(),
            "thanet": db.session.query(Team.id).filter_by(slug="thanet-youth").scalar(),
            "person": staff["practitioner"]["id"],
            "draft": draft.id,
            "stray_draft": stray_draft.id,
            "submitted": submitted.id,
            "not_hers": not_hers.id,
            "alert": alert.id,
            "action": action.id,
            "round": partner_round.id,
            "wave": staff_wave.id,
            "contact": contact.id,
            "complaint": complaint.id,
            "invitation": invitation.id,
            "post_closure_due": post_closure_due.id,
            **programme,
        }


def editor_records(app) -> list[object]:
    """A draft of the training form, which has a published version 1 (as its file), and a draft of an audit template."""
    from qaf.editor.transfer import file_definition
    from qaf.forms_registry import file_forms
    from qaf.formspec.loader import check_definition
    from qaf.models import FormDraft, FormPublication

    training = file_definition(file_forms()["training"]) | {"version": 1}
    audit = file_definition(file_forms()["ehat-quality-audit"])
    digest = check_definition(training, "training").digest
    return [
        FormPublication(form_key="training", number=1, definition=training, digest=digest),
        FormDraft(form_key="training", definition=training, based_on_digest=digest),
        FormDraft(form_key="ehat-quality-audit", definition=audit, based_on_digest=""),
    ]


@pytest.mark.parametrize("url", NOT_FOUND_FOR_ADMIN)
def test_objects_that_do_not_exist_are_not_found(client_request, staff, url):
    client_request.login(staff["qa_admin"]["email"])
    client_request.get(url, _expected_status=404)


def test_templates_show_staff_only_the_links_their_role_allows(client_request, staff):
    client_request.login(staff["auditor"]["email"])
    links = [link["href"] for link in client_request.get("/staff").select("a")]
    assert "/admin/people" not in links
    client_request.post("/sign-out", {})
    client_request.login(staff["qa_admin"]["email"])
    links = [link["href"] for link in client_request.get("/staff").select("a")]
    assert {"/admin/people", "/admin/organisation", "/admin/audit-log"} <= set(links)
