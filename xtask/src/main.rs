//! Developer commands for this workspace, run as `cargo xtask <command>`.
//!
//! - `redmine up | down | status | env | reset`: the real Redmine the tests run against.
//! - `test`: everything CI checks, starting Redmine first.
//! - `openapi`: regenerate the committed OpenAPI documents under `docs/`.
//! - `serve`: run the server against the local test Redmine with ChatGPT mode on.
//! - `bench`: the gateway's own cost, measured against its upstream.

mod api_fuzz;
mod bench;
mod mcp_tests;
mod openapi;
mod python;
mod redmine;
mod serve;
mod test;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::redmine::InstanceName;

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "Developer commands for the Redmine MCP gateway")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write docs/openapi.json and docs/openapi.yaml from the registry, with default settings.
    Openapi,
    /// Start the test Redmine 6.1 and run `redmine-mcp serve` against it with ChatGPT mode on
    /// (http://127.0.0.1:3100; API-key user: the harness's developer).
    Serve,
    /// Manage the real, seeded Redmine instances used by the end-to-end tests.
    Redmine {
        #[command(subcommand)]
        action: RedmineAction,
    },
    /// Measure the gateway's own cost against a canned upstream and the real Redmine.
    Bench(bench::BenchArgs),
    /// Run every check CI runs: formatting, clippy, then all tests against a
    /// freshly started (or reused) Redmine 6.1 and 5.0.
    Test {
        /// Arguments passed on to `cargo nextest run` (for example a test filter).
        #[arg(last = true)]
        nextest_args: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
enum RedmineAction {
    /// Install (first time only), start and seed an instance on 127.0.0.1.
    Up(InstanceArgs),
    /// Stop an instance.
    Down(InstanceArgs),
    /// Say whether an instance is installed and running, and which version.
    Status(InstanceArgs),
    /// Print the JSON that describes a running instance (users, keys, OAuth app, seeded ids).
    Env(InstanceArgs),
    /// Stop an instance, restore its database to the freshly seeded state, start it again.
    Reset(InstanceArgs),
}

#[derive(Debug, clap::Args)]
struct InstanceArgs {
    /// Which Redmine: 6.1 (Debian sid, with OAuth) or 5.0 (Debian bookworm, API keys only).
    #[arg(long = "version", default_value = "6.1")]
    version: InstanceName,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Openapi => openapi::write_documents(),
        Command::Serve => serve::run(),
        Command::Redmine { action } => match action {
            RedmineAction::Up(args) => redmine::up(args.version),
            RedmineAction::Down(args) => redmine::down(args.version),
            RedmineAction::Status(args) => {
                redmine::status(args.version);
                Ok(())
            }
            RedmineAction::Env(args) => redmine::print_env(args.version),
            RedmineAction::Reset(args) => redmine::reset(args.version),
        },
        Command::Test { nextest_args } => test::run(&nextest_args),
        Command::Bench(args) => bench::run(&args),
    }
}
