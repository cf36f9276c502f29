"""Redmine's OAuth authorization-code flow, driven the way a browser would.

Signs a seeded user in through the login form, opens the authorization URL,
approves Doorkeeper's consent form when it is shown and returns the redirect
that carries the code. The Rust harness (tests/src/oauth.rs) does the same for
the Rust tests; this copy serves the Python MCP tests, including as the
"browser" of the MCP SDK's own OAuth client.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import httpx2


class _Forms(HTMLParser):
    """Every form on a page: its action, method and input name/value pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._current = {"action": attributes.get("action", ""), "inputs": []}
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and "name" in attributes:
            self._current["inputs"].append((attributes["name"], attributes.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _forms(page: str) -> list[dict]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


class Browser:
    """A cookie-keeping client signed in to Redmine as one user."""

    def __init__(self, redmine_url: str, login: str, password: str) -> None:
        self.redmine_url = redmine_url
        self.http = httpx2.Client(follow_redirects=False, timeout=30.0)
        self._sign_in(login, password)

    def close(self) -> None:
        self.http.close()

    def _sign_in(self, login: str, password: str) -> None:
        login_url = urljoin(self.redmine_url, "login")
        page = self.http.get(login_url).text
        form = next(f for f in _forms(page) if f["action"].endswith("/login"))
        token = dict(form["inputs"])["authenticity_token"]
        answer = self.http.post(
            login_url,
            data={"authenticity_token": token, "username": login, "password": password},
        )
        # A successful sign-in redirects; a failed one renders the form again.
        assert answer.status_code == 302, f"signing in as {login} answered {answer.status_code}"

    def authorize(self, authorization_url: str, redirect_uri: str) -> str:
        """Opens `authorization_url`, approves consent, returns the final redirect URL."""
        url = authorization_url
        for _ in range(5):
            answer = self.http.get(url)
            if answer.is_redirect:
                location = urljoin(url, answer.headers["location"])
                if location.startswith(redirect_uri):
                    return location
                url = location
                continue
            assert answer.status_code == 200, f"GET {url} answered {answer.status_code}: {answer.text[:300]}"
            return self._approve(url, answer.text, redirect_uri)
        raise AssertionError(f"too many redirects from {authorization_url}")

    def _approve(self, page_url: str, page: str, redirect_uri: str) -> str:
        # Doorkeeper's consent page has an approve form (POST) and a deny form
        # (DELETE through a hidden `_method`) with the same action.
        approve = next(
            f
            for f in _forms(page)
            if "oauth/authorize" in f["action"] and "_method" not in dict(f["inputs"])
        )
        fields: dict[str, list[str]] = {}
        for name, value in approve["inputs"]:
            fields.setdefault(name, []).append(value)
        answer = self.http.post(urljoin(page_url, approve["action"]), data=fields)
        assert answer.is_redirect, f"approving consent answered {answer.status_code}"
        location = urljoin(page_url, answer.headers["location"])
        assert location.startswith(redirect_uri), location
        return location


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


def token_for(env: dict, role: str, scopes: list[str]) -> str:
    """An access token for the seeded user playing `role`, straight from Redmine."""
    user = next(u for u in env["users"] if u["role"] == role)
    app = env["oauth"]
    redmine = env["base_url"]
    browser = Browser(redmine, user["login"], user["password"])
    try:
        state = f"state-{user['login']}"
        authorization_url = urljoin(redmine, "oauth/authorize") + "?" + urlencode(
            {
                "client_id": app["client_id"],
                "redirect_uri": app["redirect_uri"],
                "response_type": "code",
                "scope": " ".join(scopes),
                "state": state,
            }
        )
        redirect = query_of(browser.authorize(authorization_url, app["redirect_uri"]))
        assert redirect.get("state") == state, redirect
        assert "code" in redirect, f"no code in the redirect: {redirect}"
    finally:
        browser.close()

    answer = httpx2.post(
        urljoin(redmine, "oauth/token"),
        data={
            "grant_type": "authorization_code",
            "code": redirect["code"],
            "redirect_uri": app["redirect_uri"],
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
        timeout=30.0,
    )
    assert answer.status_code == 200, f"token endpoint answered {answer.status_code}: {answer.text}"
    return answer.json()["access_token"]
