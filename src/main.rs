//! The `rendezvous` binary: parse the command line, set up logging, load the configuration and the knowledge base,
//! and start the chosen front end. Errors are printed in one place, [`main`], which also picks the exit code.

use clap::{Parser, Subcommand};
use rendezvous::app::App;
use rendezvous::config::{Config, ConfigError};
use rendezvous::console::out::{Out, WriteError};
use rendezvous::console::term::{self, RunError};
use rendezvous::console::{Console, Output};
use rendezvous::kb::{KnowledgeBase, LoadError};
use rendezvous::store::Location;
use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
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
        /// The score database, for /trivia leaderboard and friends: a file, or a postgres:// URL (default: the
        /// configured `database`).
        #[arg(long, value_name = "PATH|URL")]
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
        /// The score database: a file, or a postgres:// URL (default: the configured `database`, rendezvous.db).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// Print exactly the questions a game with this seed would ask, in order, with answers, explanations and
    /// sources: an answer key for a teacher, a reading list for a reviewer.
    Preview {
        /// How many questions (default: the configured rounds).
        #[arg(long)]
        rounds: Option<usize>,
        /// Only questions of this category (as `/trivia start category:`).
        #[arg(long)]
        category: Option<String>,
        /// Only questions of this difficulty: easy, medium or hard.
        #[arg(long)]
        difficulty: Option<String>,
        /// Print a JSON array of questions.
        #[arg(long)]
        json: bool,
        /// A server's score database (a file, or a postgres:// URL): its reported questions are left out and play's
        /// difficulties used, as in that server's games (its recently asked questions are not: they change with
        /// every game).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
        /// The server whose reports count (with --db; default: the console's, 1).
        #[arg(long, value_name = "ID")]
        guild: Option<u64>,
        /// A question pack (CSV or TOML): checked like an upload (every problem, exit 1), then its questions asked.
        #[arg(long, value_name = "FILE")]
        pack: Option<PathBuf>,
        /// With --pack: mix the pack's questions with the knowledge base's, as `mix:true` does.
        #[arg(long, requires = "pack")]
        mix: bool,
    },
    /// Copy the score database to OUT, consistently, even while the bot runs (and check the copy).
    Backup {
        /// The file to write, such as backup.db (never replaced unless --force).
        out: PathBuf,
        /// The score database (default: the configured `database`, rendezvous.db).
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// Replace OUT if it exists (the old copy stays until the new one is complete).
        #[arg(long)]
        force: bool,
    },
    /// Copy every table of a SQLite score file into another database, usually a PostgreSQL server that several
    /// bot processes will share. Safe to run twice: rows already there are left as they are.
    MigrateStore {
        /// The SQLite file the bot kept its scores in, such as rendezvous.db.
        #[arg(long, value_name = "PATH")]
        from: PathBuf,
        /// Where to copy them: a postgres:// URL (or another SQLite file).
        #[arg(long, value_name = "URL|PATH")]
        to: PathBuf,
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

/// Why the program stops early: each kind has its exit code.
enum Failure {
    /// The configuration file or environment is wrong (exit 2).
    Config(ConfigError),
    /// The knowledge base has problems: every one is listed (exit 1).
    Data(LoadError),
    /// What was asked cannot be done as asked: a command the bot does not know, a missing token (exit 2).
    Usage(String),
    /// Something failed while running (exit 1).
    Run(String),
    /// Standard output could not be written: closed by its reader (exit 0, quietly, as `cat` does), or failing (a
    /// full disk: exit 1).
    Output(WriteError),
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Failure {
        Failure::Output(e)
    }
}

impl Failure {
    fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Output(WriteError::Closed) => ExitCode::SUCCESS,
            Failure::Config(_) | Failure::Usage(_) => ExitCode::from(2),
            Failure::Data(_) | Failure::Run(_) | Failure::Output(_) => ExitCode::from(1),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Config(e) => write!(f, "error: {e}"),
            // The problems, one a line, and a summary line: already worded for the person fixing the data.
            Failure::Data(e) => write!(f, "{e}"),
            Failure::Usage(e) | Failure::Run(e) => write!(f, "error: {e}"),
            Failure::Output(e) => write!(f, "error: {e}"),
        }
    }
}

