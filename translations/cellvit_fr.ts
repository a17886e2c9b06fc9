<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>cellvit</name>
    <message>
        <source>feature %1: no polygon outline (skipped)</source>
        <translation>élément %1&#xa0;: aucun contour polygonal (ignoré)</translation>
    </message>
    <message>
        <source>feature %1</source>
        <translation>élément %1</translation>
    </message>
    <message>
        <source>%1: a %2, not an annotation (skipped)</source>
        <translation>%1&#xa0;: %2 au lieu d’une annotation (ignoré)</translation>
    </message>
    <message>
        <source>%1: %2 geometry has no area (skipped)</source>
        <translation>%1&#xa0;: la géométrie %2 n’a pas de surface (ignoré)</translation>
    </message>
    <message>
        <source>%1: holes are not used for regions (outer outline kept)</source>
        <translation>%1&#xa0;: les trous ne sont pas utilisés pour les régions (contour extérieur conservé)</translation>
    </message>
    <message>
        <source>%1: polygon %2 has no area (skipped)</source>
        <translation>%1&#xa0;: le polygone %2 n’a pas de surface (ignoré)</translation>
    </message>
    <message>
        <source>Out of memory.</source>
        <translation>Mémoire insuffisante.</translation>
    </message>
    <message>
        <source>Unknown error.</source>
        <translation>Erreur inconnue.</translation>
    </message>
</context>
<context>
    <name>cellvit::AboutText</name>
    <message>
        <source>&lt;p&gt;Qt %1 (built with %2)&lt;br&gt;OpenCV %3&lt;br&gt;OpenSlide %4&lt;br&gt;LibTorch %5%6&lt;/p&gt;</source>
        <translation>&lt;p&gt;Qt %1 (compilé avec %2)&lt;br&gt;OpenCV %3&lt;br&gt;OpenSlide %4&lt;br&gt;LibTorch %5%6&lt;/p&gt;</translation>
    </message>
    <message>
        <source> (CUDA available)</source>
        <translation> (CUDA disponible)</translation>
    </message>
    <message>
        <source>&lt;h3&gt;CellViT Studio %1&lt;/h3&gt;&lt;p&gt;Nuclei segmentation and classification for whole-slide histology images, a C++ implementation of CellViT.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;CellViT Studio %1&lt;/h3&gt;&lt;p&gt;Segmentation et classification des noyaux sur lames virtuelles d’histologie, une implémentation C++ de CellViT.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>cellvit::CellExportController</name>
    <message>
        <source>there are no nuclei to export</source>
        <translation>il n’y a aucun noyau à exporter</translation>
    </message>
    <message>
        <source>the selected regions hold no nuclei</source>
        <translation>les régions sélectionnées ne contiennent aucun noyau</translation>
    </message>
    <message>
        <source>Exporting nuclei</source>
        <translation>Exportation des noyaux</translation>
    </message>
    <message>
        <source>another export is still being written</source>
        <translation>une autre exportation est encore en cours d’écriture</translation>
    </message>
</context>
<context>
    <name>cellvit::CellInspector</name>
    <message>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>Probabilité</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Surface</translation>
    </message>
    <message>
        <source>Perimeter</source>
        <translation>Périmètre</translation>
    </message>
    <message>
        <source>Centroid</source>
        <translation>Centroïde</translation>
    </message>
    <message>
        <source>Click a nucleus</source>
        <translation>Cliquez sur un noyau</translation>
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
        <translation>Classe</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>per mm²</source>
        <translation>par mm²</translation>
    </message>
    <message>
        <source>Copy as CSV</source>
        <translation>Copier au format CSV</translation>
    </message>
    <message>
        <source>All results</source>
        <translation>Tous les résultats</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
