"""Erfahrungsbericht Digitallotsen-Programm „Digital dabei“, Stadt Lindwerder (ODT)."""

# ruff: noqa: E501  (document text and table rows read better unwrapped)

TARGET = "case_study/digitallotsen-seniorenprogramm-lindwerder.odt"

META = {
    "title": "„Digital dabei“: Digitallotsinnen und Digitallotsen für ältere Menschen in Lindwerder",
    "municipality": "Stadt Lindwerder",
    "date": "2024-02-05",
    "doc_type": "case_study",
    "handlungsfelder": ["gesellschaft"],
}

BLOCKS = [
    ("title", "„Digital dabei“: Digitallotsinnen und Digitallotsen für ältere Menschen in Lindwerder"),
    (
        "p",
        "Erfahrungsbericht zum Pilotjahr 2023. Stadt Lindwerder, Fachbereich 3 – Bürgerservice, Ordnung und "
        "Soziales, Seniorenbüro.",
    ),
    ("h1", "Worum es geht"),
    (
        "p",
        "Immer mehr Dienstleistungen gibt es nur noch oder vor allem online: Termine beim Arzt, Fahrkarten, "
        "Bankgeschäfte und zunehmend auch Anträge bei der Stadt. Viele ältere Menschen in Lindwerder fühlen sich "
        "davon ausgeschlossen. Das Seniorenbüro hat deshalb im Januar 2023 das Projekt „Digital dabei“ gestartet, "
        "in dem Ehrenamtliche ältere Menschen im Umgang mit Smartphone, Tablet und Internet begleiten.",
    ),
    (
        "p",
        "Partner des Projekts sind die Volkshochschule Talheide, die die Schulung der Ehrenamtlichen übernimmt, und "
        "das Mehrgenerationenhaus Lindenhof, das Räume und Kontakte zur Verfügung stellt.",
    ),
    ("h1", "Die Digitallotsinnen und Digitallotsen"),
    (
        "p",
        "Im Pilotjahr wurden 18 Ehrenamtliche ausgebildet, 11 Frauen und 7 Männer im Alter von 17 bis 76 Jahren. "
        "Die Schulung umfasst 20 Unterrichtsstunden in vier Modulen:",
    ),
    (
        "ol",
        [
            "Technische Grundlagen von Smartphone und Tablet",
            "Sicherheit im Netz und Schutz vor Betrug",
            "Online-Angebote von Stadt, Landkreis und Gesundheitswesen",
            "Lernen im Alter: Geduld, verständliche Sprache und Hilfe zur Selbsthilfe",
        ],
    ),
    (
        "p",
        "Die Digitallotsinnen und Digitallotsen erhalten eine Aufwandsentschädigung von zehn Euro je Einsatz und "
        "sind über die Stadt haftpflicht- und unfallversichert. Einmal im Monat treffen sie sich zum "
        "Erfahrungsaustausch mit der Koordinatorin im Seniorenbüro.",
    ),
    ("h1", "Angebote"),
    (
        "ul",
        [
            "Offene Sprechstunde jeden Dienstag von 14 bis 17 Uhr in der Stadtbibliothek, ohne Anmeldung",
            "Hausbesuche für Menschen, die das Haus nur schwer verlassen können",
            "Ausleihe von 20 Tablets für jeweils vier Wochen, damit Interessierte vor einem Kauf ausprobieren können",
            "Themennachmittage im Mehrgenerationenhaus, zum Beispiel zu Videotelefonie mit der Familie, Online-Banking "
            "oder der Terminbuchung im Bürgerbüro",
        ],
    ),
    ("h1", "Ergebnisse des Pilotjahres"),
    (
        "p",
        "Im Jahr 2023 haben die Digitallotsinnen und Digitallotsen 640 Beratungen mit 212 verschiedenen Personen "
        "durchgeführt. Das Durchschnittsalter der Ratsuchenden lag bei 74 Jahren, die älteste Teilnehmerin war "
        "93 Jahre alt.",
    ),
    (
        "table",
        ["Thema", "Anteil an den Beratungen"],
        [
            ["Grundbedienung von Smartphone und Tablet", "38 %"],
            ["Messenger und Videotelefonie", "21 %"],
            ["Sicherheit und Betrugsmaschen", "17 %"],
            ["Online-Dienste der Verwaltung", "11 %"],
            ["Sonstiges (Fotos, Bankgeschäfte, Fahrkarten)", "13 %"],
        ],
    ),
    (
        "p",
        "Am häufigsten ging es um die Grundbedienung von Smartphone und Tablet, gefolgt von Messengern und "
        "Videotelefonie. Fragen zu Online-Diensten der Verwaltung machten nur elf Prozent der Beratungen aus.",
    ),
    (
        "p",
        "In einer schriftlichen Befragung gaben 87 Prozent der Teilnehmenden an, mit der Beratung zufrieden oder "
        "sehr zufrieden zu sein. Besonders geschätzt wurden die Geduld der Ehrenamtlichen und die Möglichkeit, "
        "dieselbe Person mehrfach zu treffen.",
    ),
    ("h1", "Kosten"),
    (
        "p",
        "Die Kosten des Pilotjahres lagen bei 14.500 Euro. Davon entfielen rund 6.000 Euro auf die Schulungen durch "
        "die Volkshochschule, 4.800 Euro auf die Tablets und 3.700 Euro auf Aufwandsentschädigungen, Versicherung "
        "und Werbematerial. Die Anschaffung der Tablets hat die Sparkassenstiftung Talheide vollständig übernommen.",
    ),
    ("h1", "Was wir gelernt haben"),
    (
        "ul",
        [
            "Vertrauen entsteht über Personen: Am besten funktioniert die Werbung über Hausarztpraxen, Apotheken, "
            "Kirchengemeinden und den Seniorenbeirat, nicht über Zeitung oder Internet.",
            "Feste Zeiten und Orte helfen: Die wöchentliche Sprechstunde in der Stadtbibliothek wurde schnell zum "
            "Treffpunkt.",
            "Ehrenamtliche brauchen Begleitung: Ohne den monatlichen Austausch und eine feste Ansprechperson im "
            "Seniorenbüro wären mehrere Lotsen ausgestiegen.",
            "Jüngere Lotsen sind ein Gewinn: Drei Schülerinnen des Werder-Gymnasiums engagieren sich im Rahmen ihres "
            "Sozialpraktikums, und die Begegnung zwischen den Generationen wird von beiden Seiten geschätzt.",
        ],
    ),
    ("h1", "Ausblick"),
    (
        "p",
        "Mit dem Beschluss der Digitalstrategie Lindwerder 2030 wird „Digital dabei“ ab 2024 dauerhaft fortgeführt. "
        "Bis Ende 2025 sollen mindestens 25 Digitallotsinnen und Digitallotsen aktiv sein.",
    ),
    (
        "p",
        "Zusätzlich will das Seniorenbüro mehrsprachige Lotsinnen und Lotsen gewinnen, die auch auf Arabisch, "
        "Russisch und Türkisch beraten können. So sollen auch ältere Menschen mit Einwanderungsgeschichte besser "
        "erreicht werden.",
    ),
]