fn main() -> ExitCode {
    // Everything printed to standard output goes through `out`, the help too.
    let out = Out::stdout();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => match out.text(&e.render().to_string()) {
            Ok(()) | Err(WriteError::Closed) => return ExitCode::SUCCESS,
            Err(failed) => {
                eprintln!("error: {failed}");
                return ExitCode::from(1);
            }
        },
        Err(e) => e.exit(),
    };
    match run(&cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of the output went away: nothing to say, and nobody to say it to.
        Err(Failure::Output(WriteError::Closed)) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            failure.exit_code()
        }
    }
}

fn run(cli: &Cli, out: &Out) -> Result<(), Failure> {
    let config = Config::load(cli.config.as_deref()).map_err(Failure::Config)?;
    match &cli.command {
        Some(Cmd::Check) => {
            let kb = load(cli, &config)?;
            out.line(&format!("ok: {} in {}", kb.summary(), data_dir(cli, &config).display()))?;
            Ok(())
        }
        Some(Cmd::Ask { line, json, db }) => ask(cli, &config, line, *json, &database(&config, db.as_deref())?, out),
        Some(Cmd::Console { json, db }) => {
            let db = database(&config, db.as_deref())?;
            run_console(
                open_console(load(cli, &config)?, cli.seed, &db, data_dir(cli, &config)),
                *json,
                out,
            )
        }
        Some(Cmd::Preview {
            rounds,
            category,
            difficulty,
            json,
            db,
            guild,
            pack,
            mix,
        }) => preview(
            cli,
            &config,
            *rounds,
            category.as_deref(),
            difficulty.as_deref(),
            *json,
            db.as_deref().map(|d| database(&config, Some(d))).transpose()?,
            *guild,
            (pack.as_deref(), *mix),
            out,
        ),
        Some(Cmd::Backup { out: target, db, force }) => backup(&config, target, db.as_deref(), *force, out),
        Some(Cmd::MigrateStore { from, to }) => migrate_store(&config, from, to, out),
        Some(Cmd::Run) => run_bot(cli, &config),
        Some(Cmd::Register { guild }) => register(&config, guild.or(config.discord.guild_id), out),
        None if config.discord.token.is_some() => run_bot(cli, &config),
        None => {
            let kb = load(cli, &config)?;
            warn("No Discord token given: starting the terminal console on the shipped data (type help).");
            run_console(
                open_console(kb, cli.seed, &config.database, data_dir(cli, &config)),
                false,
                out,
            )
        }
    }
}

/// The database a command uses: `--db` if given (a file path or a database URL, with the configured pool size),
/// else the configured one. A wrong URL is a usage error, shown without its password (clap would echo it whole).
fn database(config: &Config, db: Option<&Path>) -> Result<Location, Failure> {
    match db {
        None => Ok(config.database.clone()),
        Some(path) => Location::from_path(path)
            .map(|d| d.with_pool(config.database_pool))
            .map_err(|e| Failure::Usage(e.to_string())),
    }
}

