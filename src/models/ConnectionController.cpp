#include "ConnectionController.h"

#include "desktop/CredentialStore.h"
#include "desktop/LocalRedisServer.h"

#include <QSettings>

namespace Redwire {

ConnectionController::ConnectionController(QObject *parent)
    : QObject(parent)
    , m_localServer(new LocalRedisServer(this))
    , m_credentials(new CredentialStore(this))
{
    load();
    connect(m_localServer, &LocalRedisServer::stateChanged, this, [this](LocalRedisServer::State state) {
        Q_EMIT localServerChanged();
        if (state == LocalRedisServer::State::Running)
            emitLocalReady();
        else if (state == LocalRedisServer::State::Failed)
            Q_EMIT failed(m_localServer->errorString());
    });
    connect(m_credentials, &CredentialStore::passwordRead, this,
        [this](const QString &account, const QString &password) {
            if (account != CredentialStore::accountFor(m_options.username, m_options.serverDisplayName()))
                return;
            if (m_options.password.isEmpty()) {
                m_options.password = password;
                Q_EMIT settingsChanged();
            }
            setKeychainMessage(tr("Password loaded from the keychain."));
            prepareAfterKeychain();
        });
    connect(m_credentials, &CredentialStore::passwordSaved, this,
        [this] { setKeychainMessage(tr("Password saved in the keychain.")); });
    connect(
        m_credentials, &CredentialStore::unavailable, this, [this](const QString &, const QString &reason) {
            if (m_rememberPassword)
                setKeychainMessage(
                    tr("The password was not saved: no keychain is available (%1).").arg(reason));
            prepareAfterKeychain();
        });
}

ConnectionController::~ConnectionController() = default;

void ConnectionController::load()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("server"));
    m_hasSavedServer = settings.contains(QStringLiteral("host"));
    m_options.port = quint16(settings.value(QStringLiteral("port"), m_options.port).toUInt());
    m_options.username = settings.value(QStringLiteral("username")).toString();
    m_options.database = settings.value(QStringLiteral("database"), 0).toInt();
    applyServerText(settings.value(QStringLiteral("host"), m_options.host).toString());
    m_options.tls.enabled = settings.value(QStringLiteral("tls"), false).toBool();
    m_options.tls.caFile = settings.value(QStringLiteral("tlsCaFile")).toString();
    m_options.tls.certFile = settings.value(QStringLiteral("tlsCertFile")).toString();
    m_options.tls.keyFile = settings.value(QStringLiteral("tlsKeyFile")).toString();
    m_options.tls.serverName = settings.value(QStringLiteral("tlsServerName")).toString();
    m_rememberPassword = settings.value(QStringLiteral("rememberPassword"), false).toBool();
    m_useLocalServer
        = settings.value(QStringLiteral("useLocalServer"), !m_hasSavedServer && localServerAvailable())
              .toBool();
    settings.endGroup();
    m_nickname = settings.value(QStringLiteral("chat/nickname")).toString();
    m_options.clientName = QStringLiteral("redwire");
}

void ConnectionController::save()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("server"));
    settings.setValue(QStringLiteral("host"), host());
    settings.setValue(QStringLiteral("port"), m_options.port);
    settings.setValue(QStringLiteral("username"), m_options.username);
    settings.setValue(QStringLiteral("database"), m_options.database);
    settings.setValue(QStringLiteral("tls"), m_options.tls.enabled);
    settings.setValue(QStringLiteral("tlsCaFile"), m_options.tls.caFile);
    settings.setValue(QStringLiteral("tlsCertFile"), m_options.tls.certFile);
    settings.setValue(QStringLiteral("tlsKeyFile"), m_options.tls.keyFile);
    settings.setValue(QStringLiteral("tlsServerName"), m_options.tls.serverName);
    settings.setValue(QStringLiteral("rememberPassword"), m_rememberPassword);
    settings.setValue(QStringLiteral("useLocalServer"), m_useLocalServer);
    settings.endGroup();
    settings.setValue(QStringLiteral("chat/nickname"), m_nickname);
    m_hasSavedServer = true;
}

