//! Interaction payloads as Discord sends them today (the docs' examples lack `entitlements` and
//! `attachment_size_limit`, which serenity requires). Every one gets a fresh id and token.

#![allow(dead_code)]

use super::fake_discord::{next_id, APP_ID, CHANNEL_ID, GUILD_ID, USER_ID};
use serde_json::{json, Value};

/// Discord's permission bits (as a decimal string) of an ordinary member and of a server manager.
pub const MEMBER_PERMS: &str = "2248473465835073";
pub const MANAGER_PERMS: &str = "2251799813685247";

fn user() -> Value {
    json!({"id": USER_ID.to_string(), "username": "astro", "discriminator": "0", "avatar": null,
           "global_name": "Astro Naut"})
}

fn member(perms: &str) -> Value {
    json!({
        "user": user(),
        "roles": [],
        "joined_at": "2025-01-01T00:00:00.000000+00:00",
        "deaf": false,
        "mute": false,
        "flags": 0,
        "nick": null,
        "permissions": perms
    })
}

/// The fields every interaction carries, in a guild.
fn base(kind: u8, perms: &str) -> Value {
    let id = next_id();
    json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "token": format!("itoken-{id}"),
        "version": 1,
        "guild_id": GUILD_ID.to_string(),
        "channel_id": CHANNEL_ID.to_string(),
        "member": member(perms),
        "app_permissions": "2248473465835073",
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID.to_string()},
        "context": 0,
        "attachment_size_limit": 10485760
    })
}

/// A string option.
pub fn s(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

/// An integer option.
pub fn i(name: &str, value: i64) -> Value {
    json!({"name": name, "type": 4, "value": value})
}

/// A slash command with these options, by an ordinary member.
pub fn slash(name: &str, options: Vec<Value>) -> Value {
    slash_with_perms(name, options, MEMBER_PERMS)
}

pub fn slash_with_perms(name: &str, options: Vec<Value>, perms: &str) -> Value {
    let mut v = base(2, perms);
    v["data"] = json!({"id": next_id().to_string(), "name": name, "type": 1, "options": options});
    v
}

/// A slash command with a subcommand.
pub fn slash_sub(name: &str, sub: &str, options: Vec<Value>) -> Value {
    slash(name, vec![json!({"name": sub, "type": 1, "options": options})])
}

/// A slash command with a subcommand, from a member with these permissions (a decimal bit set).
pub fn slash_sub_with_perms(name: &str, sub: &str, options: Vec<Value>, perms: &str) -> Value {
    slash_with_perms(name, vec![json!({"name": sub, "type": 1, "options": options})], perms)
}

/// The same slash command sent in a direct message (a `user`, no `member`, no guild).
pub fn slash_in_dm(name: &str, options: Vec<Value>) -> Value {
    let mut v = slash(name, options);
    let o = v.as_object_mut().unwrap();
    o.remove("member");
    o.remove("guild_id");
    o.remove("guild_locale");
    o.insert("user".into(), user());
    o.insert("context".into(), json!(1));
    o.insert(
        "authorizing_integration_owners".into(),
        json!({"1": USER_ID.to_string()}),
    );
    v
}

/// Autocomplete of `option` (being typed: `partial`), with the other options already filled in.
pub fn autocomplete(name: &str, option: &str, partial: &str, mut others: Vec<Value>) -> Value {
    let mut v = base(4, MEMBER_PERMS);
    others.push(json!({"name": option, "type": 3, "value": partial, "focused": true}));
    v["data"] = json!({"id": next_id().to_string(), "name": name, "type": 1, "options": others});
    v
}

/// A click on a button with `custom_id`, on a message the bot sent earlier.
pub fn button(custom_id: &str) -> Value {
    let mut v = base(3, MEMBER_PERMS);
    v["data"] = json!({"custom_id": custom_id, "component_type": 2});
    // The message the button sits on, as the fake would have created it.
    v["message"] = super::fake_discord::message(&CHANNEL_ID.to_string(), &json!({}));
    v
}

/// An attachment option (type 11) of a subcommand, with the attachment object (as `FakeDiscord::attachment` makes
/// it) in the interaction's resolved data.
pub fn slash_sub_with_file(
    name: &str,
    sub: &str,
    file_option: &str,
    attachment: Value,
    mut options: Vec<Value>,
    perms: &str,
) -> Value {
    let id = attachment["id"].as_str().expect("attachment id").to_string();
    options.insert(0, json!({"name": file_option, "type": 11, "value": id}));
    let mut v = slash_sub_with_perms(name, sub, options, perms);
    v["data"]["resolved"] = json!({"attachments": {id: attachment}});
    v
}
