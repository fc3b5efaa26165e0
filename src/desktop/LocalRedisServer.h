#pragma once

#include <QObject>
#include <QProcess>
#include <QString>

#include <memory>

namespace Redwire {

// A private redis-server that Redwire starts itself when no server is configured: loopback only,
// with a password of its own, a free port, its own data directory kept to this account
// (LocalServerDirectory; append-only file, so chat history survives restarts of the app). It is
// stopped by its PID when this object goes away, and dies with Redwire if Redwire crashes (Linux).
class LocalRedisServer : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(quint16 port READ port NOTIFY stateChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY stateChanged)
    Q_PROPERTY(bool available READ isAvailable CONSTANT)
public:
    enum class State { Stopped, Starting, Running, Failed };
    Q_ENUM(State)

    explicit LocalRedisServer(QObject *parent = nullptr);
    ~LocalRedisServer() override;

    // Where redis-server is, or empty when it is not installed.
    static QString findExecutable();
    bool isAvailable() const { return !m_executable.isEmpty(); }

    // Defaults to <AppDataLocation>/local-redis.
    void setDataDirectory(const QString &directory) { m_dataDirectory = directory; }
    QString dataDirectory() const { return m_dataDirectory; }

    State state() const { return m_state; }
    quint16 port() const { return m_port; }
    qint64 pid() const;
    QString errorString() const { return m_error; }
    // What clients AUTH with: set by start() before the server starts, the same every time for
    // the same data directory. Deliberately not a property: nothing shows it.
    QString password() const { return m_password; }
    // Where the password is kept (for redis-cli: REDISCLI_AUTH=$(cat <file>)).
    QString passwordFile() const { return m_passwordFile; }

public Q_SLOTS:
    // Asynchronous: watch stateChanged for Running or Failed.
    void start();
    void stop();

Q_SIGNALS:
    void stateChanged(Redwire::LocalRedisServer::State state);

private:
    void setState(State state, const QString &error = {});
    void readOutput();
    static quint16 pickFreePort();
    QByteArray configuration() const;

    QString m_executable;
    QString m_dataDirectory;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_output;
    State m_state = State::Stopped;
    quint16 m_port = 0;
    QString m_password;
    QString m_passwordFile;
    QString m_error;
};

} // namespace Redwire
