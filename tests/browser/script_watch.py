"""Watching a page for injected script: dialogs, a marker function, and what the DOM still holds.

`ScriptWatch(page, csp=ScriptWatch.CSP_STRIPPED)` serves the same pages without their
Content-Security-Policy header, so a test proves the HTML itself is clean, not only that CSP blocks
what got through.
"""

from dataclasses import dataclass, field
from typing import ClassVar

from playwright.sync_api import Page, Route

from tests.browser.xss_corpus import PROBE_SCRIPT

# Runs before any script of the page, in every frame, CSP or not.
_INIT_SCRIPT = """
(() => {
  const fired = [];
  Object.defineProperty(window, '__xssFired', { value: fired });
  window.xssFired = (how) => { fired.push(String(how)); };
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    const original = window[name];
    window[name] = function (...args) {
      fired.push(`${name}(${args.join(', ')})`);
      return original.apply(this, args);
    };
  }
})();
"""

_FIRED = "() => window.__xssFired ? [...window.__xssFired] : []"

# Once pending events (image errors, autofocus, toggles) have had a frame and a task to run: what
# ran, and what no sanitised page may hold, wherever it came from.
_PROBLEMS = """
async () => {
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const problems = (window.__xssFired || []).map((how) => `ran: ${how}`);
  const scriptScheme = /^(javascript|vbscript|data):/i;
  const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster',
                                 'background', 'srcset', 'cite']);
  const ourScripts = `${location.origin}/static/js/`;
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    const where = `<${tag}${el.id ? '#' + el.id : ''}>`;
    if (['iframe', 'frame', 'object', 'embed', 'base', 'applet', 'style'].includes(tag)) {
      problems.push(`${where} element`);
    }
    if (tag === 'form' && el.hasAttribute('action') && !el.getAttribute('action').startsWith('/')) {
      problems.push(`${where} action="${el.getAttribute('action')}"`);
    }
    if (tag === 'script' && !el.src.startsWith(ourScripts)) problems.push(`${where} ${el.src || 'inline'}`);
    if (tag === 'meta' && el.httpEquiv) problems.push(`${where} http-equiv=${el.httpEquiv}`);
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, '');
      if (name.startsWith('on')) problems.push(`${where} ${name}="${attribute.value}"`);
      if (name === 'srcdoc' || name === 'style') problems.push(`${where} ${name} attribute`);
      if (urlAttributes.has(name) && scriptScheme.test(value)) {
        problems.push(`${where} ${name}="${attribute.value}"`);
      }
    }
  }
  return problems;
}
"""


@dataclass
class ScriptWatch:
    SERVED: ClassVar[str] = "with CSP"
    CSP_STRIPPED: ClassVar[str] = "CSP stripped"

    page: Page
    csp: str = SERVED
    dialogs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        page = self.page
        page.add_init_script(_INIT_SCRIPT)
        page.on("dialog", self._dismiss)
        # Same origin, so CSP's script-src 'self' allows it: only the sanitiser keeps it off a page.
        page.route(f"**{PROBE_SCRIPT}", self._serve_probe)
        if self.csp == self.CSP_STRIPPED:
            page.route("**/*", self._without_csp)

    def problems(self) -> list[str]:
        """Everything that ran, or could run, on the current page."""
        page = self.page
        found = page.evaluate(_PROBLEMS)
        for frame in page.frames[1:]:  # none, unless a frame got through
            found += [f"ran in a frame: {how}" for how in frame.evaluate(_FIRED)]
        found += [f"dialog: {message}" for message in self.dialogs]
        self.dialogs.clear()
        return found

    def _dismiss(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type} {dialog.message!r}")
        dialog.dismiss()

    @staticmethod
    def _serve_probe(route: Route) -> None:
        route.fulfill(body="window.xssFired('xss-probe.js');", content_type="text/javascript")

    @staticmethod
    def _without_csp(route: Route) -> None:
        if route.request.resource_type != "document":
            route.fallback()
            return
        response = route.fetch(max_redirects=0)
        headers = {name: value for name, value in response.headers.items()}
        headers.pop("content-security-policy", None)
        route.fulfill(response=response, headers=headers)