</context>
<context>
    <name>cellvit::ClassifierPanel</name>
    <message>
        <source>Colour</source>
        <translation>Couleur</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <source>Labelled</source>
        <translation>Étiquetées</translation>
    </message>
    <message>
        <source>Add Class</source>
        <translation>Ajouter une classe</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Label Cells</source>
        <translation>Étiqueter les cellules</translation>
    </message>
    <message>
        <source>While on, clicking a nucleus on the slide or selecting points in the UMAP plot labels them with the current class</source>
        <translation>Lorsque cette option est active, cliquer sur un noyau de la lame ou sélectionner des points dans le graphique UMAP les étiquette avec la classe courante</translation>
    </message>
    <message>
        <source>Clear Labels</source>
        <translation>Effacer les étiquettes</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Entraîner</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Appliquer</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Enregistrer…</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>Charger…</translation>
    </message>
    <message>
        <source>Export GeoJSON…</source>
        <translation>Exporter en GeoJSON…</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Avant</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Après</translation>
    </message>
    <message>
        <source>Add classes, label cells of each, then train.</source>
        <translation>Ajoutez des classes, étiquetez des cellules de chacune, puis entraînez.</translation>
    </message>
    <message>
        <source>Class %1</source>
        <translation>Classe %1</translation>
    </message>
    <message>
        <source>Class Colour</source>
        <translation>Couleur de la classe</translation>
    </message>
    <message>
        <source>Add a class first.</source>
        <translation>Ajoutez d’abord une classe.</translation>
    </message>
    <message numerus="yes">
        <source>%n cell(s) labelled %1.</source>
        <translation>
            <numerusform>%n cellule étiquetée %1.</numerusform>
            <numerusform>%n cellules étiquetées %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 cells labelled; the others have no embedding.</source>
        <translation>%1 cellules sur %2 étiquetées&#xa0;; les autres n’ont pas de plongement.</translation>
    </message>
    <message>
        <source>The cells have no embeddings: run the model first.</source>
        <translation>Les cellules n’ont pas de plongements&#xa0;: exécutez d’abord le modèle.</translation>
    </message>
    <message>
        <source>Label cells of at least two classes first.</source>
        <translation>Étiquetez d’abord des cellules d’au moins deux classes.</translation>
    </message>
    <message>
        <source>The classifier expects embeddings of dimension %1; these cells have %2.</source>
        <translation>Le classifieur attend des plongements de dimension %1&#xa0;; ces cellules en ont %2.</translation>
    </message>
    <message numerus="yes">
        <source>Training on %n labelled cell(s)…</source>
        <translation>
            <numerusform>Entraînement sur %n cellule étiquetée…</numerusform>
            <numerusform>Entraînement sur %n cellules étiquetées…</numerusform>
        </translation>
    </message>
    <message>
        <source>Classifying…</source>
        <translation>Classification en cours…</translation>
    </message>
    <message>
        <source>Out of memory while training the classifier.</source>
        <translation>Mémoire insuffisante pendant l’entraînement du classifieur.</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>Échec de l’entraînement&#xa0;: %1</translation>
    </message>
    <message>
        <source>The cells changed while training: train again.</source>
        <translation>Les cellules ont changé pendant l’entraînement&#xa0;: entraînez à nouveau.</translation>
    </message>
    <message>
        <source>Cross-validation: %1</source>
        <translation>Validation croisée&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cross-validated accuracy on the labelled cells: %1 %</source>
        <translation>Exactitude en validation croisée sur les cellules étiquetées&#xa0;: %1 %</translation>
    </message>
    <message numerus="yes">
        <source>Classified %n cell(s). Apply to show the new classes.</source>
        <translation>
            <numerusform>%n cellule classée. Appliquez pour afficher les nouvelles classes.</numerusform>
            <numerusform>%n cellules classées. Appliquez pour afficher les nouvelles classes.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unclassified</source>
        <translation>Non classée</translation>
    </message>
    <message>
        <source>Train the classifier (or load one) first.</source>
        <translation>Entraînez d’abord le classifieur (ou chargez-en un).</translation>
    </message>
    <message>
        <source>The overlay and the class counts use the classifier&apos;s classes.</source>
        <translation>La superposition et le décompte par classe utilisent les classes du classifieur.</translation>
    </message>
    <message>
        <source>%1: there is no trained classifier to save</source>
        <translation>%1&#xa0;: aucun classifieur entraîné à enregistrer</translation>
    </message>
    <message>
        <source>Double-click to change the colour</source>
        <translation>Double-cliquez pour changer la couleur</translation>
    </message>
    <message>
        <source>The cells changed: labels and predictions were cleared.</source>
        <translation>Les cellules ont changé&#xa0;: étiquettes et prédictions ont été effacées.</translation>
    </message>
    <message>
        <source>Save Classifier</source>
        <translation>Enregistrer le classifieur</translation>
    </message>
    <message>
        <source>Classifier (*.json)</source>
        <translation>Classifieur (*.json)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 enregistré</translation>
    </message>
    <message>
        <source>Load Classifier</source>
        <translation>Charger un classifieur</translation>
    </message>
    <message>
        <source>Classifier (*.json);;All files (*)</source>
        <translation>Classifieur (*.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Training the classifier</source>
        <translation>Entraînement du classifieur</translation>
    </message>
</context>
<context>
    <name>cellvit::DetectionImportController</name>
    <message numerus="yes">
        <source>%1: no detections found (%n annotation(s) ignored); the nuclei shown are kept.</source>
        <translation>
            <numerusform>%1 : aucune détection trouvée (%n annotation ignorée) ; les noyaux affichés sont conservés.</numerusform>
            <numerusform>%1 : aucune détection trouvée (%n annotations ignorées) ; les noyaux affichés sont conservés.</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing detections</source>
        <translation>Importation des détections</translation>
    </message>
</context>
<context>
    <name>cellvit::EmbeddingImportController</name>
    <message>
        <source>%1: the nuclei changed while the embeddings were read; load them again.</source>
        <translation>%1 : les noyaux ont changé pendant la lecture des plongements ; chargez-les à nouveau.</translation>
    </message>
    <message>
        <source>Loading embeddings</source>
        <translation>Chargement des plongements</translation>
    </message>
</context>
<context>
    <name>cellvit::InferenceTask</name>
    <message>
        <source>Out of memory while segmenting. Try a smaller region.</source>
        <translation>Mémoire insuffisante pendant la segmentation. Essayez une région plus petite.</translation>
    </message>
    <message>
        <source>Segmenting nuclei</source>
        <translation>Segmentation des noyaux</translation>
    </message>
</context>
<context>
    <name>cellvit::LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>&amp;System Default</source>
        <translation>Langue du &amp;système</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>The new language is used the next time CellViT Studio starts.</source>
        <translation>La nouvelle langue sera utilisée au prochain démarrage de CellViT Studio.</translation>
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
        <translation>Vue d’ensemble</translation>
    </message>
    <message>
        <source>Cannot open slide</source>
        <translation>Impossible d’ouvrir la lame</translation>
    </message>
    <message>
        <source>The slide %1 could not be opened.

%2</source>
        <translation>La lame %1 n’a pas pu être ouverte.

%2</translation>
    </message>
    <message>
        <source>%1 — CellViT Studio</source>
        <translation>%1 — CellViT Studio</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Open Slide…</source>
        <translation>&amp;Ouvrir une lame…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Fichiers &amp;récents</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>Zoom to &amp;Fit</source>
        <translation>Ajuster à la &amp;fenêtre</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>Zoom a&amp;vant</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Zoom a&amp;rrière</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>&amp;Regions</source>
        <translation>&amp;Régions</translation>
    </message>
    <message>
        <source>&amp;Analysis</source>
        <translation>A&amp;nalyse</translation>
    </message>
    <message>
        <source>&amp;Embeddings</source>
        <translation>&amp;Plongements</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
    <message>
        <source>&amp;About CellViT Studio</source>
        <translation>&amp;À propos de CellViT Studio</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
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
        <translation>%1× (sous-échantillonnage %2)</translation>
    </message>
    <message>
        <source>Open Slide</source>
        <translation>Ouvrir une lame</translation>
    </message>
    <message>
        <source>Slides (*.svs *.tif *.tiff *.ndpi *.vms *.vmu *.scn *.mrxs *.svslide *.bif *.png *.jpg *.jpeg *.bmp);;All files (*)</source>
        <translation>Lames (*.svs *.tif *.tiff *.ndpi *.vms *.vmu *.scn *.mrxs *.svslide *.bif *.png *.jpg *.jpeg *.bmp);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>&amp;Effacer la liste</translation>
    </message>
    <message>
        <source>About CellViT Studio</source>
        <translation>À propos de CellViT Studio</translation>
    </message>
    <message>
        <source>&amp;Import Regions (GeoJSON)…</source>
        <translation>&amp;Importer des régions (GeoJSON)…</translation>
    </message>
    <message>
        <source>&amp;Export Regions (GeoJSON)…</source>
        <translation>&amp;Exporter les régions (GeoJSON)…</translation>
    </message>
    <message>
        <source>&amp;Delete Selected Regions</source>
        <translation>&amp;Supprimer les régions sélectionnées</translation>
    </message>
    <message>
        <source>&amp;Open Checkpoint…</source>
        <translation>&amp;Ouvrir un checkpoint…</translation>
    </message>
    <message>
        <source>Run on &amp;Selected Regions</source>
        <translation>Exécuter sur les régions &amp;sélectionnées</translation>
    </message>
    <message>
        <source>Run on &amp;Whole Slide</source>
        <translation>Exécuter sur la lame &amp;entière</translation>
    </message>
    <message>
        <source>&amp;Cancel Run</source>
        <translation>&amp;Annuler l’exécution</translation>
    </message>
    <message>
        <source>&amp;Export Nuclei (GeoJSON)…</source>
        <translation>E&amp;xporter les noyaux (GeoJSON)…</translation>
    </message>
    <message>
        <source>&amp;Import QuPath Detections…</source>
        <translation>&amp;Importer des détections QuPath…</translation>
    </message>
    <message>
        <source>Select one or more regions first, or run on the whole slide.</source>
        <translation>Sélectionnez d’abord une ou plusieurs régions, ou exécutez sur la lame entière.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cannot export nuclei</source>
        <translation>Impossible d’exporter les noyaux</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n nuclei to %1</source>
        <translation>
            <numerusform>%n noyau exporté vers %1</numerusform>
            <numerusform>%n noyaux exportés vers %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot import detections</source>
        <translation>Impossible d’importer les détections</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n detection(s)</source>
        <translation>
            <numerusform>%n détection importée</numerusform>
            <numerusform>%n détections importées</numerusform>
        </translation>
    </message>
    <message>
        <source>Some features were not imported</source>
        <translation>Certains éléments n’ont pas été importés</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n detection(s) imported, %2 annotation(s) ignored.

%3</source>
        <translation>
            <numerusform>%1&#xa0;: %n détection importée, %2 annotation(s) ignorée(s).

%3</numerusform>
            <numerusform>%1&#xa0;: %n détections importées, %2 annotation(s) ignorée(s).

%3</numerusform>
        </translation>
    </message>
    <message>
        <source>Export Nuclei of the Selected Regions</source>
        <translation>Exporter les noyaux des régions sélectionnées</translation>
    </message>
    <message>
        <source>Export All Nuclei</source>
        <translation>Exporter tous les noyaux</translation>
    </message>
    <message>
        <source>GeoJSON (*.geojson);;Compressed GeoJSON (*.geojson.gz)</source>
        <translation>GeoJSON (*.geojson);;GeoJSON compressé (*.geojson.gz)</translation>
    </message>
    <message>
        <source>Import QuPath Detections</source>
        <translation>Importer des détections QuPath</translation>
    </message>
    <message>
        <source>GeoJSON (*.geojson *.json *.geojson.gz *.json.gz);;All files (*)</source>
        <translation>GeoJSON (*.geojson *.json *.geojson.gz *.json.gz);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Embeddings (UMAP)</source>
        <translation>Plongements (UMAP)</translation>
    </message>
    <message>
        <source>Classifier</source>
        <translation>Classifieur</translation>
    </message>
    <message>
        <source>Export Reclassified Nuclei</source>
        <translation>Exporter les noyaux reclassés</translation>
    </message>
    <message>
        <source>&amp;Compute UMAP</source>
        <translation>&amp;Calculer l’UMAP</translation>
    </message>
    <message>
        <source>&amp;Load Embeddings (.npy)…</source>
        <translation>Charger des &amp;plongements (.npy)…</translation>
    </message>
    <message>
        <source>Load Embeddings</source>
        <translation>Charger des plongements</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npy);;All files (*)</source>
        <translation>Tableaux NumPy (*.npy);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>&amp;Train Classifier</source>
        <translation>&amp;Entraîner le classifieur</translation>
    </message>
    <message>
        <source>&amp;Apply Classifier</source>
        <translation>Appli&amp;quer le classifieur</translation>
    </message>
    <message>
        <source>Cannot load embeddings</source>
        <translation>Impossible de charger les plongements</translation>
    </message>
    <message numerus="yes">
        <source>Loaded embeddings of %n nuclei</source>
        <translation>
            <numerusform>Plongements de %n noyau chargés</numerusform>
            <numerusform>Plongements de %n noyaux chargés</numerusform>
        </translation>
    </message>
    <message>
        <source>Regions</source>
        <translation>Régions</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Overlay</source>
        <translation>Superposition</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Inspecteur</translation>
    </message>
    <message>
        <source>Class Counts</source>
        <translation>Décompte par classe</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>Outils</translation>
    </message>
    <message>
        <source>Navigate</source>
        <translation>Naviguer</translation>
    </message>
    <message>
        <source>Pan, select; drag a selected region to move it</source>
        <translation>Déplacer la vue, sélectionner&#xa0;; faites glisser une région sélectionnée pour la déplacer</translation>
    </message>
    <message>
        <source>Rectangle</source>
        <translation>Rectangle</translation>
    </message>
    <message>
        <source>Draw a rectangle region (drag)</source>
        <translation>Dessiner une région rectangulaire (glisser)</translation>
    </message>
    <message>
        <source>Polygon</source>
        <translation>Polygone</translation>
    </message>
    <message>
        <source>Draw a polygon region: click the vertices, double-click or Enter to close</source>
        <translation>Dessiner une région polygonale&#xa0;: cliquez sur les sommets, double-clic ou Entrée pour fermer</translation>
    </message>
    <message>
        <source>Freehand</source>
        <translation>Main levée</translation>
    </message>
    <message>
        <source>Draw a freehand region (drag)</source>
        <translation>Dessiner une région à main levée (glisser)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Cancel Drawing</source>
        <translation>Annuler le dessin</translation>
    </message>
    <message>
        <source>Nuclei</source>
        <translation>Noyaux</translation>
    </message>
    <message>
        <source>Show or hide all nuclei overlays (H)</source>
        <translation>Afficher ou masquer toutes les superpositions de noyaux (H)</translation>
    </message>
    <message>
        <source>Cannot import regions</source>
        <translation>Impossible d’importer les régions</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n region(s) from %1</source>
        <translation>
            <numerusform>%n région importée depuis %1</numerusform>
            <numerusform>%n régions importées depuis %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 imported %n region(s); these features were skipped or changed:

%2</source>
        <translation>
            <numerusform>%1&#xa0;: %n région importée&#xa0;; ces éléments ont été ignorés ou modifiés&#xa0;:

%2</numerusform>
            <numerusform>%1&#xa0;: %n régions importées&#xa0;; ces éléments ont été ignorés ou modifiés&#xa0;:

%2</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot export regions</source>
        <translation>Impossible d’exporter les régions</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n region(s)</source>
        <translation>
            <numerusform>%n région exportée</numerusform>
            <numerusform>%n régions exportées</numerusform>
        </translation>
    </message>
    <message>
        <source>Import Regions</source>
        <translation>Importer des régions</translation>
    </message>
    <message>
        <source>Export Regions</source>
        <translation>Exporter les régions</translation>
    </message>
    <message>
        <source>GeoJSON (*.geojson);;All files (*)</source>
        <translation>GeoJSON (*.geojson);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Interrupted run</source>
        <translation>Exécution interrompue</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Abandonner</translation>
    </message>
    <message>
        <source>The last run was interrupted after %1 of %2 patches.</source>
        <translation>La dernière exécution a été interrompue après %1 tuiles sur %2.</translation>
    </message>
    <message>
        <source>Open the checkpoint %1 to resume the interrupted run.</source>
        <translation>Ouvrez le checkpoint %1 pour reprendre l’exécution interrompue.</translation>
    </message>
    <message>
        <source>Cannot read the slide: %1</source>
        <translation>Impossible de lire la lame : %1</translation>
    </message>
    <message>
        <source>Segmenting nuclei… (Open Checkpoint and Run are disabled until the run ends or is cancelled)</source>
        <translation>Segmentation des noyaux… (Ouvrir un checkpoint et Lancer sont désactivés jusqu’à la fin ou l’annulation de l’exécution)</translation>
    </message>
    <message>
        <source>Importing detections from %1…</source>
        <translation>Import des détections de %1…</translation>
    </message>
    <message>
        <source>Project: %1</source>
        <translation>Projet : %1</translation>
    </message>
    <message>
        <source>Cannot resume the interrupted run: %1</source>
        <translation>Impossible de reprendre l’exécution interrompue : %1</translation>
    </message>
    <message>
        <source>Open Results &amp;Folder…</source>
        <translation>Ouvrir un &amp;dossier de résultats…</translation>
    </message>
    <message>
        <source>Open Results Folder</source>
        <translation>Ouvrir un dossier de résultats</translation>
    </message>
    <message>
        <source>Select one or more regions first.</source>
        <translation>Sélectionnez d’abord une ou plusieurs régions.</translation>
    </message>
    <message>
        <source>Exporting nuclei…</source>
        <translation>Exportation des noyaux…</translation>
    </message>
    <message>
        <source>Cannot open the results folder</source>
        <translation>Impossible d’ouvrir le dossier de résultats</translation>
    </message>
    <message>
        <source>%1 holds the results of several slides. Open:</source>
        <translation>%1 contient les résultats de plusieurs lames. Ouvrir :</translation>
    </message>
    <message>
        <source>Set Image &amp;Resolution…</source>
        <translation>Définir la &amp;résolution de l’image…</translation>
    </message>
    <message>
        <source>Image Resolution</source>
        <translation>Résolution de l’image</translation>
    </message>
    <message>
        <source>Micrometres per pixel of %1 (0.25 at 40×, 0.5 at 20×):</source>
        <translation>Micromètres par pixel de %1 (0,25 à 40×, 0,5 à 20×) :</translation>
    </message>
    <message>
        <source>%1 µm per pixel is outside 0.05–0.75 (about 0.25 at 40×, 0.5 at 20×).</source>
        <translation>%1 µm par pixel est hors de 0,05–0,75 (environ 0,25 à 40×, 0,5 à 20×).</translation>
    </message>
    <message>
        <source>Resolution: %1 µm per pixel</source>
        <translation>Résolution : %1 µm par pixel</translation>
    </message>
    <message>
        <source>The resolution declared for this slide earlier, %1 µm per pixel, is outside 0.05–0.75 and was not used.</source>
        <translation>La résolution déclarée auparavant pour cette image, %1 µm par pixel, est hors de 0,05–0,75 et n’a pas été utilisée.</translation>
    </message>
    <message>
        <source>Resolution: %1 µm per pixel, as declared for this slide earlier</source>
        <translation>Résolution&#xa0;: %1 µm par pixel, telle que déclarée auparavant pour cette image</translation>
    </message>
    <message numerus="yes">
        <source>(%n already there, not added again)</source>
        <translation>
            <numerusform>(%n déjà présente, non ajoutée à nouveau)</numerusform>
            <numerusform>(%n déjà présentes, non ajoutées à nouveau)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cellvit::ModelPanel</name>
    <message>
        <source>Open Checkpoint…</source>
        <translation>Ouvrir un checkpoint…</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>Aucun modèle chargé.</translation>
    </message>
    <message>
        <source>Run on Selected Regions</source>
        <translation>Exécuter sur les régions sélectionnées</translation>
    </message>
    <message>
        <source>Run on Whole Slide</source>
        <translation>Exécuter sur la lame entière</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancelling after the patch in progress…</source>
        <translation>Annulation après la tuile en cours…</translation>
    </message>
    <message numerus="yes">
        <source>Done: %n nuclei</source>
        <translation>
            <numerusform>Terminé&#xa0;: %n noyau</numerusform>
            <numerusform>Terminé&#xa0;: %n noyaux</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled: %n nuclei from the finished patches kept</source>
        <translation>
            <numerusform>Annulé&#xa0;: %n noyau des tuiles terminées conservé</numerusform>
            <numerusform>Annulé&#xa0;: %n noyaux des tuiles terminées conservés</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Checkpoint</source>
        <translation>Ouvrir un checkpoint</translation>
    </message>
    <message>
        <source>CellViT checkpoints (*.pth *.pt *.tar *.safetensors);;All files (*)</source>
        <translation>Checkpoints CellViT (*.pth *.pt *.tar *.safetensors);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Chargement de %1…</translation>
    </message>
    <message>
        <source>Cannot load the checkpoint %1:
