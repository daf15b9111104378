//! Which questions an event asks, and `/event preview`, which shows them to its hosts first: exactly the questions,
//! in order, with their options as they will be shown and the answers, and the same as a CSV answer key.
//!
//! `/event create` and `/event preview` pick with one function ([`event_questions`]) from the same choices (seed,
//! rounds, category, difficulty, pack, mix) and the same history (a seeded event keeps out only reported questions),
//! so a preview is the event.

use super::Events;
use crate::context::Ctx;
use crate::events::export::answer_key;
use crate::events::{EventQuestion, PreviewArgs};
use crate::kb::KnowledgeBase;
use crate::packs::engine::{from_pack, pack_for, ServerPack};
use crate::packs::shown_name;
use crate::present::LETTERS;
use crate::reply::{colour, Attachment, Reply};
use crate::trivia::question::{pick_questions_from, Filter, History, Source};
use rand::rngs::StdRng;
use rand::SeedableRng;

/// The questions of an event: button questions only (the answer split needs options). From the knowledge base,
/// twice as many are drawn as needed so enough remain once typed ones are left out; a pack's typed questions are
/// left out before drawing.
pub fn event_questions(
    kb: &KnowledgeBase,
    pack: Option<&ServerPack>,
    mix: bool,
    filter: &Filter,
    rounds: usize,
    seed: u64,
    past: &History,
) -> Vec<EventQuestion> {
    let buttons: Option<Vec<crate::kb::CuratedQuestion>> =
        pack.map(|p| p.questions.iter().filter(|q| !q.options.is_empty()).cloned().collect());
    let source = Source::of(buttons.as_deref(), mix);
    pick_questions_from(kb, source, filter, rounds * 2, &mut StdRng::seed_from_u64(seed), past)
        .iter()
        .filter(|q| !q.is_typed())
        .take(rounds)
        .map(EventQuestion::from)
        .collect()
}

/// Why no question fits.
pub fn none_fit(pack: Option<&ServerPack>) -> String {
    match pack {
        Some(p) => format!(
            "The pack **{}** has no button questions for that category and difficulty (events ask questions with \
             options only). Try a wider choice, or add wrong answers to its questions.",
            shown_name(&p.name)
        ),
        None => "I have no questions for that category and difficulty. Try a wider choice.".into(),
    }
}

impl Events {
    /// `/event preview`: the questions an event created with these choices asks, privately, with a CSV key.
    pub(super) async fn preview(&self, args: PreviewArgs, cx: &Ctx<'_>) -> Reply {
        let Some(guild) = cx.caller.guild else {
            return Reply::error("Events run in a server channel: preview one in its server.");
        };
        let pack = match pack_for(args.pack.as_deref(), args.mix, cx).await {
            Ok(p) => p,
            Err(why) => return Reply::error(why.0),
        };
        let seed = match args.seed {
            Some(s) if s >= 0 => s as u64,
            Some(_) => return Reply::error("`seed` is a whole number from 0 up."),
            None => cx.seed % crate::events::MAX_SEED,
        };
        let rounds = args
            .rounds
            .unwrap_or(super::DEFAULT_ROUNDS)
            .clamp(1, crate::events::MAX_ROUNDS) as usize;
        // As `/event create seed:…` picks: only reported questions kept out.
        let past = self.past(guild, true, cx).await;
        let questions = event_questions(cx.kb, pack.as_ref(), args.mix, &args.filter, rounds, seed, &past);
        if questions.is_empty() {
            return Reply::error(none_fit(pack.as_ref()));
        }
        let mut r = Reply::card(format!(
            "Preview: {} (seed {seed})",
            crate::present::plural(questions.len(), "question", "questions")
        ))
        .ephemeral();
        r.colour = Some(colour::TRIVIA);
        let lines: Vec<String> = questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                format!(
                    "**{}.** {} — **{} · {}**",
                    i + 1,
                    crate::text::truncate(&q.text, 150),
                    LETTERS.get(q.correct).copied().unwrap_or("?"),
                    crate::text::truncate(q.answer(), 80)
                )
            })
            .collect();
        let mut create = format!("/event create name:… seed:{seed} rounds:{rounds}");
        if let Some(c) = &args.filter.category {
            create.push_str(&format!(" category:{c}"));
        }
        if let Some(d) = args.filter.difficulty {
            create.push_str(&format!(" difficulty:{}", d.label()));
        }
        if let Some(p) = &pack {
            create.push_str(&format!(" pack:{}", crate::packs::engine::in_code(&p.name)));
            if args.mix {
                create.push_str(" mix:true");
            }
        }
        r.text = format!(
            "Questions{} in the order `{create}` asks them, with the right answers. The options of each, the \
             explanations and sources are in the attached answer key.\n\n{}",
            from_pack(pack.as_ref(), args.mix),
            lines.join("\n")
        );
        if questions.len() < rounds {
            r.text.push_str(&format!(
                "\n\nOnly {} fit that choice.",
                crate::present::plural(questions.len(), "question", "questions")
            ));
        }
        r.footer = Some("Only you can see this. The same seed gives the same questions, in the same order.".into());
        r.attachments.push(Attachment {
            filename: format!("answer-key-seed-{seed}.csv"),
            content: answer_key(&questions),
        });
        r
    }
}
