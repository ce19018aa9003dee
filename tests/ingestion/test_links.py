"""Links a document presents as links: recorded by the loaders, carried per chunk, kept in the index.

A URL that is only written in a document's plain text is not a link of the document: anyone who
can put text into a document could otherwise get a phishing link past the answers' link filter.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.chunking import chunk_document
from ingestion.document import Block, Link, LoadedDocument
from ingestion.loaders import load_document

PAGE = "https://www.quellbach.example/buergerservice/sperrmuell"


def words(text: str) -> int:
    """A stand-in tokenizer: one token per word, plus two special tokens."""
    return len(text.split()) + 2


def test_markdown_links_are_recorded_and_plain_urls_are_not(tmp_path: Path, limits: dict[str, int]) -> None:
    path = tmp_path / "sperrmuell.md"
    path.write_text(
        f'---\nurl: "{PAGE}"\n---\n# Sperrmüll\n\n'
        "Den Antrag stellen Sie im [Bürgerportal](/portal/sperrmuell) oder unter "
        "<https://www.quellbach.example/formulare>. Angeblich geht es auch über "
        "https://phish.example/login schneller.\n\n"
        "- Gebühren stehen in der [Satzung][satzung]\n\n"
        "[satzung]: https://www.quellbach.example/satzung.pdf\n",
        encoding="utf-8",
    )

    doc = load_document(path, **limits)

    paragraph = next(b for b in doc.blocks if b.kind == "paragraph")
    assert paragraph.links == [
        Link("Bürgerportal", "https://www.quellbach.example/portal/sperrmuell"),
        Link("https://www.quellbach.example/formulare", "https://www.quellbach.example/formulare"),
    ]
    assert "https://phish.example/login" in paragraph.text
    item = next(b for b in doc.blocks if b.kind == "list_item")
    assert item.links == [Link("Satzung", "https://www.quellbach.example/satzung.pdf")]


def test_html_anchors_are_recorded_resolved_against_the_canonical_url(
    tmp_path: Path, limits: dict[str, int]
) -> None:
    path = tmp_path / "sperrmuell.html"
    path.write_text(
        f"""<!DOCTYPE html><html lang="de"><head><title>Sperrmüll in Quellbach</title>
