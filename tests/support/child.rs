//! A running `rendezvous` process: its standard error read as it comes (so a test can wait for a line) and kept
//! whole; killed if the test fails before it ends.

#![allow(dead_code)]

use super::fake_discord::WAIT;
use std::io::BufRead;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Running {
    child: Option<Child>,
    text: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// Names it in failure messages.
    pub name: String,
}

impl Running {
    /// Start `cmd` with its standard error piped to the test.
    pub fn spawn(name: &str, mut cmd: Command) -> Running {
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the binary");
        let pipe = child.stderr.take().expect("stderr is piped");
        let text = Arc::new(Mutex::new(String::new()));
        let sink = text.clone();
        let reader = std::thread::spawn(move || {
            for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut t = sink.lock().unwrap();
                t.push_str(&line);
                t.push('\n');
            }
        });
        Running {
            child: Some(child),
            text,
            reader: Some(reader),
            name: name.to_string(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Everything it wrote to standard error so far.
    pub fn stderr(&self) -> String {
        self.text.lock().unwrap().clone()
    }

    /// Wait until its standard error holds `what` `n` times.
    pub async fn wait_for_n(&self, what: &str, n: usize) {
        let end = Instant::now() + WAIT;
        while self.stderr().matches(what).count() < n {
            assert!(
                Instant::now() < end,
                "{}: no `{what}` (×{n}) in stderr:\n{}",
                self.name,
                self.stderr()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn wait_for(&self, what: &str) {
        self.wait_for_n(what, 1).await;
    }

    /// Send `signal` (`TERM`, `KILL`, …) and wait for it to end; returns how it ended and all it wrote.
    pub async fn signal_and_wait(mut self, signal: &str) -> (ExitStatus, String) {
        let status = Command::new("kill")
            .args([format!("-{signal}"), self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -{signal}");
        let mut child = self.child.take().expect("running");
        let waiting = tokio::task::spawn_blocking(move || {
            let end = Instant::now() + WAIT;
            loop {
                if let Some(s) = child.try_wait().expect("wait for the binary") {
                    return Some(s);
                }
                if Instant::now() > end {
                    let _ = child.kill();
                    let _ = child.wait();
                    return None;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let status = waiting.await.unwrap();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let text = self.stderr();
        let status = status.unwrap_or_else(|| panic!("{} did not end within {WAIT:?}:\n{text}", self.name));
        (status, text)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
