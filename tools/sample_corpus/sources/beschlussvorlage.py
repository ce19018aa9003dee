"""Beschlussvorlage BV/2024/017 mit Auszug aus der Niederschrift, Stadt Lindwerder (PDF, intern)."""

# ruff: noqa: E501  (document text and table rows read better unwrapped)

TARGET = "other/beschlussvorlage-digitalstrategie-2030.pdf"

META = {
    "title": "Beschlussvorlage BV/2024/017: Digitalstrategie Lindwerder 2030",
    "municipality": "Stadt Lindwerder",
    "date": "2024-03-21",
    "doc_type": "other",
    "handlungsfelder": ["verwaltung", "gesellschaft", "wirtschaft", "souveraenitaet", "zukunft"],
    "doc_sets": ["intern"],
}

BLOCKS = [
    ("title", "Beschlussvorlage BV/2024/017: Digitalstrategie Lindwerder 2030"),
    (
        "p",
        "Stadt Lindwerder. Federführung: Fachbereich 1 – Zentrale Steuerung und Digitalisierung, Stabsstelle "
        "Digitalisierung. Datum: 20. Februar 2024.",
    ),
    (
        "table",
        ["Beratungsfolge", "Sitzungstermin", "Zuständigkeit"],
        [
            ["Haupt- und Finanzausschuss", "07.03.2024", "Vorberatung"],
            ["Stadtrat", "21.03.2024", "Entscheidung"],
        ],
    ),
    ("h1", "Beschlussvorschlag"),
    ("p", "Der Stadtrat beschließt:"),
    (
        "ol",
        [
            "Die Digitalstrategie Lindwerder 2030 (Anlage 1) wird als Leitlinie für die digitale Entwicklung der Stadt "
            "beschlossen.",
            "Der Maßnahmenplan 2024–2026 (Anlage 2) wird zur Kenntnis genommen. Die Verwaltung wird beauftragt, die "
            "Maßnahmen mit Priorität A ab 2024 umzusetzen.",
            "Für die Umsetzung werden in den Haushaltsjahren 2024 bis 2026 insgesamt 1.200.000 Euro bereitgestellt; die "
            "Mittel für 2025 und 2026 werden über Verpflichtungsermächtigungen gesichert.",
            "Die Stabsstelle Digitalisierung wird um 1,5 Vollzeitstellen auf insgesamt 3,5 Vollzeitstellen erweitert.",
            "Die Verwaltung berichtet dem Stadtrat jährlich im November über den Stand der Umsetzung.",
        ],
    ),
    ("h1", "Sachdarstellung"),
    ("h2", "Anlass"),
    (
        "p",
        "Mit Beschluss vom 23. Juni 2022 hat der Stadtrat die Verwaltung beauftragt, eine gesamtstädtische "
        "Digitalstrategie zu erarbeiten. Bisher gab es in der Stadtverwaltung einzelne Digitalisierungsprojekte, "
        "die in einzelnen Fachbereichen entstanden und nicht aufeinander abgestimmt waren. Die Strategie soll diese "
        "Vorhaben bündeln, Prioritäten setzen und die knappen Ressourcen gezielt einsetzen.",
    ),
    ("h2", "Verfahren"),
    (
        "p",
        "Die Strategie wurde zwischen Mai 2023 und Januar 2024 unter Federführung der Stabsstelle Digitalisierung "
        "erarbeitet. Die Öffentlichkeit wurde über eine Online-Umfrage, zwei Zukunftswerkstätten, ein Jugendforum "
        "und einen Digitalstand auf dem Wochenmarkt beteiligt.",
    ),
    (
        "p",
        "Der Entwurf lag vom 4. bis 29. Dezember 2023 öffentlich aus. Dazu gingen 41 Stellungnahmen ein, die im "
        "Beteiligungsbericht (Anlage 3) dokumentiert sind.",
    ),
    ("h2", "Wesentliche Inhalte"),
    (
        "p",
        "Die Strategie gliedert sich in die fünf Handlungsfelder Digitale Verwaltung und Infrastrukturen, Digitale "
        "Gesellschaft und Soziale Innovation, Digitale Wirtschaft und Wissenschaft, Digitale Souveränität sowie "
        "Digitale Zukunft. Sie enthält 20 Maßnahmen, davon zehn mit Priorität A, acht mit Priorität B und zwei "
        "Prüfaufträge.",
    ),
    (
        "p",
        "Schwerpunkte der ersten drei Jahre sind der Ausbau des Serviceportals, die Einführung der E-Akte, das "
        "LoRaWAN-Netz mit der Pegel-Frühwarnung am Werderbach und die Verstetigung des Digitallotsen-Programms.",
    ),
    ("h2", "Finanzielle Auswirkungen"),
    (
        "table",
        ["Haushaltsjahr", "Sachmittel", "Personalkosten Stabsstelle (zusätzlich)"],
        [
            ["2024", "350.000 €", "60.000 € (ab 1. Juli)"],
            ["2025", "450.000 €", "120.000 €"],
            ["2026", "400.000 €", "120.000 €"],
        ],
    ),
    (
        "p",
        "Die Personalkosten für die zusätzlichen 1,5 Vollzeitstellen sind in den Sachmitteln von 1,2 Millionen Euro "
        "nicht enthalten. Erwartete Fördermittel von rund 640.000 Euro sind ebenfalls nicht eingerechnet und werden "
        "nach Bewilligung zusätzlich eingesetzt.",
    ),
    ("h2", "Auswirkungen auf den Klimaschutz"),
    (
        "p",
        "Die Strategie wirkt sich überwiegend positiv auf den Klima\u00adschutz aus, unter anderem durch weniger Wege zum "
        "Rathaus, papier\u00adarme Verwaltungs\u00adprozesse und das geplante Green-IT-Konzept. Der zusätzliche Strom\u00adbedarf "
        "durch Sensoren und Server ist gering.",
    ),
    ("h2", "Anlagen"),
    (
        "ul",
        [
            "Anlage 1: Digitalstrategie Lindwerder 2030",
            "Anlage 2: Maßnahmenplan 2024–2026",
            "Anlage 3: Beteiligungsbericht",
        ],
    ),
    ("h1", "Auszug aus der Niederschrift der Sitzung des Stadtrates vom 21.03.2024, TOP 7"),
    (
        "p",
        "Der Bürgermeister erläutert die Vorlage. Die Fraktion Bürgerliste Lindwerder beantragt, den "
        "Beschlussvorschlag um eine jährliche Jugendbeteiligung zu ergänzen. Der Änderungsantrag wird mit "
        "19 Ja-Stimmen, 8 Nein-Stimmen und 2 Enthaltungen angenommen.",
    ),
    (
        "p",
        "Ergänzung als Ziffer 6: Die Verwaltung führt jährlich ein Jugend-Digitalforum durch, dessen Ergebnisse in "
        "den Digitalbericht einfließen.",
    ),
    (
        "p",
        "Abstimmung über den geänderten Beschlussvorschlag: 24 Ja-Stimmen, 3 Nein-Stimmen, 2 Enthaltungen. Der "
        "Beschluss ist damit mehrheitlich gefasst.",
    ),
]
