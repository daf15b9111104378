//! Question packs through the real serenity client and the fake Discord: a teacher uploads a CSV attachment (served
//! by the fake on loopback), a 50 MB file is refused from its declared size and never downloaded, a binary file and a
//! member without the right get clear private notes, a host role may upload; then an event is previewed and played
//! with the pack, and its export is a multipart upload of CSVs starting with a byte-order mark. Every body the bot
//! sends is recorded for `.ci/spec-check.sh`.

use super::discord::Bot;
use super::packs::MOON_CSV;
use super::support::fake_discord::{FakeDiscord, GUILD_ID};
use super::support::interactions::{self as ix, i, s, MANAGER_PERMS, MEMBER_PERMS};
use rendezvous::app::App;
use rendezvous::discord::Options;
use rendezvous::events::{parse_csv, KEY_HEADER, RESULTS_HEADER};
use serde_json::{json, Value};
use std::time::Duration;

const MESSAGE: u64 = 4;
const EPHEMERAL: u64 = 64;
const HOST_ROLE: u64 = 555_000_000_000_000_009;
const TEACHER: (u64, &str) = (620_000_000_000_000_001, "Ms Okafor");
const PUPIL: (u64, &str) = (620_000_000_000_000_002, "sam");

fn by(mut v: Value, who: (u64, &str)) -> Value {
    let user = &mut v["member"]["user"];
    user["id"] = json!(who.0.to_string());
    user["username"] = json!(who.1.to_lowercase().replace(' ', "_"));
    user["global_name"] = json!(who.1);
    v
}

