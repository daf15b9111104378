//! What a command answers with: plain data, no Discord types.
//!
//! A `Reply` already respects Discord's limits when it leaves the core (`Reply::fit`): the Discord layer only
//! translates it, and the terminal prints the same thing.

use serde::Serialize;

pub use crate::kb::Choice;

/// Discord's limits, as its documentation states them.
pub mod limits {
    pub const CONTENT: usize = 2000;
    pub const TITLE: usize = 256;
    pub const DESCRIPTION: usize = 4096;
    pub const FIELDS: usize = 25;
    pub const FIELD_NAME: usize = 256;
    pub const FIELD_VALUE: usize = 1024;
    pub const FOOTER: usize = 2048;
    pub const EMBED_TOTAL: usize = 6000;
    pub const CHOICES: usize = 25;
    pub const CHOICE_NAME: usize = 100;
    pub const CUSTOM_ID: usize = 100;
    pub const BUTTON_LABEL: usize = 80;
    pub const BUTTONS_PER_ROW: usize = 5;
    pub const ROWS: usize = 5;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Success,
    Danger,
}

/// A button: `id` is what a press sends back (Discord's custom_id), or a URL for a link button.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Button {
    pub id: String,
    pub label: String,
    pub style: ButtonStyle,
    /// A link button opens `url` instead of sending `id` back.
    pub url: Option<String>,
    pub disabled: bool,
}

impl Button {
    pub fn new(id: impl Into<String>, label: impl Into<String>, style: ButtonStyle) -> Button {
        Button {
            id: id.into(),
            label: label.into(),
            style,
            url: None,
            disabled: false,
        }
    }

    pub fn link(url: impl Into<String>, label: impl Into<String>) -> Button {
        Button {
            id: String::new(),
            label: label.into(),
            style: ButtonStyle::Secondary,
            url: Some(url.into()),
            disabled: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

/// A file sent with a message (a CSV export).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub filename: String,
    pub content: String,
}

/// A message to post in a channel, outside any interaction's reply (a reveal when a timer runs out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    pub channel: u64,
    pub reply: Reply,
}

/// What handling an interaction produced: the reply to it, and any messages to post besides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub reply: Reply,
    pub posts: Vec<Post>,
}

impl From<Reply> for Outcome {
    fn from(reply: Reply) -> Outcome {
        Outcome {
            reply,
            posts: Vec::new(),
        }
    }
}

/// Colours of cards, by meaning.
pub mod colour {
    pub const INFO: u32 = 0x2b6cb0;
    pub const ACTIVE: u32 = 0x2f855a;
    pub const PLANNED: u32 = 0x6b46c1;
    pub const DONE: u32 = 0x4a5568;
    pub const FAILED: u32 = 0xc53030;
    pub const ERROR: u32 = 0xc05621;
    pub const TRIVIA: u32 = 0xd69e2e;
}

/// A command's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Reply {
    /// Plain message text outside any card.
    pub content: Option<String>,
    /// A card's title; a reply with no title and no fields is plain text.
    pub title: Option<String>,
    pub text: String,
    pub fields: Vec<Field>,
    pub footer: Option<String>,
    pub colour: Option<u32>,
    /// Where the title links to.
    pub link: Option<String>,
    pub buttons: Vec<Button>,
    /// Autocomplete suggestions (only for autocomplete answers).
    pub choices: Vec<Choice>,
    /// Only the person who asked sees it.
    pub ephemeral: bool,
    /// Replace the message whose button was pressed instead of sending a new one.
    pub update: bool,
    pub attachments: Vec<Attachment>,
}

impl Reply {
    /// A card with a title.
    pub fn card(title: impl Into<String>) -> Reply {
        Reply {
            title: Some(title.into()),
            colour: Some(colour::INFO),
            ..Reply::default()
        }
    }

    /// Plain text, seen by everyone.
    pub fn text(text: impl Into<String>) -> Reply {
        Reply {
            text: text.into(),
            ..Reply::default()
        }
    }

    /// A message only the asker sees, saying what went wrong and what to do.
    pub fn error(text: impl Into<String>) -> Reply {
        Reply::note(text)
    }

    /// A message only the asker sees: a confirmation, or a note for them alone.
    pub fn note(text: impl Into<String>) -> Reply {
        Reply {
            text: text.into(),
            ephemeral: true,
            ..Reply::default()
        }
    }

