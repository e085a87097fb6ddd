"""Classic script-injection vectors, shared by every test that puts untrusted text on a page.

Each vector tries to run `alert(1)` (or another dialog), or to load `/xss-probe.js`, a same-origin
script the browser tests serve through page.route: CSP's script-src 'self' would let that one run,
so only the sanitiser stands in its way. Every vector is at most 80 characters, so it fits any
name field (display name, legal name) as well as markdown and query strings.

Later features (forum posts, certificate names, search) add their surfaces, not new corpora: a
vector that matters for one surface is tried on all of them.
"""

import json
from pathlib import Path
from typing import NamedTuple


class Vector(NamedTuple):
    name: str
    payload: str


PROBE_SCRIPT = "/xss-probe.js"

# The corpus itself lives in tests/data/xss_vectors.json (one {"name", "payload"} a line), shared
# with the tests that post every vector through the forum's views (tests/forum/test_xss_corpus.py).
CORPUS_PATH = Path(__file__).resolve().parents[1] / "data" / "xss_vectors.json"
ALL_VECTORS: list[Vector] = [Vector(**entry) for entry in json.loads(CORPUS_PATH.read_text(encoding="utf-8"))]
# The one-line vectors: a name or title field keeps them exactly as typed (a text input turns a line
# break into a space), so the browser tests can check each is shown back as text. The multi-line
# ones (markdown reference links, code fences) are posted as markdown by tests/forum/.
VECTORS: list[Vector] = [vector for vector in ALL_VECTORS if not any(ch in vector.payload for ch in "\t\n\r")]

# What the browser renders: the first 43 vectors (one per family of attack, the corpus this file
# started with) and every fourth of the rest. Every vector of the corpus goes through the views and
# the stored HTML in tests/forum/test_xss_corpus.py in seconds; a real browser adds what only it can
# show (CSP, the DOM) per surface, and loading ~150 pages per surface would double the suite's time.
_FIRST_FAMILIES = 43
BROWSER_VECTORS: list[Vector] = [
    vector for index, vector in enumerate(ALL_VECTORS)
    if vector in VECTORS and (index < _FIRST_FAMILIES or index % 4 == 0)
]