fn private(resp: &Value) -> &Value {
    assert_eq!(resp["type"], MESSAGE, "{resp:#}");
    assert_eq!(
        resp["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL,
        "not private: {resp:#}"
    );
    &resp["data"]
}

/// What a private answer says: its content, or its card's title and description.
fn says(resp: &Value) -> String {
    let d = private(resp);
    let e = &d["embeds"][0];
    format!(
        "{} {} {}",
        d["content"].as_str().unwrap_or_default(),
        e["title"].as_str().unwrap_or_default(),
        e["description"].as_str().unwrap_or_default()
    )
}

fn custom_ids(resp: &Value) -> Vec<String> {
    resp["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

/// The files of the bot's answer to interaction `id` (a multipart callback).
fn files_of(fake: &FakeDiscord, id: &str) -> Vec<(String, Vec<u8>)> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.contains(&format!("/interactions/{id}/")))
        .flat_map(|r| r.files.into_iter().map(|(_, name, bytes)| (name, bytes)))
        .collect()
}

fn upload(fake: &FakeDiscord, file: &str, bytes: &[u8], declared: Option<u64>, name: &str, perms: &str) -> Value {
    let attachment = fake.attachment(file, bytes.to_vec(), declared);
    let v = ix::slash_sub_with_file("pack", "upload", "file", attachment, vec![s("name", name)], perms);
    by(v, TEACHER)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_uploads_a_pack_previews_plays_and_exports_an_event_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = rendezvous::store::Store::open(&dir.path().join("packs.db")).await;
    let app = App::new(super::commands::kb().clone(), Some(9)).with_store(store);
    let fake = FakeDiscord::start("discord_packs").await;
    let options = Options {
        defer_after: Duration::from_secs(20),
        host_roles: vec![HOST_ROLE],
        ..Options::default()
    };
    let bot = Bot::start_app(&fake, Some(GUILD_ID), options, app);
    fake.ready(1).await;
    let reg = fake.registration().await;
    let pack_cmd = reg
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "pack")
        .cloned()
        .unwrap();
    let upload_def = &pack_cmd["options"][0];
    assert_eq!(
        (upload_def["name"].as_str(), upload_def["options"][0]["type"].as_u64()),
        (Some("upload"), Some(11))
    );

    // A member with neither Manage Server nor a host role: refused, and the file is never downloaded.
    let refused = fake
        .interact(upload(
            &fake,
            "moon.csv",
            MOON_CSV.as_bytes(),
            None,
            "Lune",
            MEMBER_PERMS,
        ))
        .await;
    assert!(says(&refused).contains("host_roles"), "{refused:#}");
    assert!(fake.downloads().is_empty(), "nothing downloaded for a refused command");

    // The teacher (Manage Server) uploads the semicolon CSV: downloaded from the fake, checked, kept.
    let saved = fake
        .interact(upload(
            &fake,
            "moon.csv",
            MOON_CSV.as_bytes(),
            None,
            "Lune",
            MANAGER_PERMS,
        ))
        .await;
    assert!(
        says(&saved).contains("Saved: Lune") && says(&saved).contains("3 questions"),
        "{saved:#}"
    );
    assert_eq!(fake.downloads().len(), 1);
    assert!(fake.downloads()[0].ends_with("/moon.csv"));

    // 50 MB, as declared: refused from its size, never downloaded.
    let big = fake
        .interact(upload(
            &fake,
            "huge.csv",
            b"question\n",
            Some(50 * 1024 * 1024),
            "Huge",
            MANAGER_PERMS,
        ))
        .await;
    assert!(
        says(&big).contains("50.0 MB") && says(&big).contains("did not download"),
        "{big:#}"
    );
    assert_eq!(fake.downloads().len(), 1, "the big file was not fetched");
    // A file larger than it said is cut off as it arrives and refused by its size.
    let liar = vec![b'x'; rendezvous::packs::MAX_BYTES as usize + 10];
    let lied = fake
        .interact(upload(&fake, "small.csv", &liar, Some(100), "Liar", MANAGER_PERMS))
        .await;
    assert!(
        says(&lied).contains("did not download") || says(&lied).contains("MB"),
        "{lied:#}"
    );
    // A binary file: a clear note.
    let png = fake
        .interact(upload(
            &fake,
            "photo.csv",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff",
            None,
            "Photo",
            MANAGER_PERMS,
        ))
        .await;
    assert!(says(&png).contains("not UTF-8 text"), "{png:#}");
    // A member with the host role may upload; a second upload under a used name asks first.
    let mut by_host = upload(&fake, "moon.csv", MOON_CSV.as_bytes(), None, "lune", MEMBER_PERMS);
    by_host["member"]["roles"] = json!([HOST_ROLE.to_string()]);
    let ask = fake.interact(by_host).await;
    assert!(says(&ask).contains("already has a pack named **Lune**"), "{ask:#}");
    let buttons = custom_ids(&ask);
    assert_eq!(buttons.len(), 2);
    let kept = fake.interact(by(ix::button(&buttons[1]), TEACHER)).await;
    assert_eq!(kept["type"], 7, "the question is replaced by the answer: {kept:#}");

    // /event preview: private, with a CSV answer key.
    let preview_cmd = by(
        ix::slash_sub_with_perms(
            "event",
            "preview",
            vec![i("seed", 4), i("rounds", 3), s("pack", "Lune")],
            MANAGER_PERMS,
        ),
        TEACHER,
    );
    let preview_id = preview_cmd["id"].as_str().unwrap().to_string();
    let preview = fake.interact(preview_cmd).await;
    assert!(says(&preview).contains("Preview: 3 questions (seed 4)"), "{preview:#}");
    let key_files = files_of(&fake, &preview_id);
    assert_eq!(key_files.len(), 1);
    assert_eq!(key_files[0].0, "answer-key-seed-4.csv");
    assert!(
        key_files[0].1.starts_with("\u{feff}".as_bytes()),
        "a byte-order mark first"
    );
    let key = parse_csv(std::str::from_utf8(&key_files[0].1).unwrap());
    assert_eq!(key[0], KEY_HEADER);

    // The event with the pack, played by one pupil who always presses A.
    let create = by(
        ix::slash_sub_with_perms(
            "event",
            "create",
            vec![
                s("name", "Soirée Lune"),
                i("rounds", 3),
                i("seed", 4),
                s("pack", "Lune"),
            ],
            MANAGER_PERMS,
        ),
        TEACHER,
    );
    let lobby = fake.interact(create).await;
    assert!(
        lobby["data"]["content"]
            .as_str()
            .unwrap()
            .contains("with questions from the pack **Lune**"),
        "{lobby:#}"
    );
    for (round, row) in key.iter().enumerate().skip(1) {
        let q = fake
            .interact(by(
                ix::slash_sub_with_perms("event", "next", vec![], MANAGER_PERMS),
                TEACHER,
            ))
            .await;
        let text = q["data"]["embeds"][0]["description"].as_str().unwrap().to_string();
        // The teacher's text, shown as text: its markdown marks escaped.
        let asked = rendezvous::text::escape_markdown(&row[1]);
        assert!(text.starts_with(&asked), "round {round}: {text} vs {asked}");
        let answers = custom_ids(&q);
        fake.interact(by(ix::button(&answers[0]), PUPIL)).await;
        fake.interact(by(
            ix::slash_sub_with_perms("event", "reveal", vec![], MANAGER_PERMS),
            TEACHER,
        ))
        .await;
    }
    fake.interact(by(
        ix::slash_sub_with_perms("event", "end", vec![], MANAGER_PERMS),
        TEACHER,
    ))
    .await;
    let export_cmd = by(
        ix::slash_sub_with_perms("event", "export", vec![], MANAGER_PERMS),
        TEACHER,
    );
    let export_id = export_cmd["id"].as_str().unwrap().to_string();
    fake.interact(export_cmd).await;
    let files = files_of(&fake, &export_id);
    assert_eq!(files.len(), 2, "results and most missed");
    for (name, bytes) in &files {
        assert!(
            bytes.starts_with("\u{feff}".as_bytes()),
            "{name} starts with a byte-order mark"
        );
    }
    let results = parse_csv(std::str::from_utf8(&files[0].1).unwrap());
    assert_eq!(results[0], RESULTS_HEADER);
    assert_eq!(results.len(), 1 + 3);
    for (row, k) in results[1..].iter().zip(&key[1..]) {
        assert_eq!(row[2], k[1], "the event asked the preview's questions, in order");
        assert_eq!(row[6] == "yes", k[6] == "A", "{row:?} {k:?}");
    }
    // The pack's file comes back as uploaded, with a byte-order mark.
    let export_pack = by(
        ix::slash_sub_with_perms("pack", "export", vec![s("name", "LUNE")], MANAGER_PERMS),
        TEACHER,
    );
    let pack_id = export_pack["id"].as_str().unwrap().to_string();
    fake.interact(export_pack).await;
    let back = files_of(&fake, &pack_id);
    assert_eq!(back[0].0, "moon.csv");
    assert_eq!(
        std::str::from_utf8(&back[0].1).unwrap(),
        MOON_CSV,
        "the file as uploaded (it had a mark)"
    );

    bot.stop().await.expect("clean stop");
}
