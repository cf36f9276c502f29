//! Drives Redmine's OAuth authorization-code flow the way a browser would:
//! sign in through the login form, open the authorization page, approve the
//! consent form, take the code from the redirect and exchange it for tokens.
//!
//! The authorize and token URLs are parameters so that the same driver runs
//! the flow straight against Redmine and through the gateway's own
//! `/oauth/authorize` and `/oauth/token`.

use anyhow::{Context, anyhow, bail, ensure};
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use scraper::{ElementRef, Html, Selector};
use serde::Deserialize;
use url::Url;

use crate::harness::{HarnessEnv, SeededUser};

/// The token endpoint's answer.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: Option<u64>,
    pub refresh_token: Option<String>,
    /// The granted scopes, space-separated.
    pub scope: Option<String>,
}

/// One OAuth client and the endpoints it talks to.
#[derive(Debug, Clone)]
pub struct OAuthFlow {
    /// Redmine's root, where the login form lives.
    pub redmine: Url,
    /// The authorization endpoint: Redmine's, or a gateway's that redirects there.
    pub authorize_url: Url,
    /// The token endpoint: Redmine's, or a gateway's that forwards there.
    pub token_url: Url,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: Url,
}

impl OAuthFlow {
    /// The flow straight against the harness's Redmine and its seeded application.
    pub fn redmine(env: &HarnessEnv) -> Self {
        let app = env.oauth();
        Self {
            redmine: env.base_url.clone(),
            authorize_url: env.url("oauth/authorize"),
            token_url: env.url("oauth/token"),
            client_id: app.client_id.clone(),
            client_secret: app.client_secret.clone(),
            redirect_uri: app.redirect_uri.clone(),
        }
    }

    /// Signs `user` in, approves `scopes` and returns the issued tokens.
    pub async fn token_for(
        &self,
        user: &SeededUser,
        scopes: &[&str],
    ) -> anyhow::Result<TokenResponse> {
        let code = self.authorization_code(user, scopes).await?;
        self.exchange(&code).await
    }

    /// Runs the browser part of the flow and returns the authorization code.
    pub async fn authorization_code(
        &self,
        user: &SeededUser,
        scopes: &[&str],
    ) -> anyhow::Result<String> {
        let browser = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .context("building the browser client")?;

        self.sign_in(&browser, user).await?;

        let state = format!("state-{}", user.login);
        let mut authorize = self.authorize_url.clone();
        authorize
            .query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", self.redirect_uri.as_str())
            .append_pair("response_type", "code")
            .append_pair("scope", &scopes.join(" "))
            .append_pair("state", &state);

        // The authorize URL may be a gateway's, which redirects to Redmine's;
        // follow redirects until one leads back to the client's redirect URI.
        let mut next = authorize;
        for _ in 0..5 {
            let response = browser.get(next.clone()).send().await?;
            if let Some(location) = redirect_target(&next, &response)? {
                if location.as_str().starts_with(self.redirect_uri.as_str()) {
                    return code_from(&location, &state);
                }
                next = location;
                continue;
            }
            ensure!(
                response.status() == StatusCode::OK,
                "GET {next} answered {}, expected the consent page",
                response.status()
            );
            let page = response.text().await?;
            let consent = self.approve(&browser, &next, &page).await?;
            return code_from(&consent, &state);
        }
        bail!("too many redirects starting from {}", self.authorize_url)
    }

