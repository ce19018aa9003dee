"""Drafts over the ingested sample corpus: outlines per type, citations, gaps, length, exports,
LLM mode, CLI."""

from __future__ import annotations

import io
import json
import re

import pytest
from docx import Document
from typer.testing import CliRunner

from assistant.config import Settings, get_settings
from assistant.drafting import FALLBACK_WARNING, Draft, DraftRequest, parse_request, render_docx, render_odt
from assistant.drafting.base import SourceNumbering
from assistant.drafting.length import count_words
from assistant.drafting.structure import NO_EVIDENCE, SOURCES_TITLE, load_structure
from assistant.embeddings import create_embedder
from assistant.errors import LLMUnavailableError
from assistant.index import Index
from assistant.service import Assistant
from tests.fakes import FakeOpenAIServer, unused_port

PART_TITLES = [p.title for p in load_structure().parts]
MARKER = re.compile(r"\[(\d+)\]")
SOUVERAENITAET = DraftRequest(
    section="souveraenitaet",
    profile={"name": "Gemeinde Auenried", "inhabitants": 8200, "kind": "Gemeinde"},
    notes="Open Source, Datenhoheit bei Verträgen, IT-Sicherheit",
)


def draft_with(settings: Settings, request: DraftRequest) -> Draft:
    with Index(settings, create_embedder(settings), write=False, purpose="test") as index:
        return Assistant(index, settings).draft(request)


def llm_settings(settings: Settings, base_url: str, **overrides: object) -> Settings:
    values = {"llm_base_url": base_url, "llm_model": "test-model", "llm_timeout_s": 5.0, **overrides}
    return settings.model_copy(update=values)


def assert_citations_consistent(draft: Draft) -> None:
    numbers = {s.n for s in draft.sources}
    assert sorted(numbers) == list(range(1, len(draft.sources) + 1)), "sources numbered 1..n"
    cited = {int(n) for n in MARKER.findall(draft.markdown.split(f"## {SOURCES_TITLE}")[0])}
    assert cited == numbers, "every source is cited and every citation has a source"
    by_number = {s.n: s for s in draft.sources}
    for citation in draft.citations:
        assert by_number[citation.n].doc_id == citation.doc_id
    sections = [(s.doc_id, s.section) for s in draft.sources]
    assert len(sections) == len(set(sections)), "one source per document section"
    first_use = [int(n) for n in MARKER.findall(draft.markdown.split(f"## {SOURCES_TITLE}")[0])]
    assert list(dict.fromkeys(first_use)) == sorted(numbers), "numbered in order of first use"


def test_extractive_draft_structure_citations_and_exports(corpus_settings: Settings) -> None:
    draft = draft_with(corpus_settings, SOUVERAENITAET)

    assert draft.mode == "extractive"
    assert "Materialsammlung" in draft.markdown
    headings = re.findall(r"^## (.+)$", draft.markdown, re.M)
    assert headings == [*PART_TITLES, SOURCES_TITLE]
    assert_citations_consistent(draft)
    assert not draft.coverage.gaps
    for part in draft.coverage.parts:
        assert part.sources >= 1 and part.documents >= 1
    # The profile gives a size class: comparable municipalities' case studies are preferred.
    assert any(s.doc_type == "case_study" for s in draft.sources)
    measures = next(p for p in draft.parts if p.key == "massnahmen")
    assert measures.blocks and all(b.kind == "measure" for b in measures.blocks)
    assert all(set(b.fields) == {"Priorität", "Verantwortlich", "Zeitrahmen"} for b in measures.blocks)
    for source in draft.sources:
        assert f"[{source.n}] {source.title} ({source.doc_type}" in draft.markdown

    document = Document(io.BytesIO(render_docx(draft)))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert styled[0] == ("Title", draft.title)
    assert [text for style, text in styled if style == "Heading 1"][: len(PART_TITLES) + 1] == [
        *PART_TITLES,
        SOURCES_TITLE,
    ]

    from odf import opendocument, teletype
    from odf.text import H

    odt = opendocument.load(io.BytesIO(render_odt(draft)))
    odt_headings = [teletype.extractText(h) for h in odt.getElementsByType(H)]
    assert odt_headings == [draft.title, *PART_TITLES, SOURCES_TITLE]


def test_section_without_evidence_reports_the_gap(corpus_settings: Settings) -> None:
    request = DraftRequest(section="Raumfahrt und Satellitenstarts", profile={"kind": "Landkreis"})
    draft = draft_with(corpus_settings, request)
    titles = [p.title for p in load_structure().outline(request.doc_type)]

    assert request.type == "kapitel", "a free topic is a generic chapter"
    assert draft.sources == [] and draft.citations == []
    assert draft.coverage.gaps == titles
    assert all(p.gap and p.blocks[0].text == NO_EVIDENCE for p in draft.parts)
    assert draft.markdown.count(NO_EVIDENCE) == len(titles)
    assert any("Ohne Belege" in w for w in draft.warnings)