namespace {
// For the setters: whether the value changed (and was stored).
template<typename T, typename U> bool assignChanged(T &member, U &&value)
{
    if (member == value)
        return false;
    member = std::forward<U>(value);
    return true;
}
} // namespace

QString ConnectionController::host() const
{
    if (!m_serverUrlError.isEmpty())
        return m_options.host; // the text as typed, until it parses
    return m_options.topology == Topology::Standalone ? m_options.host : m_options.serverDisplayName();
}

void ConnectionController::setHost(const QString &host)
{
    if (host.trimmed() == this->host())
        return;
    applyServerText(host.trimmed());
    Q_EMIT settingsChanged();
}

// The host field also takes a whole address (redis+sentinel://..., redis://...): its parts replace
// the form's; the password, the client name and the TLS files stay.
void ConnectionController::applyServerText(const QString &text)
{
    m_serverUrlError.clear();
    if (!text.contains(QLatin1String("://"))) {
        m_options.topology = Topology::Standalone;
        m_options.seeds.clear();
        m_options.sentinelMaster.clear();
        m_options.host = text;
        return;
    }
    QString error;
    const ConnectionOptions parsed = ConnectionOptions::fromUrl(text, &error, QUrl::StrictMode);
    if (!error.isEmpty()) {
        m_serverUrlError = error;
        m_options.host = text;
        return;
    }
    m_options.topology = parsed.topology;
    m_options.seeds = parsed.seeds;
    m_options.sentinelMaster = parsed.sentinelMaster;
    m_options.host = parsed.host;
    m_options.port = parsed.port;
    m_options.unixSocket = parsed.unixSocket;
    m_options.database = parsed.database;
    m_options.tls.enabled = parsed.tls.enabled;
    if (!parsed.username.isEmpty())
        m_options.username = parsed.username;
}
void ConnectionController::setPort(int port)
{
    if (assignChanged(m_options.port, quint16(qBound(0, port, 65535))))
        Q_EMIT settingsChanged();
}
void ConnectionController::setUsername(const QString &username)
{
    if (assignChanged(m_options.username, username))
        Q_EMIT settingsChanged();
}
void ConnectionController::setPassword(const QString &password)
{
    if (assignChanged(m_options.password, password))
        Q_EMIT settingsChanged();
}
void ConnectionController::setRememberPassword(bool remember)
{
    if (assignChanged(m_rememberPassword, remember))
        Q_EMIT settingsChanged();
}
void ConnectionController::setDatabase(int database)
{
    if (assignChanged(m_options.database, database))
        Q_EMIT settingsChanged();
}
void ConnectionController::setNickname(const QString &nickname)
{
    if (assignChanged(m_nickname, nickname.trimmed()))
        Q_EMIT settingsChanged();
}
void ConnectionController::setUseTls(bool enabled)
{
    if (assignChanged(m_options.tls.enabled, enabled))
        Q_EMIT settingsChanged();
}
void ConnectionController::setTlsCaFile(const QString &path)
{
    if (assignChanged(m_options.tls.caFile, path))
        Q_EMIT settingsChanged();
}
void ConnectionController::setTlsCertFile(const QString &path)
{
    if (assignChanged(m_options.tls.certFile, path))
        Q_EMIT settingsChanged();
}
void ConnectionController::setTlsKeyFile(const QString &path)
{
    if (assignChanged(m_options.tls.keyFile, path))
        Q_EMIT settingsChanged();
}
void ConnectionController::setTlsServerName(const QString &name)
{
    if (assignChanged(m_options.tls.serverName, name))
        Q_EMIT settingsChanged();
}
void ConnectionController::setUseLocalServer(bool use)
{
    if (assignChanged(m_useLocalServer, use))
        Q_EMIT settingsChanged();
}

