//! The `/pack` commands and their confirmation buttons, and a server's pack as a game or event loads it.
//!
//! Every reply is private: a pack holds a quiz's answers. An upload is checked whole before anything is stored;
//! an upload under a name the server already uses waits in memory (for [`PENDING_MS`]) until its uploader presses
//! Replace, and removing asks too. Each store write is one transaction.

use super::{check, name_key, shown_name, Checked, Format, PackError, BOM, MAX_BYTES, MAX_PACKS, SHOWN_PROBLEMS};
use crate::context::{Caller, Ctx, Scores, Upload};
use crate::ids::ButtonId;
use crate::kb::{CuratedQuestion, KnowledgeBase};
use crate::present::{self, LETTERS};
use crate::reply::{colour, Attachment, Button, ButtonStyle, Reply};
use crate::store::{NewPack, PackInfo, Saved, Store};
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

/// How long an upload waits for its Replace button.
pub const PENDING_MS: i64 = 15 * 60 * 1000;
/// Uploads waiting for a confirmation at once (each holds its file, up to 1 MB): the oldest goes first.
const MAX_PENDING: usize = 64;
/// Questions `/pack show` shows.
const SHOWN_QUESTIONS: usize = 5;

/// The `/pack` commands, with their arguments read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackCmd {
    /// `/pack upload file name`.
    Upload { file: Upload, name: String },
    /// `/pack list`.
    List,
    /// `/pack show name`: the first questions.
    Show { name: String },
    /// `/pack export name`: the file back.
    Export { name: String },
    /// `/pack remove name`: asks first.
    Remove { name: String },
}

/// An upload waiting for its uploader to confirm that it replaces the pack of its name.
struct Pending {
    guild: u64,
    user: u64,
    name: String,
    /// The name of the pack it would replace, as that was uploaded.
    old_name: String,
    key: String,
    filename: String,
    checked: Checked,
    at: i64,
}

/// The question packs' commands, and the uploads waiting for a confirmation.
#[derive(Default)]
pub struct Packs {
    pending: Mutex<HashMap<u64, Pending>>,
}

/// A server's pack, loaded and checked, ready for a game.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerPack {
    /// Its name as uploaded.
    pub name: String,
    pub questions: Vec<CuratedQuestion>,
}

/// Why a server's pack cannot be played: a message for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackUnavailable(pub String);

impl fmt::Display for PackUnavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The store, or why there is none.
fn need(store: Scores<'_>) -> Result<&Store, String> {
    store.map_err(|why| {
        format!("Question packs are kept in the database, which is unavailable right now: {why}. Try again later.")
    })
}

/// The store and the key of the pack named `name`, or why there is neither.
fn store_and_key<'s>(store: Scores<'s>, name: &str) -> Result<(&'s Store, String), String> {
    let store = need(store)?;
    let (_, key) = name_key(name).map_err(|e| e.0)?;
    Ok((store, key))
}

/// The pack named `name` of the caller's server, read and checked again against today's knowledge base.
pub async fn questions_of(
    store: Scores<'_>,
    guild: Option<u64>,
    name: &str,
    kb: &KnowledgeBase,
) -> Result<ServerPack, PackUnavailable> {
    let Some(guild) = guild else {
        return Err(PackUnavailable(
            "Question packs belong to a server: play one in its server.".into(),
        ));
    };
    let (store, key) = store_and_key(store, name).map_err(PackUnavailable)?;
    let row = match store.pack(guild, &key).await {
        Ok(Some(row)) => row,
        Ok(None) => return Err(PackUnavailable(no_such_pack(name))),
        Err(e) => {
            return Err(PackUnavailable(format!(
                "I could not read the pack: {e}. Try again in a moment."
            )))
        }
    };
    match check(&row.info.filename, row.body.as_bytes(), kb) {
        Ok(c) => Ok(ServerPack {
            name: row.info.name,
            questions: c.questions,
        }),
        Err(e) => Err(PackUnavailable(format!(
            "The pack **{}** no longer passes the check (the knowledge base changed since it was uploaded): {}. \
             Fix the file (`/pack export` gives it back) and upload it again.",
            shown_name(&row.info.name),
            crate::text::truncate(&e.to_string().replace('\n', "; "), 600)
        ))),
    }
}

