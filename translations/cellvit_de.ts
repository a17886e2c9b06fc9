<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>cellvit</name>
    <message>
        <source>feature %1: no polygon outline (skipped)</source>
        <translation>Feature %1: kein Polygonumriss (übersprungen)</translation>
    </message>
    <message>
        <source>feature %1</source>
        <translation>Feature %1</translation>
    </message>
    <message>
        <source>%1: a %2, not an annotation (skipped)</source>
        <translation>%1: %2 statt Annotation (übersprungen)</translation>
    </message>
    <message>
        <source>%1: %2 geometry has no area (skipped)</source>
        <translation>%1: %2-Geometrie hat keine Fläche (übersprungen)</translation>
    </message>
    <message>
        <source>%1: holes are not used for regions (outer outline kept)</source>
        <translation>%1: Löcher werden für Regionen nicht verwendet (äußerer Umriss beibehalten)</translation>
    </message>
    <message>
        <source>%1: polygon %2 has no area (skipped)</source>
        <translation>%1: Polygon %2 hat keine Fläche (übersprungen)</translation>
    </message>
    <message>
        <source>Out of memory.</source>
        <translation>Nicht genug Speicher.</translation>
    </message>
    <message>
        <source>Unknown error.</source>
        <translation>Unbekannter Fehler.</translation>
    </message>
</context>
<context>
    <name>cellvit::AboutText</name>
    <message>
        <source>&lt;p&gt;Qt %1 (built with %2)&lt;br&gt;OpenCV %3&lt;br&gt;OpenSlide %4&lt;br&gt;LibTorch %5%6&lt;/p&gt;</source>
        <translation>&lt;p&gt;Qt %1 (erstellt mit %2)&lt;br&gt;OpenCV %3&lt;br&gt;OpenSlide %4&lt;br&gt;LibTorch %5%6&lt;/p&gt;</translation>
    </message>
    <message>
        <source> (CUDA available)</source>
        <translation> (CUDA verfügbar)</translation>
    </message>
    <message>
        <source>&lt;h3&gt;CellViT Studio %1&lt;/h3&gt;&lt;p&gt;Nuclei segmentation and classification for whole-slide histology images, a C++ implementation of CellViT.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;CellViT Studio %1&lt;/h3&gt;&lt;p&gt;Segmentierung und Klassifikation von Zellkernen in histologischen Ganzschnittbildern (WSI), eine C++-Implementierung von CellViT.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>cellvit::CellExportController</name>
    <message>
        <source>there are no nuclei to export</source>
        <translation>es gibt keine Zellkerne zum Exportieren</translation>
    </message>
    <message>
        <source>the selected regions hold no nuclei</source>
        <translation>die ausgewählten Regionen enthalten keine Zellkerne</translation>
    </message>
    <message>
        <source>Exporting nuclei</source>
        <translation>Zellkerne werden exportiert</translation>
    </message>
    <message>
        <source>another export is still being written</source>
        <translation>ein anderer Export wird noch geschrieben</translation>
    </message>
</context>
<context>
    <name>cellvit::CellInspector</name>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>Wahrscheinlichkeit</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Fläche</translation>
    </message>
    <message>
        <source>Perimeter</source>
        <translation>Umfang</translation>
    </message>
    <message>
        <source>Centroid</source>
        <translation>Schwerpunkt</translation>
    </message>
    <message>
        <source>Click a nucleus</source>
        <translation>Zellkern anklicken</translation>
    </message>
    <message>
        <source>%1 µm²</source>
        <translation>%1 µm²</translation>
    </message>
    <message>
        <source>%1 µm</source>
        <translation>%1 µm</translation>
    </message>
    <message>
        <source>x %1, y %2 µm</source>
        <translation>x %1, y %2 µm</translation>
    </message>
    <message>
        <source>%1 px²</source>
        <translation>%1 px²</translation>
    </message>
    <message>
        <source>%1 px</source>
        <translation>%1 px</translation>
    </message>
    <message>
        <source>x %1, y %2 px</source>
        <translation>x %1, y %2 px</translation>
    </message>
</context>
<context>
    <name>cellvit::ClassCountsPanel</name>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>per mm²</source>
        <translation>pro mm²</translation>
    </message>
    <message>
        <source>Copy as CSV</source>
        <translation>Als CSV kopieren</translation>
    </message>
    <message>
        <source>All results</source>
        <translation>Alle Ergebnisse</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Gesamt</translation>
    </message>
