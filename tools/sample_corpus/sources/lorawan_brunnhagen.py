"""Erfahrungsbericht LoRaWAN-Sensornetz und Smart Parking, Stadt Brunnhagen (PDF)."""

# ruff: noqa: E501  (document text and table rows read better unwrapped)

TARGET = "case_study/lorawan-smart-parking-brunnhagen.pdf"

META = {
    "title": "LoRaWAN-Sensornetz und Smart Parking in der Stadt Brunnhagen",
    "municipality": "Stadt Brunnhagen",
    "date": "2025-02-14",
    "doc_type": "case_study",
    "handlungsfelder": ["zukunft", "verwaltung"],
}

BLOCKS = [
    ("title", "LoRaWAN-Sensornetz und Smart Parking in der Stadt Brunnhagen"),
    (
        "p",
        "Ein Erfahrungsbericht nach zwei Betriebsjahren. Stadt Brunnhagen, Amt für Digitalisierung und "
        "Organisation, in Zusammenarbeit mit der Stadtwerke Brunnhagen GmbH. Februar 2025.",
    ),
    ("h1", "1. Ausgangslage"),
    (
        "p",
        "Brunnhagen ist mit rund 61.500 Einwohnerinnen und Einwohnern die größte Stadt im Landkreis Talheide und "
        "Sitz der Hochschule Brunnhagen. In der historischen Altstadt und rund um den Bahnhof ist der Parkraum "
        "knapp. Eine Verkehrszählung aus dem Jahr 2021 ergab, dass in der Altstadt zu Spitzenzeiten fast ein "
        "Drittel der Fahrzeuge auf Parkplatzsuche war.",
    ),
    (
        "p",
        "Gleichzeitig suchten mehrere Ämter nach einer kostengünstigen Möglichkeit, Messwerte aus dem Stadtgebiet "
        "zu erfassen: die Stadt\u00adgärtnerei für die Bewäs\u00adserung von Jung\u00adbäumen, der Betriebs\u00adhof für den Winter\u00addienst "
        "und die Abfall\u00adwirtschaft für die Leerung der Glas\u00adcontainer. Statt für jede Anwen\u00addung eine eigene Lösung "
        "zu kaufen, entschied sich die Stadt im Jahr 2022 für ein gemeinsames Funknetz.",
    ),
    ("h1", "2. Das LoRaWAN-Netz"),
    (
        "p",
        "LoRaWAN ist ein Funkstandard für Sensoren, die kleine Datenmengen über große Entfernungen senden und dabei "
        "mit einer Batterie mehrere Jahre auskommen. Die Stadtwerke Brunnhagen haben 18 Gateways auf Dächern "
        "städtischer Gebäude, Schulen und Wassertürme installiert. Damit sind etwa 96 Prozent des Stadtgebiets "
        "abgedeckt.",
    ),
    (
        "p",
        "Die Daten laufen über einen Netzserver auf Basis der Open-Source-Software ChirpStack, den die Stadtwerke "
        "selbst betreiben, in eine städtische Datenplattform. Die Stadt hat bewusst darauf geachtet, dass Sensoren "
        "verschiedener Hersteller eingebunden werden können und keine Bindung an einen einzelnen Anbieter "
        "entsteht.",
    ),
    ("h1", "3. Smart Parking in Altstadt und Bahnhofsumfeld"),
    (
        "p",
        "Herzstück des Projekts sind 420 Bodensensoren, die in die Stellplätze der Altstadt und des Bahnhofsumfelds "
        "eingelassen wurden. Jeder Sensor erkennt über eine Magnetfeldmessung, ob ein Fahrzeug auf dem Stellplatz "
        "steht, und meldet jede Änderung an die Plattform. Kennzeichen oder Bilder werden nicht erfasst.",
    ),
    (
        "p",
        "Die freien Stellplätze werden auf sechs dynamischen Parkleittafeln an den Einfallstraßen, in der App "
        "„Brunnhagen mobil“ und als offener Echtzeitdatensatz im Open-Data-Portal der Stadt angezeigt. "
        "Navigationsdienste und andere Anbieter können die Daten kostenlos nutzen.",
    ),
    ("h2", "Ergebnisse nach zwei Jahren"),
    (
        "ul",
        [
            "Der Parksuchverkehr in der Altstadt ist nach einer Vergleichszählung um rund 15 Prozent zurückgegangen.",
            "Die durchschnittliche Suchzeit sank laut einer Befragung von neun auf sechs Minuten.",
            "Die App „Brunnhagen mobil“ wurde rund 14.000-mal heruntergeladen.",
            "Die Auslastungsdaten dienen inzwischen als Grundlage für die Neuordnung der Parkzonen in der Altstadt.",
        ],
    ),
    (
        "p",
        "Im ersten Betriebs\u00adjahr fielen rund drei Prozent der Park\u00adsensoren aus, die meisten durch Be\u00adschä\u00addi\u00adgun\u00adgen beim "
        "Winter\u00addienst und bei Fräs\u00adarbeiten. Die Batterien sind laut Hersteller für fünf bis sieben Jahre ausgelegt.",
    ),
    ("h1", "4. Weitere Anwendungen im selben Netz"),
    (
        "p",
        "Weil das Funknetz bereits vorhanden war, konnten weitere Anwendungen mit geringem Aufwand ergänzt werden:",
    ),
    (
        "table",
        ["Anwendung", "Sensoren", "Nutzen"],
        [
            ["Füllstandsmessung Glascontainer", "62", "weniger Leerungsfahrten"],
            ["Bodenfeuchte an Jungbäumen", "110", "Gießen nach Bedarf statt nach festem Plan"],
            ["Straßentemperatur für den Winterdienst", "12", "frühere und gezieltere Streueinsätze"],
            ["Pegelmessung am Brunnbach", "4", "Frühwarnung bei Hochwasser"],
        ],
    ),
    (
        "p",
        "Besonders überzeugt hat die Füllstandsmessung der Glascontainer. Die Fahrzeuge der Abfallwirtschaft fahren "
        "nur noch Standorte an, an denen die Container zu mindestens 80 Prozent gefüllt sind, was die "
        "Leerungsfahrten um 28 Prozent verringert hat.",
    ),
    (
        "p",
        "Die Bodenfeuchtesensoren an 110 Jungbäumen zeigen der Stadtgärtnerei, welche Bäume tatsächlich Wasser "
        "brauchen. Im trockenen Sommer 2024 konnten die Gießkolonnen so gezielt dort eingesetzt werden, wo die "
        "Bäume am stärksten unter der Trockenheit litten.",
    ),
    ("h1", "5. Kosten und Finanzierung"),
    (
        "table",
        ["Posten", "Kosten"],
        [
            ["Funknetz mit 18 Gateways und Netzserver", "240.000 €"],
            ["420 Parksensoren einschließlich Einbau", "310.000 €"],
            ["Datenplattform, Parkleittafeln und App", "230.000 €"],
            ["Gesamt", "780.000 €"],
        ],
    ),
    (
        "p",
        "Das Vorhaben wurde zu 60 Prozent aus dem Landesprogramm „Digitale Kommune“ gefördert. Die laufenden Kosten "
        "für Netzbetrieb, Plattform und Wartung liegen bei rund 95.000 Euro im Jahr und werden zwischen Stadt und "
        "Stadtwerken aufgeteilt.",
    ),
    ("h1", "6. Datenschutz und Sicherheit"),
    (
        "p",
        "Bei der Planung wurde der Datenschutzbeauftragte von Anfang an beteiligt. Da die Parksensoren nur die "
        "Belegung eines Stellplatzes messen und keine Kennzeichen erfassen, werden keine personenbezogenen Daten "
        "verarbeitet. Die Sensoren und Gateways sind in einem eigenen Netzsegment vom Verwaltungsnetz getrennt.",
    ),
    ("h1", "7. Was wir gelernt haben"),
    (
        "ol",
        [
            "Mit einem sichtbaren Anwendungsfall beginnen: Das Parken hat politische Unterstützung und Aufmerksamkeit für "
            "das gesamte Netz gebracht.",
            "Netz und Anwendungen trennen: Ein offenes Funknetz der Stadtwerke kann von allen Ämtern genutzt werden.",
            "Den Betrieb von Anfang an planen: Es muss geklärt sein, wer defekte Sensoren tauscht, wer die Daten prüft und "
            "wer Fragen aus der Bürgerschaft beantwortet.",
            "Die Daten offen bereitstellen: Die Echtzeitdaten zu freien Stellplätzen werden inzwischen von zwei "
            "Navigationsdiensten genutzt.",
        ],
    ),
    ("h1", "8. Übertragbarkeit auf kleinere Städte"),
    (
        "p",
        "Ein LoRaWAN-Netz lohnt sich nicht nur für Mittelstädte. Für eine Kleinstadt mit 20.000 Einwohnerinnen und "
        "Einwohnern reichen nach Einschätzung der Stadtwerke Brunnhagen oft sechs bis zehn Gateways. Die Stadtwerke "
        "Brunnhagen bieten benachbarten Kommunen an, ihren Netzserver mitzunutzen, damit dort keine eigene "
        "Infrastruktur aufgebaut werden muss.",
    ),
    ("p", "Kontakt: Stadt Brunnhagen, Amt für Digitalisierung und Organisation, Marktplatz 1."),
]