/// A warning for the person at the terminal: the program goes on.
fn warn(message: &str) {
    eprintln!("warning: {message}");
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

fn load(cli: &Cli, config: &Config) -> Result<KnowledgeBase, Failure> {
    rendezvous::kb::load_dir(&data_dir(cli, config)).map_err(Failure::Data)
}

fn ask(cli: &Cli, config: &Config, line: &str, json: bool, db: &Location, out: &Out) -> Result<(), Failure> {
    const EMPTY: &str = "ask needs a command to answer, for example: rendezvous ask '/mission name:cassini'";
    if line.trim().is_empty() {
        return Err(Failure::Usage(EMPTY.into()));
    }
    let kb = load(cli, config)?;
    // Only commands that keep scores open the database, so a lookup never creates a file.
    let me = rendezvous::commands::User {
        id: rendezvous::console::FIRST_USER_ID,
        name: rendezvous::console::FIRST_USER.into(),
    };
    let wants_scores = rendezvous::commands::parse(line, me)
        .ok()
        .and_then(|req| rendezvous::commands::Command::parse(&req).ok())
        .is_some_and(|cmd| cmd.needs_store());
    let (mut console, warning) = Console::open(kb, cli.seed, wants_scores.then_some(db), None);
    if let Some(w) = warning {
        warn(&w);
    }
    console.json = json;
    match console.line(line) {
        // A comment (`# …`) answers nothing.
        Output::Text(t) if t.trim().is_empty() => Err(Failure::Usage(EMPTY.into())),
        Output::Text(t) => Ok(out.line(t.trim_end())?),
        Output::Error(e) => Err(Failure::Usage(e)),
        Output::Quit => Ok(()),
    }
}

/// `rendezvous preview`: the questions a game with the seed asks, as an answer key or JSON.
#[allow(clippy::too_many_arguments)]
fn preview(
    cli: &Cli,
    config: &Config,
    rounds: Option<usize>,
    category: Option<&str>,
    difficulty: Option<&str>,
    json: bool,
    db: Option<Location>,
    guild: Option<u64>,
    (pack, mix): (Option<&Path>, bool),
    out: &Out,
) -> Result<(), Failure> {
    use rendezvous::trivia::question::{calibrated, pick_questions_from, Filter, History, Source, CALIBRATE_AFTER};
    let kb = load(cli, config)?;
    let pack = pack.map(|path| read_pack(path, &kb)).transpose()?;
    let filter = Filter::from_values(category, difficulty).map_err(Failure::Usage)?;
    // `--seed` is the game's seed (the same as `/event create seed:`); without it, a random one, printed.
    let seed = cli.seed.unwrap_or_else(rand::random);
    let rounds = rounds.unwrap_or(config.trivia.rounds as usize).clamp(1, 500);
    let history = match db {
        None => History::default(),
        Some(db) => {
            let rt = runtime()?;
            let guild = guild.unwrap_or(rendezvous::console::CONSOLE_GUILD);
            let past = rt
                .block_on(async {
                    let store = rendezvous::store::Store::connect(&db).await?;
                    let past = store
                        .question_history(guild, 0, rendezvous::trivia::reports::BLOCK_AT, CALIBRATE_AFTER)
                        .await;
                    store.close().await;
                    past
                })
                .map_err(|e| Failure::Run(e.to_string()))?;
            History {
                blocked: past.blocked.into_iter().collect(),
                recent: Default::default(),
                calibration: past
                    .stats
                    .into_iter()
                    .filter_map(|(id, answers, right)| calibrated(answers, right).map(|d| (id, d)))
                    .collect(),
            }
        }
    };
    let source = Source::of(pack.as_ref().map(|p| p.questions.as_slice()), mix);
    let questions = pick_questions_from(
        &kb,
        source,
        &filter,
        rounds,
        &mut <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed),
        &history,
    );
    if json {
        let entries: Vec<rendezvous::trivia::render::KeyEntry> = questions.iter().map(Into::into).collect();
        let text = serde_json::to_string_pretty(&entries).map_err(|e| Failure::Run(e.to_string()))?;
        out.line(&text)?;
    } else {
        out.line(&format!(
            "Questions of a game with seed {seed} ({} of {rounds}){}:\n",
            questions.len(),
            match (&pack, mix) {
                (None, _) => "",
                (Some(_), false) => ", from the pack alone",
                (Some(_), true) => ", the pack's mixed with the knowledge base's",
            }
        ))?;
        out.text(&rendezvous::trivia::render::answer_key(&questions))?;
    }
    Ok(())
}

