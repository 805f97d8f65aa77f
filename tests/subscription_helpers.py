"""A real SMTP server on loopback (aiosmtpd) and an e-mail backend that dies halfway (a crash)."""

import email
import re
import socket
from email import policy

from aiosmtpd.controller import Controller
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class Recorder:
    """aiosmtpd handler: keeps every message; refuses recipients listed in ``refuse``."""

    def __init__(self, refuse=()):
        self.messages = []
        self.refuse = set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (
                list(envelope.rcpt_tos),
                email.message_from_bytes(envelope.original_content, policy=policy.default),
            )
        )
        return "250 Message accepted"

    def to(self, address):
        return [message for rcpt, message in self.messages if address in rcpt]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPServer:
    def __init__(self, refuse=()):
        self.handler = Recorder(refuse)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def text_part(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message):
    return message.get_body(preferencelist=("html",)).get_content()


def link(text, pattern):
    found = re.search(pattern, text)
    assert found, f"no link matching {pattern!r} in:\n{text}"
    return found.group(0)


class Crash(BaseException):
    """Stands for the process being killed: not an Exception, so nothing catches it."""


class CrashOnSecondMessageBackend(LocmemBackend):
    """Delivers (to mail.outbox) the first message it is given, then the process 'dies'."""

    delivered = 0

    def send_messages(self, messages):
        if CrashOnSecondMessageBackend.delivered >= 1:
            raise Crash("killed while sending")
        CrashOnSecondMessageBackend.delivered += len(messages)
        return super().send_messages(messages)
