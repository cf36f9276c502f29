"""The MCP face over streamable HTTP (`/mcp` of `redmine-mcp serve`), driven by the
official Python SDK against the harness's real Redmine 6.1."""

from __future__ import annotations

import json
import uuid

import anyio
import httpx2
import pytest
from mcp.client.auth import OAuthClientProvider
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata
from mcp.shared.exceptions import MCPError

import redmine_oauth
from conftest import (
    SCOPES,
    Gateway,
    api_key,
    bearer,
    error_text,
    mcp_session,
    oauth_token,
    structured,
    user,
)

JSON_AND_SSE = "application/json, text/event-stream"


def rpc(method: str, params: dict | None = None, id: int | None = 1) -> dict:
    message = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        message["params"] = params
    if id is not None:
        message["id"] = id
    return message


def post(url: str, message: dict, **headers: str) -> httpx2.Response:
    return httpx2.post(
        f"{url}/mcp",
        json=message,
        headers={"Accept": JSON_AND_SSE, **headers},
        timeout=30.0,
    )


def test_initialize_lists_every_tool_with_its_metadata(gateway, harness):
    async def main():
        async with mcp_session(gateway.url, api_key(user(harness, "developer")["api_key"])) as session:
            assert session.protocol_version == "2025-11-25"
            assert session.server_info.name == "redmine-mcp"
            assert session.server_capabilities.tools is not None

            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            assert {"get_current_user", "list_issues", "create_issue", "delete_issue_relation"} <= set(tools)
            for tool in tools.values():
                assert tool.title and tool.description, tool.name
                assert tool.input_schema["type"] == "object", tool.name
                hints = tool.annotations
                assert None not in (
                    hints.read_only_hint,
                    hints.destructive_hint,
                    hints.idempotent_hint,
                    hints.open_world_hint,
                ), tool.name
            assert tools["get_current_user"].annotations.read_only_hint is True
            assert tools["create_issue"].annotations.read_only_hint is False
            assert tools["delete_issue_relation"].annotations.destructive_hint is True
            assert "subject" in tools["create_issue"].input_schema["properties"]

    anyio.run(main)


def test_discover_negotiates_the_stateless_revision(gateway, harness):
    async def main():
        headers = api_key(user(harness, "developer")["api_key"])
        async with mcp_session(gateway.url, headers, negotiate="discover") as session:
            assert session.protocol_version == "2026-07-28"
            assert "2025-06-18" in session.discover_result.supported_versions
            tools = (await session.list_tools()).tools
            assert any(tool.name == "get_current_user" for tool in tools)
            me = structured(await session.call_tool("get_current_user", {}))
            assert me["user"]["login"] == "dev"

    anyio.run(main)


def test_the_2025_06_18_handshake_and_stateless_requests(gateway, harness):
    key = user(harness, "reporter")["api_key"]
    init = post(
        gateway.url,
        rpc(
            "initialize",
            {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "raw-test", "version": "1"},
            },
        ),
        **api_key(key),
    )
    assert init.status_code == 200, init.text
    assert init.json()["result"]["protocolVersion"] == "2025-06-18"
    # Stateless: no session to carry between requests.
    assert "mcp-session-id" not in init.headers

    headers = {"MCP-Protocol-Version": "2025-06-18", **api_key(key)}
    initialized = post(gateway.url, rpc("notifications/initialized", id=None), **headers)
    assert initialized.status_code == 202

    call = post(gateway.url, rpc("tools/call", {"name": "get_current_user", "arguments": {}}, id=2), **headers)
    assert call.status_code == 200, call.text
    result = call.json()["result"]
    assert result["isError"] is False
    assert result["structuredContent"]["user"]["login"] == "reporter"
    assert json.loads(result["content"][0]["text"]) == result["structuredContent"]

    # There is no server-initiated stream and no session to delete.
    assert httpx2.get(f"{gateway.url}/mcp", headers={"Accept": "text/event-stream"}).status_code == 405