MEMO = (
    "Kurzes Memo an den Bürgermeister: Sollen wir in der Verwaltung auf openDesk umsteigen, und was "
    "kostet das? Eine halbe Seite."
)


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        (MEMO, "memo"),
        ("Präambel für unsere Digitalstrategie: Wofür wollen wir Digitalisierung nutzen?", "praeambel"),
        ("Beteiligungskonzept für die Fortschreibung: Wen beteiligen wir wann und wie?", "beteiligung"),
        ("Kapitel Organisation und Steuerung der Umsetzung mit einem Stufenplan", "governance"),
        ("Kapitel Fördermittel: Worauf müssen wir beim Antrag achten?", "kapitel"),
    ],
)
def test_each_type_is_drafted_in_its_own_outline(corpus_settings: Settings, text: str, doc_type: str) -> None:
    request = parse_request(text)
    draft = draft_with(corpus_settings, request)
    outline = load_structure().outline(doc_type, request.form or ())

    assert request.type == doc_type
    assert re.findall(r"^## (.+)$", draft.markdown, re.M) == [*(p.title for p in outline), SOURCES_TITLE]
    assert_citations_consistent(draft)
    assert len(draft.coverage.gaps) < len(outline), "the corpus speaks to every type"
    for part, spec in zip(draft.parts, outline, strict=True):
        if spec.numbered and not part.gap:
            assert re.search(rf"^## {re.escape(part.title)}\n\n1\. ", draft.markdown, re.M), (
                "steps are numbered"
            )


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Entwurf für das Kapitel Digitale Souveränität, ca. eine Seite", 300, 500),
        ("Entwurf für das Kapitel Digitale Souveränität, eine halbe Seite", 150, 250),
        ("Entwurf für das Kapitel Digitale Souveränität, max. 300 Wörter", 225, 300),
        (MEMO, 150, 250),
    ],
)
def test_drafts_keep_their_length(corpus_settings: Settings, text: str, low: int, high: int) -> None:
    draft = draft_with(corpus_settings, parse_request(text))
    # The body as the reader sees it: the parts' headings and blocks, without title, label,
    # profile line and source list.
    body = draft.markdown.split("\n## ", 1)[1].split(f"## {SOURCES_TITLE}")[0]
    words = count_words(re.sub(r"^\d+\. ", "", body.replace("#", " "), flags=re.M))  # not the step numbers

    assert (low, high) == draft.coverage.word_bounds
    assert low <= words <= high, f"{words} words, asked for {low}–{high}"
    assert words == draft.coverage.words
    assert_citations_consistent(draft)


def test_two_passages_of_one_section_are_one_source() -> None:
    from assistant.types import Chunk

    def chunk(position: int, section: str) -> Chunk:
        return Chunk(
            chunk_id=f"doc::{position}",
            doc_id="doc",
            text=f"Text {position}.",
            title="Strategie",
            source="doc.md",
            section=section,
            position=position,
        )

    numbering = SourceNumbering()
    assert numbering.number(chunk(3, "Strategie > 3.4 Souveränität")) == 1
    assert numbering.number(chunk(2, "Strategie > 3.4 Souveränität")) == 1
    assert numbering.number(chunk(5, "Strategie > 4. Umsetzung")) == 2
    assert [s.n for s in numbering.sources] == [1, 2]
    assert numbering.sources[0].text == "Text 2.\n\nText 3.", "the cited passages in document order"
    assert numbering.cited_chunk_ids() == {"doc::2", "doc::3", "doc::5"}


def test_llm_mode_writes_checked_prose(corpus_settings: Settings, openai_server: FakeOpenAIServer) -> None:
    parts = len(PART_TITLES)
    openai_server.queue(
        "Die Kommune setzt auf offene Software [1]. Das spart Lizenzkosten [99].\n\n"
        "Ein Absatz ohne Beleg folgt hier.",
        "Die Abhängigkeit von einzelnen Anbietern soll sinken [1][2].",
        "- Pilot für einen offenen Arbeitsplatz [1]\n"
        "Priorität: A; Verantwortlich: Stabsstelle; Zeitrahmen: 2025",
        *["Die Daten bleiben Eigentum der Kommune [1]."] * (parts - 3),
    )
    settings = llm_settings(corpus_settings, openai_server.base_url)
    draft = draft_with(settings, SOUVERAENITAET)

    assert draft.mode == "llm"
    requests = openai_server.chat_requests
    assert len(requests) == parts
    assert requests[0].system_prompt.startswith("Du bist ein Assistent")
    assert '<quelle nr="1"' in requests[0].user_text and "Ausgangslage" in requests[0].user_text
    assert "[99]" not in draft.markdown
    assert any("Ungültige Quellenangabe entfernt: [99]" in w for w in draft.warnings)
    assert any("ohne Quellenangabe" in w for w in draft.warnings)
    assert_citations_consistent(draft)
    measures = next(p for p in draft.parts if p.key == "massnahmen")
    assert measures.blocks[0].kind == "measure"
    assert measures.blocks[0].fields == {
        "Priorität": "A",
        "Verantwortlich": "Stabsstelle",
        "Zeitrahmen": "2025",
    }
    assert "Entwurf, vom Sprachmodell" in draft.markdown