/// The pack a game or event asks for (`pack:`), loaded and checked; `None` without one. `mix` needs a pack.
pub async fn pack_for(name: Option<&str>, mix: bool, cx: &Ctx<'_>) -> Result<Option<ServerPack>, PackUnavailable> {
    match name {
        None if mix => Err(PackUnavailable(
            "`mix:true` mixes a pack's questions with the knowledge base's: give the pack too (`pack:NAME`; \
             `/pack list` shows this server's)."
                .into(),
        )),
        None => Ok(None),
        Some(name) => questions_of(cx.store, cx.caller.guild, name, cx.kb).await.map(Some),
    }
}

/// " from the pack **X**" (" and the knowledge base" when mixed), for a game's or event's intro; empty without one.
pub fn from_pack(pack: Option<&ServerPack>, mix: bool) -> String {
    match pack {
        None => String::new(),
        Some(p) => format!(
            " from the pack **{}**{}",
            shown_name(&p.name),
            if mix { " and the knowledge base" } else { "" }
        ),
    }
}

fn no_such_pack(name: &str) -> String {
    format!(
        "This server has no pack named **{}**. `/pack list` shows its packs; `/pack upload` adds one.",
        shown_name(&crate::text::truncate(name, super::MAX_NAME))
    )
}

/// Problems as a reply: the first few in the message, every one in a file beside it.
pub fn problems_reply(intro: &str, e: &PackError, filename: &str) -> Reply {
    let mut r = Reply::card("The pack was not stored").ephemeral();
    r.colour = Some(colour::ERROR);
    match e {
        PackError::Problems(problems) => {
            // In a code block: the problems quote what the file holds, shown as text.
            let shown: Vec<String> = problems
                .iter()
                .take(SHOWN_PROBLEMS)
                .map(|p| crate::text::truncate(&p.to_string(), 250).replace("```", "'''"))
                .collect();
            r.text = format!(
                "{intro} has {}; nothing was stored. Fix {} and upload it again:\n```\n{}\n```",
                present::plural(problems.len(), "problem", "problems"),
                if problems.len() == 1 { "it" } else { "them" },
                shown.join("\n")
            );
            if problems.len() > SHOWN_PROBLEMS {
                r.text.push_str(&format!(
                    "\n…and {} more: every one is in the attached file.",
                    problems.len() - SHOWN_PROBLEMS
                ));
                let all: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                r.attachments.push(Attachment {
                    filename: format!("{}-problems.txt", stem(filename)),
                    content: all.join("\n") + "\n",
                });
            }
        }
        other => r.text = format!("{intro}: {} Nothing was stored.", sentence(&other.to_string())),
    }
    r.fit()
}