def test_an_oauth_user_reads_and_writes(gateway, harness):
    token = oauth_token(harness, "developer")
    parent = harness["ids"]["issue_parent"]
    project_a = harness["projects"]["a"]["identifier"]
    subject = f"MCP OAuth issue {uuid.uuid4().hex[:8]}"

    async def main():
        async with mcp_session(gateway.url, bearer(token)) as session:
            me = structured(await session.call_tool("get_current_user", {}))
            assert me["user"]["login"] == "dev"

            created = structured(
                await session.call_tool("create_issue", {"project": project_a, "subject": subject})
            )
            issue_id = created["issue"]["id"]
            issue = structured(await session.call_tool("get_issue", {"id": issue_id}))["issue"]
            assert issue["subject"] == subject
            assert issue["author"]["id"] == user(harness, "developer")["id"]

            note = structured(
                await session.call_tool("add_issue_note", {"id": issue_id, "notes": "Written over MCP."})
            )
            assert note["journal_id"]

            relation = structured(
                await session.call_tool(
                    "create_issue_relation",
                    {"issue_id": issue_id, "issue_to_id": parent, "relation_type": "relates"},
                )
            )["relation"]
            listed = structured(await session.call_tool("list_issue_relations", {"issue_id": issue_id}))
            assert [r["id"] for r in listed["relations"]] == [relation["id"]]
            deleted = structured(await session.call_tool("delete_issue_relation", {"id": relation["id"]}))
            assert deleted["deleted"] is True

    anyio.run(main)
    assert token not in gateway.log_path.read_text(errors="replace"), "the token reached the log"


def test_an_api_key_user_reads_and_writes(gateway, harness):
    reporter = user(harness, "reporter")
    issue_b = harness["ids"]["issue_b"]
    text = f"Reporter note {uuid.uuid4().hex[:8]}"

    async def main():
        async with mcp_session(gateway.url, api_key(reporter["api_key"]), negotiate="discover") as session:
            me = structured(await session.call_tool("get_current_user", {}))
            assert me["user"]["login"] == "reporter"

            issues = structured(await session.call_tool("list_issues", {"project": harness["projects"]["b"]["identifier"]}))["issues"]
            assert issue_b in [issue["id"] for issue in issues]

            added = structured(await session.call_tool("add_issue_note", {"id": issue_b, "notes": text}))
            issue = structured(await session.call_tool("get_issue", {"id": issue_b, "include": ["journals"]}))
            journal = next(j for j in issue["issue"]["journals"] if j["id"] == added["journal_id"])
            assert journal["notes"] == text
            assert journal["user"]["id"] == reporter["id"]

    anyio.run(main)
    # Even at LOG_LEVEL=debug neither the key nor what the caller sent reaches the log.
    log = gateway.log_path.read_text(errors="replace")
    assert reporter["api_key"] not in log
    assert text not in log


def test_bad_arguments_and_redmine_errors_are_is_error_results(gateway, harness):
    async def main():
        async with mcp_session(gateway.url, api_key(user(harness, "developer")["api_key"])) as session:
            text = error_text(await session.call_tool("list_issue_relations", {"issue_id": "forty-two"}))
            assert "/issue_id" in text and "integer" in text, text

            result = await session.call_tool("create_issue", {"project": "project-a", "colour": "red"})
            text = error_text(result)
            assert "subject" in text and "colour" in text, text
            assert result.structured_content["error"] == "invalid_arguments"
            paths = [p["path"] for p in result.structured_content["details"]["problems"]]
            assert len(paths) >= 2, paths

            text = error_text(await session.call_tool("create_issue", {"project": "no-such-project", "subject": "x"}))
            assert "no-such-project" in text, text

            result = await session.call_tool("get_issue", {"id": 99999999})
            assert "not found" in error_text(result).lower()
            assert result.structured_content["status"] == 404

    anyio.run(main)


@pytest.mark.parametrize("negotiate", ["initialize", "discover"])
def test_an_unknown_tool_is_a_protocol_error(gateway, harness, negotiate):
    async def main():
        headers = api_key(user(harness, "developer")["api_key"])
        async with mcp_session(gateway.url, headers, negotiate=negotiate) as session:
            with pytest.raises(MCPError) as raised:
                await session.call_tool("launch_rockets", {})
            assert raised.value.code == -32602
            assert "tools/list" in raised.value.message

    anyio.run(main)