%2</source>
        <translation>Impossible de charger le checkpoint %1&#xa0;:
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
        <translation>Périphérique&#xa0;: %1</translation>
    </message>
    <message>
        <source>Architecture: %1 (%2)</source>
        <translation>Architecture&#xa0;: %1 (%2)</translation>
    </message>
    <message>
        <source>Magnification: %1× (%2 µm/px)</source>
        <translation>Grossissement&#xa0;: %1× (%2 µm/px)</translation>
    </message>
    <message>
        <source>Classes: %1</source>
        <translation>Classes&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 / %2 patches, %3 nuclei — %4 patches/s, ETA %5</source>
        <translation>%1 / %2 tuiles, %3 noyaux — %4 tuiles/s, temps restant %5</translation>
    </message>
    <message>
        <source>Preparing the run (tissue detection, first patch)…</source>
        <translation>Préparation de l’exécution (détection du tissu, première tuile)…</translation>
    </message>
    <message>
        <source>A segmentation run is in progress: wait for it or cancel it first.</source>
        <translation>Une segmentation est en cours : attendez sa fin ou annulez-la d’abord.</translation>
    </message>
    <message>
        <source>Loading a checkpoint</source>
        <translation>Chargement d’un checkpoint</translation>
    </message>
</context>
<context>
    <name>cellvit::OverlayPanel</name>
    <message>
        <source>Show nuclei (H)</source>
        <translation>Afficher les noyaux (H)</translation>
    </message>
    <message>
        <source>Fill outlines</source>
        <translation>Remplir les contours</translation>
    </message>
    <message>
        <source>Overlay opacity</source>
        <translation>Opacité de la superposition</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>Opacité</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>Classes</translation>
    </message>
    <message>
        <source>Colour of %1</source>
        <translation>Couleur de %1</translation>
    </message>
    <message>
        <source>Change the colour</source>
        <translation>Changer la couleur</translation>
    </message>
