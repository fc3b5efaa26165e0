#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>

namespace Redwire {

// The public key pinned for each nickname on one server (trust on first use), kept in a 0600
// JSON file in the app's data directory. Reads the file once; every change is written at once
// (QSaveFile: a crash never leaves half a file). A missing or unreadable file is an empty store,
// and errorString() says why when it was unreadable.
class KeyPinStore
{
public:
    struct Pin
    {
        QByteArray publicKey;
        qint64 pinnedAtMs = 0;
    };

    // An empty path keeps pins in memory only.
    explicit KeyPinStore(const QString &path = {});

    std::optional<Pin> pin(const QString &nickname) const;
    // Pins the key for the nickname, replacing any earlier pin; false if it could not be written.
    bool setPin(const QString &nickname, const QByteArray &publicKey, qint64 nowMs);
    bool forget(const QString &nickname);
    QString errorString() const { return m_error; }
    QString path() const { return m_path; }

private:
    void load();
    bool save();

    QString m_path;
    QString m_error;
    QHash<QString, Pin> m_pins;
};

} // namespace Redwire
