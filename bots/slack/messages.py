"""Everything the Slack bot says in German, and the one place errors become friendly messages."""

from __future__ import annotations

from assistant.errors import (
    AssistantError,
    ConfigError,
    IndexUnavailableError,
    LLMTimeoutError,
    LLMUnavailableError,
)

SEARCHING = "⏳ Ich suche in den Dokumenten …"
DRAFTING = "⏳ Ich schreibe einen Entwurf aus den Dokumenten …"
SOURCES_HEADING = "*Quellen*"
FEEDBACK_UP = "👍 Hilfreich"
FEEDBACK_DOWN = "👎 Nicht hilfreich"
FEEDBACK_THANKS = "Danke für Ihre Rückmeldung!"
FEEDBACK_UNKNOWN_ANSWER = (
    "Zu dieser Antwort habe ich keine Daten mehr; die Rückmeldung konnte nicht gespeichert werden."
)
FEEDBACK_MODAL_TITLE = "Was war nicht hilfreich?"
FEEDBACK_MODAL_LABEL = "Ihr Hinweis (optional)"
FEEDBACK_MODAL_HINT = "Zum Beispiel: falsche Zahl, veraltete Quelle, Frage nicht verstanden."
FEEDBACK_MODAL_SUBMIT = "Senden"
FEEDBACK_MODAL_CLOSE = "Abbrechen"
ASK_USAGE = "Bitte eine Frage angeben, zum Beispiel: `/agenda-frage Wie beteiligen wir Vereine?`"
DRAFT_USAGE = (
    "Bitte beschreiben Sie den Entwurf, zum Beispiel: "
    "`/agenda-entwurf Handlungsfeld Digitale Verwaltung für eine Gemeinde mit 8.000 Einwohnern`"
)
MENTIONS_ONLY = "In diesem Kanal antworte ich nur, wenn man mich erwähnt (@Agenda-Assistent)."
NOT_IN_CHANNEL = "Ich bin nicht Mitglied dieses Kanals; die Antwort sehen nur Sie."
NOT_IN_CHANNEL_DRAFT = (
    "Ich kann hier keine Dateien posten. Bitte laden Sie mich in den Kanal ein (`/invite @Agenda-Assistent`) "
    "oder schreiben Sie mir direkt."
)
EMPTY_QUESTION = "Wie kann ich helfen? Stellen Sie mir eine Frage zur Digitalen Agenda."
GENERIC_ERROR = (
    "Entschuldigung, bei der Bearbeitung ist ein Fehler aufgetreten. "
    "Bitte versuchen Sie es später noch einmal; das Problem wurde protokolliert."
)
INDEX_ERROR = (
    "Der Dokumentenindex ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut."
)
CONFIG_ERROR = "Der Assistent ist nicht richtig eingerichtet. Bitte wenden Sie sich an die IT."

DOC_TYPE_LABELS = {
    "guidance": "Leitfaden",
    "case_study": "Praxisbeispiel",
    "strategy": "Strategie",
    "other": "Sonstiges",
}


def asked_by(user_id: str, text: str) -> str:
    """Header of a question asked with the slash command (``text`` already escaped)."""
    return f"<@{user_id}> fragt: {text}"


def draft_requested_by(user_id: str, text: str) -> str:
    """Header of a draft request (``text`` already escaped)."""
    return f"<@{user_id}> bittet um einen Entwurf: {text}"


def draft_progress(step: str) -> str:
    """The placeholder while a draft is made (``step``: „Teil 2 von 5: Maßnahmen (…)“)."""
    return f"⏳ Entwurf wird erstellt … {step}"


def draft_intro(title: str, mode: str) -> str:
    how = "mit dem Sprachmodell formuliert" if mode == "llm" else "aus wörtlichen Auszügen zusammengestellt"
    return f"*{title}* ({how}). Der Entwurf liegt als Datei in diesem Thread; bitte vor Verwendung prüfen."


def draft_coverage(sources: int, documents: int, gaps: list[str]) -> str:
    line = f"Belegt mit {sources} Quellenstellen aus {documents} Dokumenten."
    if gaps:
        line += " Ohne Beleg (bitte selbst ergänzen): " + ", ".join(gaps) + "."
    return line


def friendly_error(exc: BaseException) -> str:
    """The German message a Slack user sees for an error (details go to the log only)."""
    if isinstance(exc, LLMTimeoutError | LLMUnavailableError):
        return f"Entschuldigung: {exc.message}"
    if isinstance(exc, IndexUnavailableError):
        return INDEX_ERROR
    if isinstance(exc, ConfigError):
        return CONFIG_ERROR
    if isinstance(exc, AssistantError):
        return f"Entschuldigung, das hat nicht geklappt: {exc.message}"
    return GENERIC_ERROR
