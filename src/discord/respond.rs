//! Answering an interaction: the first response (a new message, or the clicked message replaced), from a `Reply` or
//! from a kept JSON body; deferring; and putting a deferred answer where Discord leaves room for it.

use super::render;
use crate::reply::Reply;
use serenity::all::{
    CommandInteraction, ComponentInteraction, CreateInteractionResponse, CreateInteractionResponseMessage,
};
use serenity::http::{Http, LightMethod, Request as HttpRequest, Route};

/// The interaction being answered.
#[derive(Clone, Copy)]
pub(crate) enum Target<'a> {
    Command(&'a CommandInteraction),
    Component(&'a ComponentInteraction),
}

impl Target<'_> {
    pub(crate) async fn create(&self, http: &Http, r: CreateInteractionResponse) -> serenity::Result<()> {
        match self {
            Target::Command(i) => i.create_response(http, r).await,
            Target::Component(i) => i.create_response(http, r).await,
        }
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
        http.request(HttpRequest::new(route, LightMethod::Post).body(Some(body)))
            .await
            .map(drop)
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
