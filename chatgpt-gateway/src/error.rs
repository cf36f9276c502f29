//! The gateway's JSON errors: `{error, message, status, details?}`.
//!
//! Every failure a client can see goes through [`ApiError`], so no answer is ever an HTML page,
//! a stack trace or an empty body. This module turns errors into responses; it does not decide
//! which error a situation deserves (the routes do) and it never includes a request body or a
//! credential in a message.

use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, Response, StatusCode};
use redmine_tools::ToolError;
use serde_json::{Value, json};

use crate::body::{ResponseBody, full};

/// An error answer of the gateway.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code} ({status}): {message}")]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code, such as `invalid_arguments` or `invalid_token`.
    pub code: &'static str,
    /// What went wrong and what to do about it, for a person or a model.
    pub message: String,
    /// Structured details: the argument problems, Redmine's validation messages, ...
    pub details: Option<Value>,
    /// Extra headers, such as `WWW-Authenticate` or `Allow` (boxed to keep the error small).
    pub headers: Box<HeaderMap>,
}

impl ApiError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: None,
            headers: Box::new(HeaderMap::new()),
        }
    }

    /// 400 with `code`.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404 for a path nothing answers.
    pub fn no_route(path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "no route for {path}; GET /api/v1/openapi.json lists the operations and \
                 GET /api/v1/tools every tool"
            ),
        )
    }

    /// 405 for a path that exists under other methods, with the `Allow` header listing them.
    pub fn method_not_allowed(method: &http::Method, allowed: &[http::Method]) -> Self {
        let allow = allowed.iter().map(http::Method::as_str).collect::<Vec<_>>().join(", ");
        let message = format!("{method} is not allowed here; use {allow}");
        let mut error = Self::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", message);
        if let Ok(value) = HeaderValue::from_str(&allow) {
            error.headers.insert(http::header::ALLOW, value);
        }
        error
    }

    /// 500 for a failure of the gateway itself; the message must not carry secrets.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", message)
    }

    /// Adds structured details.
    #[must_use]
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    /// Adds a header to the answer.
    #[must_use]
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut body = json!({
            "error": self.code,
            "message": self.message,
            "status": self.status.as_u16(),
        });
        if let Some(details) = &self.details {
            body["details"] = details.clone();
        }
        body
    }

    /// The response: status, headers and JSON body.
    pub fn into_response(self) -> Response<ResponseBody> {
        let mut response = json_response(self.status, &self.body());
        response.headers_mut().extend(*self.headers);
        response
    }
}

impl From<ToolError> for ApiError {
    fn from(error: ToolError) -> Self {
        let status =
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut api = Self::new(status, error.code(), error.to_string());
        api.details = error.details();
        if status == StatusCode::UNAUTHORIZED {
            api.headers.insert(http::header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        api
    }
}

/// A JSON response with `status`.
pub fn json_response(status: StatusCode, value: &Value) -> Response<ResponseBody> {
    json_text_response(status, value.to_string())
}

/// A response with `status` whose body is already JSON text.
pub fn json_text_response(status: StatusCode, text: String) -> Response<ResponseBody> {
    let mut response = Response::new(full(text));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
mod tests {
    use redmine_tools::ArgumentProblem;

    use super::*;

    #[test]
    fn body_has_the_documented_members() {
        let error = ApiError::bad_request("invalid_json", "the body is not JSON")
            .with_details(json!({"line": 1}));
        assert_eq!(
            error.body(),
            json!({"error": "invalid_json", "message": "the body is not JSON", "status": 400,
                   "details": {"line": 1}})
        );
        assert!(ApiError::no_route("/x").body().get("details").is_none());
    }

    #[test]
    fn tool_errors_keep_status_and_every_problem() {
        let error = ToolError::InvalidArguments(vec![
            ArgumentProblem::new("/limit".into(), "500 is greater than 100".into()),
            ArgumentProblem::new(String::new(), "\"x\" is a required property".into()),
        ]);
        let api = ApiError::from(error);
        assert_eq!(api.status, StatusCode::BAD_REQUEST);
        assert_eq!(api.code, "invalid_arguments");
        assert_eq!(api.details.unwrap()["problems"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn method_not_allowed_lists_the_methods() {
        let api = ApiError::method_not_allowed(
            &http::Method::PATCH,
            &[http::Method::GET, http::Method::HEAD],
        );
        assert_eq!(api.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(api.headers[http::header::ALLOW], "GET, HEAD");
    }
}