</context>
<context>
    <name>cellvit::ProjectController</name>
    <message>
        <source>Restoring the project</source>
        <translation>Restauration du projet</translation>
    </message>
    <message>
        <source>Regions not saved: %1</source>
        <translation>Régions non enregistrées&#xa0;: %1</translation>
    </message>
    <message>
        <source>Reading the project</source>
        <translation>Lecture du projet</translation>
    </message>
    <message>
        <source>Closing the project</source>
        <translation>Fermeture du projet</translation>
    </message>
    <message>
        <source>Resolution not saved: %1</source>
        <translation>Résolution non enregistrée&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>cellvit::RegionPanel</name>
    <message>
        <source>Double-click a region to rename it.</source>
        <translation>Double-cliquez sur une région pour la renommer.</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importer…</translation>
    </message>
    <message>
        <source>Import QuPath annotations (GeoJSON) as regions</source>
        <translation>Importer des annotations QuPath (GeoJSON) comme régions</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>Export the regions as GeoJSON annotations</source>
        <translation>Exporter les régions comme annotations GeoJSON</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
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
        <translation>%1 sommets, %2 px²</translation>
    </message>
    <message>
        <source>Region %1</source>
        <translation>Région %1</translation>
    </message>
</context>
<context>
    <name>cellvit::RunController</name>
    <message>
        <source>Segmentation failed: %1</source>
        <translation>Échec de la segmentation&#xa0;: %1</translation>
    </message>
    <message>
        <source>A segmentation run is in progress: wait for it or cancel it first.</source>
        <translation>Une segmentation est en cours : attendez sa fin ou annulez-la d’abord.</translation>
    </message>
    <message>
        <source>Open a slide first.</source>
        <translation>Ouvrez d’abord une lame.</translation>
    </message>
    <message>
        <source>Open a checkpoint first.</source>
        <translation>Ouvrez d’abord un checkpoint.</translation>
    </message>
    <message numerus="yes">
        <source>Segmentation finished: %n nuclei</source>
        <translation>
            <numerusform>Segmentation terminée&#xa0;: %n noyau</numerusform>
            <numerusform>Segmentation terminée&#xa0;: %n noyaux</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Segmentation cancelled: %n nuclei kept</source>
        <translation>
            <numerusform>Segmentation annulée&#xa0;: %n noyau conservé</numerusform>
            <numerusform>Segmentation annulée&#xa0;: %n noyaux conservés</numerusform>
        </translation>
    </message>
    <message>
        <source>This image has no resolution metadata: set its micrometres per pixel with Analysis ▸ Set Image Resolution first.</source>
        <translation>Cette image n’a pas de résolution dans ses métadonnées : indiquez d’abord ses micromètres par pixel avec Analyse ▸ Définir la résolution de l’image.</translation>
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
        <translation>Certaines tuiles ne peuvent pas être lues : %1</translation>
    </message>
