"""Maßnahmenplan 2024–2026 zur Digitalstrategie Lindwerder 2030 (DOCX)."""

# ruff: noqa: E501  (document text and table rows read better unwrapped)

TARGET = "strategy/massnahmenplan-digitalstrategie-2024-2026.docx"

META = {
    "title": "Maßnahmenplan 2024–2026 zur Digitalstrategie Lindwerder 2030",
    "municipality": "Stadt Lindwerder",
    "date": "2024-03-21",
    "doc_type": "strategy",
    "handlungsfelder": ["verwaltung", "gesellschaft", "wirtschaft", "souveraenitaet", "zukunft"],
}

_HEADER = [
    "Nr.",
    "Maßnahme",
    "Handlungsfeld",
    "Priorität",
    "Verantwortlich",
    "Zeitraum",
    "Kosten 2024–2026 (€)",
]

_ROWS = [
    [
        "V1",
        "Ausbau des Serviceportals Lindwerder",
        "Verwaltung",
        "A",
        "FB 1, Stabsstelle Digitalisierung",
        "2024–2026",
        "180.000",
    ],
    [
        "V2",
        "Einführung der E-Akte in allen Fachbereichen",
        "Verwaltung",
        "A",
        "FB 1, Organisation und IT",
        "2024–2027",
        "240.000",
    ],
    [
        "V3",
        "Freies WLAN „LindNetz“ an 14 Standorten",
        "Verwaltung",
        "B",
        "Stadtwerke Lindwerder",
        "2024–2025",
        "60.000",
    ],
    [
        "V4",
        "Glasfaseranbindung Schulen und Gewerbegebiet Am Mühlgraben",
        "Verwaltung",
        "A",
        "FB 5 mit Landkreis Talheide",
        "2024–2027",
        "95.000",
    ],
    [
        "G1",
        "Digitallotsen-Programm „Digital dabei“",
        "Gesellschaft",
        "A",
        "FB 3, Seniorenbüro",
        "2024–2026",
        "45.000",
    ],
    [
        "G2",
        "Beteiligungsplattform „Mitreden Lindwerder“",
        "Gesellschaft",
        "A",
        "Stabsstelle Digitalisierung",
        "2024–2025",
        "38.000",
    ],
    ["G3", "Makerspace „Werkstatt 21“", "Gesellschaft", "B", "FB 4, Stadtbibliothek", "2025–2026", "70.000"],
    ["G4", "Medienkompetenz an den Grundschulen", "Gesellschaft", "B", "FB 4", "2024–2028", "20.000"],
    [
        "W1",
        "Digitalsprechstunde für Handel, Gastronomie und Handwerk",
        "Wirtschaft",
        "A",
        "Wirtschaftsförderung",
        "ab 2024",
        "18.000",
    ],
    [
        "W2",
        "Coworking-Space „Alte Post“",
        "Wirtschaft",
        "B",
        "Wirtschaftsförderung, Stadtwerke",
        "2025–2026",
        "85.000",
    ],
    [
        "W3",
        "Reallabor mit der Hochschule Brunnhagen",
        "Wirtschaft",
        "B",
        "Stabsstelle Digitalisierung",
        "2024–2030",
        "30.000",
    ],
    [
        "W4",
        "Online-Marktplatz „Lindwerder kauft lokal“",
        "Wirtschaft",
        "C",
        "Wirtschaftsförderung",
        "Prüfung 2026",
        "0",
    ],
    [
        "S1",
        "„Open Source zuerst“ in der Beschaffungsrichtlinie",
        "Souveränität",
        "A",
        "FB 1, Zentrale Vergabestelle",
        "2024",
        "0",
    ],
    [
        "S2",
        "Pilot openDesk mit 30 Arbeitsplätzen",
        "Souveränität",
        "B",
        "FB 1, Organisation und IT",
        "2025–2026",
        "55.000",
    ],
    ["S3", "Open-Data-Portal", "Souveränität", "B", "Stabsstelle Digitalisierung", "2024–2026", "42.000"],
    [
        "S4",
        "Informationssicherheitsmanagement (BSI IT-Grundschutz)",
        "Souveränität",
        "A",
        "Informationssicherheitsbeauftragte",
        "2024–2025",
        "64.000",
    ],
    ["Z1", "LoRaWAN-Funknetz", "Zukunft", "A", "Stadtwerke Lindwerder", "2024–2025", "90.000"],
    [
        "Z2",
        "Pegel- und Starkregen-Frühwarnung Werderbach",
        "Zukunft",
        "A",
        "FB 5 mit Freiwilliger Feuerwehr",
        "2025",
        "48.000",
    ],
    [
        "Z3",
        "Machbarkeitsstudie Rufbus „LindFlex“",
        "Zukunft",
        "B",
        "FB 5 mit Kreisverkehrsgesellschaft",
        "2025–2026",
        "20.000",
    ],
    ["Z4", "Green-IT-Konzept", "Zukunft", "C", "FB 1, Organisation und IT", "2027", "0"],
    ["", "Summe", "", "", "", "", "1.200.000"],
]

