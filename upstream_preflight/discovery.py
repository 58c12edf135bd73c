"""What the target project really has, found where projects put it: the metrics module, the
Celery monitoring module, the Celery app and its broker.

Nothing here assumes our own names. A module that PREFLIGHT names explicitly is judged as
named; a module found by convention (`<top>.metrics` beside the settings package) is judged
only when it exists, since a project with other names is not at fault for not having ours.
The Celery app is found the way `celery -A` finds it, in the places Celery's documentation and
the common templates use. Only modules that exist on disk are imported.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CELERY_LAYOUTS = ("celery", "celery_app", "tasks.celery", "taskapp.celery")
"""Modules, relative to a project package, where projects put their Celery app."""
MAX_SCANNED_PACKAGES = 50
CELERY_DEFAULT_BROKER_HOSTS = ("localhost", "127.0.0.1")


class AppLoadError(Exception):
    """The configured (or discovered) Celery app cannot be loaded; the message says why."""


@dataclass(frozen=True)
class ModuleChoice:
    """The module a check judges, and how it was chosen."""

    name: str | None
    """None when nothing is named and no package to look in is known."""
    key: str
    """The PREFLIGHT key that names it, for messages that say how to change it."""
    explicit: bool
    """Named in PREFLIGHT (judged even when missing) rather than found by convention."""

    def exists(self) -> bool:
        return self.name is not None and module_exists(self.name)

    def judged(self) -> bool:
        """Whether a check should import and judge it: named, or found where we looked."""
        return self.name is not None and (self.explicit or self.exists())

    @property
    def how_to_change(self) -> str:
        return f"PREFLIGHT['{self.key}']"


def settings_module() -> str | None:
    from django.conf import settings

    return getattr(settings, "SETTINGS_MODULE", None) or os.environ.get("DJANGO_SETTINGS_MODULE")


def top_package(module: str | None = None) -> str | None:
    """The first dotted part of the settings module: `config` for config.settings.production."""
    module = module if module is not None else settings_module()
    return module.split(".")[0] if module else None


def convention_module(configured: str | None, key: str, suffix: str) -> ModuleChoice:
    if configured:
        return ModuleChoice(configured, key, True)
    top = top_package()
    return ModuleChoice(f"{top}.{suffix}" if top else None, key, False)


def metrics_module(configured: str | None) -> ModuleChoice:
    return convention_module(configured, "METRICS_MODULE", "metrics")


def celery_monitoring_module(configured: str | None) -> ModuleChoice:
    return convention_module(configured, "CELERY_MONITORING_MODULE", "celery_monitoring")


def module_exists(name: str) -> bool:
    """Whether `name` can be found, importing at most its parent packages."""
    if name in sys.modules:
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
    except Exception:  # a parent package that raises on import: importing `name` will too
        return True


def settings_file(module: str | None = None) -> str:
    """The settings module as a path relative to its project (`config/settings/production.py`)
    for messages; the dotted name when its file is unknown."""
    module = module if module is not None else settings_module()
    if not module:
        return "your settings module"
    loaded = sys.modules.get(module)
    path = getattr(loaded, "__file__", None)
    root = project_root(module)
    if path and root is not None:
        try:
            return Path(path).resolve().relative_to(root).as_posix()
        except ValueError:
            pass
    return module


def settings_file_defining(setting: str) -> str:
    """The settings file that assigns `setting` (`config/settings/base.py` when production.py
    star-imports it from there), for fix texts; the settings module's file when unknown."""
    from django.conf import settings

    module = settings_module()
    value = getattr(settings, setting, None)
    if not module or value is None:
        return settings_file(module)
    package = module.rpartition(".")[0]
    siblings = [name for name in list(sys.modules) if package and name.startswith(f"{package}.")]
    candidates = [module, *sorted(siblings)]
    assignment = re.compile(rf"^{re.escape(setting)}\s*(?::[^=]*)?=", re.MULTILINE)
    for name in dict.fromkeys(candidates):
        loaded = sys.modules.get(name)
        path = getattr(loaded, "__file__", None)
        if getattr(loaded, setting, None) is not value or not path:
            continue
        try:
            if assignment.search(Path(path).read_text(encoding="utf-8", errors="replace")):
                return settings_file(name)
        except OSError:
            continue
    return settings_file(module)


def project_root(module: str | None = None) -> Path | None:
    """The folder that holds the settings module's top package (where manage.py usually is)."""
    top = top_package(module)
    if not top:
        return None
    loaded = sys.modules.get(top)
    spec = getattr(loaded, "__spec__", None)
    if spec is None:
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            return None
    for location in getattr(spec, "submodule_search_locations", None) or ():
        return Path(location).resolve().parent
    return None


