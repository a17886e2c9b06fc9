// The German and French translations of cellvit-studio: the .ts files are complete and keep the sources'
// placeholders and accelerators; the .qm files embedded at build time translate a real MainWindow (menus,
// actions, dock titles, the status bar after opening the sample slide); the language setting picks them.
#include "test_support.h"
#include "translations/embedded_translations.h"
#include "ui/language_settings.h"
#include "ui/main_window.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTranslator>
#include <QXmlStreamReader>
#include <memory>

namespace {

struct TsEntry {
    QString context;
    QString source;
    bool numerus = false;
    QString type; // "unfinished", "vanished", "obsolete" or empty when finished
    QStringList translations; // one, or one per plural form
};

QString tsPath(const QString& language)
{
    return QString::fromStdString(
        (cellvit::test::sourceDir() / "translations" / ("cellvit_" + language.toStdString() + ".ts")).string());
}

// Every <message> of a .ts file, read with QXmlStreamReader (entities such as &lt; decoded).
std::vector<TsEntry> readTs(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    std::vector<TsEntry> entries;
    QXmlStreamReader xml(&file);
    QString context;
    TsEntry entry;
    while (!xml.atEnd()) {
        xml.readNext();
        const auto name = xml.name();
        if (xml.isEndElement() && name == QLatin1String("message")) {
            entries.push_back(entry);
            continue;
        }
        if (!xml.isStartElement())
            continue;
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            entry = TsEntry { context, {}, xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes") };
        } else if (name == QLatin1String("source")) {
            entry.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            entry.type = xml.attributes().value(QLatin1String("type")).toString();
            if (!entry.numerus)
                entry.translations << xml.readElementText();
        } else if (name == QLatin1String("numerusform")) {
            entry.translations << xml.readElementText();
        }
    }
    return xml.hasError() ? std::vector<TsEntry> {} : entries;
}

// %1 … %99 and %n (also %L1) of a text, sorted.
QStringList placeholders(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("%L?(\\d{1,2}|n)"));
    QStringList found;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found << it.next().captured(0).remove(QLatin1Char('L'));
    found.sort();
    return found;
}

// Single '&' (not "&&") marks an accelerator.
int accelerators(const QString& text)
{
    return int(text.count(QLatin1Char('&'))) - 2 * int(text.count(QStringLiteral("&&")));
}

// The translation the .ts gives for (context, source; UTF-8 like the sources): the file is the reference the .qm was
// built from.
QString expected(const std::vector<TsEntry>& entries, const char* context, const char* source)
{
    for (const TsEntry& e : entries)
        if (e.context == QLatin1String(context) && e.source == QString::fromUtf8(source))
            return e.translations.value(0);
    return {};
}

QStringList actionTexts(const QList<QAction*>& actions)
{
    QStringList texts;
    for (const QAction* action : actions)
        texts << action->text();
    return texts;
}

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tsFilesComplete_data();
    void tsFilesComplete();
    void placeholdersAndAcceleratorsMatch_data();
    void placeholdersAndAcceleratorsMatch();
    void embeddedQmLoads_data();
    void embeddedQmLoads();
    void mainWindowTranslated_data();
    void mainWindowTranslated();
    void languageSettingChoosesTranslation();

private:
    QTemporaryDir m_settingsDir;
};

