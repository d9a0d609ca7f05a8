"""The stored records, one module per area; import them from here."""

from qaf.models.accounts import PasswordToken, User
from qaf.models.audits import ACTION_STATUSES, ActionChange, Alert, AlertRecipient, Audit, AuditAction, AuditComment
from qaf.models.common import utc_now
from qaf.models.complaints import COMPLAINT_KINDS, COMPLAINT_OUTCOMES, COMPLAINT_THEMES, ComplaintOrCompliment
from qaf.models.feedback_links import FeedbackRound, Invitation
from qaf.models.form_editing import FormDraft, FormPublication
from qaf.models.group_moderation import GroupModeration
from qaf.models.held_answers import HeldAnswers
from qaf.models.organisation import Service, Team
from qaf.models.partners import PartnerContact, RoundEmail
from qaf.models.post_closure import PostClosureDue, PostClosureSetting
from qaf.models.programme import (
    ALLOCATION_STATUSES,
    CASE_IMPORT_STATUSES,
    FREQUENCIES,
    Activity,
    ActivityWork,
    Allocation,
    AuditorQuota,
    Case,
    CaseHeading,
    CaseImport,
    PeerReview,
    ReminderSent,
    Sample,
    SampleCase,
    ThematicEvaluation,
    WorkAudit,
)
from qaf.models.records import AuditEvent, OutboxMessage
from qaf.models.responses import FormVersion, Response, ResponseVoid

__all__ = [
    "ACTION_STATUSES",
    "ALLOCATION_STATUSES",
    "CASE_IMPORT_STATUSES",
    "FREQUENCIES",
    "Activity",
    "ActivityWork",
    "Allocation",
    "AuditorQuota",
    "Case",
    "CaseHeading",
    "CaseImport",
    "PeerReview",
    "PostClosureDue",
    "PostClosureSetting",
    "ReminderSent",
    "Sample",
    "SampleCase",
    "ThematicEvaluation",
    "WorkAudit",
    "ActionChange",
    "COMPLAINT_KINDS",
    "COMPLAINT_OUTCOMES",
    "COMPLAINT_THEMES",
    "ComplaintOrCompliment",
    "Alert",
    "AlertRecipient",
    "Audit",
    "AuditAction",
    "AuditComment",
    "AuditEvent",
    "FeedbackRound",
    "Invitation",
    "FormDraft",
    "FormPublication",
    "FormVersion",
    "GroupModeration",
    "HeldAnswers",
    "OutboxMessage",
    "PartnerContact",
    "PasswordToken",
    "Response",
    "ResponseVoid",
    "RoundEmail",
    "Service",
    "Team",
    "User",
    "utc_now",
]