def test_llm_part_without_any_citation_becomes_cited_statements(
    corpus_settings: Settings, openai_server: FakeOpenAIServer
) -> None:
    """A model that writes a part without any [n] must not turn evidence into a false gap."""
    parts = len(PART_TITLES)
    openai_server.queue(
        "Ein schöner Text ganz ohne Quellenangaben.", *["Offene Software hilft [1]."] * (parts - 1)
    )
    draft = draft_with(llm_settings(corpus_settings, openai_server.base_url), SOUVERAENITAET)

    first = draft.parts[0]
    assert not first.gap
    assert "ohne Quellenangaben" not in draft.markdown
    assert all(re.search(r"\[\d+\]", block.text) for block in first.blocks)
    assert any("keine Quelle zitiert" in w for w in draft.warnings)
    assert_citations_consistent(draft)


def test_unreachable_llm_falls_back_or_fails_clearly(corpus_settings: Settings) -> None:
    dead = f"http://127.0.0.1:{unused_port()}/v1"
    fallback = draft_with(llm_settings(corpus_settings, dead), SOUVERAENITAET)
    assert fallback.mode == "extractive"
    assert fallback.warnings[0] == FALLBACK_WARNING
    assert fallback.sources

    with pytest.raises(LLMUnavailableError, match="nicht erreichbar"):
        draft_with(llm_settings(corpus_settings, dead, llm_fallback_extractive=False), SOUVERAENITAET)


def test_cli_json_and_files(corpus_settings: Settings, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kommunal.cli.main import app

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(corpus_settings.data_dir))
    monkeypatch.setenv("ASSISTANT_INDEX_NAME", corpus_settings.index_name)
    monkeypatch.delenv("ASSISTANT_LLM_BASE_URL", raising=False)
    get_settings.cache_clear()
    docx_path, md_path = tmp_path / "entwurf.docx", tmp_path / "entwurf.md"
    try:
        result = CliRunner().invoke(
            app,
            [
                "draft",
                "--topic",
                "Entwurf für das Kapitel Digitale Verwaltung, Gemeinde mit 12.500 EW, kurz",
                "--name",
                "Gemeinde Steinau",
                "--docx",
                str(docx_path),
                "--markdown",
                str(md_path),
                "--json",
            ],
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"markdown", "citations", "sources", "coverage", "mode", "warnings", "draft_id"} <= set(data)
    assert data["request"]["profile"] == {
        "name": "Gemeinde Steinau",
        "inhabitants": 12500,
        "size_class": "Kleinstadt",
        "kind": "Gemeinde",
    }
    assert data["request"]["length"] == 0.5
    assert [p["title"] for p in data["coverage"]["parts"]] == PART_TITLES
    assert data["request"]["type"] == "handlungsfeld"
    assert {"n", "chunk_id", "doc_id", "title", "doc_type", "source", "location"} <= set(data["sources"][0])
    assert md_path.read_text(encoding="utf-8") == data["markdown"]
    assert Document(str(docx_path)).paragraphs[0].text == data["title"]


def test_cli_request_can_force_the_type() -> None:
    from kommunal.cli.draft_request import build_request

    forced = build_request(None, MEMO, None, None, None, None, None, doc_type="Entscheidungsvorlage")
    assert forced.type == "memo"
    chapter = build_request("Open Data", None, None, None, None, "max. 300 Wörter", None, doc_type="kapitel")
    assert (chapter.type, chapter.max_words, chapter.length) == ("kapitel", 300, 0.75)
    import typer

    with pytest.raises(typer.BadParameter, match="Unbekannter Dokumenttyp"):
        build_request("Open Data", None, None, None, None, None, None, doc_type="Roman")


def test_cli_usage_errors_are_german() -> None:
    from kommunal.cli.main import app

    result = CliRunner().invoke(app, ["draft"])
    assert result.exit_code == 2
    assert "--section oder --topic" in result.output
    result = CliRunner().invoke(app, ["draft", "--section", "zukunft", "--kind", "Bundesland"])
    assert result.exit_code == 2
    assert "Unbekannte Art" in result.output
