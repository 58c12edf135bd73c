"""Handler subclasses for the W006 and E006 tests."""

import logging
import logging.handlers


class AppFileHandler(logging.FileHandler):
    """A FileHandler subclass that does not rotate."""


class AppRotatingHandler(logging.handlers.RotatingFileHandler):
    """A rotating subclass: keeps files bounded."""


class QuietHandler(logging.NullHandler):
    """A NullHandler subclass: drops every record, so it needs no PHI filter."""


def file_handler_factory(filename: str) -> logging.Handler:
    return logging.FileHandler(filename, delay=True)
