// SPDX-License-Identifier: MIT
// The scatter's teaching marks (issue 14): the trail of visited architectures, the pinned one, find, the top k by
// score and the Shift+drag brush, driven through ScatterPlot's API and real mouse and key events.
#include "scatterplot.h"
#include "scorefixtures.h"
#include "scoretablemodel.h"

#include <QSignalSpy>
#include <QTest>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

using epsinas::gui::ScatterPlot;
using epsinas::gui::ScoredArch;
using epsinas::gui::ScoredArchs;
using epsinas::gui::ScoreTableModel;

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

/** The names of the legend's entries. */
QStringList legendNames(const ScatterPlot& scatter)
{
    QStringList names;
    for (QCPLayerable* element : scatter.plot()->plotLayout()->elements(true)) {
        auto* legend = qobject_cast<QCPLegend*>(element);
        for (int i = 0; legend && i < legend->itemCount(); ++i) {
            if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i)))
                names.push_back(item->plottable()->name());
        }
    }
    return names;
}

/** The pixels of the points the graphs named `name` draw. */
QList<QPoint> markerPixels(const ScatterPlot& scatter, const QString& name)
{
    QList<QPoint> pixels;
    for (int i = 0; i < scatter.plot()->graphCount(); ++i) {
        const QCPGraph* graph = scatter.plot()->graph(i);
        if (graph->name() != name)
            continue;
        for (auto point = graph->data()->constBegin(); point != graph->data()->constEnd(); ++point)
            pixels.push_back(
                QPointF(graph->keyAxis()->coordToPixel(point->key), graph->valueAxis()->coordToPixel(point->value))
                    .toPoint());
    }
    return pixels;
}

/** The main plot's axis rect: the one whose x axis is the score. */
QCPAxisRect* mainRect(const ScatterPlot& scatter)
{
    for (QCPAxisRect* rect : scatter.plot()->axisRects()) {
        if (rect->axis(QCPAxis::atBottom)->label() == QStringLiteral("epsinas score"))
            return rect;
    }
    return nullptr;
}

/** A scatter of `model`, shown at a laptop's size and drawn. */
struct ShownScatter {
    explicit ShownScatter(ScoreTableModel* model)
        : scatter(model)
    {
        scatter.resize(900, 600);
        scatter.show();
    }
    bool draw()
    {
        if (!QTest::qWaitForWindowExposed(&scatter))
            return false;
        scatter.refresh();
        scatter.plot()->replot();
        return true;
    }
    ScatterPlot scatter;
};

QString keyOf(int index)
{
    return fixtures::cell(index, 0).key();
}

} // namespace