</context>
<context>
    <name>cellvit::UmapPanel</name>
    <message>
        <source>All cells</source>
        <translation>Toutes les cellules</translation>
    </message>
    <message>
        <source>Cells of the selected regions</source>
        <translation>Cellules des régions sélectionnées</translation>
    </message>
    <message>
        <source>Neighbours per cell: larger values keep more of the global structure</source>
        <translation>Voisins par cellule&#xa0;: des valeurs plus grandes préservent davantage la structure globale</translation>
    </message>
    <message>
        <source>Minimum distance between points in the layout: smaller values pack clusters tighter</source>
        <translation>Distance minimale entre les points de la projection&#xa0;: des valeurs plus petites resserrent les clusters</translation>
    </message>
    <message>
        <source>Euclidean</source>
        <translation>Euclidienne</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>Cosinus</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <source>Type probability</source>
        <translation>Probabilité du type</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Région</translation>
    </message>
    <message>
        <source>User label</source>
        <translation>Étiquette utilisateur</translation>
    </message>
    <message>
        <source>Compute UMAP</source>
        <translation>Calculer l’UMAP</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Rectangle Select</source>
        <translation>Sélection rectangulaire</translation>
    </message>
    <message>
        <source>Select the points in a rectangle</source>
        <translation>Sélectionner les points dans un rectangle</translation>
    </message>
    <message>
        <source>Lasso Select</source>
        <translation>Sélection au lasso</translation>
    </message>
    <message>
        <source>Select the points in a freehand lasso</source>
        <translation>Sélectionner les points dans un lasso à main levée</translation>
    </message>
    <message>
        <source>Pan Plot</source>
        <translation>Déplacer le graphique</translation>
    </message>
    <message>
        <source>Drag the plot (the middle or right button always pans)</source>
        <translation>Faire glisser le graphique (le bouton du milieu ou le bouton droit déplace toujours)</translation>
    </message>
    <message>
        <source>Cells</source>
        <translation>Cellules</translation>
    </message>
    <message>
        <source>Neighbours</source>
        <translation>Voisins</translation>
    </message>
    <message>
        <source>Min. distance</source>
        <translation>Distance min.</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Métrique</translation>
    </message>
    <message>
        <source>Colour by</source>
        <translation>Colorer par</translation>
    </message>
    <message>
        <source>Run the model, then compute a UMAP of the cell embeddings.</source>
        <translation>Exécutez le modèle, puis calculez une UMAP des plongements cellulaires.</translation>
    </message>
    <message>
        <source>UMAP cancelled.</source>
        <translation>UMAP annulée.</translation>
    </message>
    <message>
        <source>UMAP failed: %1</source>
        <translation>Échec de l’UMAP&#xa0;: %1</translation>
    </message>
    <message>
        <source>Select one or more regions first, or lay out all cells.</source>
        <translation>Sélectionnez d’abord une ou plusieurs régions, ou projetez toutes les cellules.</translation>
    </message>
    <message>
        <source>These cells have no embeddings (imported detections carry none): run the model on them.</source>
        <translation>Ces cellules n’ont pas de plongements (les détections importées n’en contiennent pas)&#xa0;: exécutez le modèle sur elles.</translation>
    </message>
    <message>
        <source>A UMAP needs more than %1 cells with embeddings; %2 are in scope.</source>
        <translation>Une UMAP nécessite plus de %1 cellules avec plongements&#xa0;; %2 sont concernées.</translation>
    </message>
    <message numerus="yes">
        <source>Computing the UMAP of %n cell(s)…</source>
        <translation>
            <numerusform>Calcul de l’UMAP de %n cellule…</numerusform>
            <numerusform>Calcul de l’UMAP de %n cellules…</numerusform>
        </translation>
    </message>
    <message>
        <source>The cells changed while the UMAP was computed: compute it again.</source>
        <translation>Les cellules ont changé pendant le calcul de l’UMAP&#xa0;: calculez-la à nouveau.</translation>
    </message>
    <message numerus="yes">
        <source>UMAP of %n cell(s). Drag to select, wheel to zoom, right-drag to pan.</source>
        <translation>
            <numerusform>UMAP de %n cellule. Glissez pour sélectionner, molette pour zoomer, glisser-droit pour déplacer.</numerusform>
            <numerusform>UMAP de %n cellules. Glissez pour sélectionner, molette pour zoomer, glisser-droit pour déplacer.</numerusform>
        </translation>
    </message>
    <message>
        <source>The cells changed: compute the UMAP again.</source>
        <translation>Les cellules ont changé&#xa0;: calculez à nouveau l’UMAP.</translation>
    </message>
    <message>
        <source>probability 0</source>
        <translation>probabilité 0</translation>
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
        <translation>hors des régions</translation>
    </message>
    <message>
        <source>unlabelled</source>
        <translation>non étiquetée</translation>
    </message>
    <message>
        <source>UMAP of the cell embeddings</source>
        <translation>UMAP des plongements cellulaires</translation>
    </message>
    <message>
        <source>Coordinates (CSV)…</source>
        <translation>Coordonnées (CSV)…</translation>
    </message>
    <message>
        <source>Plot (PNG)…</source>
        <translation>Graphique (PNG)…</translation>
    </message>
    <message>
        <source>Plot (SVG)…</source>
        <translation>Graphique (SVG)…</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Image PNG (*.png)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>Image SVG (*.svg)</translation>
    </message>
    <message>
        <source>Export UMAP</source>
        <translation>Exporter l’UMAP</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exporté</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Échec de l’export&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>cellvit::UmapTask</name>
    <message>
        <source>Out of memory while computing the UMAP layout.</source>
        <translation>Mémoire insuffisante pendant le calcul de la projection UMAP.</translation>
    </message>
    <message>
        <source>Computing the UMAP layout</source>
        <translation>Calcul de la disposition UMAP</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>CellViT Studio: view whole-slide images.</source>
        <translation>CellViT Studio&#xa0;: visualiser des lames virtuelles.</translation>
    </message>
    <message>
        <source>Save the window to &lt;file&gt; and quit.</source>
        <translation>Enregistrer la fenêtre dans &lt;file&gt; et quitter.</translation>
    </message>
    <message>
        <source>Import the GeoJSON annotations in &lt;file&gt; as regions.</source>
        <translation>Importer les annotations GeoJSON de &lt;file&gt; comme régions.</translation>
    </message>
    <message>
        <source>Show the QuPath detections in &lt;file&gt; as nuclei.</source>
        <translation>Afficher les détections QuPath de &lt;file&gt; comme noyaux.</translation>
    </message>
    <message>
        <source>Centre on level-0 x,y at magnification m.</source>
        <translation>Centrer sur la position x,y du niveau 0 au grossissement m.</translation>
    </message>
    <message>
        <source>Load the CellViT checkpoint &lt;file&gt;.</source>
        <translation>Charger le checkpoint CellViT &lt;file&gt;.</translation>
    </message>
    <message>
        <source>Run the checkpoint on the selected regions once it is loaded.</source>
        <translation>Exécuter le checkpoint sur les régions sélectionnées une fois chargé.</translation>
    </message>
    <message>
        <source>Load embeddings.npy &lt;file&gt; for the nuclei shown (--detections).</source>
        <translation>Charger embeddings.npy &lt;file&gt; pour les noyaux affichés (--detections).</translation>
    </message>
    <message>
        <source>Compute the UMAP of the nuclei&apos;s embeddings (after a run) and show it.</source>
        <translation>Calculer l’UMAP des plongements des noyaux (après une exécution) et l’afficher.</translation>
    </message>
    <message>
        <source>Slide to open, or a results folder written by cellvit-cli segment --out.</source>
        <translation>Lame à ouvrir, ou dossier de résultats écrit par cellvit-cli segment --out.</translation>
    </message>
    <message>
        <source>Micrometres per pixel of the opened image (a plain image has no resolution metadata), as Analysis &gt; Set Image Resolution.</source>
        <translation>Micromètres par pixel de l’image ouverte (une image simple n’a pas de résolution dans ses métadonnées), comme Analyse &gt; Définir la résolution de l’image.</translation>
    </message>
</context>
</TS>
