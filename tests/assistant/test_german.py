from assistant.text.german import Decompounder, content_stems, lexical_tokens


def test_umlaut_and_sharp_s_spellings_meet():
    assert lexical_tokens("Bürgerbeteiligung") == lexical_tokens("Buergerbeteiligung")
    assert lexical_tokens("Straße") == lexical_tokens("Strasse")


def test_stopwords_are_dropped_and_words_stemmed():
    assert lexical_tokens("Die Strategien der Städte") == lexical_tokens("Strategie Stadt")


def test_compound_is_split_into_known_parts():
    vocabulary = content_stems("Die Strategie ist digital.")
    tokens = lexical_tokens("Digitalstrategie", Decompounder(vocabulary))
    assert set(content_stems("Strategie digital")) <= set(tokens)


def test_compound_with_linking_element():
    vocabulary = content_stems("Beteiligung der Bürger")
    parts = Decompounder(vocabulary).parts("bürgerbeteiligung")
    assert parts == content_stems("Bürger Beteiligung")


def test_unknown_parts_do_not_split():
    assert Decompounder(content_stems("Haus Boot")).parts("digitalstrategie") == []


def test_hyphenated_compound_yields_parts():
    tokens = lexical_tokens("Smart-City-Projekte")
    assert {"smart", "city"} <= set(tokens)
