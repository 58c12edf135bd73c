"""An e-mail backend that logs each message as Django's console backend would print it: the
rendered message (`message().as_bytes()`), line by line, then a line of dashes."""

from __future__ import annotations

import logging

from django.core.mail.backends.console import EmailBackend

log = logging.getLogger("clinic.mail.outbox")


class LoggingBackend(EmailBackend):
    def write_message(self, message) -> None:  # type: ignore[no-untyped-def]
        msg = message.message()
        data = msg.as_bytes()
        charset = msg.get_charset().get_output_charset() if msg.get_charset() else "utf-8"
        for line in data.decode(charset).split("\n"):
            log.info("%s", line)
        log.info("%s", "-" * 79)
