//! The question pack commands: teachers' own questions, uploaded, listed, shown, exported and removed.

use super::*;
use crate::packs::{PackCmd, MAX_NAME};

fn pack(cmd: PackCmd) -> Result<Command, CommandError> {
    Ok(Command::Pack(cmd))
}

/// The `name` option of a pack.
pub fn pack_name_opt(name: &'static str, description: &'static str, required: bool) -> OptionDef {
    OptionDef {
        max_len: Some(MAX_NAME as u16),
        ..opt(name, description, OptKind::String, required)
    }
}

/// Question packs: Manage Server, or a configured host role. Every reply is private.
pub(super) fn pack_commands() -> Vec<CommandDef> {
    let host = |s: SubDef| SubDef {
        access: Access::PackHost,
        ..s
    };
    vec![group(
        "pack",
        "Your own questions: upload a CSV or TOML question pack, then play it (Manage Server or host role)",
        vec![
            host(
                sub(
                    "upload",
                    "Upload a question pack (CSV or TOML, at most 1 MB): checked, then kept for this server",
                    vec![
                        opt(
                            "file",
                            "A CSV (question, answer, wrong1-3, explanation, source, difficulty, tags) or TOML",
                            OptKind::Attachment,
                            true,
                        ),
                        pack_name_opt(
                            "name",
                            "The pack's name, used by /trivia start pack: and /event create",
                            true,
                        ),
                    ],
                    |a| {
                        pack(PackCmd::Upload {
                            file: a.file("file")?,
                            name: a.text("name")?,
                        })
                    },
                )
                .example("/pack upload file:questions.csv name:\"Mars lesson\""),
            ),
            host(sub("list", "This server's question packs", vec![], |_| pack(PackCmd::List)).example("/pack list")),
            host(
                sub(
                    "show",
                    "A pack's first questions, with their answers",
                    vec![pack_name_opt("name", "Which pack", true)],
                    |a| pack(PackCmd::Show { name: a.text("name")? }),
                )
                .example("/pack show name:\"Mars lesson\""),
            ),
            host(
                sub(
                    "export",
                    "Download a pack's file, as it was uploaded",
                    vec![pack_name_opt("name", "Which pack", true)],
                    |a| pack(PackCmd::Export { name: a.text("name")? }),
                )
                .example("/pack export name:\"Mars lesson\""),
            ),
            host(
                sub(
                    "remove",
                    "Remove a pack from this server (asks for confirmation)",
                    vec![pack_name_opt("name", "Which pack", true)],
                    |a| pack(PackCmd::Remove { name: a.text("name")? }),
                )
                .example("/pack remove name:\"Mars lesson\""),
            ),
        ],
    )]
}