    pub fn with_text(mut self, text: impl Into<String>) -> Reply {
        self.text = text.into();
        self
    }

    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>, inline: bool) -> Reply {
        self.fields.push(Field {
            name: name.into(),
            value: value.into(),
            inline,
        });
        self
    }

    pub fn footer(mut self, footer: impl Into<String>) -> Reply {
        self.footer = Some(footer.into());
        self
    }

    pub fn button(mut self, b: Button) -> Reply {
        self.buttons.push(b);
        self
    }

    pub fn ephemeral(mut self) -> Reply {
        self.ephemeral = true;
        self
    }

    /// True when this reply is shown as a card (embed) rather than plain text.
    pub fn is_card(&self) -> bool {
        self.title.is_some() || !self.fields.is_empty() || self.footer.is_some()
    }

    /// Characters that count toward Discord's 6000-per-message embed total.
    pub fn embed_chars(&self) -> usize {
        let c = |s: &str| s.chars().count();
        self.title.as_deref().map_or(0, c)
            + c(&self.text)
            + self.footer.as_deref().map_or(0, c)
            + self.fields.iter().map(|f| c(&f.name) + c(&f.value)).sum::<usize>()
    }

    /// Bring the reply within Discord's limits, marking every cut: long text ends in "…", fields past the limit are
    /// summarised in a last "and N more" field, extra buttons are dropped.
    pub fn fit(mut self) -> Reply {
        use crate::text::truncate;
        use limits::*;
        // Shortened in place, and only when too long: most strings fit, and copying each was a good part of a card.
        fn shorten(s: &mut String, max: usize) {
            if s.len() > max && s.chars().count() > max {
                *s = truncate(s, max);
            }
        }
        if let Some(c) = &mut self.content {
            shorten(c, CONTENT);
        }
        if let Some(t) = &mut self.title {
            shorten(t, TITLE);
        }
        let text_max = if self.is_card() { DESCRIPTION } else { CONTENT };
        shorten(&mut self.text, text_max);
        if let Some(f) = &mut self.footer {
            shorten(f, FOOTER);
        }
        if self.fields.len() > FIELDS {
            let extra = self.fields.len() - (FIELDS - 1);
            self.fields.truncate(FIELDS - 1);
            self.fields.push(Field {
                name: "…".into(),
                value: format!("and {extra} more not shown"),
                inline: false,
            });
        }
        for f in &mut self.fields {
            shorten(&mut f.name, FIELD_NAME);
            shorten(&mut f.value, FIELD_VALUE);
            if f.name.trim().is_empty() {
                f.name = "\u{200b}".into();
            }
            if f.value.trim().is_empty() {
                f.value = "\u{200b}".into();
            }
        }
        // The whole card within 6000: drop fields from the end, then shorten the text. The total is kept up to date
        // as fields go (counting it again for every dropped field was most of the time of a long card).
        let chars = |s: &str| s.chars().count();
        let mut total = self.embed_chars();
        while total > EMBED_TOTAL && self.fields.len() > 1 {
            if let Some(gone) = self.fields.pop() {
                total -= chars(&gone.name) + chars(&gone.value);
            }
            if let Some(last) = self.fields.last_mut() {
                if !last.value.ends_with("(more not shown)") {
                    total -= chars(&last.value);
                    last.value = truncate(&format!("{} (more not shown)", last.value), FIELD_VALUE);
                    total += chars(&last.value);
                }
            }
        }
        debug_assert_eq!(total, self.embed_chars());
        if self.embed_chars() > EMBED_TOTAL {
            let over = self.embed_chars() - EMBED_TOTAL;
            let keep = self.text.chars().count().saturating_sub(over + 1);
            self.text = truncate(&self.text, keep);
        }
        self.buttons.truncate(BUTTONS_PER_ROW * ROWS);
        for b in &mut self.buttons {
            shorten(&mut b.label, BUTTON_LABEL);
            debug_assert!(b.id.len() <= CUSTOM_ID, "custom_id too long: {}", b.id);
        }
        self.choices.truncate(CHOICES);
        for c in &mut self.choices {
            shorten(&mut c.name, CHOICE_NAME);
        }
        self
    }

    /// The reply as a person reads it in a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if let Some(c) = &self.content {
            out.push_str(&plain(c));
            out.push('\n');
        }
        if let Some(t) = &self.title {
            out.push_str(&format!("== {t} ==\n"));
        }
        if let Some(l) = &self.link {
            out.push_str(&format!("<{l}>\n"));
        }
        if !self.text.is_empty() {
            out.push_str(&plain(&self.text));
            out.push('\n');
        }
        for f in &self.fields {
            out.push_str(&format!("\n{}:\n", plain(&f.name)));
            for line in plain(&f.value).lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
        if let Some(f) = &self.footer {
            out.push_str(&format!("\n-- {}\n", plain(f)));
        }
        for (i, c) in self.choices.iter().enumerate() {
            out.push_str(&format!("{:>2}. {}  ({})\n", i + 1, c.name, c.value));
        }
        if !self.buttons.is_empty() {
            let labels: Vec<String> = self
                .buttons
                .iter()
                .enumerate()
                .map(|(i, b)| match &b.url {
                    Some(u) => format!("[{}: {} <{u}>]", i + 1, b.label),
                    None if b.disabled => format!("[{}: {} (disabled)]", i + 1, b.label),
                    None => format!("[{}: {}]", i + 1, b.label),
                })
                .collect();
            out.push_str(&format!("\n{}\n", labels.join(" ")));
        }
        if self.ephemeral {
            out.push_str("(only you can see this)\n");
        }
        for a in &self.attachments {
            out.push_str(&format!("(attached: {}, {} bytes)\n", a.filename, a.content.len()));
        }
        out
    }
}

