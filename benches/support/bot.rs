//! The built `rendezvous run` binary as a child process pointed at a fake Discord, stopped with SIGTERM when dropped.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A bot process; SIGTERM (then SIGKILL after 5 s) when dropped.
pub struct BotProcess {
    pub child: Child,
    pub name: &'static str,
}

impl BotProcess {
    /// `rendezvous run` on the shipped data, against the API at `base`, with its files (database, log) in `dir`.
    pub fn rendezvous(base: &str, dir: &Path) -> BotProcess {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rendezvous"));
        cmd.arg("run");
        BotProcess::spawn("rendezvous", cmd, base, dir)
    }

    /// Start `cmd` as a bot against the API at `base`, in `dir`, its output in `dir/NAME.log`.
    pub fn spawn(name: &'static str, mut cmd: Command, base: &str, dir: &Path) -> BotProcess {
        let log = std::fs::File::create(dir.join(format!("{name}.log"))).expect("create the bot's log");
        let child = cmd
            .current_dir(dir)
            .env("DISCORD_TOKEN", "bench-token")
            .env("RENDEZVOUS_DISCORD_API", base)
            .env("RENDEZVOUS_DATA", super::shipped_data())
            .env("RENDEZVOUS_DB", dir.join("scores.db"))
            .env_remove("RENDEZVOUS_GUILD_ID")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("clone the log handle"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        BotProcess { child, name }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Fail with the log when the process is no longer running.
    pub fn assert_running(&mut self, dir: &Path) {
        if let Ok(Some(status)) = self.child.try_wait() {
            let log = std::fs::read_to_string(dir.join(format!("{}.log", self.name))).unwrap_or_default();
            panic!("{} exited early ({status}):\n{log}", self.name);
        }
    }

    /// Ask the process to stop (SIGTERM) and wait for it, up to `grace`.
    pub fn stop(&mut self, grace: Duration) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let end = Instant::now() + grace;
        while Instant::now() < end {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.stop(Duration::from_secs(5));
        }
    }
}