bool ConnectionController::tlsAvailable() const
{
#ifdef REDWIRE_BUILD_HAS_TLS
    return true;
#else
    return false;
#endif
}

bool ConnectionController::localServerAvailable() const
{
    return m_localServer->isAvailable();
}

QString ConnectionController::localServerStatus() const
{
    switch (m_localServer->state()) {
    case LocalRedisServer::State::Stopped:
        return m_localServer->isAvailable() ? tr("Redwire starts a private redis-server on this computer.")
                                            : tr("redis-server is not installed.");
    case LocalRedisServer::State::Starting:
        return tr("Starting the local redis-server…");
    case LocalRedisServer::State::Running:
        // The file, never the password itself.
        return tr("Local redis-server on 127.0.0.1:%1, password in %2 (try: REDISCLI_AUTH=$(cat '%2') "
                  "redis-cli -p %1 PUBLISH chat hello)")
            .arg(QString::number(m_localServer->port()), m_localServer->passwordFile());
    case LocalRedisServer::State::Failed:
        return tr("The local redis-server failed: %1").arg(m_localServer->errorString());
    }
    return {};
}

bool ConnectionController::localServerStarting() const
{
    return m_localServer->state() == LocalRedisServer::State::Starting;
}

void ConnectionController::applyLaunchOptions(const ConnectionOptions &options, const QString &nickname)
{
    const QString clientName = m_options.clientName;
    m_options = options;
    m_options.clientName = clientName;
    m_serverUrlError.clear();
    m_useLocalServer = false;
    if (!nickname.isEmpty())
        m_nickname = nickname;
    Q_EMIT settingsChanged();
    if (m_options.password.isEmpty())
        loadSavedPassword();
}

QString ConnectionController::validate() const
{
    if (m_nickname.isEmpty())
        return tr("Choose a nickname.");
    if (m_nickname.size() > 64)
        return tr("The nickname is too long (64 characters at most).");
    if (m_useLocalServer)
        return m_localServer->isAvailable() ? QString() : tr("redis-server is not installed.");
    if (!m_serverUrlError.isEmpty())
        return m_serverUrlError;
    return m_options.validate();
}

void ConnectionController::prepare()
{
    const QString problem = validate();
    if (!problem.isEmpty()) {
        Q_EMIT failed(problem);
        return;
    }
    save();
    if (m_useLocalServer) {
        if (m_localServer->state() == LocalRedisServer::State::Running)
            emitLocalReady();
        else
            m_localServer->start();
        return;
    }
    const QString account = CredentialStore::accountFor(m_options.username, m_options.serverDisplayName());
    if (m_rememberPassword && !m_options.password.isEmpty())
        m_credentials->savePassword(account, m_options.password);
    else if (!m_rememberPassword)
        m_credentials->forgetPassword(account);
    Q_EMIT ready(m_options);
}

void ConnectionController::prepareSaved()
{
    if (!m_useLocalServer && m_rememberPassword && m_options.password.isEmpty()) {
        m_prepareAfterKeychain = true;
        loadSavedPassword();
        return;
    }
    prepare();
}

void ConnectionController::prepareAfterKeychain()
{
    if (!m_prepareAfterKeychain)
        return;
    m_prepareAfterKeychain = false;
    prepare();
}

void ConnectionController::emitLocalReady()
{
    ConnectionOptions local;
    local.host = QStringLiteral("127.0.0.1");
    local.port = m_localServer->port();
    local.password = m_localServer->password();
    local.clientName = m_options.clientName;
    Q_EMIT ready(local);
}

void ConnectionController::loadSavedPassword()
{
    if (m_useLocalServer || !m_rememberPassword)
        return;
    m_credentials->readPassword(
        CredentialStore::accountFor(m_options.username, m_options.serverDisplayName()));
}

void ConnectionController::setKeychainMessage(const QString &message)
{
    if (m_keychainMessage == message)
        return;
    m_keychainMessage = message;
    Q_EMIT keychainMessageChanged();
}

} // namespace Redwire