BLOCKS = [
    ("title", "Maßnahmenplan 2024–2026 zur Digitalstrategie Lindwerder 2030"),
    (
        "p",
        "Stadt Lindwerder, Stabsstelle Digitalisierung. Stand: 21. März 2024. Anlage 2 zur Beschlussvorlage BV/2024/017.",
    ),
    ("h1", "1. Zweck des Maßnahmenplans"),
    (
        "p",
        "Der Maßnahmenplan übersetzt die Ziele der Digitalstrategie Lindwerder 2030 in konkrete Vorhaben für die "
        "ersten drei Umsetzungsjahre. Für jede Maßnahme sind Priorität, verantwortliche Stelle, Zeitraum und der "
        "städtische Kostenanteil festgelegt. Anders als die Strategie selbst ist der Maßnahmenplan ein "
        "Arbeitsinstrument: Er wird von der Stabsstelle Digitalisierung halbjährlich aktualisiert und dem "
        "Lenkungskreis Digitalisierung vorgelegt.",
    ),
    ("h1", "2. Priorisierung"),
    (
        "p",
        "Die Priorität einer Maßnahme ergibt sich aus drei Kriterien: dem erwarteten Nutzen für Bürgerschaft und "
        "Betriebe, der Dringlichkeit, etwa wegen gesetzlicher Fristen, und der Umsetzbarkeit mit den vorhandenen "
        "Ressourcen.",
    ),
    (
        "ul",
        [
            "Priorität A: Die Umsetzung beginnt 2024, die Finanzierung ist im Haushalt gesichert.",
            "Priorität B: Die Umsetzung beginnt spätestens 2026, die Finanzierung ist teilweise gesichert oder hängt von Fördermitteln ab.",
            "Priorität C: Prüfauftrag; über die Umsetzung wird bei der Halbzeitbilanz 2027 entschieden.",
        ],
    ),
    ("h1", "3. Maßnahmenübersicht"),
    (
        "p",
        "Die Kosten geben den städtischen Anteil für die Jahre 2024 bis 2026 in Euro an. Fördermittel und "
        "Eigenleistungen der Stadtwerke sind nicht enthalten.",
    ),
    ("table", _HEADER, _ROWS),
    ("h1", "4. Erläuterungen zu ausgewählten Maßnahmen"),
    ("h2", "V1 Ausbau des Serviceportals Lindwerder"),
    (
        "p",
        "Mit 180.000 Euro ist das Serviceportal neben der E-Akte der größte Posten im Handlungsfeld Digitale "
        "Verwaltung und Infrastrukturen. Der Betrag umfasst Lizenzen für den Formularbaukasten, die Anbindung an "
        "die Fachverfahren und eine befristete Projektstelle für zwei Jahre.",
    ),
    ("h2", "V2 Einführung der E-Akte"),
    (
        "p",
        "Die E-Akte wird in drei Wellen eingeführt: 2024 im Fachbereich 1 und im Bürgerbüro, 2025 in den "
        "Fachbereichen 2 und 3, 2026 bis 2027 in den Fachbereichen 4 und 5. Vor jeder Welle werden die Aktenpläne "
        "bereinigt und die Beschäftigten in halbtägigen Schulungen vorbereitet.",
    ),
    ("h2", "G1 Digitallotsen-Programm „Digital dabei“"),
    (
        "p",
        "Für das Digitallotsen-Programm sind jährlich 15.000 Euro vorgesehen, insgesamt 45.000 Euro für drei Jahre. "
        "Davon werden Schulungen der Ehrenamtlichen, Aufwandsentschädigungen, Versicherung und der Ersatz von "
        "Leihgeräten bezahlt.",
    ),
    ("h2", "S4 Informationssicherheitsmanagement"),
    (
        "p",
        "Die Stadt bestellt bis zum 30. Juni 2024 eine Informationssicherheitsbeauftragte mit einer halben Stelle. "
        "Bis Ende 2025 soll die Basis-Absicherung nach BSI IT-Grundschutz für alle zentralen Systeme umgesetzt "
        "sein. Für externe Beratung und ein Werkzeug zur Dokumentation sind 64.000 Euro eingeplant.",
    ),
    ("h2", "Z1 und Z2 LoRaWAN-Netz und Pegel-Frühwarnung"),
    (
        "p",
        "Die Stadtwerke Lindwerder errichten bis Ende 2025 acht LoRaWAN-Gateways, die das gesamte Stadtgebiet "
        "einschließlich der vier Ortsteile abdecken. Die Stadt beteiligt sich mit einem Zuschuss von 90.000 Euro. "
        "Als erste Anwendung werden drei Pegelsensoren am Werderbach installiert, die mit der Leitstelle der "
        "Feuerwehr verbunden sind.",
    ),
    ("h1", "5. Finanzierung"),
    (
        "p",
        "Die städtischen Kosten von insgesamt 1,2 Millionen Euro verteilen sich auf 350.000 Euro im Jahr 2024, "
        "450.000 Euro im Jahr 2025 und 400.000 Euro im Jahr 2026. Zusätzlich werden Fördermittel von rund "
        "640.000 Euro erwartet, vor allem aus dem Landesprogramm „Digitale Kommune“.",
    ),
    (
        "p",
        "Maßnahmen mit Priorität B, deren Förderantrag abgelehnt wird, werden dem Lenkungskreis erneut zur "
        "Entscheidung vorgelegt. Sie werden nicht automatisch aus Eigenmitteln finanziert.",
    ),
    ("h1", "6. Fortschreibung und Statusbericht"),
    (
        "p",
        "Jede Maßnahme erhält im halbjährlichen Statusbericht eine Ampel. Grün steht für eine Umsetzung im Plan, "
        "Gelb für eine Verzögerung unter sechs Monaten oder Mehrkosten unter zehn Prozent, Rot für eine größere "
        "Abweichung, über die der Lenkungskreis entscheiden muss. Den Status meldet jeweils die federführende Stelle.",
    ),
]