class TestScatterTeaching : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { fixtures::quickScoringSettings(); }

    void trailKeepsTheLastVisitedOldestFirst()
    {
        ScoreTableModel model;
        model.addScores(fixtures::set());
        ShownScatter shown(&model);
        QVERIFY(shown.draw());
        ScatterPlot& scatter = shown.scatter;
        QVERIFY(!legendNames(scatter).contains(QStringLiteral("Trail")));

        QStringList visited;
        for (int i = 0; i < 15; ++i) {
            visited.push_back(keyOf(i * 389));
            scatter.setCurrentKey(visited.back());
        }
        // The 12 before the current one, oldest first.
        QCOMPARE(scatter.trailKeys(), visited.mid(2, 12));
        QVERIFY(legendNames(scatter).contains(QStringLiteral("Trail")));

        // No key, or the same one again, visits nothing; a revisited key leaves the trail, the previous one joins it.
        scatter.setCurrentKey({});
        scatter.setCurrentKey(visited[14]);
        QCOMPARE(scatter.trailKeys(), visited.mid(2, 12));
        scatter.setCurrentKey(visited[5]);
        QStringList expected = visited.mid(2, 12);
        expected.removeAll(visited[5]);
        expected.push_back(visited[14]);
        QCOMPARE(scatter.trailKeys(), expected);

        // Newest strongest: the opacity rises strictly from the oldest to the newest, and each is drawn where its
        // point is.
        scatter.plot()->replot();
        double previous = -1;
        for (const QString& key : scatter.trailKeys()) {
            const std::optional<double> opacity = scatter.trailOpacity(key);
            QVERIFY2(opacity, qPrintable(key));
            QVERIFY2(*opacity > previous, qPrintable(QStringLiteral("%1 after %2").arg(*opacity).arg(previous)));
            previous = *opacity;
        }
        QVERIFY(previous <= 1.0);
        const QList<QPoint> drawn = markerPixels(scatter, QStringLiteral("Trail"));
        QCOMPARE(drawn.size(), 1);
        QCOMPARE(drawn.front(), *scatter.pointPosition(scatter.trailKeys().back()));

        // A key without a row is kept, not drawn.
        scatter.setCurrentKey(QStringLiteral("no such row"));
        scatter.setCurrentKey(visited[6]);
        QVERIFY(scatter.trailKeys().contains(QStringLiteral("no such row")));
        QVERIFY(!scatter.trailOpacity(QStringLiteral("no such row")));

        scatter.clearTrail();
        QVERIFY(scatter.trailKeys().isEmpty());
        QVERIFY(!legendNames(scatter).contains(QStringLiteral("Trail")));
        QVERIFY(!scatter.trailOpacity(visited[5]));
        // The current architecture starts the next trail; clearing the model ends it.
        scatter.setCurrentKey(visited[7]);
        QCOMPARE(scatter.trailKeys(), QStringList { visited[6] });
        model.clear();
        QVERIFY(scatter.trailKeys().isEmpty());
        scatter.setCurrentKey(visited[8]);
        QVERIFY(scatter.trailKeys().isEmpty());
    }

    void pinnedAndCurrentAreBothMarked()
    {
        ScoreTableModel model;
        model.addScores(fixtures::set());
        ShownScatter shown(&model);
        QVERIFY(shown.draw());
        ScatterPlot& scatter = shown.scatter;
        const QString pinned = keyOf(389 * 7);
        const QString current = keyOf(389 * 13);
        scatter.setPinnedKey(pinned);
        scatter.setCurrentKey(current);
        QCOMPARE(scatter.pinnedKey(), pinned);
        scatter.plot()->replot();

        const std::optional<QPoint> position = scatter.pointPosition(pinned);
        QVERIFY(position);
        QCOMPARE(markerPixels(scatter, QStringLiteral("Pinned")), QList<QPoint> { *position });
        QCOMPARE(markerPixels(scatter, QStringLiteral("current architecture")),
            QList<QPoint> { *scatter.pointPosition(current) });
        QVERIFY(legendNames(scatter).contains(QStringLiteral("Pinned")));
        // What is drawn there is the pinned marker's magenta fill, not the point's viridis colour.
        const QColor drawn = scatter.plot()->toPixmap().toImage().pixelColor(*position);
        QVERIFY2(drawn.red() > 200 && drawn.green() < 60 && drawn.blue() > 120, qPrintable(drawn.name()));

        // A NaN row is pinned in the NaN strip.
        const QString nanKey = keyOf(389 * 10);
        scatter.setPinnedKey(nanKey);
        QCOMPARE(markerPixels(scatter, QStringLiteral("Pinned")), QList<QPoint> { *scatter.pointPosition(nanKey) });

        scatter.setPinnedKey({});
        QVERIFY(markerPixels(scatter, QStringLiteral("Pinned")).isEmpty());
        QVERIFY(!legendNames(scatter).contains(QStringLiteral("Pinned")));
    }

    void findsByIdAndByText_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("expectedIndex");
        const QString text = fixtures::cell(389 * 17, 0).text();
        QTest::newRow("benchmark id") << QStringLiteral("777") << 389 * 23;
        QTest::newRow("row id") << QStringLiteral("4242") << 389 * 31;
        QTest::newRow("exact text") << text << 389 * 17;
        QTest::newRow("exact text, padded") << QStringLiteral("  %1 ").arg(text) << 389 * 17;
        QTest::newRow("no match") << QStringLiteral("no_such_op~0") << -1;
        QTest::newRow("empty") << QStringLiteral("  ") << -1;
    }

    void findsByIdAndByText()
    {
        QFETCH(QString, query);
        QFETCH(int, expectedIndex);
        ScoreTableModel model;
        ScoredArchs rows = fixtures::set();
        rows[31].id = QStringLiteral("4242");
        model.addScores(rows);
        model.setBenchmarkIds({ { fixtures::tableKey(389 * 23), QStringLiteral("777") } });
        ShownScatter shown(&model);
        QVERIFY(shown.draw());
        ScatterPlot& scatter = shown.scatter;
        QSignalSpy activated(&scatter, &ScatterPlot::archActivated);

        const bool found = scatter.findArch(query);
        QCOMPARE(found, expectedIndex >= 0);
        QCOMPARE(activated.count(), 0);
        if (!found) {
            QVERIFY(scatter.selectedKey().isEmpty());
            return;
        }
        const QString expectedKey = expectedIndex == 389 * 31 ? rows[31].key() : keyOf(expectedIndex);
        QCOMPARE(scatter.selectedKey(), expectedKey);
        QCOMPARE(markerPixels(scatter, QStringLiteral("selected (Enter loads it)")),
            QList<QPoint> { *scatter.pointPosition(expectedKey) });
        // Enter loads it, as after a keyboard selection.
        QTest::keyClick(scatter.plot(), Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        QVERIFY(activated.at(0).at(0).value<epsinas::Arch>() == model.scored(model.rowOfKey(expectedKey)).arch);
    }

    void findsByPartialTextIgnoringCaseAndRecentres()
    {
        ScoreTableModel model;
        const ScoredArchs rows = fixtures::set();
        model.addScores(rows);
        ShownScatter shown(&model);
        QVERIFY(shown.draw());
        ScatterPlot& scatter = shown.scatter;
        // A piece of row 26's text, in capitals: the first row (in insertion order) that contains it is expected.
        const QString piece = rows[26].text().mid(1, 24).toUpper();
        QString expected;
        for (const ScoredArch& row : rows) {
            if (row.text().contains(piece, Qt::CaseInsensitive)) {
                expected = row.key();
                break;
            }
        }
        QVERIFY(!expected.isEmpty());

        // Zoom in and look far away, so the found point is outside the view.
        QTest::keyClick(scatter.plot(), Qt::Key_Plus);
        QCPAxisRect* rect = mainRect(scatter);
        QVERIFY(rect);
        rect->axis(QCPAxis::atBottom)->setRange(50, 51);
        rect->axis(QCPAxis::atLeft)->setRange(-10, -9);
        QVERIFY(scatter.findArch(piece));
        QCOMPARE(scatter.selectedKey(), expected);
        const ScoredArch& found = model.scored(model.rowOfKey(expected));
        QVERIFY2(
            rect->axis(QCPAxis::atBottom)->range().contains(found.score), qPrintable(QString::number(found.score)));
        QVERIFY(rect->axis(QCPAxis::atLeft)->range().contains(double(model.parameters(model.rowOfKey(expected)))));
        QVERIFY(!rect->axis(QCPAxis::atBottom)->range().contains(50.5));
    }

    void topKAreTheBestScoresWithTiesByRow()
    {
        ScoreTableModel model;
        const std::vector<double> scores { 0.5, kNan, 0.9, 0.9, 0.1, kNan, 0.7, 0.9, 0.3, 0.7, 0.2, kNan, 0.05 };
        ScoredArchs rows;
        for (std::size_t i = 0; i < scores.size(); ++i)
            rows.push_back(fixtures::cell(int(i) * 1201, scores[i]));
        model.addScores(rows);
        ShownScatter shown(&model);
        QVERIFY(shown.draw());
        ScatterPlot& scatter = shown.scatter;
        QVERIFY(scatter.topKKeys().isEmpty());

        // The test's own ranking: the scored rows by score, highest first, a stable sort keeping ties in row order.
        const auto best = [&rows](int k) {
            std::vector<int> order;
            for (int i = 0; i < int(rows.size()); ++i) {
                if (!std::isnan(rows[i].score))
                    order.push_back(i);
            }
            std::stable_sort(
                order.begin(), order.end(), [&rows](int a, int b) { return rows[a].score > rows[b].score; });
            QStringList keys;
            for (int i = 0; i < std::min(k, int(order.size())); ++i)
                keys.push_back(rows[order[i]].key());
            return keys;
        };
        for (int k : { 1, 2, 3, 4, 5, 10, 20 }) {
            scatter.setTopK(k);
            QCOMPARE(scatter.topKKeys(), best(k));
            const QString name = QStringLiteral("Top %1 by score").arg(k);
            QVERIFY2(legendNames(scatter).contains(name), qPrintable(legendNames(scatter).join(", ")));
            QCOMPARE(markerPixels(scatter, name).size(), std::min(k, 10));
        }
        QCOMPARE(scatter.topKKeys().size(), 10); // every scored row, no NaN

        // It coexists with a search's rings.
        scatter.setTopK(3);
        scatter.setHighlightedKeys({ rows[4].key(), rows[2].key() }, QStringLiteral("visited"));
        QCOMPARE(scatter.highlightedPointCount(), 2);
        QCOMPARE(markerPixels(scatter, QStringLiteral("Top 3 by score")).size(), 3);

        // A better row added later enters the top k at the next refresh.
        rows.push_back(fixtures::cell(9999, 5.0));
        model.addScores({ rows.back() });
        scatter.refresh();
        QCOMPARE(scatter.topKKeys(), best(3));
        QCOMPARE(scatter.topKKeys().front(), rows.back().key());
        QVERIFY(markerPixels(scatter, QStringLiteral("Top 3 by score"))
                    .contains(*scatter.pointPosition(rows.back().key())));

        scatter.setTopK(0);
        QVERIFY(scatter.topKKeys().isEmpty());
        QVERIFY(!legendNames(scatter).join(",").contains(QStringLiteral("by score")));
    }

    void shiftDragBrushesAndPlainGesturesStay()
    {
        ScoreTableModel model;
        model.addScores(fixtures::set());
        ShownScatter shown(&model);
        QVERIFY(shown.draw());
        ScatterPlot& scatter = shown.scatter;
        QCPAxisRect* rect = mainRect(scatter);
        QVERIFY(rect);
        QSignalSpy brushed(&scatter, &ScatterPlot::brushed);
        QSignalSpy activated(&scatter, &ScatterPlot::archActivated);

        // From the upper left of the main plot to its middle: some points, not all.
        const QRect area = rect->rect();
        const QPoint from(area.left() + area.width() / 4, area.top() + area.height() / 5);
        const QPoint to(area.left() + area.width() * 3 / 4, area.top() + area.height() * 3 / 5);
        const QRect brush = QRect(from, to).normalized();
        QStringList expected;
        for (int row = 0; row < model.rowCount(); ++row) {
            const ScoredArch& scored = model.scored(row);
            const std::optional<QPoint> pixel = scatter.pointPosition(scored.key());
            if (!scored.isNan() && pixel && brush.contains(*pixel))
                expected.push_back(scored.key());
        }
        QVERIFY(!expected.isEmpty());
        QVERIFY(expected.size() < model.rowCount() - model.nanCount());

        const QCPRange xBefore = rect->axis(QCPAxis::atBottom)->range();
        QTest::mousePress(scatter.plot(), Qt::LeftButton, Qt::ShiftModifier, from);
        QTest::mouseMove(scatter.plot(), (from + to) / 2);
        QTest::mouseMove(scatter.plot(), to);
        QTest::mouseRelease(scatter.plot(), Qt::LeftButton, Qt::ShiftModifier, to);
        QCOMPARE(brushed.count(), 1);
        QCOMPARE(brushed.at(0).at(0).toStringList(), expected);
        QCOMPARE(scatter.brushedKeys(), expected);
        QCOMPARE(activated.count(), 0);
        // The brush did not pan.
        QCOMPARE(rect->axis(QCPAxis::atBottom)->range().lower, xBefore.lower);
        QCOMPARE(rect->axis(QCPAxis::atBottom)->range().upper, xBefore.upper);
        QCOMPARE(markerPixels(scatter, QStringLiteral("Brushed (Esc clears)")).size(), expected.size());

        // Escape clears it and says so.
        scatter.plot()->setFocus();
        QTest::keyClick(scatter.plot(), Qt::Key_Escape);
        QCOMPARE(brushed.count(), 2);
        QVERIFY(brushed.at(1).at(0).toStringList().isEmpty());
        QVERIFY(scatter.brushedKeys().isEmpty());
        QVERIFY(markerPixels(scatter, QStringLiteral("Brushed (Esc clears)")).isEmpty());

        // A plain drag still pans and brushes nothing.
        QTest::mousePress(scatter.plot(), Qt::LeftButton, {}, from);
        QTest::mouseMove(scatter.plot(), (from + to) / 2);
        QTest::mouseMove(scatter.plot(), to);
        QTest::mouseRelease(scatter.plot(), Qt::LeftButton, {}, to);
        QCOMPARE(brushed.count(), 2);
        QVERIFY(rect->axis(QCPAxis::atBottom)->range().lower != xBefore.lower);
        QCOMPARE(activated.count(), 0);

        // A plain click on a point still loads it.
        scatter.plot()->replot();
        const QString key = keyOf(389 * 7);
        const std::optional<QPoint> position = scatter.pointPosition(key);
        QVERIFY(position);
        QVERIFY(scatter.plot()->rect().contains(*position));
        QTest::mouseClick(scatter.plot(), Qt::LeftButton, {}, *position);
        QCOMPARE(activated.count(), 1);
        QVERIFY(activated.at(0).at(0).value<epsinas::Arch>() == model.scored(model.rowOfKey(key)).arch);
        QCOMPARE(brushed.count(), 2);
    }
};

QTEST_MAIN(TestScatterTeaching)
#include "tst_scatterteaching.moc"
