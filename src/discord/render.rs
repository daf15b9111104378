//! A [`Reply`] as Discord message parts: an embed for a card, action rows of buttons, files; then the same parts as
//! each builder serenity wants (interaction response, update, followup, edit, channel message).
//!
//! The core already fits a reply within Discord's limits (`Reply::fit`); this module fits again (it is cheap and
//! posts may come from anywhere), and drops what Discord would refuse outright (a button id over 100 characters).

use crate::reply::{limits, Button, ButtonStyle, Reply};
use crate::text::truncate;
use serenity::all::{
    AutocompleteChoice, ButtonStyle as DButtonStyle, CreateActionRow, CreateAllowedMentions, CreateAttachment,
    CreateAutocompleteResponse, CreateButton, CreateEmbed, CreateEmbedFooter, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse,
};

/// Shown when a reply has nothing at all in it: Discord refuses empty messages.
const EMPTY: &str = "(nothing to show)";

/// A reply as message parts.
pub struct Parts {
    /// Message text; always set (possibly empty), so an updated message keeps none of its old text.
    pub content: String,
    pub embeds: Vec<CreateEmbed>,
    pub components: Vec<CreateActionRow>,
    pub files: Vec<CreateAttachment>,
    pub ephemeral: bool,
}

/// Render a reply.
pub fn parts(reply: &Reply) -> Parts {
    // One copy, whose strings then move into serenity's builders.
    let mut reply = reply.clone();
    let (kept, dropped): (Vec<Button>, Vec<Button>) = reply.buttons.drain(..).partition(|b| {
        b.url
            .as_ref()
            .map_or(!b.id.is_empty() && b.id.len() <= limits::CUSTOM_ID, |u| !u.is_empty())
    });
    for b in dropped {
        tracing::warn!(label = %b.label, id_len = b.id.len(), "dropping a button whose id Discord would refuse");
    }
    reply.buttons = kept;
    let reply = reply.fit();

    let card = reply.is_card();
    let mut content = reply.content.unwrap_or_default();
    let mut embeds = Vec::new();
    if card {
        let mut e = CreateEmbed::new();
        if let Some(t) = reply.title {
            e = e.title(t);
            if let Some(l) = reply.link {
                e = e.url(l);
            }
        }
        if !reply.text.trim().is_empty() {
            e = e.description(reply.text);
        }
        for f in reply.fields {
            e = e.field(f.name, f.value, f.inline);
        }
        if let Some(f) = reply.footer {
            e = e.footer(CreateEmbedFooter::new(f));
        }
        if let Some(c) = reply.colour {
            e = e.colour(c);
        }
        embeds.push(e);
    } else if !reply.text.is_empty() {
        if !content.is_empty() {
            content.push('\n');
        }
        content.push_str(&reply.text);
    }
    let content = truncate(&content, limits::CONTENT);
    let files: Vec<CreateAttachment> = reply
        .attachments
        .into_iter()
        .map(|a| CreateAttachment::bytes(a.content.into_bytes(), a.filename))
        .collect();
    let content = if content.trim().is_empty() && embeds.is_empty() && files.is_empty() {
        EMPTY.to_string()
    } else {
        content
    };
    Parts {
        content,
        embeds,
        components: rows(&reply.buttons),
        files,
        ephemeral: reply.ephemeral,
    }
}

/// Buttons in rows of five, at most five rows.
fn rows(buttons: &[Button]) -> Vec<CreateActionRow> {
    buttons
        .chunks(limits::BUTTONS_PER_ROW)
        .take(limits::ROWS)
        .map(|row| CreateActionRow::Buttons(row.iter().map(button).collect()))
        .collect()
}