/// Markdown as plain text: `[label](url)` becomes `label <url>`, bold and italics marks go.
pub fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let link = after
            .find("](")
            .filter(|mid| !after[1..*mid].contains('[') && !after[1..*mid].contains(']'))
            .and_then(|mid| link_end(&after[mid + 2..]).map(|len| (mid, mid + 2 + len)));
        match link {
            Some((mid, end)) => {
                out.push_str(&after[1..mid]);
                out.push_str(&format!(" <{}>", &after[mid + 2..end]));
                rest = &after[end + 1..];
            }
            None => {
                out.push('[');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    unescape(&out.replace("**", "").replace("__", ""))
}

/// Markdown escapes (`\*`, `\[`) and the zero-width spaces that keep a user's text from becoming a link, taken out
/// for a terminal.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(n)) if n.is_ascii_punctuation() => {
                out.push(*n);
                chars.next();
            }
            ('\u{200b}', _) => {}
            (c, _) => out.push(c),
        }
    }
    out
}

/// The length of a link's address up to its closing `)`: parentheses inside it come in pairs
/// (`https://en.wikipedia.org/wiki/Zhurong_(rover)`), as Markdown reads them.
fn link_end(url: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in url.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            c if c.is_whitespace() => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_a_card_within_every_limit() {
        let mut r = Reply::card("t".repeat(300)).with_text("word ".repeat(2000));
        for i in 0..30 {
            r = r.field(format!("field {i}"), "value ".repeat(300), false);
        }
        let r = r.fit();
        assert!(r.title.as_ref().unwrap().chars().count() <= limits::TITLE);
        assert!(r.text.chars().count() <= limits::DESCRIPTION);
        assert!(r.fields.len() <= limits::FIELDS);
        assert!(r.fields.iter().all(|f| f.value.chars().count() <= limits::FIELD_VALUE));
        assert!(r.embed_chars() <= limits::EMBED_TOTAL, "{}", r.embed_chars());
        assert!(r.text.ends_with('…'));
    }

    #[test]
    fn escaped_user_text_reads_as_typed_in_a_terminal() {
        let name = "[Free Nitro](https://evil.example) **x**";
        assert_eq!(plain(&crate::text::escape_markdown(name)), name);
    }

    #[test]
    fn plain_text_turns_links_into_readable_text() {
        assert_eq!(
            plain("see [NASA](https://nasa.gov) **now**"),
            "see NASA <https://nasa.gov> now"
        );
        assert_eq!(plain("a [b] c"), "a [b] c");
    }

    #[test]
    fn plain_text_keeps_parentheses_inside_a_link() {
        assert_eq!(
            plain("the [Zhurong rover](https://en.wikipedia.org/wiki/Zhurong_(rover)) (2021)"),
            "the Zhurong rover <https://en.wikipedia.org/wiki/Zhurong_(rover)> (2021)"
        );
        assert_eq!(plain("[a](b (c"), "[a](b (c");
        assert_eq!(plain("[x] and (y)"), "[x] and (y)");
    }
}