<link rel="canonical" href="{PAGE}"></head><body><main><article>
<h1>Sperrmüll in Quellbach</h1>
<p>Die Abholung beantragen Sie im <a href="/portal/sperrmuell">Bürgerportal der Gemeinde</a>; die Gebühr
beträgt 25 Euro je Termin und wird nach der Abholung per Bescheid erhoben.</p>
<p>Eine Anmeldung über https://phish.example/login ist nicht vorgesehen, auch wenn es in einer E-Mail
behauptet wurde. Bitte melden Sie solche Nachrichten dem Bürgerbüro.</p>
<ul><li>Gebühren nach der <a href="https://www.quellbach.example/satzung.pdf">Abfallsatzung</a></li>
<li>Kontakt per <a href="mailto:buergerbuero@quellbach.example">E-Mail</a></li></ul>
</article></main></body></html>""",
        encoding="utf-8",
    )

    doc = load_document(path, **limits)

    links = [link for block in doc.blocks for link in block.links]
    assert links == [
        Link("Bürgerportal der Gemeinde", "https://www.quellbach.example/portal/sperrmuell"),
        Link("Abfallsatzung", "https://www.quellbach.example/satzung.pdf"),
    ]
    assert doc.metadata["url"] == PAGE


def test_docx_hyperlinks_are_recorded(tmp_path: Path, limits: dict[str, int]) -> None:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    paragraph = document.add_paragraph("Die Abholung beantragen Sie im ")
    rel_id = paragraph.part.relate_to(
        "https://www.quellbach.example/portal", RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "Bürgerportal"
    run.append(text)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)
    paragraph.add_run(", nicht über https://phish.example/login.")
    path = tmp_path / "sperrmuell.docx"
    document.save(str(path))

    doc = load_document(path, **limits)

    assert doc.blocks[0].text == (
        "Die Abholung beantragen Sie im Bürgerportal, nicht über https://phish.example/login."
    )
    assert doc.blocks[0].links == [Link("Bürgerportal", "https://www.quellbach.example/portal")]


def test_each_chunk_carries_the_links_whose_label_it_shows() -> None:
    portal = Link("Bürgerportal", "https://www.quellbach.example/portal")
    satzung = Link("Abfallsatzung", "https://www.quellbach.example/satzung.pdf")
    filler = " ".join(["Die Gemeinde holt Sperrmüll zweimal im Jahr ab."] * 6)
    # One paragraph too long for one chunk: its first part names the portal, its last the statute.
    long_text = f"Anträge stellen Sie im Bürgerportal. {filler} Die Gebühren regelt die Abfallsatzung."
    doc = LoadedDocument(
        path=Path("sperrmuell.md"),
        blocks=[
            Block("heading", "Sperrmüll", level=1),
            Block("paragraph", long_text, links=[portal, satzung]),
            Block("heading", "Kontakt", level=2),
            Block("paragraph", "Das Bürgerbüro ist montags bis freitags geöffnet.", links=[]),
        ],
    )

    drafts = chunk_document(doc, title="Sperrmüll", max_tokens=40, count_tokens=words, min_tokens=0)

    assert len(drafts) >= 3
    by_text = {d.text: d.links for d in drafts}
    first = next(t for t in by_text if "Bürgerportal" in t)
    last = next(t for t in by_text if "Abfallsatzung" in t)
    assert first != last
    assert by_text[first] == [portal.url]
    assert by_text[last] == [satzung.url]
    assert all(d.links == [] for d in drafts if "Bürgerbüro" in d.text)


def test_a_link_whose_label_was_cleaned_away_is_not_carried() -> None:
    doc = LoadedDocument(
        path=Path("a.md"),
        blocks=[
            Block("paragraph", "Die Abholung kostet 25 Euro.", links=[Link("Teilen", "https://x.example")])
        ],
    )

    (draft,) = chunk_document(doc, title="Sperrmüll", max_tokens=100, count_tokens=words, min_tokens=0)

    assert draft.links == []


def generated_nested_html(levels: int = 5_000, paragraphs: int = 30_000) -> str:
    """About 5 MB of HTML whose text lies below ``levels`` nested ``<div>``s."""
    paragraph = (
        "<p>Die Gemeinde Quellbach hat im Jahr 2024 beschlossen, die Verwaltung schrittweise zu "
        "digitalisieren und die Bürgerinnen und Bürger frühzeitig zu beteiligen.</p>"
    )
    return (
        "<!DOCTYPE html><html lang='de'><head><title>Digitale Verwaltung in Quellbach</title></head><body>"
        + "<div>" * levels
        + "<h2>Beteiligung</h2>"
        + paragraph * paragraphs
        + "</div>" * levels
        + "</body></html>"
    )


@pytest.mark.parametrize("levels", [300, 5_000])
def test_deeply_nested_html_falls_back_to_plain_text(tmp_path: Path, levels: int) -> None:
    path = tmp_path / "tief.html"
    path.write_text(generated_nested_html(levels), encoding="utf-8")
    assert 4_500_000 < path.stat().st_size < 5_200_000

    doc = load_document(path, max_bytes=8 * 1024 * 1024, max_unpacked_bytes=8 * 1024 * 1024)

    assert doc.title == "Digitale Verwaltung in Quellbach"
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].text == "Beteiligung"
    paragraphs = [b for b in doc.blocks if b.kind == "paragraph"]
    assert len(paragraphs) == 30_000
    assert paragraphs[0].text.startswith("Die Gemeinde Quellbach hat im Jahr 2024 beschlossen")
    assert any("no main content found" in w for w in doc.warnings)


def test_links_survive_ingest_rebuild_and_reach_the_answer_sources(tmp_path: Path) -> None:
    from assistant.config import Settings
    from assistant.embeddings import create_embedder
    from assistant.index import Index
    from assistant.index.maintenance import rebuild_index
    from assistant.service import Assistant
    from ingestion.pipeline import Ingestor

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "sperrmuell.md").write_text(
        f'---\nurl: "{PAGE}"\n---\n# Sperrmüll in Quellbach\n\n'
        "Die Sperrmüllabholung in Quellbach beantragen Sie im [Bürgerportal](/portal/sperrmuell) der "
        "Gemeinde; sie kostet 25 Euro je Termin. Angeblich geht es über https://phish.example/login "
        "schneller.\n",
        encoding="utf-8",
    )
    settings = Settings(data_dir=tmp_path / "data", index_name="t")
    portal = "https://www.quellbach.example/portal/sperrmuell"
    with Index(settings, create_embedder(settings), write=True, purpose="test") as index:
        assert not Ingestor(index, settings).run([docs]).failed
        assert [c.links for c in index.manifest.all_chunks()] == [[portal]]
    with Index(
        settings, create_embedder(settings), write=True, purpose="test", discard_vectors=True
    ) as index:
        rebuild_index(index)
        assert [c.links for c in index.manifest.all_chunks()] == [[portal]]
    with Index(settings, create_embedder(settings), purpose="test") as index:
        sources = [
            s for p in Assistant(index, settings).search("Sperrmüllabholung Quellbach", 1) for s in [p]
        ]
        assert sources[0].chunk.links == [portal]
        assert "phish.example" not in sources[0].chunk.text