</context>
<context>
    <name>cellvit::ClassifierPanel</name>
    <message>
        <source>Colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Labelled</source>
        <translation>Annotiert</translation>
    </message>
    <message>
        <source>Add Class</source>
        <translation>Klasse hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Label Cells</source>
        <translation>Zellen annotieren</translation>
    </message>
    <message>
        <source>While on, clicking a nucleus on the slide or selecting points in the UMAP plot labels them with the current class</source>
        <translation>Wenn aktiv, wird ein auf dem Objektträger angeklickter Zellkern oder eine Punktauswahl im UMAP-Diagramm mit der aktuellen Klasse annotiert</translation>
    </message>
    <message>
        <source>Clear Labels</source>
        <translation>Annotationen löschen</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Trainieren</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Anwenden</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>Laden…</translation>
    </message>
    <message>
        <source>Export GeoJSON…</source>
        <translation>GeoJSON exportieren…</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <source>Add classes, label cells of each, then train.</source>
        <translation>Klassen hinzufügen, Zellen jeder Klasse annotieren, dann trainieren.</translation>
    </message>
    <message>
        <source>Class %1</source>
        <translation>Klasse %1</translation>
    </message>
    <message>
        <source>Class Colour</source>
        <translation>Klassenfarbe</translation>
    </message>
    <message>
        <source>Add a class first.</source>
        <translation>Zuerst eine Klasse hinzufügen.</translation>
    </message>
    <message numerus="yes">
        <source>%n cell(s) labelled %1.</source>
        <translation>
            <numerusform>%n Zelle als %1 annotiert.</numerusform>
            <numerusform>%n Zellen als %1 annotiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 cells labelled; the others have no embedding.</source>
        <translation>%1 von %2 Zellen annotiert; die übrigen haben keine Einbettung.</translation>
    </message>
    <message>
        <source>The cells have no embeddings: run the model first.</source>
        <translation>Die Zellen haben keine Einbettungen: zuerst das Modell ausführen.</translation>
    </message>
    <message>
        <source>Label cells of at least two classes first.</source>
        <translation>Zuerst Zellen aus mindestens zwei Klassen annotieren.</translation>
    </message>
    <message>
        <source>The classifier expects embeddings of dimension %1; these cells have %2.</source>
        <translation>Der Klassifikator erwartet Einbettungen der Dimension %1; diese Zellen haben %2.</translation>
    </message>
    <message numerus="yes">
        <source>Training on %n labelled cell(s)…</source>
        <translation>
            <numerusform>Training mit %n annotierter Zelle…</numerusform>
            <numerusform>Training mit %n annotierten Zellen…</numerusform>
        </translation>
    </message>
    <message>
        <source>Classifying…</source>
        <translation>Klassifizierung läuft…</translation>
    </message>
    <message>
        <source>Out of memory while training the classifier.</source>
        <translation>Nicht genügend Arbeitsspeicher beim Trainieren des Klassifikators.</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>Training fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>The cells changed while training: train again.</source>
        <translation>Die Zellen haben sich während des Trainings geändert: erneut trainieren.</translation>
    </message>
    <message>
        <source>Cross-validation: %1</source>
        <translation>Kreuzvalidierung: %1</translation>
    </message>
    <message>
        <source>Cross-validated accuracy on the labelled cells: %1 %</source>
        <translation>Kreuzvalidierte Genauigkeit auf den annotierten Zellen: %1 %</translation>
    </message>
    <message numerus="yes">
        <source>Classified %n cell(s). Apply to show the new classes.</source>
        <translation>
            <numerusform>%n Zelle klassifiziert. „Anwenden“ zeigt die neuen Klassen.</numerusform>
            <numerusform>%n Zellen klassifiziert. „Anwenden“ zeigt die neuen Klassen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unclassified</source>
        <translation>Nicht klassifiziert</translation>
    </message>
    <message>
        <source>Train the classifier (or load one) first.</source>
        <translation>Zuerst den Klassifikator trainieren (oder einen laden).</translation>
    </message>
    <message>
        <source>The overlay and the class counts use the classifier&apos;s classes.</source>
        <translation>Überlagerung und Klassenzählung verwenden die Klassen des Klassifikators.</translation>
    </message>
    <message>
        <source>%1: there is no trained classifier to save</source>
        <translation>%1: kein trainierter Klassifikator zum Speichern vorhanden</translation>
    </message>
    <message>
        <source>Double-click to change the colour</source>
        <translation>Doppelklicken, um die Farbe zu ändern</translation>
    </message>
    <message>
        <source>The cells changed: labels and predictions were cleared.</source>
        <translation>Die Zellen haben sich geändert: Annotationen und Vorhersagen wurden gelöscht.</translation>
    </message>
    <message>
        <source>Save Classifier</source>
        <translation>Klassifikator speichern</translation>
    </message>
    <message>
        <source>Classifier (*.json)</source>
        <translation>Klassifikator (*.json)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Load Classifier</source>
        <translation>Klassifikator laden</translation>
    </message>
    <message>
        <source>Classifier (*.json);;All files (*)</source>
        <translation>Klassifikator (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Training the classifier</source>
        <translation>Klassifikator wird trainiert</translation>
    </message>
</context>
<context>
    <name>cellvit::DetectionImportController</name>
    <message numerus="yes">
        <source>%1: no detections found (%n annotation(s) ignored); the nuclei shown are kept.</source>
        <translation>
            <numerusform>%1: keine Detektionen gefunden (%n Annotation ignoriert); die angezeigten Zellkerne bleiben.</numerusform>
            <numerusform>%1: keine Detektionen gefunden (%n Annotationen ignoriert); die angezeigten Zellkerne bleiben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing detections</source>
        <translation>Detektionen werden importiert</translation>
    </message>
</context>
<context>
    <name>cellvit::EmbeddingImportController</name>
    <message>
        <source>%1: the nuclei changed while the embeddings were read; load them again.</source>
        <translation>%1: Die Zellkerne haben sich geändert, während die Einbettungen gelesen wurden; bitte erneut laden.</translation>
    </message>
    <message>
        <source>Loading embeddings</source>
        <translation>Einbettungen werden geladen</translation>
    </message>
</context>
<context>
    <name>cellvit::InferenceTask</name>
    <message>
        <source>Out of memory while segmenting. Try a smaller region.</source>
        <translation>Nicht genügend Arbeitsspeicher bei der Segmentierung. Eine kleinere Region versuchen.</translation>
    </message>
    <message>
        <source>Segmenting nuclei</source>
        <translation>Zellkerne werden segmentiert</translation>
    </message>
</context>
<context>
    <name>cellvit::LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>&amp;System Default</source>
        <translation>&amp;Systemstandard</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>The new language is used the next time CellViT Studio starts.</source>
        <translation>Die neue Sprache wird beim nächsten Start von CellViT Studio verwendet.</translation>
    </message>
</context>
<context>
    <name>cellvit::MainWindow</name>
    <message>
        <source>CellViT Studio</source>
        <translation>CellViT Studio</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Cannot open slide</source>
        <translation>Objektträger kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>The slide %1 could not be opened.

%2</source>
        <translation>Der Objektträger %1 konnte nicht geöffnet werden.

%2</translation>
    </message>
    <message>
        <source>%1 — CellViT Studio</source>
        <translation>%1 — CellViT Studio</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open Slide…</source>
        <translation>Objektträger ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Zoom to &amp;Fit</source>
        <translation>&amp;Einpassen</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>&amp;Regions</source>
        <translation>&amp;Regionen</translation>
    </message>
    <message>
        <source>&amp;Analysis</source>
        <translation>A&amp;nalyse</translation>
    </message>
    <message>
        <source>&amp;Embeddings</source>
        <translation>&amp;Einbettungen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About CellViT Studio</source>
        <translation>&amp;Über CellViT Studio</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>x %1, y %2 px</source>
        <translation>x %1, y %2 px</translation>
    </message>
    <message>
        <source>x %1, y %2 µm</source>
        <translation>x %1, y %2 µm</translation>
    </message>
    <message>
        <source>%1× (downsample %2)</source>
        <translation>%1× (Verkleinerung %2)</translation>
    </message>
    <message>
        <source>Open Slide</source>
        <translation>Objektträger öffnen</translation>
    </message>
    <message>
        <source>Slides (*.svs *.tif *.tiff *.ndpi *.vms *.vmu *.scn *.mrxs *.svslide *.bif *.png *.jpg *.jpeg *.bmp);;All files (*)</source>
        <translation>Objektträger (*.svs *.tif *.tiff *.ndpi *.vms *.vmu *.scn *.mrxs *.svslide *.bif *.png *.jpg *.jpeg *.bmp);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>Menü &amp;leeren</translation>
    </message>
    <message>
        <source>About CellViT Studio</source>
        <translation>Über CellViT Studio</translation>
    </message>
    <message>
        <source>&amp;Import Regions (GeoJSON)…</source>
        <translation>Regionen &amp;importieren (GeoJSON)…</translation>
    </message>
    <message>
        <source>&amp;Export Regions (GeoJSON)…</source>
        <translation>Regionen &amp;exportieren (GeoJSON)…</translation>
    </message>
    <message>
        <source>&amp;Delete Selected Regions</source>
        <translation>Ausgewählte Regionen &amp;löschen</translation>
    </message>
    <message>
        <source>&amp;Open Checkpoint…</source>
        <translation>Checkpoint ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Run on &amp;Selected Regions</source>
        <translation>Auf &amp;ausgewählten Regionen ausführen</translation>
    </message>
    <message>
        <source>Run on &amp;Whole Slide</source>
        <translation>Auf &amp;gesamtem Objektträger ausführen</translation>
    </message>
    <message>
        <source>&amp;Cancel Run</source>
        <translation>Lauf a&amp;bbrechen</translation>
    </message>
    <message>
        <source>&amp;Export Nuclei (GeoJSON)…</source>
        <translation>&amp;Zellkerne exportieren (GeoJSON)…</translation>
    </message>
    <message>
        <source>&amp;Import QuPath Detections…</source>
        <translation>QuPath-Detektionen &amp;importieren…</translation>
    </message>
    <message>
        <source>Select one or more regions first, or run on the whole slide.</source>
        <translation>Zuerst eine oder mehrere Regionen auswählen oder auf dem gesamten Objektträger ausführen.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cannot export nuclei</source>
        <translation>Zellkerne können nicht exportiert werden</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n nuclei to %1</source>
        <translation>
            <numerusform>%n Zellkern nach %1 exportiert</numerusform>
            <numerusform>%n Zellkerne nach %1 exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot import detections</source>
        <translation>Detektionen können nicht importiert werden</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n detection(s)</source>
        <translation>
            <numerusform>%n Detektion importiert</numerusform>
            <numerusform>%n Detektionen importiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Some features were not imported</source>
        <translation>Einige Features wurden nicht importiert</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n detection(s) imported, %2 annotation(s) ignored.

%3</source>
        <translation>
            <numerusform>%1: %n Detektion importiert, %2 Annotation(en) ignoriert.

%3</numerusform>
            <numerusform>%1: %n Detektionen importiert, %2 Annotation(en) ignoriert.

%3</numerusform>
        </translation>
    </message>
    <message>
        <source>Export Nuclei of the Selected Regions</source>
        <translation>Zellkerne der ausgewählten Regionen exportieren</translation>
    </message>
    <message>
        <source>Export All Nuclei</source>
        <translation>Alle Zellkerne exportieren</translation>
    </message>
    <message>
        <source>GeoJSON (*.geojson);;Compressed GeoJSON (*.geojson.gz)</source>
        <translation>GeoJSON (*.geojson);;Komprimiertes GeoJSON (*.geojson.gz)</translation>
    </message>
    <message>
        <source>Import QuPath Detections</source>
        <translation>QuPath-Detektionen importieren</translation>
    </message>
    <message>
        <source>GeoJSON (*.geojson *.json *.geojson.gz *.json.gz);;All files (*)</source>
        <translation>GeoJSON (*.geojson *.json *.geojson.gz *.json.gz);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Embeddings (UMAP)</source>
        <translation>Einbettungen (UMAP)</translation>
    </message>
    <message>
        <source>Classifier</source>
        <translation>Klassifikator</translation>
    </message>
    <message>
        <source>Export Reclassified Nuclei</source>
        <translation>Neu klassifizierte Zellkerne exportieren</translation>
    </message>
    <message>
        <source>&amp;Compute UMAP</source>
        <translation>UMAP &amp;berechnen</translation>
    </message>
    <message>
        <source>&amp;Load Embeddings (.npy)…</source>
        <translation>Einbettungen &amp;laden (.npy)…</translation>
    </message>
    <message>
        <source>Load Embeddings</source>
        <translation>Einbettungen laden</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npy);;All files (*)</source>
        <translation>NumPy-Arrays (*.npy);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>&amp;Train Classifier</source>
        <translation>Klassifikator &amp;trainieren</translation>
    </message>
    <message>
        <source>&amp;Apply Classifier</source>
        <translation>Klassifikator &amp;anwenden</translation>
    </message>
    <message>
        <source>Cannot load embeddings</source>
        <translation>Einbettungen können nicht geladen werden</translation>
    </message>
    <message numerus="yes">
        <source>Loaded embeddings of %n nuclei</source>
        <translation>
            <numerusform>Einbettungen von %n Zellkern geladen</numerusform>
            <numerusform>Einbettungen von %n Zellkernen geladen</numerusform>
        </translation>
    </message>
    <message>
        <source>Regions</source>
        <translation>Regionen</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Overlay</source>
        <translation>Überlagerung</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Inspektor</translation>
    </message>
    <message>
        <source>Class Counts</source>
        <translation>Klassenzählung</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>Werkzeuge</translation>
    </message>
    <message>
        <source>Navigate</source>
        <translation>Navigieren</translation>
    </message>
    <message>
        <source>Pan, select; drag a selected region to move it</source>
        <translation>Verschieben, auswählen; eine ausgewählte Region ziehen, um sie zu bewegen</translation>
    </message>
    <message>
        <source>Rectangle</source>
        <translation>Rechteck</translation>
    </message>
    <message>
        <source>Draw a rectangle region (drag)</source>
        <translation>Rechteckige Region zeichnen (ziehen)</translation>
    </message>
    <message>
        <source>Polygon</source>
        <translation>Polygon</translation>
    </message>
    <message>
        <source>Draw a polygon region: click the vertices, double-click or Enter to close</source>
        <translation>Polygonregion zeichnen: Eckpunkte anklicken, Doppelklick oder Eingabetaste schließt</translation>
    </message>
    <message>
        <source>Freehand</source>
        <translation>Freihand</translation>
    </message>
    <message>
        <source>Draw a freehand region (drag)</source>
        <translation>Freihandregion zeichnen (ziehen)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Cancel Drawing</source>
        <translation>Zeichnen abbrechen</translation>
    </message>
    <message>
        <source>Nuclei</source>
        <translation>Zellkerne</translation>
    </message>
    <message>
        <source>Show or hide all nuclei overlays (H)</source>
        <translation>Alle Zellkern-Überlagerungen ein- oder ausblenden (H)</translation>
    </message>
    <message>
        <source>Cannot import regions</source>
        <translation>Regionen können nicht importiert werden</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n region(s) from %1</source>
        <translation>
            <numerusform>%n Region aus %1 importiert</numerusform>
            <numerusform>%n Regionen aus %1 importiert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 imported %n region(s); these features were skipped or changed:

%2</source>
        <translation>
            <numerusform>Aus %1 wurde %n Region importiert; diese Features wurden übersprungen oder geändert:

%2</numerusform>
            <numerusform>Aus %1 wurden %n Regionen importiert; diese Features wurden übersprungen oder geändert:

%2</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot export regions</source>
        <translation>Regionen können nicht exportiert werden</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n region(s)</source>
        <translation>
            <numerusform>%n Region exportiert</numerusform>
            <numerusform>%n Regionen exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Import Regions</source>
        <translation>Regionen importieren</translation>
    </message>
    <message>
        <source>Export Regions</source>
        <translation>Regionen exportieren</translation>
    </message>
    <message>
        <source>GeoJSON (*.geojson);;All files (*)</source>
        <translation>GeoJSON (*.geojson);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Interrupted run</source>
        <translation>Unterbrochener Lauf</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>The last run was interrupted after %1 of %2 patches.</source>
        <translation>Der letzte Lauf wurde nach %1 von %2 Patches unterbrochen.</translation>
    </message>
    <message>
        <source>Open the checkpoint %1 to resume the interrupted run.</source>
        <translation>Den Checkpoint %1 öffnen, um den unterbrochenen Lauf fortzusetzen.</translation>
    </message>
    <message>
        <source>Cannot read the slide: %1</source>
        <translation>Der Objektträger kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Segmenting nuclei… (Open Checkpoint and Run are disabled until the run ends or is cancelled)</source>
        <translation>Zellkerne werden segmentiert… (Checkpoint öffnen und Ausführen sind gesperrt, bis der Lauf endet oder abgebrochen wird)</translation>
    </message>
    <message>
        <source>Importing detections from %1…</source>
        <translation>Detektionen werden aus %1 importiert…</translation>
    </message>
    <message>
        <source>Project: %1</source>
        <translation>Projekt: %1</translation>
    </message>
    <message>
        <source>Cannot resume the interrupted run: %1</source>
        <translation>Der unterbrochene Lauf kann nicht fortgesetzt werden: %1</translation>
    </message>
    <message>
        <source>Open Results &amp;Folder…</source>
        <translation>Ergebnis&amp;ordner öffnen…</translation>
    </message>
    <message>
        <source>Open Results Folder</source>
        <translation>Ergebnisordner öffnen</translation>
    </message>
    <message>
        <source>Select one or more regions first.</source>
        <translation>Zuerst eine oder mehrere Regionen auswählen.</translation>
    </message>
    <message>
        <source>Exporting nuclei…</source>
        <translation>Zellkerne werden exportiert…</translation>
    </message>
    <message>
        <source>Cannot open the results folder</source>
        <translation>Der Ergebnisordner kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>%1 holds the results of several slides. Open:</source>
        <translation>%1 enthält die Ergebnisse mehrerer Objektträger. Öffnen:</translation>
    </message>
    <message>
        <source>Set Image &amp;Resolution…</source>
        <translation>Bild&amp;auflösung festlegen…</translation>
    </message>
    <message>
        <source>Image Resolution</source>
        <translation>Bildauflösung</translation>
    </message>
    <message>
        <source>Micrometres per pixel of %1 (0.25 at 40×, 0.5 at 20×):</source>
        <translation>Mikrometer pro Pixel von %1 (0,25 bei 40×, 0,5 bei 20×):</translation>
    </message>
    <message>
        <source>%1 µm per pixel is outside 0.05–0.75 (about 0.25 at 40×, 0.5 at 20×).</source>
        <translation>%1 µm pro Pixel liegt außerhalb von 0,05–0,75 (etwa 0,25 bei 40×, 0,5 bei 20×).</translation>
    </message>
    <message>
        <source>Resolution: %1 µm per pixel</source>
        <translation>Auflösung: %1 µm pro Pixel</translation>
    </message>
    <message>
        <source>The resolution declared for this slide earlier, %1 µm per pixel, is outside 0.05–0.75 and was not used.</source>
        <translation>Die früher für dieses Bild angegebene Auflösung, %1 µm pro Pixel, liegt außerhalb von 0,05–0,75 und wurde nicht verwendet.</translation>
    </message>
    <message>
        <source>Resolution: %1 µm per pixel, as declared for this slide earlier</source>
        <translation>Auflösung: %1 µm pro Pixel, wie früher für dieses Bild angegeben</translation>
    </message>
    <message numerus="yes">
        <source>(%n already there, not added again)</source>
        <translation>
            <numerusform>(%n bereits vorhanden, nicht erneut hinzugefügt)</numerusform>
            <numerusform>(%n bereits vorhanden, nicht erneut hinzugefügt)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cellvit::ModelPanel</name>
    <message>
        <source>Open Checkpoint…</source>
        <translation>Checkpoint öffnen…</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>Kein Modell geladen.</translation>
    </message>
    <message>
        <source>Run on Selected Regions</source>
        <translation>Auf ausgewählten Regionen ausführen</translation>
    </message>
    <message>
        <source>Run on Whole Slide</source>
        <translation>Auf gesamtem Objektträger ausführen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancelling after the patch in progress…</source>
        <translation>Abbruch nach dem laufenden Patch…</translation>
    </message>
    <message numerus="yes">
        <source>Done: %n nuclei</source>
        <translation>
            <numerusform>Fertig: %n Zellkern</numerusform>
            <numerusform>Fertig: %n Zellkerne</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled: %n nuclei from the finished patches kept</source>
        <translation>
            <numerusform>Abgebrochen: %n Zellkern aus den fertigen Patches behalten</numerusform>
            <numerusform>Abgebrochen: %n Zellkerne aus den fertigen Patches behalten</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Checkpoint</source>
        <translation>Checkpoint öffnen</translation>
    </message>
    <message>
        <source>CellViT checkpoints (*.pth *.pt *.tar *.safetensors);;All files (*)</source>
        <translation>CellViT-Checkpoints (*.pth *.pt *.tar *.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>Cannot load the checkpoint %1:
%2</source>
        <translation>Der Checkpoint %1 kann nicht geladen werden:
%2</translation>
    </message>
    <message>
        <source>CUDA (%1)</source>
        <translation>CUDA (%1)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>Gerät: %1</translation>
    </message>
    <message>
        <source>Architecture: %1 (%2)</source>
        <translation>Architektur: %1 (%2)</translation>
    </message>
    <message>
        <source>Magnification: %1× (%2 µm/px)</source>
        <translation>Vergrößerung: %1× (%2 µm/px)</translation>
    </message>
    <message>
        <source>Classes: %1</source>
        <translation>Klassen: %1</translation>
    </message>
    <message>
        <source>%1 / %2 patches, %3 nuclei — %4 patches/s, ETA %5</source>
        <translation>%1 / %2 Patches, %3 Zellkerne — %4 Patches/s, Restzeit %5</translation>
    </message>
    <message>
        <source>Preparing the run (tissue detection, first patch)…</source>
        <translation>Lauf wird vorbereitet (Gewebeerkennung, erster Patch)…</translation>
    </message>
    <message>
        <source>A segmentation run is in progress: wait for it or cancel it first.</source>
        <translation>Eine Segmentierung läuft: warten Sie ihr Ende ab oder brechen Sie sie zuerst ab.</translation>
    </message>
    <message>
        <source>Loading a checkpoint</source>
        <translation>Checkpoint wird geladen</translation>
    </message>
</context>
<context>
    <name>cellvit::OverlayPanel</name>
    <message>
        <source>Show nuclei (H)</source>
        <translation>Zellkerne anzeigen (H)</translation>
    </message>
    <message>
        <source>Fill outlines</source>
        <translation>Umrisse füllen</translation>
    </message>
    <message>
        <source>Overlay opacity</source>
        <translation>Deckkraft der Überlagerung</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>Deckkraft</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>Klassen</translation>
    </message>
    <message>
        <source>Colour of %1</source>
        <translation>Farbe von %1</translation>
    </message>
    <message>
        <source>Change the colour</source>
        <translation>Farbe ändern</translation>
    </message>
</context>
<context>
    <name>cellvit::ProjectController</name>
    <message>
        <source>Restoring the project</source>
        <translation>Projekt wird wiederhergestellt</translation>
    </message>
    <message>
        <source>Regions not saved: %1</source>
        <translation>Regionen nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>Reading the project</source>
        <translation>Projekt wird gelesen</translation>
    </message>
    <message>
        <source>Closing the project</source>
        <translation>Projekt wird geschlossen</translation>
    </message>
    <message>
        <source>Resolution not saved: %1</source>
        <translation>Auflösung nicht gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>cellvit::RegionPanel</name>
    <message>
        <source>Double-click a region to rename it.</source>
        <translation>Zum Umbenennen auf eine Region doppelklicken.</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importieren…</translation>
    </message>
    <message>
        <source>Import QuPath annotations (GeoJSON) as regions</source>
        <translation>QuPath-Annotationen (GeoJSON) als Regionen importieren</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Export the regions as GeoJSON annotations</source>
        <translation>Die Regionen als GeoJSON-Annotationen exportieren</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
</context>
<context>
    <name>cellvit::RegionStore</name>
    <message>
        <source>%1 — %2 mm²</source>
        <translation>%1 — %2 mm²</translation>
    </message>
    <message>
        <source>%1 — %2 px²</source>
        <translation>%1 — %2 px²</translation>
    </message>
    <message>
        <source>%1 vertices, %2 px²</source>
        <translation>%1 Eckpunkte, %2 px²</translation>
    </message>
    <message>
        <source>Region %1</source>
        <translation>Region %1</translation>
    </message>
</context>
<context>
    <name>cellvit::RunController</name>
    <message>
        <source>Segmentation failed: %1</source>
        <translation>Segmentierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>A segmentation run is in progress: wait for it or cancel it first.</source>
        <translation>Eine Segmentierung läuft: warten Sie ihr Ende ab oder brechen Sie sie zuerst ab.</translation>
    </message>
    <message>
        <source>Open a slide first.</source>
        <translation>Zuerst einen Objektträger öffnen.</translation>
    </message>
    <message>
        <source>Open a checkpoint first.</source>
        <translation>Zuerst einen Checkpoint öffnen.</translation>
    </message>
    <message numerus="yes">
        <source>Segmentation finished: %n nuclei</source>
        <translation>
            <numerusform>Segmentierung abgeschlossen: %n Zellkern</numerusform>
            <numerusform>Segmentierung abgeschlossen: %n Zellkerne</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Segmentation cancelled: %n nuclei kept</source>
        <translation>
            <numerusform>Segmentierung abgebrochen: %n Zellkern behalten</numerusform>
            <numerusform>Segmentierung abgebrochen: %n Zellkerne behalten</numerusform>
        </translation>
    </message>
    <message>
        <source>This image has no resolution metadata: set its micrometres per pixel with Analysis ▸ Set Image Resolution first.</source>
        <translation>Dieses Bild hat keine Auflösungsangabe: zuerst seine Mikrometer pro Pixel unter Analyse ▸ Bildauflösung festlegen angeben.</translation>
    </message>
</context>
<context>
    <name>cellvit::ScaleBar</name>
    <message>
        <source>%1 mm</source>
        <translation>%1 mm</translation>
    </message>
    <message>
        <source>%1 µm</source>
        <translation>%1 µm</translation>
    </message>
</context>
<context>
    <name>cellvit::ScatterPlot</name>
    <message>
        <source>UMAP 1</source>
        <translation>UMAP 1</translation>
    </message>
    <message>
        <source>UMAP 2</source>
        <translation>UMAP 2</translation>
    </message>
</context>
<context>
    <name>cellvit::SlideView</name>
    <message>
        <source>Some tiles cannot be read: %1</source>
        <translation>Einige Kacheln können nicht gelesen werden: %1</translation>
    </message>
</context>
<context>
    <name>cellvit::UmapPanel</name>
    <message>
        <source>All cells</source>
        <translation>Alle Zellen</translation>
    </message>
    <message>
        <source>Cells of the selected regions</source>
        <translation>Zellen der ausgewählten Regionen</translation>
    </message>
    <message>
        <source>Neighbours per cell: larger values keep more of the global structure</source>
        <translation>Nachbarn pro Zelle: größere Werte erhalten mehr von der globalen Struktur</translation>
    </message>
    <message>
        <source>Minimum distance between points in the layout: smaller values pack clusters tighter</source>
        <translation>Mindestabstand zwischen Punkten im Layout: kleinere Werte verdichten Cluster stärker</translation>
    </message>
    <message>
        <source>Euclidean</source>
        <translation>Euklidisch</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Type probability</source>
        <translation>Typwahrscheinlichkeit</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>User label</source>
        <translation>Benutzerannotation</translation>
    </message>
    <message>
        <source>Compute UMAP</source>
        <translation>UMAP berechnen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Rectangle Select</source>
        <translation>Rechteckauswahl</translation>
    </message>
    <message>
        <source>Select the points in a rectangle</source>
        <translation>Punkte in einem Rechteck auswählen</translation>
    </message>
    <message>
        <source>Lasso Select</source>
        <translation>Lassoauswahl</translation>
    </message>
    <message>
        <source>Select the points in a freehand lasso</source>
        <translation>Punkte in einem Freihand-Lasso auswählen</translation>
    </message>
    <message>
        <source>Pan Plot</source>
        <translation>Diagramm verschieben</translation>
    </message>
    <message>
        <source>Drag the plot (the middle or right button always pans)</source>
        <translation>Diagramm ziehen (mit der mittleren oder rechten Maustaste wird immer verschoben)</translation>
    </message>
    <message>
        <source>Cells</source>
        <translation>Zellen</translation>
    </message>
    <message>
        <source>Neighbours</source>
        <translation>Nachbarn</translation>
    </message>
    <message>
        <source>Min. distance</source>
        <translation>Min. Abstand</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Metrik</translation>
    </message>
    <message>
        <source>Colour by</source>
        <translation>Färben nach</translation>
    </message>
    <message>
        <source>Run the model, then compute a UMAP of the cell embeddings.</source>
        <translation>Das Modell ausführen, dann eine UMAP der Zelleinbettungen berechnen.</translation>
    </message>
    <message>
        <source>UMAP cancelled.</source>
        <translation>UMAP abgebrochen.</translation>
    </message>
    <message>
        <source>UMAP failed: %1</source>
        <translation>UMAP fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Select one or more regions first, or lay out all cells.</source>
        <translation>Zuerst eine oder mehrere Regionen auswählen oder alle Zellen darstellen.</translation>
    </message>
    <message>
        <source>These cells have no embeddings (imported detections carry none): run the model on them.</source>
        <translation>Diese Zellen haben keine Einbettungen (importierte Detektionen enthalten keine): das Modell auf ihnen ausführen.</translation>
    </message>
    <message>
        <source>A UMAP needs more than %1 cells with embeddings; %2 are in scope.</source>
        <translation>Eine UMAP benötigt mehr als %1 Zellen mit Einbettungen; im gewählten Bereich sind es %2.</translation>
    </message>
    <message numerus="yes">
        <source>Computing the UMAP of %n cell(s)…</source>
        <translation>
            <numerusform>UMAP von %n Zelle wird berechnet…</numerusform>
            <numerusform>UMAP von %n Zellen wird berechnet…</numerusform>
        </translation>
    </message>
    <message>
        <source>The cells changed while the UMAP was computed: compute it again.</source>
        <translation>Die Zellen haben sich während der UMAP-Berechnung geändert: erneut berechnen.</translation>
    </message>
    <message numerus="yes">
        <source>UMAP of %n cell(s). Drag to select, wheel to zoom, right-drag to pan.</source>
        <translation>
            <numerusform>UMAP von %n Zelle. Ziehen zum Auswählen, Mausrad zum Zoomen, Rechtsziehen zum Verschieben.</numerusform>
            <numerusform>UMAP von %n Zellen. Ziehen zum Auswählen, Mausrad zum Zoomen, Rechtsziehen zum Verschieben.</numerusform>
        </translation>
    </message>
    <message>
        <source>The cells changed: compute the UMAP again.</source>
        <translation>Die Zellen haben sich geändert: die UMAP erneut berechnen.</translation>
    </message>
    <message>
        <source>probability 0</source>
        <translation>Wahrscheinlichkeit 0</translation>
    </message>
    <message>
        <source>0.5</source>
        <translation>0,5</translation>
    </message>
    <message>
        <source>1</source>
        <translation>1</translation>
    </message>
    <message>
        <source>outside the regions</source>
        <translation>außerhalb der Regionen</translation>
    </message>
    <message>
        <source>unlabelled</source>
        <translation>nicht annotiert</translation>
    </message>
    <message>
        <source>UMAP of the cell embeddings</source>
        <translation>UMAP der Zelleinbettungen</translation>
    </message>
    <message>
        <source>Coordinates (CSV)…</source>
        <translation>Koordinaten (CSV)…</translation>
    </message>
    <message>
        <source>Plot (PNG)…</source>
        <translation>Diagramm (PNG)…</translation>
    </message>
    <message>
        <source>Plot (SVG)…</source>
        <translation>Diagramm (SVG)…</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG-Bild (*.svg)</translation>
    </message>
    <message>
        <source>Export UMAP</source>
        <translation>UMAP exportieren</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>cellvit::UmapTask</name>
    <message>
        <source>Out of memory while computing the UMAP layout.</source>
        <translation>Nicht genügend Arbeitsspeicher bei der Berechnung des UMAP-Layouts.</translation>
    </message>
    <message>
        <source>Computing the UMAP layout</source>
        <translation>UMAP-Layout wird berechnet</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>CellViT Studio: view whole-slide images.</source>
        <translation>CellViT Studio: Ganzschnittbilder (WSI) betrachten.</translation>
    </message>
    <message>
        <source>Save the window to &lt;file&gt; and quit.</source>
        <translation>Das Fenster in &lt;file&gt; speichern und beenden.</translation>
    </message>
    <message>
        <source>Import the GeoJSON annotations in &lt;file&gt; as regions.</source>
        <translation>Die GeoJSON-Annotationen in &lt;file&gt; als Regionen importieren.</translation>
    </message>
    <message>
        <source>Show the QuPath detections in &lt;file&gt; as nuclei.</source>
        <translation>Die QuPath-Detektionen in &lt;file&gt; als Zellkerne anzeigen.</translation>
    </message>
    <message>
        <source>Centre on level-0 x,y at magnification m.</source>
        <translation>Auf Ebene-0-Position x,y bei Vergrößerung m zentrieren.</translation>
    </message>
    <message>
        <source>Load the CellViT checkpoint &lt;file&gt;.</source>
        <translation>Den CellViT-Checkpoint &lt;file&gt; laden.</translation>
    </message>
    <message>
        <source>Run the checkpoint on the selected regions once it is loaded.</source>
        <translation>Den Checkpoint nach dem Laden auf den ausgewählten Regionen ausführen.</translation>
    </message>
    <message>
        <source>Load embeddings.npy &lt;file&gt; for the nuclei shown (--detections).</source>
        <translation>embeddings.npy &lt;file&gt; für die angezeigten Zellkerne laden (--detections).</translation>
    </message>
    <message>
        <source>Compute the UMAP of the nuclei&apos;s embeddings (after a run) and show it.</source>
        <translation>Die UMAP der Zellkern-Einbettungen berechnen (nach einem Lauf) und anzeigen.</translation>
    </message>
    <message>
        <source>Slide to open, or a results folder written by cellvit-cli segment --out.</source>
        <translation>Zu öffnender Objektträger oder ein von cellvit-cli segment --out geschriebener Ergebnisordner.</translation>
    </message>
    <message>
        <source>Micrometres per pixel of the opened image (a plain image has no resolution metadata), as Analysis &gt; Set Image Resolution.</source>
        <translation>Mikrometer pro Pixel des geöffneten Bildes (ein einfaches Bild hat keine Auflösungsangabe), wie Analyse &gt; Bildauflösung festlegen.</translation>
    </message>
</context>
</TS>
