"""Vectorised metadata filters of the lexical index agree with the filters' plain meaning."""

import itertools

from assistant.index.filter_columns import FilterColumns
from assistant.types import SearchFilters

META = [
    {"doc_id": "a", "doc_type": "strategy", "municipality": "lindwerder", "hf": ["verwaltung"], "sets": []},
    {"doc_id": "a", "doc_type": "strategy", "municipality": "lindwerder", "hf": [], "sets": ["intern"]},
    {"doc_id": "b", "doc_type": "guidance", "municipality": "", "hf": ["verwaltung", "zukunft"],
     "sets": ["oeffentlich"]},
    {"doc_id": "c", "doc_type": "case_study", "municipality": "kessbach", "hf": ["souveraenitaet"],
     "sets": ["intern", "oeffentlich"]},
]  # fmt: skip


def plain_match(meta: dict, f: SearchFilters) -> bool:
    """The meaning of each filter, written out per chunk."""
    return (
        (not f.doc_type or meta["doc_type"] == f.doc_type)
        and (not f.handlungsfeld or f.handlungsfeld in meta["hf"])
        and (not f.municipality or meta["municipality"] == f.municipality.lower())
        and (f.doc_ids is None or meta["doc_id"] in f.doc_ids)
        and (f.doc_sets is None or bool(set(f.doc_sets) & set(meta["sets"])))
    )


def test_every_filter_combination_matches_the_plain_meaning():
    columns = FilterColumns(META)
    options = {
        "doc_type": [None, "strategy", "guidance", "other"],
        "handlungsfeld": [None, "verwaltung", "zukunft", "wirtschaft"],
        "municipality": [None, "Lindwerder", "KESSBACH", "Talheide"],
        "doc_ids": [None, [], ["a"], ["b", "c", "unknown"]],
        "doc_sets": [None, [], ["intern"], ["oeffentlich", "unknown"]],
    }
    checked = 0
    for values in itertools.product(*options.values()):
        filters = SearchFilters(**dict(zip(options, values, strict=True)))
        expected = [plain_match(m, filters) for m in META]
        assert columns.mask(filters).tolist() == expected, filters
        checked += 1
    assert checked == 4**5


def test_empty_index():
    assert FilterColumns([]).mask(SearchFilters(doc_type="strategy")).tolist() == []
