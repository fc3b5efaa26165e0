#include "Translations.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace Redwire {

bool installTranslations(QCoreApplication &app)
{
    auto *translator = new QTranslator(&app);
    // Where CMake puts the compiled .qm files (qt_add_resources in src/desktop).
    const QString directory = QStringLiteral(":/i18n");
    if (translator->load(QLocale(), QStringLiteral("redwire"), QStringLiteral("_"), directory)
        || translator->load(QStringLiteral("redwire_en"), directory)) {
        QCoreApplication::installTranslator(translator);
        return true;
    }
    delete translator;
    return false;
}

} // namespace Redwire
