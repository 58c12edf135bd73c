"""`security` stage: DEBUG, SECRET_KEY, ALLOWED_HOSTS, each reported by one stage only."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.stage_helpers import ALL_STAGES, codes_of, make_ctx, only, rendered
from upstream_preflight.stages import security as stage

GOOD_KEY = "q8#Vd2!mZ0r@Lx7$Kp4^Nw9&Ty3*Hb6(Jc1)Gf5_Rs-Ue=Oa+Ii[Pl]Mk{Nj}Bh"


def test_baseline_passes_with_notes() -> None:
    output = stage.run(make_ctx())
    assert codes_of(output) == []
    assert "DEBUG disabled" in output.notes
    assert "Custom SECRET_KEY configured" in output.notes


@override_settings(DEBUG=True)
def test_debug_enabled() -> None:
    assert codes_of(stage.run(make_ctx())) == ["preflight.E701"]
    covered = stage.run(make_ctx(deploy=True))
    assert codes_of(covered) == []
    assert any("security.W018" in note for note in covered.notes)
    without_django = stage.run(make_ctx(deploy=True, selected=ALL_STAGES - {"django"}))
    assert codes_of(without_django) == ["preflight.E701"]


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("short-key", "fewer than 50"),
        ("ab" * 30, "distinct characters"),
        ("django-insecure-" + GOOD_KEY, "django-insecure-"),
        ("changeme-" + GOOD_KEY, "placeholder"),
    ],
)
def test_weak_secret_key(key: str, why: str) -> None:
    with override_settings(SECRET_KEY=key):
        output = stage.run(make_ctx())
        [error] = only(output, "preflight.E702")
        assert why in error.message
        assert key not in rendered(output)
        assert codes_of(stage.run(make_ctx(deploy=True))) == []
    with override_settings(SECRET_KEY=GOOD_KEY):
        assert codes_of(stage.run(make_ctx())) == []


def test_empty_secret_key() -> None:
    with override_settings(SECRET_KEY=""):
        [error] = only(stage.run(make_ctx()), "preflight.E702")
    assert "empty" in error.message


@override_settings(SECRET_KEY=GOOD_KEY, SECRET_KEY_FALLBACKS=["old-and-short"])
def test_weak_fallback_key() -> None:
    [error] = only(stage.run(make_ctx()), "preflight.E702")
    assert error.obj == "SECRET_KEY_FALLBACKS[0]"


@override_settings(ALLOWED_HOSTS=["*"])
def test_allowed_hosts_reported_only_without_monitoring_stage() -> None:
    beside_e012 = stage.run(make_ctx())
    assert codes_of(beside_e012) == []
    assert "ALLOWED_HOSTS: *" not in beside_e012.notes  # never shown as a plain fact beside E012
    assert any("monitoring.E012" in note for note in beside_e012.notes)
    alone = stage.run(make_ctx(selected=ALL_STAGES - {"monitoring"}))
    assert codes_of(alone) == ["monitoring.E012"]
    with override_settings(ALLOWED_HOSTS=["app.upstream.cx"]):
        output = stage.run(make_ctx(selected=ALL_STAGES - {"monitoring"}))
    assert codes_of(output) == []
    assert "ALLOWED_HOSTS: app.upstream.cx" in output.notes
