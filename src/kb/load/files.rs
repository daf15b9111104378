//! Finding and reading the data directory's files, whatever is in it: only regular files are read (a FIFO would
//! block, a link to `/dev/zero` would never end), each at most [`MAX_FILE_BYTES`]; a directory reached twice (a link
//! loop) is named once; a path that cannot be read is named exactly; a file that is not UTF-8 is read up to the line
//! of the bad byte.

use super::Problem;
use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest data file read: the shipped files are a few hundred kilobytes.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The `*.toml` files below a directory, and what could not be read on the way.
#[derive(Default)]
pub(super) struct Found {
    pub(super) files: Vec<PathBuf>,
    pub(super) problems: Vec<Problem>,
    /// Each directory read, by its canonical path.
    visited: HashSet<PathBuf>,
}

fn problem(path: &Path, message: String) -> Problem {
    Problem {
        file: path.to_path_buf(),
        line: 0,
        key: String::new(),
        message,
    }
}

/// Walk `dir`: its `*.toml` files, in name order, and a problem for each thing that stops one being read.
pub(super) fn find_toml(dir: &Path) -> Result<Found, std::io::Error> {
    let mut found = Found::default();
    let canonical = std::fs::canonicalize(dir)?;
    let entries = std::fs::read_dir(dir)?;
    found.visited.insert(canonical.clone());
    walk(dir, &canonical, entries, &mut found);
    found.files.sort();
    Ok(found)
}

fn walk(dir: &Path, canonical: &Path, entries: std::fs::ReadDir, found: &mut Found) {
    for entry in entries {
        let path = match entry {
            Ok(e) => e.path(),
            Err(e) => {
                found
                    .problems
                    .push(problem(dir, format!("cannot list this directory: {e}")));
                return;
            }
        };
        // Links are followed: what counts is what they lead to.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if path.extension().is_some_and(|x| x == "toml") || path.is_symlink() => {
                let what = if path.is_symlink() {
                    "a link that leads nowhere readable"
                } else {
                    "cannot be read"
                };
                found
                    .problems
                    .push(problem(&path, format!("{what}: {e}; remove it or fix it")));
                continue;
            }
            Err(_) => continue,
        };
        if meta.is_dir() {
            enter(&path, canonical, found);
        } else if path.extension().is_some_and(|x| x == "toml") {
            if meta.is_file() {
                found.files.push(path);
            } else {
                found.problems.push(problem(
                    &path,
                    format!(
                        "is not a regular file ({}): only regular files are read; remove it or put a file there",
                        kind_of(&meta)
                    ),
                ));
            }
        }
    }
}

/// Read a subdirectory, unless it was read already (a link back up the tree, or a second link to one directory).
fn enter(path: &Path, parent: &Path, found: &mut Found) {
    let canonical = match std::fs::canonicalize(path) {
        Ok(c) => c,
        Err(e) => {
            found
                .problems
                .push(problem(path, format!("cannot read this directory: {e}")));
            return;
        }
    };
    if found.visited.contains(&canonical) {
        let message = if parent.starts_with(&canonical) {
            format!(
                "is a link loop: it leads back to {}, which contains it; remove the link",
                canonical.display()
            )
        } else {
            format!(
                "leads to {}, which is already read (two links to one directory): remove one",
                canonical.display()
            )
        };
        found.problems.push(problem(path, message));
        return;
    }
    found.visited.insert(canonical.clone());
    match std::fs::read_dir(path) {
        Ok(entries) => walk(path, &canonical, entries, found),
        Err(e) => found.problems.push(problem(
            path,
            format!("cannot read this directory: {e}; fix its permissions or move it out of the data directory"),
        )),
    }
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = meta;
    "not a file"
}

/// A file's text: all of it, or the part before a line that stopped the reading (with that line's problem).
pub(super) struct Text<'s> {
    pub(super) text: Cow<'s, str>,
    pub(super) cut: Option<Problem>,
    /// The ids (`id = "…"`) written in the part left out: references to them are not reported as unknown.
    pub(super) left_out_ids: Vec<String>,
}

/// Read one file found by [`find_toml`]; `Err` says why it could not be read at all.
pub(super) fn read_text(path: &Path) -> Result<Text<'static>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
    // It was a regular file when the directory was walked; check the one opened.
    let meta = file.metadata().map_err(|e| format!("cannot read the file: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "is not a regular file ({}): only regular files are read",
            kind_of(&meta)
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "is larger than {} MiB, the most a data file may hold: split it into several files",
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    Ok(utf8_prefix(path, bytes))
}

/// The text of `bytes`, or, when a byte is not UTF-8, the lines before its line and a problem naming it.
pub(super) fn utf8_prefix(path: &Path, bytes: Vec<u8>) -> Text<'static> {
    match String::from_utf8(bytes) {
        Ok(text) => Text {
            text: Cow::Owned(text),
            cut: None,
            left_out_ids: Vec::new(),
        },
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            let line_start = bytes[..good].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let line = bytes[..good].iter().filter(|b| **b == b'\n').count() + 1;
            let column = good - line_start + 1;
            let message = format!(
                "this line is not UTF-8 text (byte {column} of the line, 0x{:02X}, is not part of a character): the \
                 file was read up to the line before and the rest left out (so an entry cut here may miss keys, and \
                 references to the ids after it are not checked); save the file as UTF-8",
                bytes[good]
            );
            let left_out_ids = ids_in(&String::from_utf8_lossy(&bytes[line_start..]));
            bytes.truncate(line_start);
            Text {
                // Everything before the line is valid UTF-8.
                text: Cow::Owned(String::from_utf8(bytes).unwrap_or_default()),
                cut: Some(Problem {
                    file: path.to_path_buf(),
                    line,
                    key: String::new(),
                    message,
                }),
                left_out_ids,
            }
        }
    }
}

/// The values of `id = "…"` lines: enough to know which entries a part of a file that was not read declares.
fn ids_in(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let (key, value) = l.split_once('=')?;
            let value = value.trim();
            (key.trim() == "id" && value.len() >= 2 && value.starts_with('"') && value.ends_with('"'))
                .then(|| value[1..value.len() - 1].to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_byte_cuts_the_file_at_its_line() {
        let t = utf8_prefix(Path::new("x.toml"), b"a = 1\nb = \"\xE9\"\nid = \"later\"\n".to_vec());
        assert_eq!(t.text, "a = 1\n");
        assert_eq!(t.left_out_ids, ["later"]);
        let cut = t.cut.unwrap();
        assert_eq!(cut.line, 2);
        assert!(cut.message.contains("byte 6 of the line, 0xE9"), "{}", cut.message);
        let t = utf8_prefix(Path::new("x.toml"), b"\xFFa = 1\n".to_vec());
        assert_eq!((t.text.as_ref(), t.cut.unwrap().line), ("", 1));
    }
}
