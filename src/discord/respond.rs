//! Answering an interaction: the first response (a new message, or the clicked message replaced), from a `Reply` or
//! from a kept JSON body; deferring; and putting a deferred answer where Discord leaves room for it.
//!
//! Discord sometimes fails to take a first response (a 5xx, or the connection drops): it is sent once more, and an
//! "already acknowledged" answer to that retry means the first went through after all. Such a failure is Discord's:
//! the caller never tells the user something went wrong on the bot's side for it.

use super::render;
use crate::reply::Reply;
use serenity::all::{
    CommandInteraction, ComponentInteraction, CreateInteractionResponse, CreateInteractionResponseMessage,
};
use serenity::http::{Http, HttpError, LightMethod, Request as HttpRequest, Route};
use std::future::Future;

/// Discord's code for a response to an interaction that already has one.
const ALREADY_ACKNOWLEDGED: isize = 40060;

/// Whether an error is Discord's own failure: a 5xx, or the request not getting an answer at all.
pub(crate) fn is_discords_failure(e: &serenity::Error) -> bool {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => r.status_code.is_server_error(),
        serenity::Error::Http(HttpError::Request(_)) => true,
        _ => false,
    }
}

fn already_acknowledged(e: &serenity::Error) -> bool {
    matches!(e, serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) if r.error.code == ALREADY_ACKNOWLEDGED)
}

/// Send a first response; on Discord's failure, once more.
async fn retried<F, Fut>(mut send: F) -> serenity::Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = serenity::Result<()>>,
{
    match send().await {
        Err(e) if is_discords_failure(&e) => {
            tracing::warn!(
                "Discord did not take an answer ({}); sending it once more",
                super::shown(&e)
            );
            match send().await {
                // The first one went through; only its answer was lost.
                Err(e) if already_acknowledged(&e) => Ok(()),
                other => other,
            }
        }
        other => other,
    }
}

/// The interaction being answered.
#[derive(Clone, Copy)]
pub(crate) enum Target<'a> {
    Command(&'a CommandInteraction),
    Component(&'a ComponentInteraction),
}

impl Target<'_> {
    /// Send the first response (retried once on Discord's failure).
    pub(crate) async fn create(&self, http: &Http, r: CreateInteractionResponse) -> serenity::Result<()> {
        retried(|| async {
            match self {
                Target::Command(i) => i.create_response(http, r.clone()).await,
                Target::Component(i) => i.create_response(http, r.clone()).await,
            }
        })
        .await
    }

    /// The first response: a new message, or for a button whose reply says so, the clicked message replaced.
    pub(crate) async fn respond(&self, http: &Http, reply: &Reply) -> serenity::Result<()> {
        let r = match self {
            Target::Component(_) if reply.update => CreateInteractionResponse::UpdateMessage(render::update(reply)),
            _ => CreateInteractionResponse::Message(render::message(reply)),
        };
        self.create(http, r).await
    }

    /// The first response, from its JSON body (one `render::message_body` made): a new message.
    pub(crate) async fn respond_body(&self, http: &Http, body: Vec<u8>) -> serenity::Result<()> {
        let (id, token) = match self {
            Target::Command(i) => (i.id, i.token.as_str()),
            Target::Component(i) => (i.id, i.token.as_str()),
        };
        let route = Route::InteractionResponse {
            interaction_id: id,
            token,
        };
        retried(|| async {
            http.request(HttpRequest::new(route, LightMethod::Post).body(Some(body.clone())))
                .await
                .map(drop)
        })
        .await
    }

    pub(crate) async fn respond_or_log(&self, http: &Http, reply: &Reply) {
        if let Err(e) = self.respond(http, reply).await {
            let e = super::shown(&e);
            tracing::warn!("could not answer an interaction: {e}");
        }
    }

    /// Acknowledge now, answer later: "thinking…" for a command, a silent acknowledgement for a button.
    pub(crate) async fn defer(&self, http: &Http) -> serenity::Result<()> {
        match self {
            Target::Command(_) => {
                self.create(
                    http,
                    CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new()),
                )
                .await
            }
            Target::Component(_) => self.create(http, CreateInteractionResponse::Acknowledge).await,
        }
    }

    /// Put the reply where a deferred response leaves room for it.
    pub(crate) async fn finish(&self, http: &Http, reply: &Reply) -> serenity::Result<()> {
        match self {
            // The "thinking…" message is public; an ephemeral reply replaces it with a private followup.
            Target::Command(i) if reply.ephemeral => {
                i.delete_response(http).await?;
                self.followup(http, render::followup(reply)).await
            }
            Target::Command(i) => i.edit_response(http, render::edit(reply)).await.map(drop),
            Target::Component(i) if reply.update => i.edit_response(http, render::edit(reply)).await.map(drop),
            Target::Component(_) => self.followup(http, render::followup(reply)).await,
        }
    }

    pub(crate) async fn followup(
        &self,
        http: &Http,
        m: serenity::all::CreateInteractionResponseFollowup,
    ) -> serenity::Result<()> {
        match self {
            Target::Command(i) => i.create_followup(http, m).await.map(drop),
            Target::Component(i) => i.create_followup(http, m).await.map(drop),
        }
    }
}
