// SPDX-License-Identifier: MIT
#pragma once

#include "benchmark.h"
#include "scoreresult.h"

#include <QSet>
#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QCPAxisRect;
class QCPColorScale;
class QCPGraph;
class QCPItemRect;
class QCPLegend;
class QCustomPlot;
class QKeyEvent;
class QLabel;
class QMouseEvent;
class QTimer;

namespace epsinas::gui {

class ScoreTableModel;

/**
 * Every scored architecture as a point: score against the benchmark target (or, without a table, the parameter
 * count), coloured by parameter count. NaN-scored architectures sit in their own strip at the left, so they stay
 * visible; the readout under the plot states n, the NaN count and the policy of every correlation it shows (algorithm
 * §1.6). The correlations are over the scored set only: hand edits (ScoreTableModel::Origin::Edit) are drawn as
 * hollow grey points and the current architecture as a ring, but never counted.
 *
 * From the keyboard: the arrow keys select the nearest point in their direction, Enter loads it (archActivated),
 * Home fits the view to all points, + and − zoom, Escape drops the selection.
 */
class ScatterPlot : public QWidget {
    Q_OBJECT
public:
    explicit ScatterPlot(ScoreTableModel* model, QWidget* parent = nullptr);

    /** Marks the row with ScoredArch::key() `key` as current; empty for none. */
    void setCurrentKey(const QString& key);
    QString nanPolicy() const;
    void setNanPolicy(const QString& policy);
    /**
     * What the points' colour shows: "parameters" or "flops" (SearchSpace::flops; parameters where the space does
     * not count FLOPs). Remembered in the settings.
     */
    QString colourBy() const;
    void setColourBy(const QString& quantity);
    /** The colour scale's label, which names what the colours show. */
    QString colourLabel() const;

    QCustomPlot* plot() const { return m_plot; }
    QString readoutText() const;
    /**
     * The set's statistics in one line for a figure caption: n, the NaN count, Spearman ρ and Kendall τ against the
     * target (or the parameter count) and the NaN policy.
     */
    QString statisticsCaption() const;
    /** The row key of the point the keyboard selected; empty for none. */
    QString selectedKey() const;
    /** Where the row with ScoredArch::key() `key` is drawn, in plot() coordinates; empty when it is not shown. */
    std::optional<QPoint> pointPosition(const QString& key) const;
    /** Rebuilds the points now instead of at the next coalesced update. */
    void refresh();
    /**
     * Rings the rows whose ScoredArch::key() is in `keys` (e.g. the architectures a search visited), named `label` in
     * the legend; an empty set rings none and leaves the legend as it was.
     */
    void setHighlightedKeys(const QSet<QString>& keys, const QString& label);
    const QSet<QString>& highlightedKeys() const { return m_highlightedKeys; }
    /** How many shown points are ringed. */
    int highlightedPointCount() const;

Q_SIGNALS:
    /**
     * The user clicked the point of `arch`, or pressed Enter on it, a row under the benchmark id `id` (empty when it
     * has none).
     */
    void archActivated(const epsinas::Arch& arch, const QString& id);
    void nanPolicyChanged(const QString& policy);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Point {
        double x = 0;
        double y = 0;
        int row = 0;
        bool nan = false;
    };
    /** The statistics of the set, computed once per readout, for the readout and the caption. */
    struct Statistics {
        int rows = 0;
        int nans = 0;
        Correlation correlation;
        Correlation baseline;
    };
    void scheduleRefresh();
    Statistics statistics() const;
    void updateReadout();
    void updateCurrent(bool follow);
    /** Puts the rings of the highlighted keys on their points. */
    void updateHighlight();
    /** Shows `point` (nullptr: none) as the marker `main`/`nan`; recentres on it when `follow` and it is outside. */
    void showMarker(const Point* point, QCPGraph* main, QCPGraph* nan, bool follow);
    const Point* pointOfRow(int row) const;
    void select(const Point* point);
    /** The nearest point from the selection in the direction (`dx`, `dy`), in pixels; nullptr when none is. */
    const Point* neighbour(const Point& from, int dx, int dy) const;
    bool handleKey(QKeyEvent* event);
    void zoom(double factor);
    void fit();
    void showFocus(bool focused);
    QString toolTipOf(const Point& point) const;
    QPointF pixelOf(const Point& point) const;
    const Point* pointAt(const QPoint& position) const;
    void onMouseMove(QMouseEvent* event);
    void onMousePress(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);
    void applyScales();

    ScoreTableModel* m_model;
    QCustomPlot* m_plot = nullptr;
    QCPAxisRect* m_mainRect = nullptr;
    QCPAxisRect* m_nanRect = nullptr;
    QCPColorScale* m_colorScale = nullptr;
    std::vector<QCPGraph*> m_mainGraphs;
    std::vector<QCPGraph*> m_nanGraphs;
    QCPGraph* m_editMain = nullptr;
    QCPGraph* m_editNan = nullptr;
    QCPGraph* m_currentMain = nullptr;
    QCPGraph* m_currentNan = nullptr;
    QCPGraph* m_selectedMain = nullptr;
    QCPGraph* m_selectedNan = nullptr;
    QCPGraph* m_highlightMain = nullptr;
    QCPGraph* m_highlightNan = nullptr;
    QCPLegend* m_legend = nullptr;
    QCPItemRect* m_focusFrame = nullptr;
    QCheckBox* m_logX = nullptr;
    QCheckBox* m_logY = nullptr;
    QComboBox* m_policy = nullptr;
    QComboBox* m_colourBy = nullptr;
    QLabel* m_readout = nullptr;
    QTimer* m_refreshTimer = nullptr;
    std::vector<Point> m_points;
    QString m_currentKey;
    QString m_selectedKey;
    QSet<QString> m_highlightedKeys;
    QPoint m_pressPosition;
    bool m_autoRange = true;
};

} // namespace epsinas::gui
