//! Standard output for the binary. Every line the program prints goes through an [`Out`]: a reader that stops
//! reading (`| head -1`) closes the pipe, which ends the program quietly, as `cat` does; any other failure to write
//! (a full disk) is an error to report. Never a panic, and no line is half-written by two threads.

use std::fmt;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

/// Why a line could not be printed.
#[derive(Debug)]
pub enum WriteError {
    /// Whoever read the output stopped reading (a closed pipe): stop quietly.
    Closed,
    /// The output could not be written (a full disk, a device error).
    Failed(io::Error),
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> WriteError {
        if e.kind() == io::ErrorKind::BrokenPipe {
            WriteError::Closed
        } else {
            WriteError::Failed(e)
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Closed => f.write_str("the output was closed"),
            WriteError::Failed(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

impl std::error::Error for WriteError {}

/// Where printed lines go: standard output, or any writer (tests). Clones share the writer, so a line printed by
/// the console's timer thread never cuts into one printed by the reading loop.
#[derive(Clone)]
pub struct Out {
    sink: Arc<Mutex<Box<dyn Write + Send>>>,
}

impl Out {
    /// Standard output.
    pub fn stdout() -> Out {
        Out::new(io::stdout())
    }

    pub fn new(w: impl Write + Send + 'static) -> Out {
        Out {
            sink: Arc::new(Mutex::new(Box::new(w))),
        }
    }

    /// Print `text` and a newline, and flush, so a failure is known now rather than at exit.
    pub fn line(&self, text: &str) -> Result<(), WriteError> {
        self.put(text, true)
    }

    /// Print `text` as it is (a prompt), and flush.
    pub fn text(&self, text: &str) -> Result<(), WriteError> {
        self.put(text, false)
    }

    fn put(&self, text: &str, newline: bool) -> Result<(), WriteError> {
        // A thread that panicked while printing left the writer as it was: printing on is safe.
        let mut w = self.sink.lock().unwrap_or_else(|p| p.into_inner());
        w.write_all(text.as_bytes())?;
        if newline {
            w.write_all(b"\n")?;
        }
        w.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that fails the way a closed pipe or a full disk does.
    struct Failing(io::ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(self.0))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_is_closed_and_a_full_disk_is_a_failure() {
        let closed = Out::new(Failing(io::ErrorKind::BrokenPipe));
        assert!(matches!(closed.line("x"), Err(WriteError::Closed)));
        let full = Out::new(Failing(io::ErrorKind::StorageFull));
        let e = full.line("x").unwrap_err();
        assert!(matches!(e, WriteError::Failed(_)));
        assert!(e.to_string().starts_with("cannot write the output"), "{e}");
    }
}
