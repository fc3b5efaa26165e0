#pragma once

#include "redis/ConnectionOptions.h"
#include "redis/RedisConnection.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace Redwire {

class LocalRedisServer;
class CredentialStore;

// What the connect screen edits: the server settings (kept in QSettings; the password only in
// the keychain, and only when asked) and the local-server choice with that server's state. The
// chat and monitor controllers connect with the options it produces and keep their connections'
// state themselves.
class ConnectionController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the application")
    Q_PROPERTY(QString host READ host WRITE setHost NOTIFY settingsChanged)
    Q_PROPERTY(int port READ port WRITE setPort NOTIFY settingsChanged)
    Q_PROPERTY(QString username READ username WRITE setUsername NOTIFY settingsChanged)
    Q_PROPERTY(QString password READ password WRITE setPassword NOTIFY settingsChanged)
    Q_PROPERTY(bool rememberPassword READ rememberPassword WRITE setRememberPassword NOTIFY settingsChanged)
    Q_PROPERTY(int database READ database WRITE setDatabase NOTIFY settingsChanged)
    Q_PROPERTY(QString nickname READ nickname WRITE setNickname NOTIFY settingsChanged)
    Q_PROPERTY(bool useTls READ useTls WRITE setUseTls NOTIFY settingsChanged)
    Q_PROPERTY(QString tlsCaFile READ tlsCaFile WRITE setTlsCaFile NOTIFY settingsChanged)
    Q_PROPERTY(QString tlsCertFile READ tlsCertFile WRITE setTlsCertFile NOTIFY settingsChanged)
    Q_PROPERTY(QString tlsKeyFile READ tlsKeyFile WRITE setTlsKeyFile NOTIFY settingsChanged)
    Q_PROPERTY(QString tlsServerName READ tlsServerName WRITE setTlsServerName NOTIFY settingsChanged)
    Q_PROPERTY(bool useLocalServer READ useLocalServer WRITE setUseLocalServer NOTIFY settingsChanged)
    Q_PROPERTY(bool tlsAvailable READ tlsAvailable CONSTANT)
    Q_PROPERTY(bool localServerAvailable READ localServerAvailable CONSTANT)
    Q_PROPERTY(QString localServerStatus READ localServerStatus NOTIFY localServerChanged)
    Q_PROPERTY(bool localServerStarting READ localServerStarting NOTIFY localServerChanged)
    Q_PROPERTY(QString keychainMessage READ keychainMessage NOTIFY keychainMessageChanged)
    Q_PROPERTY(QString endpoint READ endpoint NOTIFY settingsChanged)
    Q_PROPERTY(bool hasSavedServer READ hasSavedServer NOTIFY settingsChanged)
public:
    explicit ConnectionController(QObject *parent = nullptr);
    ~ConnectionController() override;

    // The host name, or the whole address when one was given (a redis+sentinel:// URL).
    QString host() const;
    void setHost(const QString &host);
    int port() const { return m_options.port; }
    void setPort(int port);
    QString username() const { return m_options.username; }
    void setUsername(const QString &username);
    QString password() const { return m_options.password; }
    void setPassword(const QString &password);
    bool rememberPassword() const { return m_rememberPassword; }
    void setRememberPassword(bool remember);
    int database() const { return m_options.database; }
    void setDatabase(int database);
    QString nickname() const { return m_nickname; }
    void setNickname(const QString &nickname);
    bool useTls() const { return m_options.tls.enabled; }
    void setUseTls(bool enabled);
    QString tlsCaFile() const { return m_options.tls.caFile; }
    void setTlsCaFile(const QString &path);
    QString tlsCertFile() const { return m_options.tls.certFile; }
    void setTlsCertFile(const QString &path);
    QString tlsKeyFile() const { return m_options.tls.keyFile; }
    void setTlsKeyFile(const QString &path);
    QString tlsServerName() const { return m_options.tls.serverName; }
    void setTlsServerName(const QString &name);
    bool useLocalServer() const { return m_useLocalServer; }
    void setUseLocalServer(bool use);

    bool tlsAvailable() const;
    bool localServerAvailable() const;
    QString localServerStatus() const;
    bool localServerStarting() const;
    QString keychainMessage() const { return m_keychainMessage; }
    QString endpoint() const { return m_options.serverDisplayName(); }

    // Options from the command line win over the saved settings for this run.
    void applyLaunchOptions(const ConnectionOptions &options, const QString &nickname);
    // Whether settings exist at all (first run: the app offers the local server).
    bool hasSavedServer() const { return m_hasSavedServer; }

    // Checks the form; empty when fine.
    Q_INVOKABLE QString validate() const;
    // Saves the settings, starts the local server when chosen, then emits ready(options).
    Q_INVOKABLE void prepare();
    // prepare() with what was saved, at start: when the password is kept in the keychain, it is
    // read first (without a keychain the attempt goes ahead, and the server says what it lacks).
    Q_INVOKABLE void prepareSaved();
    Q_INVOKABLE void loadSavedPassword();

    ConnectionOptions options() const { return m_options; }

Q_SIGNALS:
    void settingsChanged();
    void localServerChanged();
    void keychainMessageChanged();
    void ready(const Redwire::ConnectionOptions &options);
    void failed(const QString &message);

private:
    void save();
    void load();
    void applyServerText(const QString &text);
    void setKeychainMessage(const QString &message);
    void emitLocalReady();
    void prepareAfterKeychain();

    ConnectionOptions m_options;
    QString m_nickname;
    bool m_rememberPassword = false;
    bool m_useLocalServer = false;
    bool m_hasSavedServer = false;
    QString m_serverUrlError; // the address typed in the host field does not parse
    bool m_prepareAfterKeychain = false;
    QString m_keychainMessage;
    LocalRedisServer *m_localServer;
    CredentialStore *m_credentials;
};

} // namespace Redwire
