#include "TlsMaterial.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>

namespace RedwireTest {

namespace {

// Our own openssl config, so the result does not depend on the system's openssl.cnf defaults.
// EC P-256 keys: generating four of them takes milliseconds, RSA would take a noticeable fraction
// of a second each.
const char opensslConfig[] = R"([req]
distinguished_name = dn
prompt = no
[dn]
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
)";

constexpr int opensslTimeoutMs = 20000;

QStringList newKeyArgs()
{
    return { QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
        QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes") };
}

QString randomSerial()
{
    // Positive, below 2^62: distinct per certificate so no client cache ever confuses two runs.
    return QString::number(QRandomGenerator::global()->bounded(Q_INT64_C(1), Q_INT64_C(1) << 62));
}

} // namespace

TlsMaterial::TlsMaterial()
    : m_dir(QDir::tempPath() + QStringLiteral("/redwire-tls-XXXXXX"))
{ }

TlsMaterial::~TlsMaterial() = default;

QString TlsMaterial::directory() const
{
    return m_dir.path();
}

QString TlsMaterial::path(const char *name) const
{
    return m_dir.filePath(QString::fromLatin1(name));
}

bool TlsMaterial::generate()
{
    m_valid = false;
    m_error.clear();
    if (!m_dir.isValid()) {
        m_error
            = QStringLiteral("TlsMaterial: cannot create a temporary directory: %1").arg(m_dir.errorString());
        return false;
    }
    QFile config(path("openssl.cnf"));
    if (!config.open(QIODevice::WriteOnly) || config.write(opensslConfig) < 0) {
        m_error
            = QStringLiteral("TlsMaterial: cannot write %1: %2").arg(config.fileName(), config.errorString());
        return false;
    }
    config.close();

    m_valid = makeCa(QStringLiteral("ca"), QStringLiteral("/CN=Redwire Test CA"))
        && makeLeaf(
            QStringLiteral("server"), QStringLiteral("/CN=localhost"), QStringLiteral("ca"), "server_ext")
        && makeLeaf(QStringLiteral("client"), QStringLiteral("/CN=redwire-test-client"), QStringLiteral("ca"),
            "client_ext")
        && makeCa(QStringLiteral("other-ca"), QStringLiteral("/CN=Redwire Unrelated CA"))
        && makeLeaf(QStringLiteral("other-client"), QStringLiteral("/CN=redwire-other-client"),
            QStringLiteral("other-ca"), "client_ext");
    return m_valid;
}

bool TlsMaterial::makeCa(const QString &name, const QString &subject)
{
    const QString base = m_dir.filePath(name);
    return openssl(QStringList { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-new") }
        + newKeyArgs()
        + QStringList { QStringLiteral("-keyout"), base + QStringLiteral(".key"), QStringLiteral("-out"),
            base + QStringLiteral(".crt"), QStringLiteral("-days"), QStringLiteral("3650"),
            QStringLiteral("-set_serial"), randomSerial(), QStringLiteral("-subj"), subject,
            QStringLiteral("-config"), path("openssl.cnf"), QStringLiteral("-extensions"),
            QStringLiteral("v3_ca") });
}

bool TlsMaterial::makeLeaf(
    const QString &name, const QString &subject, const QString &ca, const char *extensions)
{
    const QString base = m_dir.filePath(name);
    const QString caBase = m_dir.filePath(ca);
    return openssl(QStringList { QStringLiteral("req"), QStringLiteral("-new") } + newKeyArgs()
               + QStringList { QStringLiteral("-keyout"), base + QStringLiteral(".key"),
                   QStringLiteral("-out"), base + QStringLiteral(".csr"), QStringLiteral("-subj"), subject,
                   QStringLiteral("-config"), path("openssl.cnf") })
        && openssl(QStringList { QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
            base + QStringLiteral(".csr"), QStringLiteral("-CA"), caBase + QStringLiteral(".crt"),
            QStringLiteral("-CAkey"), caBase + QStringLiteral(".key"), QStringLiteral("-set_serial"),
            randomSerial(), QStringLiteral("-days"), QStringLiteral("3650"), QStringLiteral("-out"),
            base + QStringLiteral(".crt"), QStringLiteral("-extfile"), path("openssl.cnf"),
            QStringLiteral("-extensions"), QString::fromLatin1(extensions) });
}

bool TlsMaterial::openssl(const QStringList &args)
{
    const QString program = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (program.isEmpty()) {
        m_error = QStringLiteral("TlsMaterial: 'openssl' was not found on PATH; install the openssl package");
        return false;
    }
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, args);
    if (!process.waitForFinished(opensslTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        m_error = QStringLiteral("TlsMaterial: openssl %1 did not finish: %2")
                      .arg(args.join(QLatin1Char(' ')), process.errorString());
        return false;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = QStringLiteral("TlsMaterial: openssl %1 failed (exit code %2):\n%3")
                      .arg(args.join(QLatin1Char(' ')))
                      .arg(process.exitCode())
                      .arg(QString::fromLocal8Bit(process.readAll()));
        return false;
    }
    return true;
}

} // namespace RedwireTest