void TestTranslations::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    // The language setting and the recent files of MainWindow go to a throw-away folder.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setDefaultFormat(QSettings::NativeFormat);
    QCoreApplication::setOrganizationName(QStringLiteral("CellViT-test-translations"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_translations"));
}

static void addLanguageRows()
{
    QTest::addColumn<QString>("language");
    for (const QString& language : cellvit::embeddedTranslationLanguages())
        QTest::newRow(qPrintable(language)) << language;
}

void TestTranslations::tsFilesComplete_data()
{
    addLanguageRows();
}

void TestTranslations::tsFilesComplete()
{
    QFETCH(QString, language);
    CELLVIT_REQUIRE_PATH(std::filesystem::path(tsPath(language).toStdString()));
    const std::vector<TsEntry> entries = readTs(tsPath(language));
    // The sources hold well over 200 translatable texts; an empty or truncated file is an error.
    QVERIFY2(entries.size() > 200, qPrintable(QString::number(entries.size())));
    QStringList problems;
    int numerus = 0;
    for (const TsEntry& e : entries) {
        const QString where = e.context + QStringLiteral(": ") + e.source;
        if (!e.type.isEmpty())
            problems << e.type + QStringLiteral(" — ") + where;
        // German and French have two plural forms each (one / other).
        if (e.numerus && e.translations.size() != 2)
            problems << QStringLiteral("%1 plural forms — ").arg(e.translations.size()) + where;
        numerus += e.numerus ? 1 : 0;
        for (const QString& text : e.translations)
            if (text.trimmed().isEmpty())
                problems << QStringLiteral("empty — ") + where;
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    QVERIFY(numerus > 0);
    qInfo("%s: %zu entries, %d with plural forms, none unfinished", qPrintable(language), entries.size(), numerus);
}

void TestTranslations::placeholdersAndAcceleratorsMatch_data()
{
    addLanguageRows();
}

void TestTranslations::placeholdersAndAcceleratorsMatch()
{
    QFETCH(QString, language);
    const std::vector<TsEntry> entries = readTs(tsPath(language));
    QVERIFY(!entries.empty());
    QStringList problems;
    for (const TsEntry& e : entries) {
        const QStringList expectedPlaceholders = placeholders(e.source);
        for (const QString& text : e.translations) {
            if (placeholders(text) != expectedPlaceholders)
                problems << QStringLiteral("placeholders %1 ≠ %2: %3 → %4")
                                .arg(expectedPlaceholders.join(QLatin1Char(',')),
                                    placeholders(text).join(QLatin1Char(',')), e.source, text);
            if (accelerators(text) != accelerators(e.source))
                problems << QStringLiteral("accelerators: %1 → %2").arg(e.source, text);
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::embeddedQmLoads_data()
{
    addLanguageRows();
}

void TestTranslations::embeddedQmLoads()
{
    QFETCH(QString, language);
    QTranslator translator;
    QVERIFY2(translator.load(cellvit::embeddedTranslationPath(language)),
        qPrintable(cellvit::embeddedTranslationPath(language) + QStringLiteral(" is not embedded")));
    QVERIFY(!translator.isEmpty());
    QCOMPARE(translator.language().left(2), language);
    // Every entry of the .ts made it into the .qm (lrelease drops unfinished ones).
    const std::vector<TsEntry> entries = readTs(tsPath(language));
    QVERIFY(!entries.empty());
    QStringList missing;
    for (const TsEntry& e : entries) {
        const QString got = translator.translate(
            e.context.toUtf8().constData(), e.source.toUtf8().constData(), nullptr, e.numerus ? 1 : -1);
        if (got != e.translations.value(0))
            missing << e.context + QStringLiteral(": ") + e.source;
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
}

void TestTranslations::mainWindowTranslated_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("fileMenu"); // written out once here, as a check that is not read from the .ts
    QTest::addColumn<QString>("overviewDock");
    QTest::newRow("de") << QStringLiteral("de") << QStringLiteral("&Datei") << QStringLiteral("Übersicht");
    QTest::newRow("fr") << QStringLiteral("fr") << QStringLiteral("&Fichier") << QStringLiteral("Vue d’ensemble");
}

void TestTranslations::mainWindowTranslated()
{
    QFETCH(QString, language);
    QFETCH(QString, fileMenu);
    QFETCH(QString, overviewDock);
    const auto slide = cellvit::test::sampleSlide();
    CELLVIT_REQUIRE_PATH(slide);
    const std::vector<TsEntry> ts = readTs(tsPath(language));
    QVERIFY(!ts.empty());

    QTranslator translator;
    QVERIFY(translator.load(cellvit::embeddedTranslationPath(language)));
    QVERIFY(QCoreApplication::installTranslator(&translator));
    auto window = std::make_unique<cellvit::MainWindow>();
    window->setErrorReporter([](QWidget*, const QString& title, const QString& message) {
        QFAIL(qPrintable(title + QStringLiteral(": ") + message));
    });
    const char* ctx = "cellvit::MainWindow";

    // Menu titles, in the menu bar's order.
    const QStringList menus = actionTexts(window->menuBar()->actions());
    QCOMPARE(menus.value(0), fileMenu);
    for (const char* title : { "&File", "&View", "&Regions", "&Analysis", "&Embeddings", "&Help" }) {
        const QString translated = expected(ts, ctx, title);
        QVERIFY2(!translated.isEmpty() && translated != QLatin1String(title), title);
        QVERIFY2(menus.contains(translated), qPrintable(translated + QStringLiteral(" not in ") + menus.join(u'|')));
        QVERIFY(!menus.contains(QLatin1String(title)));
    }
    // Actions of the File, View and Analysis menus.
    QStringList actions;
    for (QAction* menuAction : window->menuBar()->actions())
        if (menuAction->menu())
            actions += actionTexts(menuAction->menu()->actions());
    for (const char* action : { "&Open Slide…", "&Quit", "Zoom to &Fit", "Run on &Whole Slide", "&Cancel Run" }) {
        const QString translated = expected(ts, ctx, action);
        QVERIFY2(!translated.isEmpty() && translated != QString::fromUtf8(action), action);
        QVERIFY2(actions.contains(translated), qPrintable(translated));
    }
    // View ▸ Language.
    auto* languageMenu = window->findChild<QMenu*>(QStringLiteral("languageMenu"));
    QVERIFY(languageMenu);
    QCOMPARE(languageMenu->title(), expected(ts, "cellvit::LanguageMenu", "&Language"));
    QVERIFY(languageMenu->title() != QLatin1String("&Language"));

    // Dock titles.
    auto* overview = window->findChild<QDockWidget*>(QStringLiteral("overviewDock"));
    QVERIFY(overview);
    QCOMPARE(overview->windowTitle(), overviewDock);
    QCOMPARE(overview->windowTitle(), expected(ts, ctx, "Overview"));
    auto* model = window->findChild<QDockWidget*>(QStringLiteral("modelDock"));
    QVERIFY(model);
    QCOMPARE(model->windowTitle(), expected(ts, ctx, "Model"));
    QVERIFY(model->windowTitle() != QLatin1String("Model"));

    // Status bar: the zoom label after opening the sample slide, e.g. "1,25× (Verkleinerung 8,00)".
    QVERIFY(window->openSlide(QString::fromStdString(slide.string())));
    const QString zoomTemplate = expected(ts, ctx, "%1× (downsample %2)");
    QVERIFY(!zoomTemplate.isEmpty() && !zoomTemplate.contains(QLatin1String("downsample")));
    QString pattern; // the template with each %1, %2 standing for a number
    const QStringList literalParts = zoomTemplate.split(QRegularExpression(QStringLiteral("%[12]")));
    for (int i = 0; i < literalParts.size(); ++i)
        pattern += (i == 0 ? QString() : QStringLiteral("[0-9.,]+")) + QRegularExpression::escape(literalParts[i]);
    const QRegularExpression zoomText(QLatin1Char('^') + pattern + QLatin1Char('$'));
    QStringList statusTexts;
    for (const QLabel* label : window->statusBar()->findChildren<QLabel*>())
        statusTexts << label->text();
    bool found = false;
    for (const QString& text : statusTexts)
        found = found || zoomText.match(text).hasMatch();
    QVERIFY2(found, qPrintable(statusTexts.join(QLatin1Char('|'))));

    window.reset();
    QVERIFY(QCoreApplication::removeTranslator(&translator));
}

void TestTranslations::languageSettingChoosesTranslation()
{
    // No override: the system's preferred languages decide, English when none is translated.
    QSettings().remove(QLatin1String(cellvit::kLanguageSettingKey));
    QCOMPARE(cellvit::languageSetting(), QStringLiteral("system"));
    QCOMPARE(
        cellvit::effectiveLanguage(cellvit::languageSetting(), QLocale(QStringLiteral("de_AT"))), QStringLiteral("de"));
    QCOMPARE(
        cellvit::effectiveLanguage(cellvit::languageSetting(), QLocale(QStringLiteral("fr_CA"))), QStringLiteral("fr"));
    QCOMPARE(
        cellvit::effectiveLanguage(cellvit::languageSetting(), QLocale(QStringLiteral("ja_JP"))), QStringLiteral("en"));
    // The override wins over the system; unknown values fall back to "system".
    cellvit::setLanguageSetting(QStringLiteral("fr"));
    QCOMPARE(QSettings().value(QLatin1String(cellvit::kLanguageSettingKey)).toString(), QStringLiteral("fr"));
    QCOMPARE(
        cellvit::effectiveLanguage(cellvit::languageSetting(), QLocale(QStringLiteral("de_DE"))), QStringLiteral("fr"));
    cellvit::setLanguageSetting(QStringLiteral("en"));
    QCOMPARE(
        cellvit::effectiveLanguage(cellvit::languageSetting(), QLocale(QStringLiteral("de_DE"))), QStringLiteral("en"));
    QSettings().setValue(QLatin1String(cellvit::kLanguageSettingKey), QStringLiteral("klingon"));
    QCOMPARE(cellvit::languageSetting(), QStringLiteral("system"));

    // installTranslators: English needs none; German installs ours (and Qt's when installed).
    QVERIFY(!cellvit::installTranslators(*QCoreApplication::instance(), QStringLiteral("en")));
    QVERIFY(cellvit::installTranslators(*QCoreApplication::instance(), QStringLiteral("de")));
    QCOMPARE(QCoreApplication::translate("cellvit::MainWindow", "&File"), QStringLiteral("&Datei"));
    for (QTranslator* translator : QCoreApplication::instance()->findChildren<QTranslator*>()) {
        QCoreApplication::removeTranslator(translator);
        std::unique_ptr<QTranslator> owned(translator); // parented to the application by installTranslators
    }
    QCOMPARE(QCoreApplication::translate("cellvit::MainWindow", "&File"), QStringLiteral("&File"));
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
