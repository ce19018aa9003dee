"""What the API writes to its log about a question: by default only its length and a short hash.

Questions may contain personal data (names, addresses, case numbers). The hash lets an
operator correlate repeated questions without reading them; ``ASSISTANT_API_LOG_QUESTIONS=true``
logs them in full, for debugging with consent.
"""

from __future__ import annotations

import hashlib
import logging

from assistant.config import Settings

log = logging.getLogger("kommunal.api.requests")


def question_for_log(settings: Settings, question: str) -> str:
    if settings.api_log_questions:
        return repr(question)
    digest = hashlib.sha256(question.encode("utf-8")).hexdigest()[:10]
    return f"<{len(question)} Zeichen, sha256:{digest}>"


def log_question(settings: Settings, route: str, key_name: str, question: str) -> None:
    log.info("question route=%s key=%s question=%s", route, key_name, question_for_log(settings, question))
