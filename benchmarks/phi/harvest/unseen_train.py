"""The training emitters of the unseen corpus (see `unseen.py`): the libraries' emitters
(`pydantic`, `sentry.events`) in `unseen_train_libs.py`, the servers' (`mariadb`,
`nginx.access`) in `unseen_train_servers.py`."""

from __future__ import annotations

from typing import Any

import unseen_train_libs
import unseen_train_servers

EMITTERS = (*unseen_train_libs.EMITTERS, *unseen_train_servers.EMITTERS)


def collect(seed: int) -> list[dict[str, Any]]:
    return [*unseen_train_libs.collect(seed + 1), *unseen_train_servers.collect(seed + 2)]