# --- Celery -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CeleryAppFound:
    app: Any
    """The Celery instance, or None when no app was configured or found."""
    path: str | None
    """`module:attribute` it was found at."""
    source: str
    """How: "PREFLIGHT['CELERY_APP']", "CELERY_APP environment variable", "found", or ""."""


def find_celery_app(configured: str | None) -> CeleryAppFound:
    """The target's Celery app: PREFLIGHT['CELERY_APP'], the CELERY_APP environment variable,
    else the first candidate module that exists and holds a Celery app. Raises AppLoadError
    when a named app, or a candidate module that exists, cannot be loaded."""
    if configured:
        return CeleryAppFound(*_named_app(configured), "PREFLIGHT['CELERY_APP']")
    from_env = os.environ.get("CELERY_APP", "").strip()
    if from_env:
        return CeleryAppFound(*_named_app(from_env), "CELERY_APP environment variable")
    for module in celery_candidates():
        app = _app_in_module(module)
        if app is not None:
            return CeleryAppFound(app, _app_path(module, app), "found")
    return CeleryAppFound(None, None, "")


def celery_candidates() -> list[str]:
    """Modules that exist and may hold the app, most likely first: the top package and the
    package that holds the settings (as `celery -A <pkg>` would search them), their usual
    Celery modules, then the same modules in the other packages of the project folder."""
    module = settings_module()
    if not module:
        return []
    own = [top_package(module) or ""]
    parts = module.split(".")
    if len(parts) > 2:  # config.settings.production: the package that holds `settings`
        own.append(".".join(parts[:-2]))
    own = list(dict.fromkeys(p for p in own if p))
    root = project_root(module)
    others = [p for p in _packages_in(root) if p not in own] if root is not None else []
    found = [
        f"{package}.{layout}"
        for package in [*own, *others]
        for layout in CELERY_LAYOUTS
        if _module_file_mentions_celery(f"{package}.{layout}", root)
    ]
    return list(dict.fromkeys([*own, *found]))


def _packages_in(root: Path) -> list[str]:
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return []
    packages = [
        entry.name
        for entry in entries
        if entry.is_dir() and entry.name.isidentifier() and (entry / "__init__.py").is_file()
    ]
    return packages[:MAX_SCANNED_PACKAGES]


def _module_file_mentions_celery(name: str, root: Path | None) -> bool:
    """Whether `name` exists as a file under `root` that mentions Celery (checked on disk
    first, so that no module is imported only to find it is unrelated)."""
    if root is None:
        return False
    path = root.joinpath(*name.split(".")).with_suffix(".py")
    try:
        return path.is_file() and "Celery" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _app_in_module(module: str) -> Any:
    """The Celery app `celery -A module` would use, or None when the module holds none."""
    from celery import Celery
    from celery.app.utils import find_app

    if not module_exists(module):
        return None
    try:
        found = find_app(module, imp=importlib.import_module)
    except (AttributeError, ModuleNotFoundError) as exc:
        missing = getattr(exc, "name", None)
        if isinstance(exc, ModuleNotFoundError) and missing and not module.startswith(missing):
            raise AppLoadError(f"importing {module} failed: module {missing} not found") from exc
        return None
    except Exception as exc:
        raise AppLoadError(f"importing {module} raised {type(exc).__name__}") from exc
    return found if isinstance(found, Celery) else None


def _app_path(module: str, app: Any) -> str:
    """`module:attribute` where the app stands (`proj.celery:app`, not `proj:celery.app`,
    when `celery -A proj` found it in proj/celery.py)."""
    for owner_name in (f"{module}.celery", module):
        owner = sys.modules.get(owner_name)
        for attr, value in (vars(owner) if owner is not None else {}).items():
            if value is app:
                return f"{owner_name}:{attr}"
    return f"{module}:app"


def _named_app(path: str) -> tuple[Any, str]:
    """Load an app named as `pkg.module:app`, `pkg.module.app` or `pkg` (Celery's -A forms)."""
    from celery import Celery
    from celery.app.utils import find_app

    try:
        found = find_app(path, imp=importlib.import_module)
    except ModuleNotFoundError as exc:
        raise AppLoadError(f"{path}: module {exc.name} not found") from exc
    except AttributeError as exc:
        raise AppLoadError(f"{path}: no Celery app there ({exc})") from exc
    except Exception as exc:
        raise AppLoadError(f"importing {path} raised {type(exc).__name__}") from exc
    if not isinstance(found, Celery):
        raise AppLoadError(f"{path} is a {type(found).__name__}, not a Celery app")
    return found, path


def app_broker_url(app: Any) -> str:
    """The broker URL the app is configured with; "" for Celery's built-in default."""
    if app is None:
        return ""
    try:
        url = app.conf.broker_url or app.conf.broker_write_url
    except Exception:
        return ""
    if isinstance(url, list | tuple):
        url = ";".join(str(u) for u in url if u)
    return str(url).strip() if url else ""
