//! `redmine-mcp`: the server that puts Redmine in the hands of AI assistants.
//!
//! - `serve`: the HTTP server (ChatGPT Actions REST API when `CHATGPT_MODE=true`, MCP at `/mcp`).
//! - `openapi`: print the OpenAPI document a Custom GPT imports.
//! - `check`: validate the configuration and reach Redmine.
//! - `stdio`: MCP on stdin and stdout, for desktop clients.
//!
//! Configuration comes from environment variables, a `.env` file and an optional config file
//! (see [`settings`]); logs go to stderr.

mod allocator;
mod check;
mod logging;
mod serve;
mod settings;
mod stdio;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "redmine-mcp",
    version,
    about = "Redmine for AI assistants: an MCP server and a ChatGPT Actions gateway",
    long_about = "Redmine for AI assistants: an MCP server and a ChatGPT Actions gateway.\n\n\
                  Settings come from environment variables (REDMINE_URL, CHATGPT_MODE, ...), a \
                  .env file in the working directory and an optional config file whose keys are \
                  the variable names in lowercase. docs/configuration.md lists them all."
)]
struct Cli {
    /// A TOML, YAML or JSON config file (also REDMINE_MCP_CONFIG); the environment wins over it.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    /// A .env file to read instead of ./.env.
    #[arg(long, global = true, value_name = "FILE")]
    env_file: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve HTTP: /health, the ChatGPT Actions API under /api/v1 (with CHATGPT_MODE=true), the
    /// OAuth pass-through and the MCP endpoint. Stops gracefully on SIGINT and SIGTERM.
    Serve {
        /// The address to listen on, host:port (default BIND_ADDRESS or 127.0.0.1:3100).
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
    },
    /// Print the OpenAPI 3.1 document that a Custom GPT imports.
    Openapi {
        /// The output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Ignore every setting and use the defaults, as for the committed docs/openapi.* files.
        #[arg(long)]
        defaults: bool,
    },
    /// Validate the configuration and check that Redmine answers (and that the server key
    /// works, when one is set). Exits non-zero on any problem.
    Check,
    /// Serve MCP on stdin and stdout for a desktop client (Claude Desktop, Cursor, Codex) that
    /// starts this program itself. Every call runs as the holder of REDMINE_API_KEY (anonymous
    /// without one); logs go to stderr. docs/mcp.md shows each client's configuration.
    Stdio,
}

/// Formats of the OpenAPI document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Json,
    Yaml,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // This thread only starts things and waits for signals: `serve` answers requests on worker
    // threads of its own (WORKER_THREADS), and the other commands do one thing at a time.
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("redmine-mcp: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("redmine-mcp: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Openapi { format, output, defaults: true } = &cli.command {
        return serve::print_openapi(None, *format == Format::Yaml, output.as_deref());
    }

    let settings = settings::load(cli.config.as_deref(), cli.env_file.as_deref())?;
    match cli.command {
        Command::Serve { bind } => {
            logging::init(&settings.log_level, settings.json_logs()?)?;
            serve::serve(&settings, bind.as_deref()).await
        }
        Command::Openapi { format, output, .. } => {
            serve::print_openapi(Some(&settings), format == Format::Yaml, output.as_deref())
        }
        Command::Check => {
            logging::init(&settings.log_level, settings.json_logs()?)?;
            check::check(&settings).await
        }
        Command::Stdio => {
            logging::init(&settings.log_level, settings.json_logs()?)?;
            stdio::stdio(&settings).await
        }
    }
}
