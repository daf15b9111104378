//! The shape of the code, held by tests: the layering (no module uses one that depends on it), Discord named only in
//! `src/discord/`, button ids built only in `src/ids.rs`, typed errors, and files kept to a readable size.

use std::path::{Path, PathBuf};

/// Every `.rs` file below `src/`, with its text up to its unit tests (tests may use anything).
fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let code = match text.find("#[cfg(test)]") {
                Some(at) => text[..at].to_string(),
                None => text,
            };
            (p.strip_prefix(&root).unwrap().to_path_buf(), code)
        })
        .collect()
}

/// Lines that are code, not comments.
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| {
        let t = l.trim_start();
        !t.starts_with("//")
    })
}

/// Which top-level module a file belongs to (`trivia/game.rs` → `trivia`, `app.rs` → `app`).
fn module_of(path: &Path) -> String {
    let first = path
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .to_string();
    first.trim_end_matches(".rs").to_string()
}

#[test]
fn each_module_uses_only_the_layers_below_it() {
    // Leaves first: a module may use those before it in this list, never those after.
    let order = [
        "text", "clock", "shards", "kb", "reply", "present", "ids", "store", "context", "packs", "trivia", "settings",
        "daily", "events", "commands", "app", "config", "console", "discord",
    ];
    let mut broken = Vec::new();
    for (path, code) in sources() {
        let module = module_of(&path);
        let Some(at) = order.iter().position(|m| *m == module) else {
            continue; // lib.rs, main.rs
        };
        for above in &order[at + 1..] {
            let used = code_lines(&code).any(|l| {
                l.contains(&format!("crate::{above}::"))
                    || l.contains(&format!("crate::{above}}}"))
                    || l.contains(&format!("crate::{above};"))
            });
            if used && *above != module {
                broken.push(format!("{} uses crate::{above}", path.display()));
            }
        }
    }
    assert!(broken.is_empty(), "layering broken:\n{}", broken.join("\n"));
}

#[test]
fn only_the_discord_module_names_serenity() {
    for (path, code) in sources() {
        if module_of(&path) == "discord" {
            continue;
        }
        let named = code_lines(&code).any(|l| l.contains("serenity::") || l.contains("use serenity"));
        assert!(!named, "{} names serenity", path.display());
    }
}

#[test]
fn button_ids_are_written_only_in_the_ids_module() {
    for (path, code) in sources() {
        if path == Path::new("ids.rs") {
            continue;
        }
        let literal = code_lines(&code).any(|l| l.contains("\"rv1") || l.contains("rv1:"));
        assert!(!literal, "{} writes a button id by hand", path.display());
    }
}

#[test]
fn errors_are_typed_and_the_router_stays_small() {
    for (path, code) in sources() {
        assert!(
            !code.contains("Result<String, String>"),
            "{} passes errors as strings",
            path.display()
        );
    }
    let app = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/app.rs")).unwrap();
    assert!(
        app.lines().count() < 250,
        "src/app.rs has {} lines",
        app.lines().count()
    );
}

#[test]
fn no_file_grows_past_a_readable_size() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    for (path, _) in sources() {
        let lines = std::fs::read_to_string(root.join(&path)).unwrap().lines().count();
        assert!(
            lines <= 700,
            "{} has {lines} lines: split it along its seams",
            path.display()
        );
    }
}
