"""The MCP face over stdio (`redmine-mcp stdio`), driven by the official Python SDK
as a desktop client would: it starts the binary and speaks JSON-RPC on its pipes."""

from __future__ import annotations

import json
import subprocess
import uuid
from contextlib import asynccontextmanager

import anyio
import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError

from conftest import base_env, error_text, structured, user


@asynccontextmanager
async def stdio_session(binary, harness, workdir, key: str | None, negotiate: str = "initialize"):
    env = base_env(harness)
    if key is not None:
        env["REDMINE_API_KEY"] = key
    parameters = StdioServerParameters(command=str(binary), args=["stdio"], env=env, cwd=str(workdir))
    with (workdir / "stdio-stderr.log").open("a") as errlog:
        async with stdio_client(parameters, errlog=errlog) as (read, write):
            async with ClientSession(read, write) as session:
                if negotiate == "initialize":
                    await session.initialize()
                else:
                    await session.discover()
                yield session


def test_stdio_lists_and_calls_tools_as_the_key_holder(binary, harness, workdir):
    developer = user(harness, "developer")
    parent = harness["ids"]["issue_parent"]
    text = f"Note over stdio {uuid.uuid4().hex[:8]}"

    async def main():
        async with stdio_session(binary, harness, workdir, developer["api_key"]) as session:
            assert session.server_info.name == "redmine-mcp"
            assert session.protocol_version == "2025-11-25"
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            assert tools["list_issues"].annotations.read_only_hint is True

            me = structured(await session.call_tool("get_current_user", {}))
            assert me["user"]["login"] == "dev"

            added = structured(await session.call_tool("add_issue_note", {"id": parent, "notes": text}))
            issue = structured(await session.call_tool("get_issue", {"id": parent, "include": ["journals"]}))
            journal = next(j for j in issue["issue"]["journals"] if j["id"] == added["journal_id"])
            assert journal["user"]["id"] == developer["id"]

            assert "/id" in error_text(await session.call_tool("get_issue", {"id": "one"}))
            with pytest.raises(MCPError) as raised:
                await session.call_tool("no_such_tool", {})
            assert raised.value.code == -32602

    anyio.run(main)


def test_stdio_discover_negotiates_the_stateless_revision(binary, harness, workdir):
    async def main():
        key = user(harness, "reporter")["api_key"]
        async with stdio_session(binary, harness, workdir, key, negotiate="discover") as session:
            assert session.protocol_version == "2026-07-28"
            me = structured(await session.call_tool("get_current_user", {}))
            assert me["user"]["login"] == "reporter"

    anyio.run(main)


def test_stdout_carries_only_json_rpc(binary, harness, workdir):
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "raw", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "get_current_user", "arguments": {}}},
    ]
    env = base_env(harness) | {"REDMINE_API_KEY": user(harness, "developer")["api_key"]}
    process = subprocess.Popen(
        [str(binary), "stdio"],
        cwd=workdir,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    answers = []
    for message in messages:
        process.stdin.write(json.dumps(message) + "\n")
        process.stdin.flush()
        if "id" in message:
            answers.append(json.loads(process.stdout.readline()))
    # Closing stdin (which communicate does) ends the session.
    rest, stderr = process.communicate(timeout=30)

    assert rest.strip() == "", f"stdout must carry JSON-RPC only, got {rest!r}"
    assert answers[0]["result"]["protocolVersion"] == "2025-06-18"
    assert answers[1]["result"]["structuredContent"]["user"]["login"] == "dev"
    # Logs go to stderr (LOG_LEVEL=debug), and never show the key.
    assert stderr.strip(), "expected logs on stderr"
    assert env["REDMINE_API_KEY"] not in stderr


def test_stdio_refuses_a_key_redmine_does_not_accept(binary, harness, workdir):
    env = base_env(harness) | {"REDMINE_API_KEY": "0" * 40}
    finished = subprocess.run(
        [str(binary), "stdio"],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert finished.returncode != 0
    assert finished.stdout == ""
    assert "REDMINE_API_KEY" in finished.stderr
