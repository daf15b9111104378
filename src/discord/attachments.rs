//! Files attached to slash commands (a question pack for `/pack upload`): taken from the interaction's resolved
//! data, refused from their declared size before downloading when too large, downloaded from their URL (with a cap
//! on what is read, whatever the size said, and a timeout), and handed to the core as bytes. The URLs carry
//! signatures: they are never logged.

use crate::commands::{Request, Value};
use crate::reply::Reply;
use serenity::all::{CommandDataOptionValue, CommandInteraction};
use std::time::Duration;

/// How long a download may take.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(30);

/// The attachments a command carries, as (option name, URL): the ones `fetch` downloads.
pub(super) fn wanted(cmd: &CommandInteraction) -> Vec<(String, String)> {
    fn walk(options: &[serenity::all::CommandDataOption], cmd: &CommandInteraction, out: &mut Vec<(String, String)>) {
        for o in options {
            match &o.value {
                CommandDataOptionValue::Attachment(id) => {
                    if let Some(a) = cmd.data.resolved.attachments.get(id) {
                        out.push((o.name.clone(), a.url.clone()));
                    }
                }
                CommandDataOptionValue::SubCommand(subs) | CommandDataOptionValue::SubCommandGroup(subs) => {
                    walk(subs, cmd, out)
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&cmd.data.options, cmd, &mut out);
    out
}

/// Download each wanted attachment into the request, unless its declared size is over what the core takes (the
/// core then says so, and nothing is downloaded). A failed download is the user's message.
pub(super) async fn fetch(mut req: Request, wanted: Vec<(String, String)>) -> Result<Request, Reply> {
    let limit = crate::packs::MAX_BYTES;
    for (name, url) in wanted {
        let Some((_, Value::File(upload))) = req.options.iter_mut().find(|(n, _)| *n == name) else {
            continue;
        };
        if upload.size > limit {
            continue;
        }
        match download(&url, limit).await {
            Ok(bytes) => {
                upload.size = bytes.len() as u64;
                upload.bytes = Some(bytes.into());
            }
            Err(Failed::TooBig(read)) => {
                // Larger than it said: the core refuses it by its size, as it would have from the start.
                upload.size = read;
                upload.bytes = None;
            }
            Err(Failed::Other(why)) => {
                tracing::warn!(option = %name, "could not download an attachment: {why}");
                return Err(Reply::error(format!(
                    "I could not download `{}` from Discord ({why}). Please attach it again and retry.",
                    crate::text::escape_markdown(&crate::text::truncate(&upload.filename, 60))
                )));
            }
        }
    }
    Ok(req)
}

enum Failed {
    /// More than the limit was sent (how much had been read).
    TooBig(u64),
    Other(String),
}

async fn download(url: &str, limit: u64) -> Result<Vec<u8>, Failed> {
    let client = reqwest::Client::builder()
        .timeout(DOWNLOAD_TIMEOUT)
        .build()
        .map_err(|e| Failed::Other(plain(e)))?;
    let mut response = client.get(url).send().await.map_err(|e| Failed::Other(plain(e)))?;
    if !response.status().is_success() {
        return Err(Failed::Other(format!("Discord answered {}", response.status())));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| Failed::Other(plain(e)))? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > limit {
            return Err(Failed::TooBig(bytes.len() as u64));
        }
    }
    Ok(bytes)
}

/// An error without its URL (attachment URLs carry signatures).
fn plain(e: reqwest::Error) -> String {
    let e = e.without_url();
    if e.is_timeout() {
        "the download timed out".into()
    } else {
        e.to_string()
    }
}