/// A question pack file, read as an upload is (at most `packs::MAX_BYTES`, never read past it) and checked: its
/// questions, or every problem (exit 1).
fn read_pack(path: &Path, kb: &KnowledgeBase) -> Result<rendezvous::packs::Checked, Failure> {
    use rendezvous::packs::{self, PackError};
    use std::io::Read;
    let shown = path.display().to_string();
    let problem = |e: PackError| Failure::Data(e.into_load_error(&shown));
    let file = std::fs::File::open(path).map_err(|e| Failure::Usage(format!("cannot read the pack {shown}: {e}")))?;
    let mut bytes = Vec::new();
    file.take(packs::MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::Usage(format!("cannot read the pack {shown}: {e}")))?;
    if bytes.len() as u64 > packs::MAX_BYTES {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(problem(PackError::TooBig { size }));
    }
    packs::check(&shown, &bytes, kb).map_err(problem)
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
/// `info` that formatting cost more than answering the command (see docs/PERFORMANCE.md).
fn log_directives(level: &str) -> String {
    if level.contains("serenity") {
        level.to_string()
    } else {
        format!("{level},serenity=warn")
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Run(format!("could not start the async runtime: {e}")))
}

fn run_bot(cli: &Cli, config: &Config) -> Result<(), Failure> {
    if config.discord.token.is_none() {
        return Err(Failure::Usage(rendezvous::discord::NO_TOKEN_HELP.to_string()));
    }
    init_logging(config);
    // The runtime comes first, so that its worker threads get allocator arenas of their own. Built after the load,
    // they took over the arenas the loader's threads left behind (glibc hands a finished thread's arena to the next
    // new thread), fragmented by loading, and every interaction's allocations were slower (docs/PERFORMANCE.md).
    let rt = runtime()?;
    let kb = load(cli, config)?;
    let data = data_dir(cli, config);
    rt.block_on(async {
        let shutdown = rendezvous::discord::shutdown_signal();
        // Kept open while the bot runs: tried again with backoff if it cannot be opened now (a locked file, a server
        // that is down), checkpointed every minute, made anew if its file is deleted.
        let store = rendezvous::store::Keeper::open(&config.database, Default::default()).await;
        if let Err(why) = store.current() {
            tracing::warn!("scores are not being kept until the database can be used (trying again): {why}");
        }
        let defaults = rendezvous::trivia::game::Settings {
            rounds: config.trivia.rounds as usize,
            timer_ms: i64::from(config.trivia.timer_secs) * 1000,
            ..Default::default()
        };
        let app = App::new(kb, cli.seed)
            .with_shards(config.discord.shards)
            .with_store(store)
            .with_defaults(defaults)
            .with_data_dir(data)
            .with_owners(rendezvous::discord::owners(config).await);
        // Events that were open when the bot last stopped carry on where they were (those of this process's shards).
        match app.resume().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(events = n, "resumed open events"),
            Err(why) => tracing::warn!("open events could not be resumed: {why}"),
        }
        let app = Arc::new(app);
        let ran = rendezvous::discord::run(config, app.clone(), shutdown).await;
        // Already closed on a clean shutdown; here for every other way out.
        app.keeper().close().await;
        ran
    })
    .map_err(|e| Failure::Run(e.to_string()))
}

