"""Classic script-injection vectors, shared by every test that puts untrusted text on a page.

Each vector tries to run `alert(1)` (or another dialog), or to load `/xss-probe.js`, a same-origin
script the browser tests serve through page.route: CSP's script-src 'self' would let that one run,
so only the sanitiser stands in its way. Every vector is at most 80 characters, so it fits any
name field (display name, legal name) as well as markdown and query strings.

Later features (forum posts, certificate names, search) add their surfaces, not new corpora: a
vector that matters for one surface is tried on all of them.
"""

from typing import NamedTuple


class Vector(NamedTuple):
    name: str
    payload: str


PROBE_SCRIPT = "/xss-probe.js"

VECTORS: list[Vector] = [
    # Script elements
    Vector("script-tag", "<script>alert(1)</script>"),
    Vector("script-uppercase", "<SCRIPT>alert(1)</SCRIPT>"),
    Vector("script-src-same-origin", f'<script src="{PROBE_SCRIPT}"></script>'),
    Vector("script-nested-split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    Vector("svg-script", "<svg><script>alert(1)</script></svg>"),
    # Event handlers
    Vector("img-onerror", "<img src=x onerror=alert(1)>"),
    Vector("img-onerror-entities", '<img src=x onerror="&#97;&#108;&#101;&#114;&#116;(1)">'),
    Vector("svg-onload", "<svg onload=alert(1)>"),
    Vector("body-onload", "<body onload=alert(1)>"),
    Vector("details-ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    Vector("input-autofocus", "<input autofocus onfocus=alert(1)>"),
    Vector("allowed-tag-handler", '<a href="https://example.org" onmouseover="alert(1)">x</a>'),
    Vector("video-source-onerror", "<video><source onerror=alert(1)></video>"),
    # URLs with a script scheme
    Vector("javascript-link", '<a href="javascript:alert(1)">x</a>'),
    Vector("javascript-link-tab", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    Vector("markdown-javascript-link", "[x](javascript:alert(1))"),
    Vector("markdown-mixed-case-link", "[x](JaVaScRiPt:alert(1))"),
    Vector("markdown-entity-colon", "[x](javascript&#58;alert(1))"),
    Vector("markdown-autolink", "<javascript:alert(1)>"),
    Vector("autolink-quote-break", '<https://example.org/"onmouseover="alert(1)>'),
    Vector("markdown-image-quote-break", '![x](x" onerror="alert(1))'),
    Vector("markdown-image-javascript", "![x](javascript:alert(1))"),
    Vector("data-url-link", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    Vector("form-action", '<form action="javascript:alert(1)"><button>x</button></form>'),
    # Frames, objects, documents in documents
    Vector("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    Vector("iframe-javascript", '<iframe src="javascript:alert(1)"></iframe>'),
    Vector("object-data-url", '<object data="data:text/html,<script>alert(1)</script>">'),
    Vector("embed-base64", '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">'),
    Vector("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    Vector("base-href", '<base href="javascript:alert(1)//">'),
    # Styles
    Vector("style-attribute-url", '<div style="background:url(javascript:alert(1))">x</div>'),
    Vector("style-expression", '<p style="width:expression(alert(1))">x</p>'),
    Vector("style-element-import", "<style>@import 'javascript:alert(1)';</style>"),
    # Breaking out of the surrounding markup
    Vector("close-title", "</title><script>alert(1)</script>"),
    Vector("close-textarea", "</textarea><script>alert(1)</script>"),
    Vector("attribute-double-quote", '"><script>alert(1)</script>'),
    Vector("attribute-single-quote", "'><img src=x onerror=alert(1)>"),
    Vector("attribute-handler-injection", '" autofocus onfocus="alert(1)" x="'),
    Vector("unquoted-attribute", "x onmouseover=alert(1) autofocus onfocus=confirm(1)"),
    # Parser differentials (mutation XSS)
    Vector("noscript-mxss", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    Vector("math-style-mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    Vector("comment-break", "<!--><img src=x onerror=prompt(1)>-->"),
    Vector("cdata-svg", "<svg><![CDATA[><image xlink:href=]]><img src=x onerror=alert(1)>"),
]
