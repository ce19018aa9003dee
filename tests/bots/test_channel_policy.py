"""Channel configuration: parsing, clear German errors, who sees which document sets, the filter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.errors import ConfigError
from assistant.types import SearchFilters
from bots.slack.assistant_access import AssistantAccess
from bots.slack.channel_policy import Access, ChannelPolicy


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "channels.yaml"
    path.write_text(text, encoding="utf-8")
    return path


PUBLIC = ["oeffentlich"]


def test_channels_dms_and_default(tmp_path: Path) -> None:
    policy = ChannelPolicy.load(
        _write(
            tmp_path,
            """
default: {doc_sets: [oeffentlich, rat], mentions_only: true}
channels:
  CINTERN: {doc_sets: [oeffentlich, intern]}
  CNUR: {doc_sets: [intern]}
  CLEISE: {mentions_only: true}
direct_messages:
  doc_sets: [buerger]
  users: {UCHEF: [oeffentlich, intern, rat]}
""",
        ),
        default_sets=PUBLIC,
    )
    assert policy.access("CINTERN", "UANY") == Access(frozenset({"oeffentlich", "intern"}))
    # A listed set is the complete list: nothing is added implicitly.
    assert policy.access("CNUR", "UANY") == Access(frozenset({"intern"}))
    # Without doc_sets a rule gets the configured default sets, not the default rule's list.
    assert policy.access("CLEISE", "UANY") == Access(frozenset(PUBLIC), mentions_only=True)
    assert policy.access("COTHER", "UCHEF") == Access(frozenset({"oeffentlich", "rat"}), mentions_only=True)
    assert policy.access("D123", "UCHEF") == Access(frozenset({"oeffentlich", "intern", "rat"}))
    assert policy.access("D456", "UANY") == Access(frozenset({"buerger"}))


def test_rules_without_doc_sets_follow_the_configured_default_sets(tmp_path: Path) -> None:
    path = _write(tmp_path, "channels:\n  CLEISE: {mentions_only: true}\n")
    policy = ChannelPolicy.load(path, default_sets=["buerger", "presse"])
    for channel in ("CLEISE", "COTHER", "D123"):
        assert policy.access(channel, "UANY").doc_sets == {"buerger", "presse"}
    assert ChannelPolicy.load(path, default_sets=PUBLIC).access("CLEISE").doc_sets == {"oeffentlich"}


def test_no_file_means_the_default_sets_everywhere() -> None:
    policy = ChannelPolicy.load(None, default_sets=PUBLIC)
    assert policy.access("C1", "U1") == Access(frozenset(PUBLIC))
    assert policy.access("D1", "U1") == Access(frozenset(PUBLIC))


def test_a_document_is_visible_where_one_of_its_sets_is_allowed() -> None:
    public, intern = Access(frozenset(PUBLIC)), Access(frozenset({"oeffentlich", "intern"}))
    assert public.can_see(["oeffentlich"]) and intern.can_see(["oeffentlich"])
    assert not public.can_see(["intern"]) and intern.can_see(["intern", "rat"])
    assert not intern.can_see(["rat"])
    # A document without sets (ingested with default_doc_sets: []) is visible nowhere here.
    assert not public.can_see([]) and not intern.can_see([])


def test_search_filters_restrict_to_the_allowed_sets_only() -> None:
    filters = Access(frozenset({"oeffentlich", "intern"})).search_filters()
    assert filters == SearchFilters(doc_sets=["intern", "oeffentlich"])
    assert filters.doc_ids is None
    # No allowed set: an empty list, which the core matches against nothing (not "no filter").
    assert Access(frozenset()).search_filters().doc_sets == []


def test_assistant_access_passes_the_set_filter_to_ask_and_draft() -> None:
    calls: list[tuple[str, object, SearchFilters | None]] = []

    class Recorder:
        def ask(self, question: str, filters: SearchFilters | None = None, history: object = None) -> str:
            calls.append(("ask", question, filters))
            return "antwort"

        def draft(
            self, request: object, filters: SearchFilters | None = None, progress: object = None
        ) -> str:
            calls.append(("draft", request, filters))
            return "entwurf"

    recorder: Any = Recorder()
    access = AssistantAccess(lambda: recorder)
    intern = Access(frozenset({"intern", "oeffentlich"}))
    assert access.ask("Frage?", intern) == "antwort"
    assert access.draft("Anfrage", Access(frozenset(PUBLIC))) == "entwurf"
    assert calls == [
        ("ask", "Frage?", SearchFilters(doc_sets=["intern", "oeffentlich"])),
        ("draft", "Anfrage", SearchFilters(doc_sets=["oeffentlich"])),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("channels:\n  C1: {doc_set: [intern]}\n", "channels.C1.doc_set"),
        ("channels:\n  C1: {mentions_only: vielleicht}\n", "channels.C1.mentions_only"),
        ("default: [intern]\n", "Feld default"),
        ("channels: [C1\n", "kein gültiges YAML"),
        ("default: {doc_sets: []}\n", "Feld default.doc_sets: leere Liste gibt keine Dokumente frei"),
        ("channels:\n  C1: {doc_sets: []}\n", "Feld channels.C1.doc_sets: leere Liste"),
        ("direct_messages: {users: {U1: []}}\n", "Feld direct_messages.users: leere Liste"),
        ("channels:\n  C1: {doc_sets: [intern, ' ']}\n", "leerer Set-Name"),
    ],
)
def test_invalid_file_names_file_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        ChannelPolicy.load(path, default_sets=PUBLIC)
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nicht lesbar"):
        ChannelPolicy.load(tmp_path / "fehlt.yaml", default_sets=PUBLIC)
