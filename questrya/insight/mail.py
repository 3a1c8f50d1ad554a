"""Mail through the server `smtp_url` names, with the standard library: `smtp://` (STARTTLS
when the server offers it) or `smtps://`, logging in when the URL has a user. Its password is
never in a message: a failure names the server by its host and port."""

import smtplib
import socket
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from questrya.insight.domain import DeliveryError

SMTP_PORTS = {"smtp": 25, "smtps": 465}
TIMEOUT = 30.0  # seconds


class SmtpMailer:
    def __init__(self, url: str, sender: str | None = None) -> None:
        parts = urlsplit(url)
        self._tls = parts.scheme == "smtps"
        self._host = parts.hostname or "localhost"
        self._port = parts.port or SMTP_PORTS[parts.scheme]
        self._user = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else ""
        self._sender = sender or _sender(self._user)

    def send(self, to: str, subject: str, text: str) -> None:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(text)
        try:
            with self._connect() as server:
                if self._user is not None:
                    server.login(self._user, self._password)
                server.send_message(message)
        except smtplib.SMTPException as error:
            raise DeliveryError(
                f"the mail server {self._where} refused the digest: {_reason(error)}"
            ) from None
        except OSError as error:  # refused, unreachable, timed out, TLS
            raise DeliveryError(
                f"cannot reach the mail server {self._where}: {error.strerror or error}"
            ) from None

    @property
    def _where(self) -> str:
        return f"{self._host}:{self._port}"

    def _connect(self) -> smtplib.SMTP:
        if self._tls:
            return smtplib.SMTP_SSL(
                self._host, self._port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        server = smtplib.SMTP(self._host, self._port, timeout=TIMEOUT)
        server.ehlo()
        if server.has_extn("starttls"):
            server.starttls(context=ssl.create_default_context())
            server.ehlo()
        return server


def _sender(user: str | None) -> str:
    """The server's user when it is an address, else questrya at this machine."""
    if user is not None and "@" in user:
        return user
    return f"questrya@{socket.gethostname() or 'localhost'}"


def _reason(error: smtplib.SMTPException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        detail = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return f"{error.smtp_code} {detail}"
    return str(error) or type(error).__name__
