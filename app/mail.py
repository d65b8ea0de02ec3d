"""Messages that carry links out of the app: plain-text email, sent only when a mail
server is configured (``MAIL_SERVER``), and SMS the sender composes on their own phone.

Many installations run without a mail server: every link the app mails is also shown on
screen, ready to copy, so a missing or failing mail server never blocks anyone.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import quote

from flask import Response, current_app


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send(to: str, subject: str, body: str) -> bool:
    """Send one message; False when no mail server is configured or sending failed."""
    config = current_app.config
    if not enabled():
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        # The link is on screen anyway; record the failure without the address (personal data).
        current_app.logger.exception("Sending an email failed")
        return False
    return True


def sms_href(body: str, phone: str | None = None) -> str:
    """An ``sms:`` link that opens the phone's messaging app with ``body`` written in."""
    return f"sms:{phone or ''}?&body={quote(body, safe='')}"


def send_after(response: Response, messages: list[tuple[str, str, str]]) -> None:
    """Send ``(to, subject, body)`` messages once ``response`` has gone out, so how long the mail
    server takes never shows in the answer (a public form must not reveal who was written to)."""
    if not messages or not enabled():
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def send_all() -> None:
        with app.app_context():
            for to, subject, body in messages:
                send(to, subject, body)

    response.call_on_close(send_all)
