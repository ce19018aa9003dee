"""Checkliste Datenschutz und Informationssicherheit bei Smart-City-Projekten (DOCX)."""

# ruff: noqa: E501  (document text and table rows read better unwrapped)

TARGET = "guidance/checkliste-datenschutz-informationssicherheit-smart-city.docx"

META = {
    "title": "Checkliste Datenschutz und Informationssicherheit bei Smart-City-Projekten",
    "municipality": "Stadt Lindwerder",
    "date": "2024-09-02",
    "doc_type": "guidance",
    "handlungsfelder": ["souveraenitaet", "zukunft"],
}

_CHECK_HEADER = ["Nr.", "Prüfpunkt", "erfüllt", "Bemerkung"]
_BOX = "☐"

BLOCKS = [
    ("title", "Checkliste Datenschutz und Informationssicherheit bei Smart-City-Projekten"),
    (
        "p",
        "Stadt Lindwerder, Behördlicher Datenschutzbeauftragter und Informationssicherheitsbeauftragte. "
        "Version 1.1, Stand: September 2024.",
    ),
    ("h1", "1. Wozu diese Checkliste?"),
    (
        "p",
        "Smart-City-Projekte verbinden Sensoren, Plattformen und Anwendungen, die oft von mehreren Dienstleistern "
        "stammen. Dabei entstehen Daten, deren Personenbezug nicht immer auf den ersten Blick erkennbar ist, etwa "
        "Bewegungsmuster aus Parksensoren oder WLAN-Zählungen. Die Checkliste hilft Projektverantwortlichen, "
        "Datenschutz und Informationssicherheit von Beginn an mitzudenken, statt sie kurz vor dem Start "
        "nachzuholen.",
    ),
    ("h1", "2. Wann und von wem ist die Checkliste auszufüllen?"),
    (
        "p",
        "Die Checkliste gilt für alle Vorhaben der Digitalstrategie, bei denen Daten erhoben, gespeichert oder "
        "übertragen werden, und für jede Beschaffung von Sensoren, Apps oder Plattformen. Die federführende Stelle "
        "füllt die Checkliste aus und sendet sie zusammen mit dem Projektsteckbrief an die Stabsstelle "
        "Digitalisierung.",
    ),
    (
        "p",
        "Der Datenschutzbeauftragte und die Informationssicherheitsbeauftragte sind spätestens vier Wochen vor der "
        "Vergabe zu beteiligen. Bei Projekten, die nach dem 1. Oktober 2024 beginnen, ist ohne ausgefüllte "
        "Checkliste keine Vergabe möglich.",
    ),
    ("h1", "3. Teil A: Datenschutz"),
    (
        "table",
        _CHECK_HEADER,
        [
            [
                "A1",
                "Ist geklärt, ob personenbezogene Daten verarbeitet werden, auch indirekt über Kennzeichen, Geräte-IDs oder Standortdaten?",
                _BOX,
                "",
            ],
            [
                "A2",
                "Ist die Verarbeitung im Verzeichnis von Verarbeitungstätigkeiten nach Art. 30 DSGVO eingetragen?",
                _BOX,
                "",
            ],
            [
                "A3",
                "Wurde geprüft, ob eine Datenschutz-Folgenabschätzung nach Art. 35 DSGVO erforderlich ist?",
                _BOX,
                "",
            ],
            [
                "A4",
                "Werden nur die Daten erhoben, die für den Zweck tatsächlich erforderlich sind?",
                _BOX,
                "",
            ],
            ["A5", "Sind Löschfristen festgelegt und technisch umgesetzt?", _BOX, ""],
            [
                "A6",
                "Besteht mit jedem Dienstleister, der personenbezogene Daten verarbeitet, ein Vertrag zur Auftragsverarbeitung nach Art. 28 DSGVO?",
                _BOX,
                "",
            ],
            [
                "A7",
                "Werden Bürgerinnen und Bürger verständlich informiert, etwa durch Hinweisschilder an Sensorstandorten?",
                _BOX,
                "",
            ],
        ],
    ),
    ("p", "Hinweise zu Teil A:"),
    (
        "ul",
        [
            "Eine Datenschutz-Folgenabschätzung ist in der Regel nötig, wenn öffentliche Räume systematisch beobachtet "
            "werden oder wenn Daten aus verschiedenen Quellen zusammengeführt werden.",
            "Kameras zur Verkehrs- oder Besucherzählung dürfen nur eingesetzt werden, wenn die Auswertung direkt im Gerät "
            "erfolgt und weder Bilder noch Videos gespeichert oder übertragen werden.",
            "Rohdaten von Sensoren, die einen Personenbezug ermöglichen könnten, werden spätestens nach 30 Tagen gelöscht "
            "oder so zusammengefasst, dass kein Rückschluss auf einzelne Personen mehr möglich ist.",
            "Sensoren, die nur Umweltwerte wie Temperatur, Pegel oder Bodenfeuchte messen, sind datenschutzrechtlich meist "
            "unkritisch. Sie müssen trotzdem in der Checkliste erfasst werden, weil sie in das Netz eingebunden sind.",
        ],
    ),
    ("h1", "4. Teil B: Informationssicherheit"),
    (
        "table",
        _CHECK_HEADER,
        [
            [
                "B1",
                "Ist der Schutzbedarf (normal, hoch, sehr hoch) für Vertraulichkeit, Integrität und Verfügbarkeit festgestellt?",
                _BOX,
                "",
            ],
            [
                "B2",
                "Werden IoT-Geräte und Sensoren in einem eigenen, vom Verwaltungsnetz getrennten Netzsegment betrieben?",
                _BOX,
                "",
            ],
            ["B3", "Werden voreingestellte Standardpasswörter vor der Inbetriebnahme geändert?", _BOX, ""],
            [
                "B4",
                "Ist geregelt, wer Sicherheitsupdates und Firmware-Aktualisierungen einspielt und wie oft?",
                _BOX,
                "",
            ],
            ["B5", "Werden die Daten verschlüsselt übertragen?", _BOX, ""],
            ["B6", "Gibt es ein Notfallkonzept für den Ausfall der Plattform?", _BOX, ""],
        ],
    ),
    ("p", "Hinweise zu Teil B:"),
    (
        "ul",
        [
            "Grundlage ist die Basis-Absicherung nach BSI IT-Grundschutz, die die Stadt bis Ende 2025 für alle zentralen "
            "Systeme umsetzt.",
            "Sicherheitsvorfälle, etwa ein unbefugter Zugriff auf eine Sensorplattform, sind der "
            "Informationssicherheitsbeauftragten innerhalb von 24 Stunden zu melden.",
            "Betrifft ein Vorfall personenbezogene Daten, muss die Stadt ihn nach Art. 33 DSGVO in der Regel innerhalb von "
            "72 Stunden an die Datenschutzaufsichtsbehörde melden. Deshalb ist auch der Datenschutzbeauftragte sofort zu "
            "informieren.",
        ],
    ),
    ("h1", "5. Teil C: Verträge und Datenhoheit"),
    (
        "p",
        "Bei Smart-City-Projekten entscheidet sich im Vertrag, ob die Stadt später noch über ihre Daten verfügen "
        "kann. Folgende Punkte sind in jeder Ausschreibung und jedem Vertrag zu regeln:",
    ),
    (
        "ul",
        [
            "Die Stadt bleibt Eigentümerin aller im Projekt erhobenen Daten, auch wenn sie auf Systemen des Dienstleisters "
            "gespeichert sind.",
            "Der Dienstleister muss die Daten jederzeit und bei Vertragsende vollständig in einem offenen, "
            "maschinenlesbaren Format herausgeben.",
            "Die Daten werden in Rechenzentren innerhalb der Europäischen Union verarbeitet; bevorzugt werden "
            "Rechenzentren in Deutschland.",
            "Schnittstellen sind offen dokumentiert, damit Geräte und Plattform später getrennt voneinander ausgetauscht "
            "werden können.",
            "Nicht personenbezogene Daten dürfen von der Stadt als offene Daten veröffentlicht werden.",
        ],
    ),
    ("h1", "6. Teil D: Betrieb und Überprüfung"),
    (
        "p",
        "Nach dem Start ist die Checkliste nicht erledigt. Die federführende Stelle überprüft sie einmal im Jahr und "
        "nach jeder wesentlichen Änderung, zum Beispiel wenn neue Sensortypen angeschlossen oder Daten mit anderen "
        "Quellen verknüpft werden. Die aktualisierte Fassung wird dem Datenschutzbeauftragten zur Kenntnis gegeben.",
    ),
    ("h1", "7. Ansprechpersonen"),
    (
        "p",
        "Behördlicher Datenschutzbeauftragter der Stadt Lindwerder: Fachbereich 1, Rathaus, Zimmer 108. "
        "Informationssicherheitsbeauftragte: Fachbereich 1, Rathaus, Zimmer 110.",
    ),
]
