#pragma once

#include <QCoreApplication>
#include <QString>

namespace Redwire {

// The local redis-server's data directory, kept to this account: the directory 0700, what is in
// it 0600, and the server's password in a file of its own there.
class LocalServerDirectory
{
    Q_DECLARE_TR_FUNCTIONS(Redwire::LocalServerDirectory)
public:
    explicit LocalServerDirectory(const QString &path);

    // Creates the directory, or tightens one an older version left open. False: errorString().
    bool prepare();
    // The server's password, made on first use and the same from then on. Empty: errorString().
    QString readOrCreatePassword();

    QString path() const { return m_path; }
    QString passwordFile() const;
    QString errorString() const { return m_error; }

private:
    bool tighten();
    QString createPassword();

    QString m_path;
    QString m_error;
};

} // namespace Redwire