/// A message as a sentence, ending with a full stop.
fn sentence(s: &str) -> String {
    if s.ends_with('.') {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// A file name without its extension, safe for an attachment's name.
fn stem(filename: &str) -> String {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    if safe.trim_matches('-').is_empty() {
        "pack".into()
    } else {
        safe
    }
}

impl Packs {
    pub fn new() -> Packs {
        Packs::default()
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Pending>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Handle `/pack …`. Every reply is private.
    pub async fn command(&self, cmd: PackCmd, cx: &Ctx<'_>) -> Reply {
        let Some(guild) = cx.caller.guild else {
            return Reply::error("Question packs are kept per server: use `/pack` in a server.");
        };
        let reply = match cmd {
            PackCmd::Upload { file, name } => self.upload(guild, file, &name, cx).await,
            PackCmd::List => list(guild, cx.store).await,
            PackCmd::Show { name } => show(guild, &name, cx).await,
            PackCmd::Export { name } => export(guild, &name, cx.store).await,
            PackCmd::Remove { name } => remove_confirm(guild, &name, cx).await,
        };
        reply.ephemeral().fit()
    }

    async fn upload(&self, guild: u64, file: Upload, name: &str, cx: &Ctx<'_>) -> Reply {
        let (name, key) = match name_key(name) {
            Ok(n) => n,
            Err(why) => return Reply::error(why.0),
        };
        let shown_file = crate::text::escape_markdown(&crate::text::truncate(&file.filename, 60));
        let bytes = match &file.bytes {
            Some(b) => b.clone(),
            None if file.size > MAX_BYTES => {
                return Reply::error(format!(
                    "`{shown_file}` is {}; a pack may be at most {} (about {} questions), so I did not download it. \
                     Split it into smaller files and upload each as its own pack.",
                    super::size_text(file.size),
                    super::size_text(MAX_BYTES),
                    super::MAX_QUESTIONS
                ))
            }
            None => {
                return Reply::error(format!(
                    "I could not read `{shown_file}`. Attach the file again (a CSV or TOML question pack) and retry."
                ))
            }
        };
        let checked = match check(&file.filename, &bytes, cx.kb) {
            Ok(c) => c,
            Err(e) => return problems_reply(&format!("`{shown_file}`"), &e, &file.filename),
        };
        let store = match need(cx.store) {
            Ok(s) => s,
            Err(why) => return Reply::error(why),
        };
        let new = NewPack {
            guild_id: guild,
            name: name.clone(),
            name_key: key.clone(),
            format: checked.format.label().into(),
            filename: file.filename.clone(),
            body: checked.text.clone(),
            questions: checked.questions.len() as u32,
            uploaded_by: cx.caller.user.id,
            uploaded_at_ms: cx.now,
        };
        match store.save_pack(new, false, MAX_PACKS).await {
            Ok(Saved::Added(_) | Saved::Replaced(_)) => saved_reply("Saved", &name, &checked),
            Ok(Saved::Full(n)) => Reply::error(format!(
                "This server keeps {n} packs, the most it may. Remove one with `/pack remove` first (`/pack list` \
                 shows them); nothing was stored."
            )),
            Ok(Saved::Taken(old)) => {
                let user = cx.caller.user.id;
                let token = cx.seed;
                let counts = checked.counts();
                {
                    let mut pending = self.pending();
                    pending.retain(|_, p| cx.now - p.at < PENDING_MS);
                    // Each waits with its file: keep the newest few.
                    while pending.len() >= MAX_PENDING {
                        let oldest = pending.iter().min_by_key(|(_, p)| p.at).map(|(t, _)| *t);
                        if let Some(t) = oldest {
                            pending.remove(&t);
                        }
                    }
                    pending.insert(
                        token,
                        Pending {
                            guild,
                            user,
                            name: name.clone(),
                            old_name: old.name.clone(),
                            key,
                            filename: file.filename.clone(),
                            checked,
                            at: cx.now,
                        },
                    );
                }
                let id = |confirm| ButtonId::PackReplace { confirm, token, user }.encode();
                let mut r = Reply::note(format!(
                    "This server already has a pack named **{}** ({}, uploaded {}). Replace it with `{shown_file}` \
                     ({counts})? Events already created keep their questions.",
                    shown_name(&old.name),
                    present::plural(old.questions as usize, "question", "questions"),
                    uploaded(&old)
                ));
                r.buttons = vec![
                    Button::new(id(true), "Replace it", ButtonStyle::Danger),
                    Button::new(id(false), "Keep the old one", ButtonStyle::Secondary),
                ];
                r
            }
            Err(e) => Reply::error(format!(
                "I could not store the pack: {e}. Nothing was stored; try again."
            )),
        }
    }

    /// A press on a pack confirmation button (replace, remove), by `caller`.
    pub async fn press(&self, id: &ButtonId, caller: &Caller, now: i64, store: Scores<'_>) -> Reply {
        let update = |r: Reply| Reply {
            update: true,
            ..r.ephemeral()
        };
        match *id {
            ButtonId::PackReplace { confirm, token, user } => {
                if caller.user.id != user {
                    return Reply::error("Only the person who uploaded this file can answer.");
                }
                let taken = self.pending().remove(&token);
                let Some(p) = taken.filter(|p| now - p.at < PENDING_MS && p.user == user) else {
                    return update(Reply::note(
                        "This upload was not kept (it waited more than 15 minutes, or the bot restarted): upload the \
                         file again.",
                    ));
                };
                if !confirm {
                    return update(Reply::note(format!(
                        "Kept the old **{}**; the new file was not stored.",
                        shown_name(&p.old_name)
                    )));
                }
                let store = match need(store) {
                    Ok(s) => s,
                    Err(why) => return Reply::error(why),
                };
                let new = NewPack {
                    guild_id: p.guild,
                    name: p.name.clone(),
                    name_key: p.key.clone(),
                    format: p.checked.format.label().into(),
                    filename: p.filename.clone(),
                    body: p.checked.text.clone(),
                    questions: p.checked.questions.len() as u32,
                    uploaded_by: user,
                    uploaded_at_ms: now,
                };
                match store.save_pack(new, true, MAX_PACKS).await {
                    Ok(Saved::Added(_) | Saved::Replaced(_)) => update(saved_reply("Replaced", &p.name, &p.checked)),
                    Ok(Saved::Full(n)) => update(Reply::error(format!(
                        "The old pack was removed meanwhile, and this server now keeps {n} packs, the most it may: \
                         remove one first. Nothing was stored."
                    ))),
                    Ok(Saved::Taken(_)) => update(Reply::error("Nothing was stored; upload the file again.")),
                    Err(e) => Reply::error(format!("I could not store the pack: {e}. Nothing changed; try again.")),
                }
            }
            ButtonId::PackRemove { confirm, pack, user } => {
                if caller.user.id != user {
                    return Reply::error("Only the person who asked to remove this pack can answer.");
                }
                if !confirm {
                    return update(Reply::note("Cancelled: the pack stays."));
                }
                let (Some(guild), Ok(store)) = (caller.guild, need(store)) else {
                    return Reply::error(need(store).err().unwrap_or_else(|| "Packs belong to a server.".into()));
                };
                match store.remove_pack(guild, pack).await {
                    Ok(Some(name)) => update(Reply::note(format!(
                        "Removed **{}**. Events already created keep their questions.",
                        shown_name(&name)
                    ))),
                    Ok(None) => update(Reply::note("That pack is already gone.")),
                    Err(e) => Reply::error(format!(
                        "I could not remove the pack: {e}. It is still there; try again."
                    )),
                }
            }
            _ => crate::ids::stale_button(),
        }
    }
}

fn saved_reply(done: &str, name: &str, checked: &Checked) -> Reply {
    let shown = shown_name(name);
    let mut r = Reply::card(format!("{done}: {}", crate::text::truncate(name, 100))).ephemeral();
    r.colour = Some(colour::ACTIVE);
    r.text = format!(
        "**{shown}**: {}, checked like the shipped questions.\nPlay it: `/trivia start pack:{name}`, or see an \
         event's questions first with `/event preview pack:{name}` (add `mix:true` to mix them with the knowledge \
         base's).",
        checked.counts(),
        name = in_code(name),
    );
    r
}

/// A name as it is typed in an option: quoted when it has spaces.
/// A pack name as typed in an option, inside a code span (`/trivia start pack:…`): as written (markdown does not work
/// in a code span, so nothing is escaped), backticks and double quotes made single quotes so the span stays one, and
/// quoted when it has spaces.
pub fn in_code(name: &str) -> String {
    let shown: String = name
        .chars()
        .map(|c| if c == '`' || c == '"' { '\'' } else { c })
        .collect();
    if name.contains(char::is_whitespace) {
        format!("\"{shown}\"")
    } else {
        shown
    }
}

/// "on 2025-01-01 by <@123>".
fn uploaded(p: &PackInfo) -> String {
    let by = p.uploaded_by.map_or(String::new(), |u| format!(" by <@{u}>"));
    format!("on {}{by}", crate::clock::date_string(p.uploaded_at_ms))
}

async fn list(guild: u64, store: Scores<'_>) -> Reply {
    let store = match need(store) {
        Ok(s) => s,
        Err(why) => return Reply::error(why),
    };
    match store.packs(guild).await {
        Ok(packs) if packs.is_empty() => Reply::note(
            "This server has no question packs yet. Upload one with `/pack upload file:… name:…` (a CSV or TOML file; \
             the README's section for teachers shows both).",
        ),
        Ok(packs) => {
            let mut r = Reply::card("Question packs");
            let lines: Vec<String> = packs
                .iter()
                .map(|p| {
                    format!(
                        "**{}** — {} · {} · uploaded {}",
                        shown_name(&p.name),
                        present::plural(p.questions as usize, "question", "questions"),
                        p.format.to_uppercase(),
                        uploaded(p)
                    )
                })
                .collect();
            r.text = lines.join("\n");
            r.footer = Some(format!(
                "{} of {MAX_PACKS} · /pack show name:… shows one · /trivia start pack:… plays one",
                packs.len()
            ));
            r
        }
        Err(e) => Reply::error(format!("I could not read the packs: {e}. Try again in a moment.")),
    }
}

async fn show(guild: u64, name: &str, cx: &Ctx<'_>) -> Reply {
    let pack = match questions_of(cx.store, Some(guild), name, cx.kb).await {
        Ok(p) => p,
        Err(why) => return Reply::error(why.0),
    };
    let mut r = Reply::card(format!("Pack: {}", crate::text::truncate(&pack.name, 100)));
    r.colour = Some(colour::TRIVIA);
    let esc = crate::text::escape_markdown;
    for (i, q) in pack.questions.iter().take(SHOWN_QUESTIONS).enumerate() {
        let answers = if q.options.is_empty() {
            format!("typed · ✅ {}", esc(&q.answer))
        } else {
            q.options
                .iter()
                .enumerate()
                .map(|(j, o)| {
                    let mark = if *o == q.answer { "✅" } else { "✗" };
                    format!("{} {mark} {}", LETTERS[j], esc(o))
                })
                .collect::<Vec<_>>()
                .join(" · ")
        };
        r = r.field(
            format!("{}. {}", i + 1, crate::text::truncate(&esc(&q.question), 200)),
            format!(
                "{answers}\n{} · {}",
                q.difficulty.label(),
                crate::text::truncate(&esc(&q.explanation), 300)
            ),
            false,
        );
    }
    r.text = format!(
        "{} in all; the first {} below, as written (a game shuffles the options).",
        present::plural(pack.questions.len(), "question", "questions"),
        pack.questions.len().min(SHOWN_QUESTIONS)
    );
    r
}

async fn export(guild: u64, name: &str, store: Scores<'_>) -> Reply {
    let (store, key) = match store_and_key(store, name) {
        Ok(found) => found,
        Err(why) => return Reply::error(why),
    };
    match store.pack(guild, &key).await {
        Ok(Some(row)) => {
            let format = Format::from_label(&row.info.format).unwrap_or(Format::Csv);
            let (ext, content) = match format {
                Format::Csv => ("csv", format!("{BOM}{}", row.body)),
                Format::Toml => ("toml", row.body),
            };
            let mut r = Reply::note(format!(
                "**{}**, as it was uploaded ({}).",
                shown_name(&row.info.name),
                present::plural(row.info.questions as usize, "question", "questions")
            ));
            r.attachments.push(Attachment {
                filename: format!("{}.{ext}", stem(&row.info.filename)),
                content,
            });
            r
        }
        Ok(None) => Reply::error(no_such_pack(name)),
        Err(e) => Reply::error(format!("I could not read the pack: {e}. Try again in a moment.")),
    }
}

async fn remove_confirm(guild: u64, name: &str, cx: &Ctx<'_>) -> Reply {
    let (store, key) = match store_and_key(cx.store, name) {
        Ok(found) => found,
        Err(why) => return Reply::error(why),
    };
    match store.pack(guild, &key).await {
        Ok(Some(row)) => {
            let user = cx.caller.user.id;
            let pack = row.info.id;
            let id = |confirm| ButtonId::PackRemove { confirm, pack, user }.encode();
            let mut r = Reply::note(format!(
                "Remove **{}** ({}) from this server? Games and events can no longer use it; events already \
                 created keep their questions. `/pack export` gives you the file first.",
                shown_name(&row.info.name),
                present::plural(row.info.questions as usize, "question", "questions")
            ));
            r.buttons = vec![
                Button::new(id(true), "Remove it", ButtonStyle::Danger),
                Button::new(id(false), "Cancel", ButtonStyle::Secondary),
            ];
            r
        }
        Ok(None) => Reply::error(no_such_pack(name)),
        Err(e) => Reply::error(format!("I could not read the pack: {e}. Try again in a moment.")),
    }
}
