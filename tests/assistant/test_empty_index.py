"""An empty index says so, instead of leaving the user with a bare "nothing found"."""

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.index import Index
from assistant.service import EMPTY_INDEX, Assistant


def test_ask_on_an_empty_index_tells_the_user_to_ingest(tmp_path):
    settings = Settings(data_dir=tmp_path, index_name="leer")
    with Index(settings, create_embedder(settings), write=True) as index:
        answer = Assistant(index, settings).ask("Was ist openDesk?")
    assert answer.abstained
    assert EMPTY_INDEX in answer.warnings


def test_ask_on_a_filled_index_has_no_such_warning(corpus_settings):
    with Index(corpus_settings, create_embedder(corpus_settings)) as index:
        answer = Assistant(index, corpus_settings).ask("Wie hoch ist die Hundesteuer auf dem Mond?")
    assert EMPTY_INDEX not in answer.warnings
