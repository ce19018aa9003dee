"""Check an index against its manifest and rebuild Chroma and the lexical index from it.

The manifest is the truth: it holds every visible chunk (text and metadata) and the
embedding cache, so Chroma and the lexical index can be re-created without the source
files and, while the cache has the vectors, without re-embedding. Only a document whose
chunks are missing from the manifest itself needs its source file (the CLI re-ingests it).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field

from assistant.index import Index
from assistant.index.lexical import LexicalIndex
from assistant.index.manifest import text_hash
from assistant.progress import ProgressCallback, Steps

log = logging.getLogger(__name__)

UPSERT_BATCH = 512


@dataclass
class IndexCounts:
    """How many chunks each part of an index holds."""

    documents: int
    chunks: int  # visible in the manifest
    expected_chunks: int  # sum of the documents' chunk counts
    staged_chunks: int
    vectors: int  # in Chroma
    lexical_chunks: int | None  # in the persisted lexical index; None when there is none
    lexical_generation: int | None
    generation: int
    cached_embeddings: int  # visible chunks whose vector is in the embedding cache
    missing_latent_terms: int | None = None  # distinct chunk texts without latent terms; None: unused
    missing_unit_vectors: int | None = None  # distinct answer units without a vector; None: unused

    @classmethod
    def of(cls, index: Index) -> IndexCounts:
        manifest = index.manifest
        with manifest.snapshot():
            documents = manifest.documents()
            chunks = list(manifest.all_chunks())
            generation = manifest.generation
            staged = manifest.count_staged()
            hashes = [text_hash(c.embedding_text()) for c in chunks]
            cached = manifest.count_cached_embeddings(index.embedder.name, hashes)
            latent = (
                len(set(hashes)) - manifest.count_cached_embeddings(index.sparse.sparse_name, hashes)
                if index.sparse
                else None
            )
            units = index.units.missing(chunks) if index.units is not None else None
        lexical = LexicalIndex.load(index.lexical_dir)
        return cls(
            documents=len(documents),
            chunks=len(chunks),
            expected_chunks=sum(d.chunk_count for d in documents),
            staged_chunks=staged,
            vectors=index.chroma.count(),
            lexical_chunks=None if lexical is None else len(lexical),
            lexical_generation=None if lexical is None else lexical.generation,
            generation=generation,
            cached_embeddings=cached,
            missing_latent_terms=latent,
            missing_unit_vectors=units,
        )


@dataclass
class VerifyReport:
    """Differences between Chroma, the lexical index and the manifest."""

    counts: IndexCounts
    missing_vectors: list[str] = field(default_factory=list)
    orphan_vectors: list[str] = field(default_factory=list)
    incomplete_documents: list[str] = field(default_factory=list)
    lexical_mismatch: bool = False

    @property
    def problems(self) -> list[str]:
        """Each difference as a German sentence for the person running ``verify``."""
        out = []
        if self.missing_vectors:
            out.append(f"{len(self.missing_vectors)} Abschnitte des Manifests fehlen in Chroma.")
        if self.orphan_vectors:
            out.append(
                f"{len(self.orphan_vectors)} Vektoren in Chroma gehören zu keinem Abschnitt im Manifest."
            )
        if self.incomplete_documents:
            out.append(
                f"{len(self.incomplete_documents)} Dokumente haben im Manifest weniger oder mehr Abschnitte "
                f"als verzeichnet ({', '.join(self.incomplete_documents[:5])}); --repair liest sie aus "
                "ihren Quelldateien neu ein."
            )
        if self.lexical_mismatch:
            out.append(
                "Der Stichwortindex (BM25) passt nicht zum Manifest "
                f"({self.counts.lexical_chunks} statt {self.counts.chunks} Abschnitte, "
                f"Stand {self.counts.lexical_generation} statt {self.counts.generation})."
            )
        if self.counts.missing_latent_terms:
            out.append(
                f"{self.counts.missing_latent_terms} Abschnitte haben keine latenten Terme (die Suche nutzt "
                "sie dann gar nicht); --repair oder das nächste Einlesen berechnet sie."
            )
        if self.counts.missing_unit_vectors:
            out.append(
                f"{self.counts.missing_unit_vectors} Sätze haben keinen Satzvektor (Antworten wählen sie "
                "dann nur nach Stichworten); --repair oder das nächste Einlesen berechnet sie."
            )
        if self.counts.staged_chunks:
            out.append(
                f"{self.counts.staged_chunks} Abschnitte eines abgebrochenen Einlesens liegen noch bereit."
            )
        return out

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "counts": asdict(self.counts),
            "problems": self.problems,
            "missing_vectors": len(self.missing_vectors),
            "orphan_vectors": len(self.orphan_vectors),
            "incomplete_documents": self.incomplete_documents,
        }


def verify_index(index: Index) -> VerifyReport:
    """Compare Chroma and the persisted lexical index with the manifest (ids, not just counts)."""
    counts = IndexCounts.of(index)
    manifest = index.manifest
    with manifest.snapshot():
        visible = manifest.visible_ids()
        per_document = manifest.visible_counts_by_document()
        incomplete = sorted(
            d.doc_id for d in manifest.documents() if per_document.get(d.doc_id, 0) != d.chunk_count
        )
    in_chroma = index.chroma.ids()
    lexical = LexicalIndex.load(index.lexical_dir)
    lexical_mismatch = (
        lexical is None or lexical.generation != counts.generation or set(lexical.ids) != visible
    )
    return VerifyReport(
        counts=counts,
        missing_vectors=sorted(visible - in_chroma),
        orphan_vectors=sorted(in_chroma - visible),
        incomplete_documents=incomplete,
        lexical_mismatch=lexical_mismatch,
    )


@dataclass
class RepairReport:
    staged_discarded: int = 0
    orphans_deleted: int = 0
    vectors_restored: int = 0
    vectors_written: int = 0
    embeddings_computed: int = 0
    latent_terms_computed: int = 0
    unit_vectors_computed: int = 0
    lexical_rebuilt: bool = False
    incomplete_documents: list[str] = field(default_factory=list)


def repair_index(index: Index, progress: ProgressCallback | None = None) -> RepairReport:
    """Bring Chroma and the lexical index in line with the manifest (a writable index).

    ``progress(label, done, total)`` hears each of the five steps start and the end.
    """
    steps = Steps(progress, 5)
    before = index.embeddings_computed
    steps.start("Abgleich mit dem Manifest")
    reconciled = index.reconcile()
    steps.advance()
    steps.start("Stichwortindex")
    index.rebuild_lexical()
    steps.advance()
    report = RepairReport(
        staged_discarded=reconciled.staged_discarded,
        orphans_deleted=reconciled.orphans_deleted,
        vectors_restored=reconciled.vectors_restored,
        embeddings_computed=index.embeddings_computed - before,
        lexical_rebuilt=True,
    )
    _backfill(index, report, steps)
    steps.start("Prüfung")
    report.incomplete_documents = verify_index(index).incomplete_documents
    steps.finish()
    return report


def rebuild_index(index: Index, progress: ProgressCallback | None = None) -> RepairReport:
    """Write every visible chunk into an empty Chroma and rebuild the lexical index.

    Open the index with ``Index(..., write=True, discard_vectors=True)``; vectors come from
    the embedding cache, only chunks missing there are embedded again. ``progress(label, done,
    total)`` counts the chunks written, then the four closing steps.
    """
    before = index.embeddings_computed
    report = RepairReport(staged_discarded=len(index.manifest.discard_staged()))
    ids = sorted(index.manifest.visible_ids())
    steps = Steps(progress, len(ids) + 4)
    steps.start("Vektoren schreiben")
    for start in range(0, len(ids), UPSERT_BATCH):
        batch = list(index.manifest.chunks(ids[start : start + UPSERT_BATCH]).values())
        index.chroma.upsert(batch, index.embed_chunks(batch))  # cache first, embeds only what is missing
        report.vectors_written += len(batch)
        steps.advance(len(batch))
    _backfill(index, report, steps)
    steps.start("Stichwortindex")
    index.rebuild_lexical()
    report.lexical_rebuilt = True
    steps.advance()
    report.embeddings_computed = index.embeddings_computed - before
    steps.start("Prüfung")
    report.incomplete_documents = verify_index(index).incomplete_documents
    steps.finish()
    log.info("rebuilt index %s: %s", index.settings.index_dir, report)
    return report


def _backfill(index: Index, report: RepairReport, steps: Steps) -> None:
    """Latent terms and sentence vectors for chunks that lack them (two steps)."""
    steps.start("Latente Terme")
    report.latent_terms_computed = index.backfill_latent_terms()
    steps.advance()
    steps.start("Satzvektoren")
    report.unit_vectors_computed = index.backfill_unit_vectors()
    steps.advance()
