"""Source text of the generated binary sample documents (one module per document).

Each module defines ``TARGET`` (output path relative to ``corpus/``), ``META`` (the keys
written to the ``<file>.meta.yaml`` sidecar) and ``BLOCKS``, a list of tuples:

- ``("title", text)`` – document title
- ``("h1", text)``, ``("h2", text)`` – section headings
- ``("p", text)`` – paragraph
- ``("ul", [items])``, ``("ol", [items])`` – bulleted / numbered list
- ``("table", [header cells], [[row cells], ...])`` – table with a header row
"""

MODULES = (
    "massnahmenplan",
    "checkliste_datenschutz",
    "lorawan_brunnhagen",
    "digitallotsen",
    "beschlussvorlage",
)
