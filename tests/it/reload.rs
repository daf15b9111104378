//! `/reload`: new data serves the next command, broken data is refused and the old data keeps serving, running
//! games keep their questions, and only the owner may reload.

use rendezvous::app::App;
use rendezvous::commands::{parse, User};
use std::path::{Path, PathBuf};

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

fn owner() -> User {
    User {
        id: 1,
        name: "owner".into(),
    }
}

async fn ask(app: &App, line: &str, who: &User) -> rendezvous::reply::Reply {
    let mut r = parse(line, who.clone()).unwrap();
    r.channel = 9;
    r.guild = Some(3);
    app.command(&r, 0).await.reply
}

#[tokio::test]
async fn reload_serves_new_data_and_refuses_broken_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data"), &data);
    let kb = rendezvous::kb::load_dir(&data).unwrap();
    let app = App::new(kb, Some(1)).with_data_dir(data.clone()).with_owners(vec![1]);

    // A game is running when the data changes.
    let q1 = ask(&app, "/trivia start rounds:2", &owner()).await;
    assert!(q1.title.as_deref().unwrap().starts_with("Question 1"));

    // Only the owner may reload.
    let refused = ask(
        &app,
        "/reload",
        &User {
            id: 2,
            name: "bob".into(),
        },
    )
    .await;
    assert!(refused.text.contains("Only the bot's owner"));

    // A new mission appears after a reload.
    let extra = r#"
[[mission]]
id = "test-probe"
name = "Testing Probe Zeta"
kind = "probe"
status = "planned"
destination = "Moon"
lead = "esa"
summary = "A mission added while the bot runs."
sources = ["https://www.esa.int"]

[[mission.fact]]
text = "It exists only in this test."
source = "https://www.esa.int"
"#;
    std::fs::write(data.join("missions/zz-test.toml"), extra).unwrap();
    let before = ask(&app, "/mission name:Testing Probe Zeta", &owner()).await;
    assert!(before.ephemeral, "not there yet");
    let ok = ask(&app, "/reload", &owner()).await;
    assert!(ok.text.starts_with("Reloaded:"), "{}", ok.text);
    let after = ask(&app, "/mission name:Testing Probe Zeta", &owner()).await;
    assert_eq!(after.title.as_deref(), Some("Testing Probe Zeta"));

    // Broken data: every problem listed, the old data keeps serving.
    std::fs::write(
        data.join("missions/zz-test.toml"),
        extra.replace("lead = \"esa\"", "lead = \"nobody\""),
    )
    .unwrap();
    let bad = ask(&app, "/reload", &owner()).await;
    assert!(
        bad.text.contains("NOT reloaded") && bad.text.contains("unknown agency id `nobody`"),
        "{}",
        bad.text
    );
    let still = ask(&app, "/mission name:Testing Probe Zeta", &owner()).await;
    assert_eq!(still.title.as_deref(), Some("Testing Probe Zeta"));

    // The running game still has its questions.
    let posts = app.tick(10_000_000).await;
    assert!(posts
        .iter()
        .any(|p| p.reply.title.as_deref().is_some_and(|t| t.starts_with("Answer:"))));
}