/// `rendezvous backup OUT`: a consistent copy of the score database, safe while the bot runs, checked.
fn backup(config: &Config, target: &Path, db: Option<&Path>, force: bool, out: &Out) -> Result<(), Failure> {
    use rendezvous::store::BackupError;
    let db = match db.map(Location::from_path) {
        Some(Ok(Location::File(path))) => path,
        Some(Ok(Location::Postgres(url))) => {
            return Err(Failure::Usage(format!(
                "backup copies a SQLite file, and {url} is a PostgreSQL server: back it up with the server's own tools \
                 (pg_dump)"
            )))
        }
        Some(Err(e)) => return Err(Failure::Usage(e.to_string())),
        None => match &config.database {
            Location::File(path) => path.clone(),
            Location::Postgres(url) => {
                return Err(Failure::Usage(format!(
                    "backup copies a SQLite file, and the database is the PostgreSQL server {url}: back it up with \
                     the server's own tools (pg_dump), or give a file with --db PATH"
                )))
            }
        },
    };
    let copy = runtime()?
        .block_on(rendezvous::store::backup(&db, target, force))
        .map_err(|e| match e {
            BackupError::Exists(_) | BackupError::BadTarget { .. } => Failure::Usage(e.to_string()),
            BackupError::NoDatabase(_) | BackupError::Store(_) => Failure::Run(e.to_string()),
        })?;
    let count = |n: i64, one: &str, many: &str| rendezvous::present::plural(n.max(0) as usize, one, many);
    out.line(&format!(
        "Backed up {} to {}: {}, {}, {}, {} ({:.1} kB); the copy opens and checks out.",
        db.display(),
        copy.out.display(),
        count(copy.games, "game", "games"),
        count(copy.answers, "answer", "answers"),
        count(copy.players, "player", "players"),
        count(copy.events, "event", "events"),
        copy.bytes as f64 / 1000.0
    ))?;
    out.line(&format!(
        "To restore it: stop the bot, remove {0}-wal and {0}-shm if they are there, then copy {1} to {0}.",
        db.display(),
        copy.out.display()
    ))?;
    Ok(())
}

/// `rendezvous migrate-store --from FILE --to URL`: every table of the file copied, safe to run twice.
fn migrate_store(config: &Config, from: &Path, to: &Path, out: &Out) -> Result<(), Failure> {
    use rendezvous::store::CopyError;
    let to = database(config, Some(to))?;
    let copied = runtime()?
        .block_on(rendezvous::store::migrate_store(from, &to))
        .map_err(|e| match e {
            CopyError::NoSource(_) | CopyError::NotAFile(_) | CopyError::Same(_) => Failure::Usage(e.to_string()),
            CopyError::Conflict { .. } | CopyError::Store(_) => Failure::Run(e.to_string()),
        })?;
    out.line(&format!("Copied {} into {to}:", from.display()))?;
    for t in &copied.tables {
        let kept = t.rows - t.copied;
        let note = if kept > 0 {
            format!(" ({kept} already there)")
        } else {
            String::new()
        };
        out.line(&format!("  {:<18} {:>8} of {} rows{note}", t.table, t.copied, t.rows))?;
    }
    if copied.copied() == 0 {
        out.line("Nothing new: every row was already there.")?;
    } else {
        let password = if matches!(to, Location::Postgres(_)) {
            " (with the real password)"
        } else {
            ""
        };
        out.line(&format!(
            "{} rows copied. Point the bot at it: database = \"{to}\"{password}, or RENDEZVOUS_DB.",
            copied.copied()
        ))?;
    }
    Ok(())
}

fn register(config: &Config, guild: Option<u64>, out: &Out) -> Result<(), Failure> {
    if config.discord.token.is_none() {
        return Err(Failure::Usage(rendezvous::discord::NO_TOKEN_HELP.to_string()));
    }
    init_logging(config);
    let lines = runtime()?
        .block_on(rendezvous::discord::register(config, guild))
        .map_err(|e| Failure::Run(e.to_string()))?;
    for l in lines {
        out.line(&l)?;
    }
    Ok(())
}

fn open_console(kb: KnowledgeBase, seed: Option<u64>, db: &Location, data: PathBuf) -> Console {
    let (console, warning) = Console::open(kb, seed, Some(db), Some(data));
    if let Some(w) = warning {
        warn(&w);
    }
    console
}

/// The console: a script from a pipe or a file, or a person at a terminal.
fn run_console(mut console: Console, json: bool, out: &Out) -> Result<(), Failure> {
    console.json = json;
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let summary = if interactive {
        term::run_interactive(console, out)
    } else {
        term::run_piped(&mut console, stdin.lock(), out)
    }
    .map_err(|e| match e {
        RunError::Write(e) => Failure::Output(e),
        RunError::Read(e) => Failure::Run(format!("cannot read input: {e}")),
    })?;
    if summary.errors > 0 && !interactive {
        warn(&format!("{} line(s) could not be understood", summary.errors));
    }
    Ok(())
}
