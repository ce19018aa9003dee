"""Web boilerplate removal by general line rules.

Saved web pages and copy-pasted articles carry share bars, app badges, subscription
calls to action, ad markers, copyright and photo-credit lines, contact lines, breadcrumbs
and cookie notices. Each rule below is a *family* of patterns, kept in the data
structures at the top of this module so they are easy to extend. Rules work line by line
and only on short lines: a real sentence that merely mentions Facebook or contains an
e-mail address stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ingestion.document import Block

__all__ = ["Removal", "boilerplate_rule", "strip_boilerplate"]

# --- pattern families (extend here) -------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SOCIAL_NETWORKS = _words(
    "facebook twitter instagram youtube linkedin xing whatsapp pinterest tiktok mastodon threads "
    "telegram flickr vimeo snapchat reddit tumblr bluesky rss feed podcast spotify"
)
APP_STORES = _words("appstore app store google play playstore apple appgallery huawei microsoft")
# Words of navigation, share and follow widgets. They may be glued together
# ("Blogzurück", "TwitterfacebookinstagramYouTube").
NAV_WORDS = _words(
    "zurück weiter startseite home blog menü menu navigation suche search seitenanfang drucken "
    "druckversion teilen share sharen folgen follow tweet tweeten like liken pin merken "
    "weiterlesen weiterempfehlen empfehlen versenden login logout anmelden abmelden "
    "schließen close top mail e-mail email newsletter kontaktformular sitemap "
    "vorherige nächste vorheriger nächster previous next back"
)
# Small words allowed between the above when they stand alone ("Teilen auf Facebook").
FILLER_WORDS = _words(
    "auf uns sie bei on us via per zur zum und oder im in the get it download laden jetzt "
    "hier mit nach oben to of a an as by with link seite artikel beitrag der die das den "
    "verfügbar available erhältlich"
)

# Whole-line regexes, each family with the longest line it may match.
LINE_RULES: dict[str, tuple[int, tuple[str, ...]]] = {
    "advertising_marker": (
        60,
        (
            r"^[\W_]*(?:[\w.]+[- ])?"
            r"(?:anzeige|werbung|advertorial|sponsored|gesponsert|advertisement|promotion)"
            r"(?:[- ](?:inhalt|beitrag|content|post))?[\W_]*$",
            r"^[\W_]*(?:gesponserter|bezahlter) (?:inhalt|beitrag|artikel)[\W_]*$",
        ),
    ),
    "copyright": (
        200,
        (r"^\s*(?:©|copyright\s*(?:©|\(c\)|\d{4}|by\b)|alle rechte vorbehalten|all rights reserved)",),
    ),
    "photo_credit": (
        250,
        (
            r"^\s*(?:bildnachweis\w*|bildquellen?|bildrechte|fotonachweis\w*|fotos?|titelbild|titelfoto|"
            r"headerbild|beitragsbild|photos?|credits?|image credits?|abbildungsnachweis\w*)\s*[:©|/]",
            r"\b(?:fotolia|shutterstock|istockphoto|istock|adobe ?stock|stock\.adobe\.com|gettyimages|"
            r"getty images|pixabay|unsplash|pexels|depositphotos|123rf|freepik|rawpixel|dreamstime|"
            r"colourbox)\b",
        ),
    ),
    "call_to_action": (
        200,
        (
            r"\b(?:artikel|beitrag|text|inhalt|seite|newsletter)\b.*\b(?:gefallen|weitergeholfen|geholfen|hilfreich|"
            r"nützlich|gefällt)\b.*\?\s*$",
            r"^(?:hat|war) (?:ihnen|dir)\b.*\b(?:gefallen|weitergeholfen|geholfen|hilfreich)\b.*\?\s*$",
            r"^\W*(?:hier|jetzt)\b.{0,40}\b(?:abo|abonnement|abonnieren|newsletter|bestellen|registrieren|"
            r"probe\w*|testen|herunterladen|downloaden)\b",
            r"\b(?:abo|abonnement|newsletter|probeabo|e-paper)\b.*!\s*$",
            r"^\W*(?:jetzt |gleich |kostenlos )*(?:newsletter |abo )?"
            r"(?:abonnieren|bestellen|registrieren|anmelden)\W*$",
            r"^\W*(?:newsletter|abo) (?:abonnieren|bestellen|anmelden)\b",
            r"\b(?:subscribe|sign up)\b.*\b(?:newsletter|now|today|free)\b",
        ),
    ),
    "cookie_notice": (
        400,
        (
            r"\bcookies?\b.*\b(?:akzeptier\w*|zustimm\w*|einverstanden|einwillig\w*|verwende\w*|nutz\w*|setz\w*|"
            r"einstellung\w*|accept\w*|consent|we use)\b",
            r"\b(?:akzeptier\w*|zustimm\w*|einverstanden|verwende\w*|nutz\w*|setz\w*|we use)\b.*\bcookies?\b",
        ),
    ),
    "navigation": (
        80,
        (
            r"^\W*(?:sie sind hier|you are here)\b",
            r"^\W*(?:startseite|home)\s*[>»›/|]",
            r"^\W*(?:zurück zur? (?:übersicht|startseite|liste|suche|newsübersicht)|"
            r"nach oben|zum seitenanfang|"
            r"mehr erfahren|weiterlesen|mehr lesen|mehr dazu|read more|zum (?:artikel|beitrag)|"
            r"inhalt überspringen|skip to (?:main )?content|(?:seite|artikel|beitrag) (?:drucken|teilen|"
            r"empfehlen|versenden|merken))\W*$",
        ),
    ),
}

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w/.])(?:\+\d{1,3}[\s/.-]?(?:\(0\)\s?)?|\(?0)\d{1,5}\)?(?:[\s/.-]?\d+){1,6}(?!\w)")
DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}")
URL = re.compile(r"(?:https?://|www\.)\S+")
CONTACT_LABELS = re.compile(
    r"\b(?:tel|telefon|fon|fax|mobil|handy|e-mail|email|mail|web|internet|kontakt|ansprechpartner\w*|"
    r"ansprechperson|durchwahl)\b\.?:?",
    re.IGNORECASE,
)
CONTACT_MAX_CHARS = 250
# Short fragments sandwiched between removed lines belong to the same boilerplate area.
FRAGMENT_MAX_CHARS = 40
FRAGMENT_MAX_WORDS = 4

# -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Removal:
    """One removed line and the rule that removed it."""

    rule: str
    text: str


@lru_cache(maxsize=1)
def _compiled() -> dict[str, tuple[int, tuple[re.Pattern[str], ...]]]:
    return {
        name: (limit, tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns))
        for name, (limit, patterns) in LINE_RULES.items()
    }


def boilerplate_rule(line: str) -> str | None:
    """The name of the rule that marks ``line`` as boilerplate, or None for content."""
    text = " ".join(line.split())
    if not text:
        return None
    if _is_widget_row(text):
        return "share_nav_row"
    for name, (limit, patterns) in _compiled().items():
        if len(text) <= limit and any(pattern.search(text) for pattern in patterns):
            return name
    if "©" in text and len(text.split()) <= 15:
        return "copyright"
    if _is_contact_line(text):
        return "contact_line"
    return None


def _segment(token: str, vocabulary: frozenset[str]) -> bool:
    """Whether ``token`` is one or more vocabulary words glued together (word break)."""
    reachable = [True] + [False] * len(token)
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - 14), end):
            if reachable[start] and token[start:end] in vocabulary:
                reachable[end] = True
                break
    return reachable[-1]


_WIDGET_WORDS = SOCIAL_NETWORKS | NAV_WORDS | APP_STORES


def _is_widget_row(text: str) -> bool:
    """A line made only of social network / app store / navigation words (maybe glued)."""
    tokens = [token for token in re.split(r"[\s|•·/,;:–>»›+]+|(?<!\w)-|-(?!\w)", text.lower()) if token]
    if not tokens or len(tokens) > 10:
        return False
    strong = 0
    for token in tokens:
        word = re.sub(r"[^\w-]", "", token)
        if not word:
            continue
        if word in FILLER_WORDS:
            continue
        if word == "x" or _segment(word.replace("-", ""), _WIDGET_WORDS):
            strong += 1
            continue
        return False
    return strong > 0


def _is_contact_line(text: str) -> bool:
    """A short line that is mostly a name plus e-mail address and/or phone number."""
    if len(text) > CONTACT_MAX_CHARS:
        return False
    phones = [
        match
        for match in PHONE.finditer(text)
        if sum(char.isdigit() for char in match.group(0)) >= 7 and not DATE.fullmatch(match.group(0).strip())
    ]
    if not EMAIL.search(text) and not phones:
        return False
    rest = EMAIL.sub(" ", text)
    rest = URL.sub(" ", rest)
    for match in reversed(phones):
        rest = rest.replace(match.group(0), " ")
    rest = CONTACT_LABELS.sub(" ", rest)
    words = re.findall(r"[^\W\d_]+", rest)
    lowercase = [word for word in words if word[0].islower()]
    return len(lowercase) <= 2 and len(words) <= 8


def strip_boilerplate(blocks: list[Block]) -> tuple[list[Block], list[Removal]]:
    """Remove boilerplate lines from text blocks; blocks left empty are dropped.

    Tables are left alone. A short fragment whose neighbouring blocks were both removed
    entirely (a site name between a share bar and a copyright line) goes too.
    """
    removals: list[Removal] = []
    results: list[tuple[Block, str | None]] = []  # (block, new text or None if removed)
    for block in blocks:
        if block.kind == "table":
            results.append((block, block.text))
            continue
        kept_lines = []
        removed_here = 0
        for line in block.text.split("\n"):
            rule = boilerplate_rule(line)
            if rule is None:
                kept_lines.append(line)
            else:
                removed_here += 1
                removals.append(Removal(rule, line.strip()))
        if removed_here and kept_lines and all(_is_fragment(line.strip()) for line in kept_lines):
            # What is left of a contact or credit block is its name or label ("Erika Muster").
            removals.extend(Removal("isolated_fragment", line.strip()) for line in kept_lines)
            kept_lines = []
        text = "\n".join(kept_lines).strip()
        results.append((block, text or None))

    kept: list[Block] = []
    for index, (block, cleaned) in enumerate(results):
        if cleaned is None:
            continue
        if _is_fragment(cleaned) and _removed(results, index - 1) and _removed(results, index + 1):
            removals.append(Removal("isolated_fragment", cleaned))
            continue
        kept.append(block if cleaned == block.text else replace(block, text=cleaned))
    return kept, removals


def _removed(results: list[tuple[Block, str | None]], index: int) -> bool:
    return 0 <= index < len(results) and results[index][1] is None


def _is_fragment(text: str) -> bool:
    return (
        "\n" not in text
        and len(text) <= FRAGMENT_MAX_CHARS
        and len(text.split()) <= FRAGMENT_MAX_WORDS
        and not re.search(r"[.!?]$", text)
    )
