#include "ServerCli.h"

#include "SoakWait.h"

#include <QProcess>
#include <QStandardPaths>

namespace RedwireSoak {

RedwireTest::RedisServerProcess::CliResult ServerCli::run(
    const QStringList &args, const QByteArray &input, int timeoutMs) const
{
    RedwireTest::RedisServerProcess::CliResult result;
    const QString program = QStandardPaths::findExecutable(QStringLiteral("redis-cli"));
    if (program.isEmpty())
        return result;
    QProcess process;
    process.start(program, m_server->cliConnectionArgs() + args);
    if (!process.waitForStarted(5000))
        return result;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    QByteArray out;
    QByteArray err;
    QObject::connect(
        &process, &QProcess::readyReadStandardOutput, [&] { out += process.readAllStandardOutput(); });
    QObject::connect(
        &process, &QProcess::readyReadStandardError, [&] { err += process.readAllStandardError(); });
    const bool finished = waitUntil([&] { return process.state() == QProcess::NotRunning; }, timeoutMs, 5);
    if (!finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    result.out = out + process.readAllStandardOutput();
    result.err = err + process.readAllStandardError();
    result.finished = finished && process.exitStatus() == QProcess::NormalExit;
    result.exitCode = result.finished ? process.exitCode() : -1;
    return result;
}

QByteArray ServerCli::output(const QStringList &args, int timeoutMs) const
{
    const RedwireTest::RedisServerProcess::CliResult result = run(args, {}, timeoutMs);
    return result.finished ? result.out.trimmed() : QByteArray();
}

} // namespace RedwireSoak