    /// Exchanges an authorization code for tokens, client credentials in the body.
    pub async fn exchange(&self, code: &str) -> anyhow::Result<TokenResponse> {
        let response = reqwest::Client::new()
            .post(self.token_url.clone())
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", self.redirect_uri.as_str()),
                ("client_id", &self.client_id),
                ("client_secret", &self.client_secret),
            ])
            .send()
            .await?;
        let status = response.status();
        let body = response.text().await?;
        ensure!(status == StatusCode::OK, "token endpoint answered {status}: {body}");
        serde_json::from_str(&body).context("decoding the token response")
    }

    /// Trades a refresh token for a new access token.
    pub async fn refresh(&self, refresh_token: &str) -> anyhow::Result<TokenResponse> {
        let response = reqwest::Client::new()
            .post(self.token_url.clone())
            .form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
                ("client_id", &self.client_id),
                ("client_secret", &self.client_secret),
            ])
            .send()
            .await?;
        let status = response.status();
        let body = response.text().await?;
        ensure!(status == StatusCode::OK, "token endpoint answered {status}: {body}");
        serde_json::from_str(&body).context("decoding the token response")
    }

    async fn sign_in(&self, browser: &reqwest::Client, user: &SeededUser) -> anyhow::Result<()> {
        let login_url = self.redmine.join("login")?;
        let page = browser.get(login_url.clone()).send().await?.text().await?;
        let fields = form_fields(&page, "form[action$='/login']")?;
        let token = fields
            .iter()
            .find(|(name, _)| name == "authenticity_token")
            .map(|(_, value)| value.clone())
            .ok_or_else(|| anyhow!("the login form has no authenticity_token"))?;

        let response = browser
            .post(login_url)
            .form(&[
                ("authenticity_token", token.as_str()),
                ("username", user.login.as_str()),
                ("password", user.password.as_str()),
            ])
            .send()
            .await?;
        // A successful sign-in redirects away from the login page; a failed one
        // renders the form again with 200.
        ensure!(
            response.status() == StatusCode::FOUND,
            "signing in as {} answered {}, expected a redirect",
            user.login,
            response.status()
        );
        Ok(())
    }

    async fn approve(
        &self,
        browser: &reqwest::Client,
        page_url: &Url,
        page: &str,
    ) -> anyhow::Result<Url> {
        // Doorkeeper's consent page has two forms to the same action: approve
        // (POST) and deny (DELETE through a hidden `_method`).
        let document = Html::parse_document(page);
        let form_selector = Selector::parse("form").expect("a valid selector");
        let input_selector = Selector::parse("input").expect("a valid selector");
        let approve = document
            .select(&form_selector)
            .find(|form| {
                form.value().attr("action").is_some_and(|a| a.contains("oauth/authorize"))
                    && !form
                        .select(&input_selector)
                        .any(|i| i.value().attr("name") == Some("_method"))
            })
            .ok_or_else(|| anyhow!("no approval form on the consent page at {page_url}"))?;
        let action = page_url.join(approve.value().attr("action").unwrap_or_default())?;
        let fields = inputs_of(approve);

        let response = browser.post(action.clone()).form(&fields).send().await?;
        redirect_target(&action, &response)?
            .ok_or_else(|| anyhow!("approving consent answered {}", response.status()))
    }
}

/// The `name=value` pairs of every input in the first form matching `selector`.
fn form_fields(page: &str, selector: &str) -> anyhow::Result<Vec<(String, String)>> {
    let document = Html::parse_document(page);
    let form_selector = Selector::parse(selector).map_err(|e| anyhow!("bad selector: {e}"))?;
    let form = document
        .select(&form_selector)
        .next()
        .ok_or_else(|| anyhow!("no form matching {selector} on the page"))?;
    Ok(inputs_of(form))
}

/// The `name=value` pairs a browser would submit for `form`'s inputs.
fn inputs_of(form: ElementRef<'_>) -> Vec<(String, String)> {
    let input_selector = Selector::parse("input").expect("a valid selector");
    form.select(&input_selector)
        .filter_map(|i| {
            let name = i.value().attr("name")?;
            Some((name.to_owned(), i.value().attr("value").unwrap_or_default().to_owned()))
        })
        .collect()
}

fn redirect_target(from: &Url, response: &reqwest::Response) -> anyhow::Result<Option<Url>> {
    if !response.status().is_redirection() {
        return Ok(None);
    }
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .ok_or_else(|| anyhow!("a redirect without Location from {from}"))?
        .to_str()?;
    Ok(Some(from.join(location)?))
}

fn code_from(redirect: &Url, state: &str) -> anyhow::Result<String> {
    let pairs: Vec<(String, String)> = redirect.query_pairs().into_owned().collect();
    if let Some((_, error)) = pairs.iter().find(|(k, _)| k == "error") {
        bail!("authorization refused: {error} ({redirect})");
    }
    let returned_state = pairs.iter().find(|(k, _)| k == "state").map(|(_, v)| v.as_str());
    ensure!(returned_state == Some(state), "state not returned intact in {redirect}");
    pairs
        .into_iter()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v)
        .ok_or_else(|| anyhow!("no code in {redirect}"))
}
