"""The app's culler: a kernel just handed to a page is never culled before the page connects."""

from __future__ import annotations

import asyncio
import datetime as dt
from types import SimpleNamespace

import pytest

from backlib.app_kernels import AppKernelManager

TIMEOUT_S = 60


class Culled(AppKernelManager):
    """The manager with shutdown recorded instead of done (no kernel process here)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.shut: list[str] = []

    async def shutdown_kernel(self, kernel_id, now=False, restart=False):
        self.shut.append(kernel_id)


def _manager_with(kernel_id: str, idle_s: float, connections: int = 0) -> Culled:
    """A manager holding one idle kernel whose last activity was idle_s ago."""
    manager = Culled(cull_idle_timeout=TIMEOUT_S)
    spec = SimpleNamespace(metadata={})
    manager._kernels[kernel_id] = SimpleNamespace(
        kernel_spec=spec,
        kernel_name="python3",
        execution_state="idle",
        last_activity=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=idle_s),
    )
    manager._kernel_connections[kernel_id] = connections
    return manager


def _cull(manager: Culled, kernel_id: str) -> None:
    asyncio.run(manager.cull_kernel_if_idle(kernel_id))


def test_a_kernel_out_of_the_pool_idle_past_the_timeout_gets_the_whole_timeout_to_connect():
    # Preheated ten minutes ago, handed to a page just now: its browser has not connected yet.
    manager = _manager_with("k", idle_s=600)
    _cull(manager, "k")
    assert manager.shut == [], "a kernel just handed to a page must not be culled"
    assert manager._kernels["k"].last_activity > dt.datetime.now(dt.UTC) - dt.timedelta(
        seconds=5
    ), "its idle clock starts when it leaves the pool"
    _cull(manager, "k")
    assert manager.shut == [], "still within the timeout of its hand-out"


def test_a_kernel_whose_page_never_connected_is_culled_after_the_timeout():
    manager = _manager_with("k", idle_s=600)
    _cull(manager, "k")  # first seen: the clock restarts
    manager._kernels["k"].last_activity -= dt.timedelta(seconds=TIMEOUT_S + 1)
    _cull(manager, "k")
    assert manager.shut == ["k"]


@pytest.mark.parametrize("connections", [1, 2])
def test_a_kernel_with_its_page_open_is_never_culled(connections):
    manager = _manager_with("k", idle_s=600, connections=connections)
    _cull(manager, "k")
    manager._kernels["k"].last_activity -= dt.timedelta(seconds=10 * TIMEOUT_S)
    _cull(manager, "k")
    assert manager.shut == []


def test_an_unknown_kernel_is_left_alone():
    manager = Culled(cull_idle_timeout=TIMEOUT_S)
    _cull(manager, "gone")
    assert manager.shut == []
