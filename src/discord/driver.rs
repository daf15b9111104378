//! Time passing: a task sleeps until the core's next deadline, lets it `tick`, and posts what that produced. Also
//! the sending of channel posts (from interactions, ticks and shutdown).

use super::handler::{guarded_async, now_ms, Shared, NO_DEADLINE};
use super::render;
use crate::app::Post;
use serenity::all::ChannelId;
use serenity::http::Http;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// With no deadline, look again this often anyway (a deadline may appear without an interaction).
const IDLE: Duration = Duration::from_secs(30);

/// Drive the core's timers until `stop` turns true.
pub(crate) async fn drive(shared: Arc<Shared>, http: Arc<Http>, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            break;
        }
        // Said before it is waited for; read again after, so a change made in between is not missed (an
        // interaction wakes this task only when the deadline differs from the one said here).
        let d = shared.next_deadline();
        shared.driver_deadline.store(d, Ordering::SeqCst);
        if shared.next_deadline() != d {
            continue;
        }
        let deadline = (d != NO_DEADLINE).then_some(d);
        let wait = match deadline {
            Some(d) => Duration::from_millis(d.saturating_sub(now_ms()).max(0) as u64),
            None => IDLE,
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = shared.wake.notified() => continue,
            _ = stop.changed() => break,
        }
        if deadline.is_none_or(|d| now_ms() < d) {
            continue;
        }
        let app = shared.app.clone();
        let now = now_ms();
        match guarded_async(async move { app.tick(now).await }).await {
            Ok(posts) => send_posts(&http, posts).await,
            Err(panic) => {
                tracing::error!("a timer tick panicked: {panic}");
                // Do not spin on a deadline that keeps failing.
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// End running games and post their last messages.
pub(crate) async fn shutdown_posts(shared: &Shared, http: &Http) {
    let app = shared.app.clone();
    let now = now_ms();
    match guarded_async(async move { app.shutdown(now).await }).await {
        Ok(posts) => send_posts(http, posts).await,
        Err(panic) => tracing::error!("ending the running games panicked: {panic}"),
    }
}

/// Send each post to its channel, in order. A failure is logged and the rest still go.
pub(crate) async fn send_posts(http: &Http, posts: Vec<Post>) {
    for post in posts {
        if post.channel == 0 {
            tracing::warn!("a post without a channel was dropped");
            continue;
        }
        let channel = ChannelId::new(post.channel);
        if let Err(e) = channel.send_message(http, render::channel_message(&post.reply)).await {
            let e = super::shown(&e);
            tracing::warn!(
                channel = post.channel,
                "could not post in a channel: {e} (does the bot have Send Messages and Embed Links there?)"
            );
        }
    }
}
