"""The pages the browser tests load: a storefront's client script, and a foreign site's forms."""

from __future__ import annotations

import html
import json

JS = "text/javascript; charset=utf-8"
HTML = "text/html; charset=utf-8"

# What a storefront page does: fetch with the session cookie, JSON in and out. Each call resolves
# to {status, body}, or to {error} when the browser withholds the answer from the page (CORS).
SHOP_JS = """\
"use strict";
function shown(what, result) {  // each call's outcome stays on the page, for failure screenshots
  const line = document.createElement("pre");
  line.textContent = what + " -> " + JSON.stringify(result);
  document.body.append(line);
  return result;
}
async function call(url, init) {
  const what = (init.method || "GET") + " " + url;
  try {
    const response = await fetch(url, {credentials: "include", ...init});
    const text = await response.text();
    let body = text;
    try { body = JSON.parse(text); } catch (_) { /* not JSON: keep the text */ }
    return shown(what, {status: response.status, body});
  } catch (error) {
    return shown(what, {error: String(error)});
  }
}
function sending(method, body) {
  if (body === undefined) return {method};
  return {method, headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)};
}
window.shop = {
  signUp: (api, account) => call(api + "/api/auth/signup/", sending("POST", account)),
  me: (api) => call(api + "/api/auth/me/", sending("GET")),
  openTicket: (api, ticket) => call(api + "/api/tickets/", sending("POST", ticket)),
  signOut: (api) => call(api + "/api/auth/signout/", sending("POST")),
  // A "simple" request: no preflight, so it reaches the server whatever CORS allows; the page
  // gets an opaque answer (the test reads the real status from the network).
  blind: async (url, body) => {
    const response = await fetch(url, {
      method: "POST", mode: "no-cors", credentials: "include",
      headers: {"Content-Type": "text/plain"}, body,
    });
    return shown("POST " + url + " (no-cors)", {type: response.type, status: response.status});
  },
  loadImage: (src) => new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve({width: image.naturalWidth});
    image.onerror = () => resolve({error: "not loaded"});
    image.src = src;
  }),
};
"""

INDEX_HTML = """\
<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title><script src="/shop.js"></script></head>
<body><h1>{title}</h1></body></html>
"""


def site_pages(title: str) -> dict[str, tuple[str, str]]:
    """A page that loads the storefront's client script, and the script."""
    return {"/": (HTML, INDEX_HTML.format(title=html.escape(title))), "/shop.js": (JS, SHOP_JS)}


def forms_page(api: str, profile: dict[str, str]) -> tuple[str, str]:
    """Two forms a foreign site could post: a ticket, url-encoded as forms are by default, and a
    profile change in the `text/plain` trick that makes the body a JSON document (`profile`
    with its email last; the body then names the email `local=@domain`)."""
    ticket = "".join(
        f'<input name="{name}" value="{html.escape(value)}">'
        for name, value in {
            "name": "mallory",
            "message": "posted by a foreign form",
            "phone": "5550000000",
            "email": "mallory@example.com",
        }.items()
    )
    document = json.dumps(profile)
    at = document.rindex("@")  # the form puts "=" between name and value: into the email
    trick = f'<input name="{html.escape(document[:at])}" value="{html.escape(document[at:])}">'
    page = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>forms</title></head><body>
<form id="ticket" method="post" action="{api}/api/tickets/">{ticket}<button>send</button></form>
<form id="profile" method="post" enctype="text/plain" action="{api}/api/user/">{trick}
<button>send</button></form>
</body></html>
"""
    return HTML, page