fn button(b: &Button) -> CreateButton {
    let label = if b.label.trim().is_empty() {
        "…".to_string()
    } else {
        b.label.clone()
    };
    let made = match &b.url {
        Some(url) => CreateButton::new_link(url),
        None => CreateButton::new(&b.id).style(match b.style {
            ButtonStyle::Primary => DButtonStyle::Primary,
            ButtonStyle::Secondary => DButtonStyle::Secondary,
            ButtonStyle::Success => DButtonStyle::Success,
            ButtonStyle::Danger => DButtonStyle::Danger,
        }),
    };
    made.label(label).disabled(b.disabled)
}

/// Nobody gets pinged by text the bot repeats (names, search words).
fn no_pings() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

/// A new message answering an interaction (response type 4).
pub fn message(reply: &Reply) -> CreateInteractionResponseMessage {
    let p = parts(reply);
    let mut m = CreateInteractionResponseMessage::new()
        .embeds(p.embeds)
        .components(p.components)
        .ephemeral(p.ephemeral)
        .allowed_mentions(no_pings())
        .files(p.files);
    if !p.content.is_empty() {
        m = m.content(p.content);
    }
    m
}

/// The JSON body of the interaction response [`message`] makes (type 4, a new message), as serenity would send it;
/// for a reply without files (those go as multipart).
pub fn message_body(reply: &Reply) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&CreateInteractionResponse::Message(message(reply)))
}

/// The message whose button was pressed, replaced (response type 7): every part is set, so nothing of the old
/// message lingers. Ephemerality cannot change on an update.
pub fn update(reply: &Reply) -> CreateInteractionResponseMessage {
    let p = parts(reply);
    CreateInteractionResponseMessage::new()
        .content(p.content)
        .embeds(p.embeds)
        .components(p.components)
        .allowed_mentions(no_pings())
        .files(p.files)
}

/// A followup message (after a deferred response).
pub fn followup(reply: &Reply) -> CreateInteractionResponseFollowup {
    let p = parts(reply);
    let mut m = CreateInteractionResponseFollowup::new()
        .embeds(p.embeds)
        .components(p.components)
        .ephemeral(p.ephemeral)
        .allowed_mentions(no_pings())
        .files(p.files);
    if !p.content.is_empty() {
        m = m.content(p.content);
    }
    m
}

/// The deferred (or original) response, edited to hold the reply.
pub fn edit(reply: &Reply) -> EditInteractionResponse {
    let p = parts(reply);
    let mut m = EditInteractionResponse::new()
        .content(p.content)
        .embeds(p.embeds)
        .components(p.components)
        .allowed_mentions(no_pings());
    for f in p.files {
        m = m.new_attachment(f);
    }
    m
}

/// A message posted in a channel (outside any interaction). `ephemeral` means nothing there.
pub fn channel_message(reply: &Reply) -> CreateMessage {
    let p = parts(reply);
    let mut m = CreateMessage::new()
        .embeds(p.embeds)
        .components(p.components)
        .allowed_mentions(no_pings())
        .files(p.files);
    if !p.content.is_empty() {
        m = m.content(p.content);
    }
    m
}

