#pragma once

class QCoreApplication;

namespace Redwire {

// Installs the app's translations for the user's languages. English is one of them whatever the
// locale: the source strings are English, but "%n message(s)" needs the English plural forms
// (i18n/redwire_en.ts) to read "1 message", "2 messages". Returns whether a translation loaded.
bool installTranslations(QCoreApplication &app);

} // namespace Redwire
