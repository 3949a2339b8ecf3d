// SPDX-License-Identifier: MIT
// FLOPs in the explorer: the scatter's colour choice (parameters or FLOPs, remembered in the settings, the colour
// classes computed from each cell's FLOPs) and the NB201 and NB101 editors' readouts next to the parameter count.
#include "scatterplot.h"
#include "scoretablemodel.h"
#include "spaces/nb101/nb101editor.h"
#include "spaces/nb201/celleditor.h"

#include "spaces/nb101/spec.h"
#include "spaces/nb201/space.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

using epsinas::gui::CellEditor;
using epsinas::gui::Nb101Editor;
using epsinas::gui::ScatterPlot;
using epsinas::gui::ScoredArch;
using epsinas::gui::ScoredArchs;
using epsinas::gui::ScoreTableModel;
namespace nb201 = epsinas::nb201;
namespace nb101 = epsinas::nb101;

namespace {

// The scatter's colour classes (scatterplot.cpp): the main plot's graphs are the even ones of the first 2 × 12.
constexpr int kColourBins = 12;

/** Every 97th NB201 cell, scored (finite scores, so all of them are in the main plot). */
ScoredArchs someCells()
{
    ScoredArchs cells;
    for (int index = 0; index < nb201::kCellCount; index += 97) {
        ScoredArch cell;
        cell.arch = nb201::toArch(nb201::Cell::fromIndex(index));
        cell.score = 0.001 * (index % 500) + 0.01;
        cell.mae = cell.score / 2;
        cell.mean = 0.5;
        cells.push_back(cell);
    }
    return cells;
}

/** How many of `cells` fall in each colour class of log10 FLOPs, over the whole space's range, worked out here. */
std::vector<int> expectedFlopsBins(const ScoredArchs& cells)
{
    double low = INFINITY, high = -INFINITY;
    for (const nb201::Cell& cell : nb201::allCells()) {
        low = std::min(low, std::log10(double(cell.flops())));
        high = std::max(high, std::log10(double(cell.flops())));
    }
    std::vector<int> bins(kColourBins, 0);
    for (const ScoredArch& scored : cells) {
        const double shade = (std::log10(double(nb201::cellOf(scored.arch).flops())) - low) / (high - low);
        ++bins[std::clamp(int(shade * kColourBins), 0, kColourBins - 1)];
    }
    return bins;
}

/** The number of points in each colour class of the main plot. */
std::vector<int> shownBins(const ScatterPlot& plot)
{
    std::vector<int> bins;
    for (int bin = 0; bin < kColourBins; ++bin)
        bins.push_back(plot.plot()->graph(2 * bin)->dataCount());
    return bins;
}

} // namespace

class TestFlopsColour : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("epsinas-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_flopscolour"));
        QSettings().clear();
    }

    void colourChoiceIsRememberedAndColoursByFlops()
    {
        ScoreTableModel model;
        const ScoredArchs cells = someCells();
        model.addScores(cells);
        {
            ScatterPlot plot(&model);
            plot.refresh();
            QCOMPARE(plot.colourBy(), QStringLiteral("parameters"));
            QVERIFY2(plot.colourLabel().contains(QStringLiteral("parameters")), qPrintable(plot.colourLabel()));
            auto* choice = plot.findChild<QComboBox*>(QStringLiteral("colourBy"));
            QVERIFY(choice);
            const std::vector<int> byParameters = shownBins(plot);
            choice->setCurrentIndex(choice->findData(QStringLiteral("flops")));
            QCOMPARE(plot.colourBy(), QStringLiteral("flops"));
            QVERIFY2(plot.colourLabel().contains(QStringLiteral("FLOPs")), qPrintable(plot.colourLabel()));
            QCOMPARE(shownBins(plot), expectedFlopsBins(cells));
            // The two scales put the cells in different classes (a pool edge adds no FLOPs but no parameters either;
            // the residual blocks' share differs), so the test tells the choices apart.
            QVERIFY(shownBins(plot) != byParameters);
            QCOMPARE(QSettings().value(QStringLiteral("Scatter/colourBy")).toString(), QStringLiteral("flops"));
        }
        ScatterPlot again(&model);
        QCOMPARE(again.colourBy(), QStringLiteral("flops"));
        again.setColourBy(QStringLiteral("parameters"));
        QCOMPARE(QSettings().value(QStringLiteral("Scatter/colourBy")).toString(), QStringLiteral("parameters"));
    }

    void editorsShowFlopsNextToParameters()
    {
        // The all-3x3 cell: 7,782,464 outside the cells (tests/core/tst_flops.cpp) + 6 edges · 15 cells · 2,359,296.
        CellEditor cells;
        cells.setCell(nb201::Cell::parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|"
                                         "nor_conv_3x3~1|nor_conv_3x3~2|"));
        const QString facts = cells.factsLabel()->text();
        QVERIFY2(facts.contains(QStringLiteral(" parameters · %1 MFLOPs")
                                    .arg(QLocale().toString((7782464 + 90 * 2359296.0) / 1e6, 'f', 1))),
            qPrintable(facts));

        // NB101: the first spec of nb101_naslib_zc_500.csv; its FLOPs as core counts them, next to its parameters.
        Nb101Editor specs;
        const nb101::Spec spec = nb101::Spec::parse("011111000001000001000010000001000000:input|maxpool3x3|maxpool3x3|"
                                                    "conv3x3-bn-relu|conv3x3-bn-relu|output");
        specs.setSpec(spec);
        bool found = false;
        for (const QLabel* label : specs.findChildren<QLabel*>())
            found = found
                || label->text().contains(QStringLiteral(" parameters · %1 MFLOPs")
                                              .arg(QLocale().toString(double(spec.flops()) / 1e6, 'f', 1)));
        QVERIFY(found);
    }
};

QTEST_MAIN(TestFlopsColour)
#include "tst_flopscolour.moc"
