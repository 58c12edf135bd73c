"""Option values without pydantic, on Typer 0.28 and later.

Those Typer versions coerce the value of every option through a pydantic `TypeAdapter` built
when the command runs (even for an option that was not given): importing pydantic costs
about 0.1 s of CPU on each `preflight run` and each tab completion, more than the rest of the
command line does, and `manage.py check` pays none of it. The options here all have plain
types (str, bool, float, an Enum, lists of str), for which a coercion without pydantic says
the same: this module gives them one. Any other type, and Typer versions that convert
values with Click's own types (before 0.28), are left as they are.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, get_args, get_origin

import typer

PLAIN: dict[Any, Callable[[Any], Any]] = {str: str, bool: bool, int: int, float: float}


def _named(convert: Callable[[Any], Any], kind: str) -> Callable[[Any], Any]:
    def checked(value: Any) -> Any:
        try:
            return convert(value)
        except (TypeError, ValueError):
            raise ValueError(f"{value!r} is not a valid {kind}.") from None

    return checked


def _converter(annotation: Any) -> Callable[[Any], Any] | None:
    if annotation in PLAIN:
        return _named(PLAIN[annotation], annotation.__name__)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        choices = ", ".join(repr(member.value) for member in annotation)

        def member(value: Any) -> Any:
            try:
                return annotation(value)
            except ValueError:
                raise ValueError(f"{value!r} is not one of {choices}.") from None

        return member
    return None


def _commands(command: Any) -> Iterator[Any]:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def use_plain_coercion(command: Any) -> int:
    """Give each plain-typed parameter of `command` and its subcommands (their help options
    too, which are made when asked for) a coercion that needs no pydantic; returns how many
    got one (0 on Typer before 0.28)."""
    try:
        from typer._coercion import RuntimeParam
    except ImportError:
        return 0

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):  # type: ignore[misc, valid-type]
        convert: Callable[[Any], Any] = str
        many: bool = False

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                if self.many:
                    items = value if isinstance(value, list | tuple) else [value]
                    return [self.convert(item) for item in items]
                return self.convert(value)
            except ValueError as exc:
                raise typer.BadParameter(str(exc), ctx=ctx, param=param) from None

    def give(param: Any) -> bool:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", True) is not None:
            return False
        annotation = descriptor.annotation
        many = get_origin(annotation) is list
        if many and len(get_args(annotation)) != 1:
            return False
        convert = _converter(get_args(annotation)[0] if many else annotation)
        if convert is None:
            return False
        param._runtime_param = PlainRuntimeParam(
            parameter_info=descriptor.parameter_info,
            annotation=annotation,
            convert=convert,
            many=many,
        )
        return True

    def plain_help(get_help_option: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def wrapped(ctx: Any) -> Any:
            option = get_help_option(ctx)
            if option is not None:
                give(option)
            return option

        return wrapped

    given = 0
    for each in _commands(command):
        given += sum(give(param) for param in getattr(each, "params", ()))
        if hasattr(each, "get_help_option"):
            each.get_help_option = plain_help(each.get_help_option)
    return given
