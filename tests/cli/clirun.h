// SPDX-License-Identifier: MIT
// What the CLI tests share: running a program (the built epsinas unless told otherwise) to its end, and what it left.
#pragma once

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>

#include <functional>
#include <map>

/** One run of a program: whether it started and ended by itself, its status and output, its command for messages. */
struct CliRun {
    bool started = false;
    /** Ended by itself with an exit status: not by a signal, not killed at the time limit. */
    bool finished = false;
    int exitCode = -1;
    qint64 elapsedMs = 0;
    QByteArray out, err;
    QString command;

    QString describe() const
    {
        return QString("%1\n  exit %2%3 after %4 ms\n  stdout: %5\n  stderr (%6 bytes): %7")
            .arg(command.left(300))
            .arg(exitCode)
            .arg(!started      ? " (did not start)"
                    : finished ? ""
                               : " (crashed or killed)")
            .arg(elapsedMs)
            .arg(QString::fromUtf8(out.left(1500)))
            .arg(err.size())
            .arg(QString::fromUtf8(err.left(600)));
    }
    /** Failed as bad input must: status 2, nothing on stdout, one line on stderr. */
    bool refused() const { return finished && exitCode == 2 && out.isEmpty() && err.count('\n') == 1; }
};

#define QVERIFY_EXIT(run, code) QVERIFY2((run).finished && (run).exitCode == (code), qPrintable((run).describe()))
#define QVERIFY_REFUSED(run) QVERIFY2((run).refused(), qPrintable("not one line, status 2: " + (run).describe()))

/** Writes `content` to `name` in `folder` and returns its path; a test cannot go on without its input, so a failure
 * ends it. */
inline QString writeTestFile(const QString& folder, const QString& name, const QByteArray& content)
{
    const QString path = QDir(folder).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

/**
 * Waits for `process` (started, or failed to start) to end, closing its stdin first; kills it after `timeoutMs`.
 * `command` names it in messages.
 */
inline CliRun finishRun(QProcess& process, const QString& command, int timeoutMs = 120000)
{
    CliRun result;
    result.command = command;
    result.started = process.error() != QProcess::FailedToStart;
    if (!result.started)
        return result;
    process.closeWriteChannel();
    const bool ended = process.state() == QProcess::NotRunning || process.waitForFinished(timeoutMs);
    if (!ended) {
        process.kill();
        process.waitForFinished();
    }
    result.finished = ended && process.exitStatus() == QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

/**
 * Runs `program` with `args` in `folder` (empty: the test's own working folder) to its end; `prepare` may set up the
 * process before it starts (e.g. drop privileges).
 */
inline CliRun runCli(const QStringList& args, const QString& folder = {}, int timeoutMs = 120000,
    const QString& program = QStringLiteral(EPSINAS_BINARY), const std::function<void(QProcess&)>& prepare = {})
{
    QProcess process;
    if (!folder.isEmpty())
        process.setWorkingDirectory(folder);
    if (prepare)
        prepare(process);
    QElapsedTimer timer;
    timer.start();
    process.start(program, args);
    process.waitForStarted(30000);
    CliRun result = finishRun(process, QFileInfo(program).fileName() + ' ' + args.join(' '), timeoutMs);
    result.elapsedMs = timer.elapsed();
    return result;
}

/** The `key=value` lines of a command's output (epsinas correlate, search), by key. */
inline std::map<QString, QString> keyValues(const QByteArray& text)
{
    std::map<QString, QString> values;
    for (const QString& line : QString::fromUtf8(text).split('\n', Qt::SkipEmptyParts)) {
        const int eq = int(line.indexOf('='));
        if (eq > 0)
            values[line.left(eq)] = line.mid(eq + 1);
    }
    return values;
}

/** The value of `key` in keyValues(), or "<missing>" so that a comparison fails with the key named. */
inline QString keyValue(const std::map<QString, QString>& values, const char* key)
{
    const auto found = values.find(key);
    return found == values.end() ? QStringLiteral("<missing>") : found->second;
}
