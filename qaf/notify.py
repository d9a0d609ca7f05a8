"""GOV.UK Notify: email and text messages sent through Notify's official client, and their delivery read back.

Templates live in Notify; QAF writes the words. The email template is ``((body))`` under the
subject ``((subject))``, the text message template ``((body))``, so one template of each kind
carries every message QAF sends (their ids are ``NOTIFY_TEMPLATE_EMAIL`` and ``NOTIFY_TEMPLATE_SMS``).

Each message goes with the reference ``qaf-outbox-<id>``: before trying a message again QAF asks
Notify for that reference, so a message Notify took before a worker died, or before an answer
was lost, is recorded as sent rather than sent twice.
"""

from collections.abc import Mapping
from typing import Any

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

# Notify's statuses after which nothing changes.
FINAL_STATUSES = frozenset({"delivered", "permanent-failure", "temporary-failure", "technical-failure"})


class SendFailed(Exception):
    """Notify did not take the message: ``permanent`` when trying again cannot help (a bad number or key)."""

    def __init__(self, reason: str, *, permanent: bool):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def sends_email(config: Mapping[str, Any]) -> bool:
    return bool(config["NOTIFY_API_KEY"] and config["NOTIFY_TEMPLATE_EMAIL"])


def sends_text_messages(config: Mapping[str, Any]) -> bool:
    return bool(config["NOTIFY_API_KEY"] and config["NOTIFY_TEMPLATE_SMS"])


def reference(message_id: int) -> str:
    return f"qaf-outbox-{message_id}"


def _reason(error: APIError) -> str:
    message = error.message
    if isinstance(message, list):
        message = "; ".join(f"{item.get('error', '')}: {item.get('message', '')}" for item in message)
    return f"Notify answered {error.status_code}: {message}"


class NotifySender:
    """One worker's connection to Notify (the client is not thread-safe: one per delivery run)."""

    def __init__(self, config: Mapping[str, Any]):
        self._config = config
        self._client = NotificationsAPIClient(  # type: ignore[no-untyped-call]  # the client has no type hints
            config["NOTIFY_API_KEY"], base_url=config["NOTIFY_BASE_URL"], timeout=config["NOTIFY_TIMEOUT_SECONDS"]
        )

    def send(self, message_id: int, channel: str, recipient: str, subject: str, body: str) -> str:
        """Hand the message to Notify; answers Notify's id for it, or raises SendFailed."""
        try:
            if channel == "sms":
                answer = self._client.send_sms_notification(  # type: ignore[no-untyped-call]
                    recipient, self._config["NOTIFY_TEMPLATE_SMS"], {"body": body}, reference=reference(message_id)
                )
            else:
                answer = self._client.send_email_notification(  # type: ignore[no-untyped-call]
                    recipient,
                    self._config["NOTIFY_TEMPLATE_EMAIL"],
                    {"subject": subject, "body": body},
                    reference=reference(message_id),
                )
        except APIError as error:
            # 400 (a number or address Notify refuses, a template it does not have) and 403 (a bad key) come
            # back the same however often they are tried; 429 (limits) and 5xx (503: no connection) pass.
            status = error.status_code
            raise SendFailed(_reason(error), permanent=400 <= status < 500 and status != 429) from error
        return str(answer["id"])

    def already_sent(self, message_id: int) -> str | None:
        """Notify's id for a message it already took under this message's reference, if any."""
        try:
            answer = self._client.get_all_notifications(reference=reference(message_id))  # type: ignore[no-untyped-call]
        except APIError as error:
            raise SendFailed(_reason(error), permanent=False) from error
        found = answer.get("notifications") or []
        return str(found[0]["id"]) if found else None

    def status(self, notify_id: str) -> str | None:
        """What Notify last knew of a message: created, sending, delivered, permanent-failure..."""
        try:
            answer = self._client.get_notification_by_id(notify_id)  # type: ignore[no-untyped-call]
        except APIError:
            return None
        return str(answer.get("status") or "") or None
