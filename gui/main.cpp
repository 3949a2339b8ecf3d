// SPDX-License-Identifier: MIT
#include "mainwindow.h"
#include "settings.h"

#include "spaces/spaces.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>

namespace {
// Longest wait for the --screenshot render, in case a batch never finishes (e.g. a slow device).
constexpr int kScreenshotTimeoutMilliseconds = 10 * 60 * 1000;
} // namespace

int main(int argc, char* argv[])
{
    // Named before the application exists: the interface scale is a setting, and Qt reads its scale factor when the
    // application object is made.
    QApplication::setOrganizationName(QStringLiteral("epsinas"));
    QApplication::setOrganizationDomain(QStringLiteral("epsinas.org"));
    QApplication::setApplicationName(QStringLiteral("epsinas-explorer"));
    // A scale factor set in the environment is the user's and wins.
    if (qEnvironmentVariableIsEmpty("QT_SCALE_FACTOR") && epsinas::gui::Settings::interfaceScale() != 1.0)
        qputenv("QT_SCALE_FACTOR", QByteArray::number(epsinas::gui::Settings::interfaceScale()));
    QApplication app(argc, argv);
    // The resources live in a static library, whose initialiser the linker would otherwise drop.
    Q_INIT_RESOURCE(epsinas);
    QApplication::setApplicationDisplayName(QStringLiteral("epsinas explorer"));
    QApplication::setApplicationVersion(QStringLiteral(EPSINAS_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("epsinas-explorer"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/epsinas.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Edit the architectures of a search space and watch their epsinas score live."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption bench(QStringLiteral("bench"),
        QApplication::translate("main", "Benchmark table (CSV) to plot scores against."), QStringLiteral("FILE"));
    const QCommandLineOption target(QStringLiteral("target"),
        QApplication::translate("main", "Numeric column of the benchmark table to use as target."),
        QStringLiteral("COLUMN"));
    const QCommandLineOption space(QStringLiteral("space"),
        QApplication::translate("main", "Search space to explore: %1 (remembered).")
            .arg(QString::fromStdString(epsinas::spaceRegistry().keyList())),
        QStringLiteral("SPACE"));
    const QCommandLineOption arch(QStringLiteral("arch"),
        QApplication::translate("main",
            "Architecture to start with, written as `epsinas score --space SPACE --help` shows (an arch "
            "string, ADJ:OPS, recipe JSON or an example's name)."),
        QStringLiteral("STR"));
    const QCommandLineOption input(QStringLiteral("input"),
        QApplication::translate("main",
            "Input batch for this session: grey | noise:SEED | cifar10:PATH | cifar100:PATH, or for spaces that "
            "read text synthetic | ptb:FILE[,FILE...]."),
        QStringLiteral("SPEC"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QApplication::translate("main", "Render the window to FILE once the current cell is scored, then exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption archFile(QStringLiteral("arch-file"),
        QApplication::translate("main", "Architectures of the space to score, in its arch file format."),
        QStringLiteral("FILE"));
    parser.addOptions({ bench, target, space, arch, input, archFile, screenshot });
    parser.addPositionalArgument(QStringLiteral("session"),
        QApplication::translate("main",
            "A session file to open (File → Save Session writes one); the options "
            "above apply after it."),
        QStringLiteral("[SESSION]"));
    // A space's own name for its arch files (e.g. --recipe-file) also picks the space.
    std::vector<std::pair<QCommandLineOption, const epsinas::SearchSpace*>> archFileAliases;
    for (const epsinas::SearchSpace* module : epsinas::spaceRegistry().all()) {
        for (const auto& [alias, option] : module->optionAliases()) {
            if (option != "arch-file")
                continue;
            archFileAliases.emplace_back(QCommandLineOption(QString::fromStdString(alias),
                                             QApplication::translate("main", "--space %1 --arch-file FILE.")
                                                 .arg(QString::fromStdString(module->key())),
                                             QStringLiteral("FILE")),
                module);
            parser.addOption(archFileAliases.back().first);
        }
    }
    parser.process(app);

    const bool unattended = parser.isSet(screenshot);
    QStringList problems;
    // Applied before the window exists, so its first score uses the input, and again after a session, which has its
    // own.
    const auto applyInput = [&] {
        if (!parser.isSet(input))
            return;
        // Token sources are the input of spaces that read text, image sources the others'.
        const std::string value = parser.value(input).toStdString();
        const bool tokens = value == "synthetic" || value.rfind("ptb:", 0) == 0;
        try {
            if (tokens)
                epsinas::gui::Settings::instance().setSessionTokens(epsinas::TokenSpec::parse(value));
            else
                epsinas::gui::Settings::instance().setSessionInput(epsinas::InputSpec::parse(value));
        } catch (const std::exception& error) {
            problems << QStringLiteral("--input: %1").arg(QString::fromStdString(error.what()));
        }
    };
    applyInput();

    epsinas::gui::MainWindow window;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        problems << QStringLiteral("only one session file can be opened, not %1").arg(positional.size());
    else if (positional.size() == 1) {
        if (const QString error = window.openSession(positional.front()); !error.isEmpty())
            problems << error;
        else if (problems.isEmpty())
            applyInput();
    }
    if (parser.isSet(space)) {
        const epsinas::SearchSpace* chosen = epsinas::gui::findSpace(parser.value(space));
        if (chosen && window.editor(*chosen))
            window.setSpace(*chosen);
        else
            problems << QStringLiteral("--space: '%1' is not %2")
                            .arg(parser.value(space), QString::fromStdString(epsinas::spaceRegistry().keyList()));
    }
    for (const auto& [option, module] : archFileAliases) {
        if (!parser.isSet(option))
            continue;
        window.setSpace(*module);
        if (const QString error = window.openArchitectures(parser.value(option)); !error.isEmpty())
            problems << QStringLiteral("--%1: %2").arg(option.names().constFirst(), error);
    }
    if (parser.isSet(archFile)) {
        if (const QString error = window.openArchitectures(parser.value(archFile)); !error.isEmpty())
            problems << QStringLiteral("--arch-file: %1").arg(error);
    }
    if (parser.isSet(arch)) {
        if (const QString error = window.setArch(parser.value(arch)); !error.isEmpty())
            problems << QStringLiteral("--arch: %1").arg(error);
    }
    if (parser.isSet(bench)) {
        if (const QString error = window.openBenchmark(parser.value(bench), parser.value(target), false);
            !error.isEmpty())
            problems << QStringLiteral("--bench: %1").arg(error);
    }
    window.show();

    if (!problems.isEmpty()) {
        const QString text = problems.join(QLatin1Char('\n'));
        std::fprintf(stderr, "%s\n", qPrintable(text));
        if (!unattended)
            QMessageBox::warning(&window, QApplication::translate("main", "Command Line"), text);
    }
    if (unattended) {
        QObject::connect(&window, &epsinas::gui::MainWindow::screenshotSaved, &app, [](const QString& path, bool ok) {
            if (!ok)
                std::fprintf(stderr, "could not write %s\n", qPrintable(path));
            QApplication::exit(ok ? 0 : 1);
        });
        QTimer::singleShot(kScreenshotTimeoutMilliseconds, &app, [] {
            std::fprintf(stderr, "timed out waiting for the scores to render\n");
            QApplication::exit(1);
        });
        window.takeScreenshotWhenReady(parser.value(screenshot));
    }
    return app.exec();
}
