//! The `rendezvous` binary: parse the command line, set up logging, load the configuration and the knowledge base,
//! and start the chosen front end. Errors are printed in one place.

use clap::{Parser, Subcommand};
use rendezvous::app::App;
use rendezvous::console::{Console, Output};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "rendezvous", version, about = "A Discord bot that teaches and quizzes people about international space missions.")]
struct Cli {
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
    },
}

fn data_dir(cli: &Cli) -> PathBuf {
    if let Some(d) = &cli.data {
        return d.clone();
    }
    let local = PathBuf::from("data");
    if local.join("meta.toml").exists() {
        return local;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn load(cli: &Cli) -> Result<rendezvous::kb::KnowledgeBase, ExitCode> {
    let dir = data_dir(cli);
    rendezvous::kb::load_dir(&dir).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(1)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Cmd::Check) => match load(&cli) {
            Ok(kb) => {
                println!(
                    "ok: {} missions, {} agencies, {} facts, {} curated questions (data as of {}) in {}",
                    kb.missions.len(),
                    kb.agencies.len(),
                    kb.fact_count(),
                    kb.questions.len(),
                    kb.meta.as_of,
                    data_dir(&cli).display()
                );
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
        Some(Cmd::Ask { line, json }) => {
            let kb = match load(&cli) {
                Ok(kb) => kb,
                Err(code) => return code,
            };
            let mut console = Console::new(Arc::new(App::new(kb, cli.seed)));
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
        Some(Cmd::Console { json }) => {
            let kb = match load(&cli) {
                Ok(kb) => kb,
                Err(code) => return code,
            };
            run_console(Console::new(Arc::new(App::new(kb, cli.seed))), *json)
        }
        None => {
            let kb = match load(&cli) {
                Ok(kb) => kb,
                Err(code) => return code,
            };
            eprintln!("No Discord token given: starting the terminal console on the shipped data (type help).");
            run_console(Console::new(Arc::new(App::new(kb, cli.seed))), false)
        }
    }
}

fn run_console(mut console: Console, json: bool) -> ExitCode {
    console.json = json;
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    if interactive {
        println!("Rendezvous console. Type help for help, quit to leave.");
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
    if errors > 0 && !interactive {
        eprintln!("{errors} line(s) could not be understood");
    }
    ExitCode::SUCCESS
}