/// Autocomplete suggestions (response type 8): at most 25, names and values within 1..=100 characters. `integer`:
/// the option takes whole numbers, so values that are numbers are sent as numbers.
pub fn autocomplete(reply: &Reply, integer: bool) -> CreateAutocompleteResponse {
    let choices: Vec<AutocompleteChoice> = reply
        .choices
        .iter()
        .filter(|c| !c.value.is_empty() && c.value.chars().count() <= limits::CHOICE_NAME)
        .take(limits::CHOICES)
        .map(|c| {
            let name = if c.name.trim().is_empty() {
                c.value.clone()
            } else {
                c.name.clone()
            };
            let name = truncate(&name, limits::CHOICE_NAME);
            match c.value.parse::<i64>() {
                Ok(v) if integer => AutocompleteChoice::new(name, v),
                _ => AutocompleteChoice::new(name, c.value.clone()),
            }
        })
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::{Attachment, Choice};
    use serde_json::Value;

    fn json<T: serde::Serialize>(t: &T) -> Value {
        serde_json::to_value(t).unwrap()
    }

    #[test]
    fn a_card_becomes_one_embed_with_buttons_in_rows_of_five() {
        let mut r = Reply::card("Cassini–Huygens")
            .with_text("To Saturn.")
            .field("Partners", "NASA, ESA, ASI", false)
            .footer("Sources: nasa.gov");
        r.link = Some("https://science.nasa.gov/mission/cassini/".into());
        for i in 0..7 {
            r = r.button(Button::new(
                format!("rv1:x:{i}"),
                format!("B{i}"),
                ButtonStyle::Secondary,
            ));
        }
        r = r.button(Button::link("https://esa.int", "ESA"));
        let m = json(&message(&r));
        let e = &m["embeds"][0];
        assert_eq!(e["title"], "Cassini–Huygens");
        assert_eq!(e["url"], "https://science.nasa.gov/mission/cassini/");
        assert_eq!(e["fields"][0]["name"], "Partners");
        assert_eq!(e["footer"]["text"], "Sources: nasa.gov");
        let rows = m["components"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["components"].as_array().unwrap().len(), 5);
        let link = &rows[1]["components"][2];
        assert_eq!(link["style"], 5);
        assert_eq!(link["url"], "https://esa.int");
        assert!(link.get("custom_id").is_none());
        assert!(m.get("flags").is_none() || m["flags"] == 0);
    }

    #[test]
    fn a_message_body_is_the_interaction_response() {
        let kb = crate::kb::load_dir(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap();
        for m in &kb.missions {
            let reply = crate::commands::lookup::mission_card(&kb, m);
            let v: serde_json::Value = serde_json::from_slice(&message_body(&reply).unwrap()).unwrap();
            assert_eq!(v["type"], 4);
            assert_eq!(v["data"], json(&message(&reply)), "{}", m.id);
        }
    }

    #[test]
    fn plain_text_goes_to_content_and_ephemeral_sets_flag_64() {
        let m = json(&message(&Reply::error("no such mission")));
        assert_eq!(m["content"], "no such mission");
        assert_eq!(m["embeds"].as_array().map(Vec::len), Some(0));
        assert_eq!(m["flags"], 64);
    }

    #[test]
    fn nothing_is_never_sent_as_an_empty_message() {
        assert_eq!(json(&message(&Reply::default()))["content"], EMPTY);
        assert_eq!(json(&update(&Reply::default()))["content"], EMPTY);
    }

    #[test]
    fn too_many_buttons_and_overlong_ids_are_dropped() {
        let mut r = Reply::text("x");
        r.buttons
            .push(Button::new("y".repeat(101), "too long", ButtonStyle::Primary));
        for i in 0..30 {
            r.buttons.push(Button::new(format!("b{i}"), "ok", ButtonStyle::Primary));
        }
        let m = json(&message(&r));
        let rows = m["components"].as_array().unwrap();
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0]["components"][0]["custom_id"], "b0");
    }

    #[test]
    fn update_sets_every_part_and_files_are_kept() {
        let mut r = Reply::card("Page 2");
        r.attachments.push(Attachment {
            filename: "scores.csv".into(),
            content: "a,b\n".into(),
        });
        let m = json(&update(&r));
        assert_eq!(m["content"], "");
        assert_eq!(m["components"], serde_json::json!([]));
        assert_eq!(m["embeds"][0]["title"], "Page 2");
    }

    #[test]
    fn autocomplete_keeps_25_choices_within_100_characters() {
        let mut r = Reply::default();
        for i in 0..40 {
            r.choices.push(Choice {
                name: format!("{i} {}", "n".repeat(150)),
                value: format!("v{i}"),
            });
        }
        let a = json(&autocomplete(&r, false));
        let choices = a["choices"].as_array().unwrap();
        assert_eq!(choices.len(), 25);
        assert!(choices
            .iter()
            .all(|c| c["name"].as_str().unwrap().chars().count() <= 100));
    }
}