def test_two_users_at_once_each_see_only_their_own_data(gateway, harness):
    """The administrator (API key) and the developer (OAuth token) call at the same
    time over one server; each call runs as its own caller. Only the administrator
    may see the issue of private project C."""
    admin_key = user(harness, "admin")["api_key"]
    developer_token = oauth_token(harness, "developer")
    confidential = harness["ids"]["issue_c"]
    seen: dict[str, list] = {"admin": [], "dev": []}

    async def as_admin(session):
        me = structured(await session.call_tool("get_current_user", {}))
        issue = structured(await session.call_tool("get_issue", {"id": confidential}))
        seen["admin"].append((me["user"]["login"], issue["issue"]["subject"]))

    async def as_developer(session):
        me = structured(await session.call_tool("get_current_user", {}))
        hidden = await session.call_tool("get_issue", {"id": confidential})
        seen["dev"].append((me["user"]["login"], hidden.is_error))

    async def main():
        async with (
            mcp_session(gateway.url, api_key(admin_key)) as admin,
            mcp_session(gateway.url, bearer(developer_token), negotiate="discover") as developer,
        ):
            async with anyio.create_task_group() as group:
                for _ in range(8):
                    group.start_soon(as_admin, admin)
                    group.start_soon(as_developer, developer)

    anyio.run(main)
    assert len(seen["admin"]) == len(seen["dev"]) == 8
    assert all(login == "admin" and "Confidential" in subject for login, subject in seen["admin"])
    assert all(login == "dev" and hidden for login, hidden in seen["dev"])


def test_any_replica_answers_any_request(binary, harness, workdir, gateway):
    """Two servers behind an imaginary load balancer: the handshake goes to one,
    the calls to the other, and nothing is missing."""
    replica = Gateway(binary, harness, workdir)
    try:
        key = user(harness, "developer")["api_key"]
        init = post(
            gateway.url,
            rpc(
                "initialize",
                {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "lb", "version": "1"}},
            ),
            **api_key(key),
        )
        assert init.status_code == 200, init.text
        headers = {"MCP-Protocol-Version": "2025-11-25", **api_key(key)}
        listed = post(replica.url, rpc("tools/list", {}, id=2), **headers)
        assert listed.status_code == 200, listed.text
        assert len(listed.json()["result"]["tools"]) == len(
            post(gateway.url, rpc("tools/list", {}, id=3), **headers).json()["result"]["tools"]
        )
        call = post(replica.url, rpc("tools/call", {"name": "get_current_user", "arguments": {}}, id=4), **headers)
        assert call.json()["result"]["structuredContent"]["user"]["login"] == "dev"
    finally:
        replica.stop()


def test_host_and_origin_are_checked(gateway, harness):
    headers = api_key(user(harness, "developer")["api_key"])
    listing = rpc("tools/list", {})

    refused = post(gateway.url, listing, Origin="https://evil.example", **headers)
    assert refused.status_code == 403
    assert "MCP_ALLOWED_ORIGINS" in refused.json()["message"]

    refused = post(gateway.url, listing, Host="evil.example", **headers)
    assert refused.status_code == 403
    assert "MCP_ALLOWED_HOSTS" in refused.json()["message"]

    # A refused origin is refused before authentication: no sign-in is offered.
    refused = post(gateway.url, listing, Origin="https://evil.example")
    assert refused.status_code == 403

    allowed = post(gateway.url, listing, Origin=f"http://localhost:{gateway.port}", **headers)
    assert allowed.status_code == 200, allowed.text


def test_allowed_hosts_and_origins_are_configurable(binary, harness, workdir):
    server = Gateway(
        binary,
        harness,
        workdir,
        MCP_ALLOWED_HOSTS="mcp.example.com",
        MCP_ALLOWED_ORIGINS="https://chat.example.com",
    )
    try:
        headers = api_key(user(harness, "developer")["api_key"])
        listing = rpc("tools/list", {})
        assert post(server.url, listing, **headers).status_code == 403, "loopback is no longer listed"
        public = post(server.url, listing, Host="mcp.example.com", Origin="https://chat.example.com", **headers)
        assert public.status_code == 200, public.text
        other = post(server.url, listing, Host="mcp.example.com", Origin="https://other.example", **headers)
        assert other.status_code == 403
    finally:
        server.stop()


