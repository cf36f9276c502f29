"""Shared pieces of the MCP tests: the harness's Redmine, the `redmine-mcp` binary
and servers started from it, OAuth tokens, and MCP client sessions made with the
official Python SDK.

`cargo xtask test` builds the binary, starts Redmine and runs these tests with
`REDMINE_MCP_BIN` and `REDMINE_HARNESS_ENV` set. Run by hand after
`cargo build -p gateway-bin` and `cargo xtask redmine up`:

    target/py-venv/bin/python -m pytest tests/mcp
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from contextlib import asynccontextmanager
from pathlib import Path

import httpx2
import pytest
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client

import redmine_oauth

REPO = Path(__file__).resolve().parents[2]

# What an OAuth client of these tests asks for: reads and the writes the tests make.
SCOPES = [
    "view_project",
    "search_project",
    "view_members",
    "view_issues",
    "add_issues",
    "edit_issues",
    "add_issue_notes",
    "manage_issue_relations",
]


def harness_env_path() -> Path:
    if "REDMINE_HARNESS_ENV" in os.environ:
        return Path(os.environ["REDMINE_HARNESS_ENV"])
    base = os.environ.get("REDMINE_HARNESS_DIR") or os.path.expanduser("~/.cache/redmine-mcp-harness")
    return Path(base) / "redmine-6.1" / "env.json"


@pytest.fixture(scope="session")
def harness() -> dict:
    path = harness_env_path()
    if not path.exists():
        pytest.fail(f"no harness Redmine described at {path}: run `cargo xtask redmine up` first")
    return json.loads(path.read_text())


def user(harness: dict, role: str) -> dict:
    return next(u for u in harness["users"] if u["role"] == role)


@pytest.fixture(scope="session")
def binary() -> Path:
    path = Path(os.environ.get("REDMINE_MCP_BIN", REPO / "target" / "debug" / "redmine-mcp"))
    if not path.exists():
        pytest.fail(f"no redmine-mcp binary at {path}: run `cargo build -p gateway-bin` first")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(harness: dict) -> dict[str, str]:
    """A clean environment: nothing from the developer's shell leaks into the server."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "REDMINE_URL": harness["base_url"],
        "LOG_LEVEL": "debug",
    }


class Gateway:
    """A `redmine-mcp serve` process on a free loopback port."""

    def __init__(self, binary: Path, harness: dict, workdir: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"serve-{self.port}.log"
        environment = base_env(harness) | {"OPENAPI_SERVER_URL": self.url} | env
        log = self.log_path.open("wb")
        # The working directory is empty so that no `.env` file is picked up.
        self.process = subprocess.Popen(
            [str(binary), "serve", "--bind", f"127.0.0.1:{self.port}"],
            cwd=workdir,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"redmine-mcp serve exited early:\n{self.log()}")
            try:
                if httpx2.get(f"{self.url}/health", timeout=2.0).status_code in (200, 503):
                    return
            except httpx2.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"redmine-mcp serve did not answer within 30 s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("redmine-mcp")


@pytest.fixture(scope="session")
def gateway(binary: Path, harness: dict, workdir: Path):
    """A server that lets requests without credentials through (as anonymous)."""
    server = Gateway(binary, harness, workdir)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def secured_gateway(binary: Path, harness: dict, workdir: Path):
    """A server that requires credentials on every request, with ChatGPT mode on
    (which changes nothing for MCP)."""
    server = Gateway(binary, harness, workdir, CHATGPT_REQUIRE_AUTH="true", CHATGPT_MODE="true")
    yield server
    server.stop()


_tokens: dict[tuple[str, tuple[str, ...]], str] = {}


def oauth_token(harness: dict, role: str, scopes: list[str] = SCOPES) -> str:
    """A real OAuth access token from Redmine for `role`, reused within the run."""
    key = (role, tuple(scopes))
    if key not in _tokens:
        _tokens[key] = redmine_oauth.token_for(harness, role, scopes)
    return _tokens[key]


@asynccontextmanager
async def mcp_session(url: str, headers: dict[str, str] | None = None, negotiate: str = "initialize"):
    """An MCP client session over streamable HTTP, negotiated with `initialize`
    (2025-11-25 handshake) or `discover` (2026-07-28, stateless)."""
    async with httpx2.AsyncClient(headers=headers or {}, timeout=httpx2.Timeout(30.0, read=60.0)) as http:
        async with streamable_http_client(f"{url}/mcp", http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                if negotiate == "initialize":
                    await session.initialize()
                else:
                    await session.discover()
                yield session


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def api_key(key: str) -> dict[str, str]:
    return {"X-Redmine-API-Key": key}


def structured(result) -> dict:
    """The structured content of a successful tool result, failing with its text otherwise."""
    assert not result.is_error, result.content[0].text if result.content else result
    assert result.structured_content is not None
    # The text is the same value, serialized.
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def error_text(result) -> str:
    assert result.is_error, f"expected an isError result, got {result}"
    return result.content[0].text
