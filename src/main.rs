//! The `rendezvous` binary: parse the command line, set up logging, load the configuration and the knowledge base,
//! and start the chosen front end. Errors are printed in one place.

use clap::{Parser, Subcommand};
use rendezvous::app::App;
use rendezvous::config::Config;
use rendezvous::console::{Console, Output};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "rendezvous",
    version,
    about = "A Discord bot that teaches and quizzes people about international space missions."
)]
struct Cli {
    /// The configuration file (default: ./rendezvous.toml if it exists; see config/rendezvous.example.toml).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// The knowledge base directory (default: ./data, or the one shipped with the source).
    #[arg(long, global = true)]
    data: Option<PathBuf>,
    /// Fix every random choice (facts, questions) with this seed.
    #[arg(long, global = true)]
    seed: Option<u64>,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Load and check the knowledge base; print the counts, or every problem with file and line.
    Check,
    /// Answer one command and exit: rendezvous ask '/mission name:cassini'.
    Ask {
        /// The score database, for /trivia leaderboard and friends (default: the configured `database`).
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// The command line, as on Discord.
        line: String,
        /// Print the reply as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Read commands line by line (interactive, or piped from a file).
    Console {
        #[arg(long)]
        json: bool,
        /// The score database (default: the configured `database`, rendezvous.db).
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
    },
    /// Run the Discord bot (needs DISCORD_TOKEN); stops cleanly on Ctrl-C or SIGTERM.
    Run,
    /// Register the slash commands with Discord now and print them (needs DISCORD_TOKEN).
    Register {
        /// Register in this server only (default: discord.guild_id / RENDEZVOUS_GUILD_ID, else globally).
        #[arg(long, value_name = "ID")]
        guild: Option<u64>,
    },
}

fn data_dir(cli: &Cli, config: &Config) -> PathBuf {
    if let Some(d) = cli.data.as_ref().or(config.data_dir.as_ref()) {
        return d.clone();
    }
    let local = PathBuf::from("data");
    if local.join("meta.toml").exists() {
        return local;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn load(cli: &Cli, config: &Config) -> Result<rendezvous::kb::KnowledgeBase, ExitCode> {
    let dir = data_dir(cli, config);
    rendezvous::kb::load_dir(&dir).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(1)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match &cli.command {
        Some(Cmd::Check) => match load(&cli, &config) {
            Ok(kb) => {
                println!(
                    "ok: {} missions, {} agencies, {} facts, {} curated questions (data as of {}) in {}",
                    kb.missions.len(),
                    kb.agencies.len(),
                    kb.fact_count(),
                    kb.questions.len(),
                    kb.meta.as_of,
                    data_dir(&cli, &config).display()
                );
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
        Some(Cmd::Ask { line, json, db }) => {
            let kb = match load(&cli, &config) {
                Ok(kb) => kb,
                Err(code) => return code,
            };
            // Only commands that keep scores open the database, so a lookup never creates a file.
            let wants_scores = ["/trivia", "/answer", "/event"]
                .iter()
                .any(|c| line.trim_start().starts_with(c));
            let db = db.clone().unwrap_or_else(|| config.database.clone());
            let (mut console, warning) = Console::open(kb, cli.seed, wants_scores.then_some(db.as_path()), None);
            if let Some(w) = warning {
                eprintln!("warning: {w}");
            }
            console.json = *json;
            match console.line(line) {
                Output::Text(t) => {
                    println!("{}", t.trim_end());
                    ExitCode::SUCCESS
                }
                Output::Error(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
                Output::Quit => ExitCode::SUCCESS,
            }
        }
        Some(Cmd::Console { json, db }) => {
            let kb = match load(&cli, &config) {
                Ok(kb) => kb,
                Err(code) => return code,
            };
            let db = db.clone().unwrap_or_else(|| config.database.clone());
            run_console(open_console(kb, cli.seed, &db, data_dir(&cli, &config)), *json)
        }
        Some(Cmd::Run) => run_bot(&cli, &config),
        Some(Cmd::Register { guild }) => register(&config, guild.or(config.discord.guild_id)),
        None if config.discord.token.is_some() => run_bot(&cli, &config),
        None => {
            let kb = match load(&cli, &config) {
                Ok(kb) => kb,
                Err(code) => return code,
            };
            eprintln!("No Discord token given: starting the terminal console on the shipped data (type help).");
            run_console(
                open_console(kb, cli.seed, &config.database, data_dir(&cli, &config)),
                false,
            )
        }
    }
}

/// Log to stderr: `RUST_LOG` if set, else the configured level.
fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(log_directives(&config.log_level)))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(log_directives("info")));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

/// The configured level, with serenity's own spans and info lines kept at warnings unless the level names serenity.
/// serenity opens an INFO span around every REST call that records the request, body included, with `Debug`: at
/// `info` that formatting cost more than answering the command (see README, Performance).
fn log_directives(level: &str) -> String {
    if level.contains("serenity") {
        level.to_string()
    } else {
        format!("{level},serenity=warn")
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()
}

fn run_bot(cli: &Cli, config: &Config) -> ExitCode {
    if config.discord.token.is_none() {
        eprintln!("error: {}", rendezvous::discord::NO_TOKEN_HELP);
        return ExitCode::from(2);
    }
    init_logging(config);
    // The runtime comes first, so that its worker threads get allocator arenas of their own. Built after the load,
    // they took over the arenas the loader's threads left behind (glibc hands a finished thread's arena to the next
    // new thread), fragmented by loading, and every interaction's allocations were slower (README, Performance).
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let kb = match load(cli, config) {
        Ok(kb) => kb,
        Err(code) => return code,
    };
    let data = data_dir(cli, config);
    let result = rt
        .block_on(async {
            let shutdown = rendezvous::discord::shutdown_signal();
            let store = rendezvous::app::open_scores(&config.database).await;
            if let Err(why) = &store {
                tracing::warn!("scores will not be kept: {why}");
            }
            let defaults = rendezvous::trivia::game::Settings {
                rounds: config.trivia.rounds as usize,
                timer_ms: i64::from(config.trivia.timer_secs) * 1000,
                ..Default::default()
            };
            let app = App::new(kb, cli.seed)
                .with_store(store)
                .with_defaults(defaults)
                .with_data_dir(data)
                .with_owners(rendezvous::discord::owners(config).await);
            // Events that were open when the bot last stopped carry on where they were.
            match app.resume().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(events = n, "resumed open events"),
                Err(why) => tracing::warn!("open events could not be resumed: {why}"),
            }
            rendezvous::discord::run(config, Arc::new(app), shutdown).await
        })
        .map_err(|e| e.to_string());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn register(config: &Config, guild: Option<u64>) -> ExitCode {
    if config.discord.token.is_none() {
        eprintln!("error: {}", rendezvous::discord::NO_TOKEN_HELP);
        return ExitCode::from(2);
    }
    init_logging(config);
    let result = runtime().map_err(|e| e.to_string()).and_then(|rt| {
        rt.block_on(rendezvous::discord::register(config, guild))
            .map_err(|e| e.to_string())
    });
    match result {
        Ok(lines) => {
            for l in lines {
                println!("{l}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn open_console(kb: rendezvous::kb::KnowledgeBase, seed: Option<u64>, db: &std::path::Path, data: PathBuf) -> Console {
    let (console, warning) = Console::open(kb, seed, Some(db), Some(data));
    if let Some(w) = warning {
        eprintln!("warning: {w}");
    }
    console
}

fn run_console(mut console: Console, json: bool) -> ExitCode {
    console.json = json;
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    if interactive {
        println!("Rendezvous console. Type help for help, quit to leave.");
        console.follow_real_time();
    }
    let mut errors = 0;
    let mut out = std::io::stdout();
    loop {
        if interactive {
            print!("> ");
            let _ = out.flush();
        }
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("error: cannot read input: {e}");
                return ExitCode::from(1);
            }
        }
        if !interactive && !line.trim().is_empty() {
            println!("> {}", line.trim_end());
        }
        match console.line(&line) {
            Output::Text(t) if t.is_empty() => {}
            Output::Text(t) => println!("{}", t.trim_end()),
            Output::Error(e) => {
                errors += 1;
                println!("error: {e}");
            }
            Output::Quit => break,
        }
    }
    // Games still running end cleanly, as on a bot shutdown: their scores are already saved.
    for text in console.shutdown() {
        println!("{}", text.trim_end());
    }
    if errors > 0 && !interactive {
        eprintln!("{errors} line(s) could not be understood");
    }
    ExitCode::SUCCESS
}