def test_auth_required_answers_401_naming_the_resource_metadata(secured_gateway, harness):
    url = secured_gateway.url
    metadata_url = f"{url}/.well-known/oauth-protected-resource/mcp"
    init = rpc(
        "initialize",
        {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    )

    refused = post(url, init)
    assert refused.status_code == 401
    challenge = refused.headers["www-authenticate"]
    assert challenge.startswith("Bearer ")
    assert f'resource_metadata="{metadata_url}"' in challenge

    refused = post(url, init, Authorization="Bearer not-a-token-redmine-knows")
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["www-authenticate"]
    assert f'resource_metadata="{metadata_url}"' in refused.headers["www-authenticate"]

    resource = httpx2.get(metadata_url).json()
    assert resource["resource"] == f"{url}/mcp"
    assert resource["authorization_servers"] == [url]
    assert set(SCOPES[:4]) <= set(resource["scopes_supported"])
    assert httpx2.get(f"{url}/.well-known/oauth-protected-resource").json()["resource"] == url

    server = httpx2.get(f"{url}/.well-known/oauth-authorization-server").json()
    redmine = harness["base_url"].rstrip("/")
    assert server["issuer"] == url
    assert server["authorization_endpoint"] == f"{redmine}/oauth/authorize"
    assert server["token_endpoint"] == f"{redmine}/oauth/token"
    assert "S256" in server["code_challenge_methods_supported"]
    assert "authorization_code" in server["grant_types_supported"]

    # A valid token passes.
    token = oauth_token(harness, "developer")
    assert post(url, init, **bearer(token)).status_code == 200


class _Storage:
    """Token storage holding the pre-registered Redmine OAuth application: Redmine has
    no dynamic client registration, so an MCP client is configured with its id and secret."""

    def __init__(self, client: OAuthClientInformationFull) -> None:
        self.client = client
        self.tokens = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens) -> None:
        self.tokens = tokens

    async def get_client_info(self):
        return self.client

    async def set_client_info(self, client_info) -> None:
        self.client = client_info


def test_the_sdk_signs_in_through_the_published_metadata(secured_gateway, harness):
    """The SDK's own OAuth client starts from the 401, reads both metadata documents,
    runs the authorization-code flow with PKCE (S256) against Redmine, and calls a tool."""
    app = harness["oauth"]
    admin = user(harness, "admin")
    redirects: list[str] = []
    client = OAuthClientInformationFull(
        client_id=app["client_id"],
        client_secret=app["client_secret"],
        redirect_uris=[app["redirect_uri"]],
        token_endpoint_auth_method="client_secret_post",
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
        scope=" ".join(SCOPES),
    )
    authorization_urls: list[str] = []

    async def open_browser(authorization_url: str) -> None:
        authorization_urls.append(authorization_url)
        browser = redmine_oauth.Browser(harness["base_url"], admin["login"], admin["password"])
        try:
            redirects.append(await anyio.to_thread.run_sync(browser.authorize, authorization_url, app["redirect_uri"]))
        finally:
            browser.close()

    async def callback() -> AuthorizationCodeResult:
        query = redmine_oauth.query_of(redirects[-1])
        return AuthorizationCodeResult(code=query["code"], state=query.get("state"))

    provider = OAuthClientProvider(
        server_url=f"{secured_gateway.url}/mcp",
        client_metadata=OAuthClientMetadata(
            redirect_uris=[app["redirect_uri"]],
            scope=" ".join(SCOPES),
            token_endpoint_auth_method="client_secret_post",
        ),
        storage=_Storage(client),
        redirect_handler=open_browser,
        callback_handler=callback,
    )

    async def main():
        async with httpx2.AsyncClient(auth=provider, timeout=30.0) as http:
            from mcp.client.session import ClientSession
            from mcp.client.streamable_http import streamable_http_client

            async with streamable_http_client(f"{secured_gateway.url}/mcp", http_client=http) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    me = structured(await session.call_tool("get_current_user", {}))
                    assert me["user"]["login"] == admin["login"]

    anyio.run(main)
    assert len(authorization_urls) == 1
    query = redmine_oauth.query_of(authorization_urls[0])
    assert authorization_urls[0].startswith(harness["base_url"].rstrip("/") + "/oauth/authorize")
    assert query["code_challenge_method"] == "S256"


def test_the_server_key_serves_requests_without_credentials(binary, harness, workdir):
    reporter = user(harness, "reporter")
    server = Gateway(binary, harness, workdir, REDMINE_API_KEY=reporter["api_key"])
    try:

        async def main():
            async with mcp_session(server.url) as session:
                me = structured(await session.call_tool("get_current_user", {}))
                assert me["user"]["login"] == "reporter"
            # Credentials of its own: the caller's, never the server's.
            async with mcp_session(server.url, api_key(user(harness, "developer")["api_key"])) as session:
                me = structured(await session.call_tool("get_current_user", {}))
                assert me["user"]["login"] == "dev"

        anyio.run(main)
    finally:
        server.stop()


def test_anonymous_callers_see_public_data_only(gateway, harness):
    async def main():
        async with mcp_session(gateway.url) as session:
            result = await session.call_tool("get_current_user", {})
            assert result.is_error
            assert result.structured_content["status"] == 401
            projects = structured(await session.call_tool("list_projects", {}))["projects"]
            identifiers = {p["identifier"] for p in projects}
            assert harness["projects"]["a"]["identifier"] in identifiers
            assert harness["projects"]["c"]["identifier"] not in identifiers

    anyio.run(main)
