//! Structured logs on stderr, text or JSON lines, filtered by `LOG_LEVEL`.

use std::fmt;

use anyhow::{Context as _, Result};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::util::SubscriberInitExt as _;

/// Installs the global logger at `level` (a level or an `EnvFilter` directive list).
pub fn init(level: &str, json: bool) -> Result<()> {
    // rmcp logs whole JSON-RPC messages (tool arguments, that is request bodies) at debug and
    // trace, and a line per stateless MCP request at info; the gateway logs its own line per
    // request. Keep rmcp to warnings unless LOG_LEVEL names it.
    let directives =
        if level.contains("rmcp") { level.to_owned() } else { format!("{level},rmcp=warn") };
    let filter = EnvFilter::try_new(&directives).with_context(|| {
        format!("LOG_LEVEL {level:?} is not a level (error, warn, info, debug, trace) or filter")
    })?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let installed = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .finish()
            .with(ClientGone)
            .try_init()
    } else {
        builder.finish().with(ClientGone).try_init()
    };
    installed.map_err(|e| anyhow::anyhow!("cannot install the logger: {e}"))
}

/// Silences rmcp's error that a response could not be sent because its channel was closed.
///
/// A client that closes its connection (a load generator at the end of a run, a user who
/// cancels) leaves the response of its last call with nowhere to go, and rmcp reports that at
/// error level, once per connection. A client going away is not a server error. Only that exact
/// event is dropped: rmcp's other errors, and this one with any other cause, still go out.
struct ClientGone;

/// The rmcp target, messages and cause that [`ClientGone`] drops: the response of a call whose
/// client left, found with nowhere to go while the service drains or as it is sent.
const DRAIN_TARGET: &str = "rmcp::service";
const DRAIN_MESSAGES: [&str; 2] =
    ["failed to send pending response during drain", "fail to response message"];
const CHANNEL_CLOSED: &str = "channel closed";

impl<S: Subscriber> Layer<S> for ClientGone {
    fn event_enabled(&self, event: &Event<'_>, _: Context<'_, S>) -> bool {
        let metadata = event.metadata();
        if metadata.target() != DRAIN_TARGET || *metadata.level() != Level::ERROR {
            return true;
        }
        let mut fields = DrainFields::default();
        event.record(&mut fields);
        !(DRAIN_MESSAGES.contains(&fields.message.as_str()) && fields.error == CHANNEL_CLOSED)
    }
}

/// The two fields of rmcp's drain error, as text.
#[derive(Default)]
struct DrainFields {
    message: String,
    error: String,
}

impl Visit for DrainFields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        match field.name() {
            "message" => self.message = format!("{value:?}"),
            "error" => self.error = format!("{value:?}"),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use tracing_subscriber::layer::SubscriberExt as _;

    use super::*;

    /// Counts the events that reach it.
    struct Count(Arc<AtomicUsize>);

    impl<S: Subscriber> Layer<S> for Count {
        fn on_event(&self, _: &Event<'_>, _: Context<'_, S>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn only_the_send_errors_of_a_closed_channel_are_dropped() {
        let seen = Arc::new(AtomicUsize::new(0));
        let subscriber =
            tracing_subscriber::registry().with(ClientGone).with(Count(Arc::clone(&seen)));

        tracing::subscriber::with_default(subscriber, || {
            let closed = "channel closed";
            let other = "broken pipe";
            tracing::error!(target: "rmcp::service", error = %closed, "failed to send pending response during drain");
            tracing::error!(target: "rmcp::service", error = %other, "failed to send pending response during drain");
            tracing::error!(target: "rmcp::service", error = %closed, "response send task failed during drain");
            tracing::error!(target: "rmcp::service", error = %closed, "fail to response message");
            tracing::error!(target: "rmcp::service", error = %other, "fail to response message");
            tracing::error!(target: "chatgpt_gateway", error = %closed, "failed to send pending response during drain");
        });

        assert_eq!(seen.load(Ordering::Relaxed), 4);
    }
}
