// SPDX-License-Identifier: MIT
#include "mainwindow.h"
#include "settings.h"

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
    QApplication app(argc, argv);
    // The resources live in a static library, whose initialiser the linker would otherwise drop.
    Q_INIT_RESOURCE(epsinas);
    QApplication::setOrganizationName(QStringLiteral("epsinas"));
    QApplication::setOrganizationDomain(QStringLiteral("epsinas.org"));
    QApplication::setApplicationName(QStringLiteral("epsinas-explorer"));
    QApplication::setApplicationDisplayName(QStringLiteral("epsinas explorer"));
    QApplication::setApplicationVersion(QStringLiteral(EPSINAS_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("epsinas-explorer"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/epsinas.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main",
        "Edit NAS-Bench-201 and NAS-Bench-101 cells and NAS-Bench-NLP recipes and watch their epsinas score live."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption bench(QStringLiteral("bench"),
        QApplication::translate("main", "Benchmark table (CSV) to plot scores against."), QStringLiteral("FILE"));
    const QCommandLineOption target(QStringLiteral("target"),
        QApplication::translate("main", "Numeric column of the benchmark table to use as target."),
        QStringLiteral("COLUMN"));
    const QCommandLineOption space(QStringLiteral("space"),
        QApplication::translate("main", "Search space to explore: nb201 | nb101 | nlp (remembered)."),
        QStringLiteral("SPACE"));
    const QCommandLineOption arch(QStringLiteral("arch"),
        QApplication::translate("main",
            "Cell to start with: an arch string for nb201, ADJ:OPS for nb101, a recipe "
            "JSON object or rnn | lstm | gru for nlp."),
        QStringLiteral("STR"));
    const QCommandLineOption input(QStringLiteral("input"),
        QApplication::translate("main",
            "Input batch for this session: grey | noise:SEED | cifar10:PATH | cifar100:PATH; for nlp, synthetic | "
            "ptb:FILE[,FILE...]."),
        QStringLiteral("SPEC"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QApplication::translate("main", "Render the window to FILE once the current cell is scored, then exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption recipes(QStringLiteral("recipes"),
        QApplication::translate(
            "main", "NAS-Bench-NLP recipes to score (recipes.jsonl or a .json file); implies --space nlp."),
        QStringLiteral("FILE"));
    parser.addOptions({ bench, target, space, arch, input, recipes, screenshot });
    parser.process(app);

    const bool unattended = parser.isSet(screenshot);
    QStringList problems;
    if (parser.isSet(input)) {
        // Token sources are NLP's input, image sources the other spaces'.
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
    }

    epsinas::gui::MainWindow window;
    if (parser.isSet(space)) {
        if (const auto chosen = epsinas::gui::parseSpace(parser.value(space)))
            window.setSpace(*chosen);
        else
            problems << QStringLiteral("--space: '%1' is not nb201, nb101 or nlp").arg(parser.value(space));
    }
    if (parser.isSet(recipes)) {
        if (const QString error = window.openRecipes(parser.value(recipes)); !error.isEmpty())
            problems << QStringLiteral("--recipes: %1").arg(error);
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
